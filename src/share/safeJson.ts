/**
 * JSON parsing for untrusted share data: `JSON.parse`, then one walk that checks the value is
 * plain JSON data a sandbox can hold. Never throws.
 *
 * - `__proto__` keys are refused at every depth. `JSON.parse` itself makes them own properties
 *   (harmless), but any later `Object.assign` or `out[k] = v` copy would set a prototype instead,
 *   so they never get past the boundary. `constructor` and `prototype` keys are ordinary own data
 *   properties of plain objects: they cannot reach a prototype and are kept as data.
 * - Nesting deeper than `MAX_JSON_DEPTH` is refused (later walks are recursive).
 * - Every string stays a string: nothing is evaluated, and the UI renders strings as text.
 */

/** Deepest nesting a share may use; a sandbox's log needs far less. */
export const MAX_JSON_DEPTH = 64;

export type SafeJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'bad-json' | 'forbidden-key'; readonly message: string };

/** Keys refused anywhere in a share. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** Parses `text` as JSON and checks it as described above. */
export function parseSafeJson(text: string): SafeJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // The parser's message quotes the input, which may hold secrets: keep only its name.
    return { ok: false, reason: 'bad-json', message: `The data is not valid JSON (${e instanceof Error ? e.name : typeof e}).` };
  }
  const problem = checkJson(value);
  return problem === null ? { ok: true, value } : problem;
}

/** A container waiting to be walked, with the way back to the root (paths are built only on failure). */
interface Frame {
  readonly v: object;
  readonly depth: number;
  readonly parent: Frame | null;
  readonly key: string | number;
}

function pathOf(f: Frame | null, key?: string | number): string {
  const keys: (string | number)[] = key === undefined ? [] : [key];
  for (let x = f; x !== null && x.parent !== null; x = x.parent) keys.push(x.key);
  let out = '$';
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    out += typeof k === 'number' ? `[${k}]` : `.${k.length > 40 ? `${k.slice(0, 40)}…` : k}`;
  }
  return out;
}

type Refusal = { ok: false; reason: 'bad-json' | 'forbidden-key'; message: string };

/** null for a primitive JSON value; a refusal for anything else that is not a container. */
function primitiveProblem(v: unknown, at: () => string): Refusal | 'container' | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : { ok: false, reason: 'bad-json', message: `${at()}: not a finite number.` };
  if (typeof v !== 'object') return { ok: false, reason: 'bad-json', message: `${at()}: not JSON data.` };
  return 'container';
}

/**
 * null when `root` is JSON data without forbidden keys and not too deep; else the refusal.
 * Iterative, and only containers are stacked, so a 2 MiB array of numbers costs no extra memory.
 */
export function checkJson(root: unknown): Refusal | null {
  const first = primitiveProblem(root, () => '$');
  if (first !== 'container') return first;
  const stack: Frame[] = [{ v: root as object, depth: 0, parent: null, key: '$' }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.depth >= MAX_JSON_DEPTH) return { ok: false, reason: 'bad-json', message: `${pathOf(f)}: nested deeper than ${MAX_JSON_DEPTH} levels.` };
    const visit = (child: unknown, key: string | number): Refusal | null => {
      const p = primitiveProblem(child, () => pathOf(f, key));
      if (p === 'container') {
        stack.push({ v: child as object, depth: f.depth + 1, parent: f, key });
        return null;
      }
      return p;
    };
    if (Array.isArray(f.v)) {
      for (let i = 0; i < f.v.length; i++) {
        const p = visit(f.v[i], i);
        if (p !== null) return p;
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(f.v);
    if (proto !== null && proto !== Object.prototype) return { ok: false, reason: 'bad-json', message: `${pathOf(f)}: not a plain object.` };
    for (const k of Object.keys(f.v)) {
      if (FORBIDDEN_KEYS.has(k)) {
        return { ok: false, reason: 'forbidden-key', message: `${pathOf(f)}: a member named "${k}" is not allowed in a sandbox link.` };
      }
      const p = visit((f.v as Record<string, unknown>)[k], k);
      if (p !== null) return p;
    }
  }
  return null;
}
