/**
 * The editable price table of the Cost section (kms-semantics.md §11): the learner's edits of
 * src/services/cost.ts `PRICE_TABLE` are kept in localStorage (`kms-playground.prices`), checked
 * with `validatePriceTable` when read back (a stored table that no longer validates — an older
 * shape, a hand edit — is ignored and the defaults are used, with the reason), and reset to the
 * defaults on request.
 *
 * The table's shape belongs to cost.ts; this module edits it generically: every number at any
 * depth is a field (its path), an object with `verified: false` marks its numbers unverified, and
 * strings (`asOf`, `source`, `currency`, …) are shown, not edited. Pure apart from the injected
 * storage (unit-tested with a fake).
 */

/** Where edits are kept. */
export const PRICE_STORAGE_KEY = 'kms-playground.prices';

/** The part of Storage this module uses (null: no storage, edits last for the page only). */
export type PriceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;

/** A loaded table: the defaults, or the learner's valid edits. */
export interface LoadedPrices<T> {
  readonly table: T;
  /** True when the table comes from the learner's stored edits. */
  readonly edited: boolean;
  /** Why stored edits were ignored (null: none, or none stored). */
  readonly problem: string | null;
}

/** Reads the stored table through `validate` (which throws, or returns the table); falls back to `defaults`. */
export function loadPrices<T>(storage: PriceStorage, validate: (x: unknown) => T, defaults: T): LoadedPrices<T> {
  let text: string | null;
  try {
    text = storage?.getItem(PRICE_STORAGE_KEY) ?? null;
  } catch {
    return { table: defaults, edited: false, problem: null };
  }
  if (text === null) return { table: defaults, edited: false, problem: null };
  try {
    return { table: validate(JSON.parse(text)), edited: true, problem: null };
  } catch (e) {
    return { table: defaults, edited: false, problem: `Your stored prices were ignored: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Stores `table` (already validated). Returns false when the storage refused it. */
export function savePrices(storage: PriceStorage, table: unknown): boolean {
  try {
    storage?.setItem(PRICE_STORAGE_KEY, JSON.stringify(table));
    return storage !== null;
  } catch {
    return false;
  }
}

/** Forgets the stored edits (the defaults apply again). */
export function resetPrices(storage: PriceStorage): void {
  try {
    storage?.removeItem(PRICE_STORAGE_KEY);
  } catch {
    // Storage refused: nothing stored to forget.
  }
}

/** One editable number of the table. */
export interface PriceField {
  /** Keys from the table's root (`['symmetricPer10k']`, `['asymmetric', 'rsa2048Per10k']`). */
  readonly path: readonly string[];
  /** "symmetric per 10k" — the path in words. */
  readonly label: string;
  readonly value: number;
  /** False when the number's object says `verified: false`. */
  readonly verified: boolean;
}

function words(key: string): string {
  return key
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/(\d)([A-Z])/g, '$1 $2')
    .toLowerCase();
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every number of `table` as a field, in key order (depth first). */
export function priceFields(table: unknown): PriceField[] {
  const out: PriceField[] = [];
  const walk = (node: Record<string, unknown>, path: string[], verified: boolean) => {
    const here = verified && node['verified'] !== false;
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'number') out.push({ path: [...path, k], label: [...path, k].map(words).join(' › '), value: v, verified: here });
      else if (isObject(v)) walk(v, [...path, k], here);
    }
  };
  if (isObject(table)) walk(table, [], true);
  return out;
}

/** Strings at the table's root (`asOf`, `source`, `region`, `currency`, …). */
export function priceMeta(table: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(table)) for (const [k, v] of Object.entries(table)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A copy of `table` with the number at `path` set to `value` (the table is never mutated). */
export function withPrice<T>(table: T, path: readonly string[], value: number): T {
  const copy = JSON.parse(JSON.stringify(table)) as unknown; // a JSON table; also clones reactive proxies, which structuredClone refuses
  let node = copy as Record<string, unknown>;
  for (const k of path.slice(0, -1)) {
    const next = node[k];
    if (!isObject(next)) throw new Error(`No price at ${path.join('.')}.`);
    node = next;
  }
  const last = path[path.length - 1];
  if (last === undefined || typeof node[last] !== 'number') throw new Error(`No price at ${path.join('.')}.`);
  node[last] = value;
  return copy as T;
}

/** Whether `source` is an http(s) address (shown as a link only then; anything else as text). */
export function isWebAddress(source: string): boolean {
  try {
    const u = new URL(source);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
