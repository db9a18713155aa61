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

/** null when `root` is JSON data without forbidden keys and not too deep; else the refusal. Iterative. */
export function checkJson(root: unknown): { ok: false; reason: 'bad-json' | 'forbidden-key'; message: string } | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: '$', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { ok: false, reason: 'bad-json', message: `${path}: not a finite number.` };
      continue;
    }
    if (typeof v !== 'object') return { ok: false, reason: 'bad-json', message: `${path}: not JSON data.` };
    if (depth >= MAX_JSON_DEPTH) return { ok: false, reason: 'bad-json', message: `${path}: nested deeper than ${MAX_JSON_DEPTH} levels.` };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== null && proto !== Object.prototype) return { ok: false, reason: 'bad-json', message: `${path}: not a plain object.` };
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) {
        return { ok: false, reason: 'forbidden-key', message: `${path}: a member named "${k}" is not allowed in a sandbox link.` };
      }
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}.${k.length > 40 ? `${k.slice(0, 40)}…` : k}`, depth: depth + 1 });
    }
  }
  return null;
}
