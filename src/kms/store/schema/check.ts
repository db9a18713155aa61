/**
 * Tiny runtime validators for persisted records (STYLE §5: "every record type has a runtime
 * validator next to its type"), in the spirit of tldraw's `@tldraw/validate`.
 *
 * A `Check` looks at one value and returns `null` when it is acceptable, or a detail such as
 * `key.keyState: expected one of Enabled, Disabled, …`. Details name the path and the expectation,
 * never the value itself: a value may be key material, a seed or a plaintext-bearing string.
 * Checks never throw on well-behaved data; `validateRecord` still catches anything thrown by
 * hostile input (getters, proxies) and turns it into a failure.
 */
import { fail, ok, type Result } from './result';

/** Returns null when `v` is acceptable at `path`, else what was expected there. */
export type Check = (v: unknown, path: string) => string | null;

/** True for a plain object (`{}` literal or null-prototype, from any realm); false for arrays, bytes, dates, … */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  // Cross-realm safe: a realm's Object.prototype is the only object whose own prototype is null.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** True for a Uint8Array from any realm (IndexedDB and test environments may hand back another realm's). */
export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || (ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]');
}

/**
 * Sets an own enumerable property, even for the key `__proto__` (a plain `o[k] = v` would set the
 * prototype instead, and `JSON.parse` does produce own `__proto__` keys).
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A string, optionally limited in length (UTF-16 code units, as AWS's model counts) and pattern. */
export function str(opts: { min?: number; max?: number; re?: RegExp; what?: string } = {}): Check {
  const { min = 0, max = Infinity, re, what } = opts;
  const expected = what ?? (max === Infinity ? `a string of at least ${min} chars` : `a string of ${min}–${max} chars`);
  return (v, path) =>
    typeof v === 'string' && v.length >= min && v.length <= max && (re === undefined || re.test(v)) ? null : `${path}: expected ${expected}`;
}

/** A safe integer within [min, max]. */
export function int(min: number, max: number = Number.MAX_SAFE_INTEGER): Check {
  return (v, path) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? null : `${path}: expected an integer in ${min}–${max}`;
}

/** A point in time: epoch milliseconds on the sandbox clock, a non-negative safe integer. */
export const time: Check = (v, path) => (Number.isSafeInteger(v) && (v as number) >= 0 ? null : `${path}: expected epoch ms (integer ≥ 0)`);

/** A boolean. */
export const bool: Check = (v, path) => (typeof v === 'boolean' ? null : `${path}: expected a boolean`);

/** Exactly `value` (strict equality). */
export function literal(value: string | number | boolean): Check {
  return (v, path) => (v === value ? null : `${path}: expected ${JSON.stringify(value)}`);
}

/** One of a closed set of strings (the AWS enums of model.ts). */
export function oneOf(values: readonly string[]): Check {
  const set = new Set(values);
  return (v, path) => (typeof v === 'string' && set.has(v) ? null : `${path}: expected one of ${values.join(', ')}`);
}

/** `null` or a value passing `check`. */
export function nullable(check: Check): Check {
  return (v, path) => {
    if (v === null) return null;
    const e = check(v, path);
    return e === null ? null : `${e} or null`;
  };
}

/** A Uint8Array of exactly `length` bytes. */
export function bytes(length: number): Check {
  return (v, path) => (isBytes(v) && v.length === length ? null : `${path}: expected a Uint8Array of ${length} bytes`);
}

/** A Uint8Array of `min`..`max` bytes. */
export function bytesBetween(min: number, max: number): Check {
  return (v, path) => (isBytes(v) && v.length >= min && v.length <= max ? null : `${path}: expected a Uint8Array of ${min}–${max} bytes`);
}

/** An array whose every element passes `item`, at most `max` long. */
export function arrayOf(item: Check, max = Infinity): Check {
  return (v, path) => {
    if (!Array.isArray(v) || v.length > max) return `${path}: expected an array`;
    for (let i = 0; i < v.length; i++) {
      const e = item(v[i], `${path}[${i}]`);
      if (e !== null) return e;
    }
    return null;
  };
}

/** Field checks of an object shape; `optional` fields may be absent (or `undefined`, as IndexedDB keeps it). */
export interface Shape {
  readonly required: Readonly<Record<string, Check>>;
  readonly optional?: Readonly<Record<string, Check>>;
}

/** A plain object with exactly the fields of `shape`: no missing required field, no unknown field. */
export function object(shape: Shape): Check {
  const { required, optional = {} } = shape;
  return (v, path) => {
    if (!isPlainObject(v)) return `${path}: expected an object`;
    for (const [name, check] of Object.entries(required)) {
      if (!Object.hasOwn(v, name)) return `${path}.${name}: missing`;
      const e = check(v[name], `${path}.${name}`);
      if (e !== null) return e;
    }
    for (const [name, check] of Object.entries(optional)) {
      if (v[name] === undefined) continue;
      const e = check(v[name], `${path}.${name}`);
      if (e !== null) return e;
    }
    for (const name of Object.keys(v)) {
      // Field names are schema, not data, but cap them anyway: a hostile key could be huge.
      if (!Object.hasOwn(required, name) && !Object.hasOwn(optional, name)) return `${path}: unexpected field ${JSON.stringify(name.slice(0, 40))}`;
    }
    return null;
  };
}

/** Nesting limit for JSON values: deeper input is refused rather than risking the stack. */
const MAX_JSON_DEPTH = 64;

function jsonError(v: unknown, path: string, depth: number): string | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path}: expected a finite number`;
  if (depth >= MAX_JSON_DEPTH) return `${path}: nested deeper than ${MAX_JSON_DEPTH}`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const e = jsonError(v[i], `${path}[${i}]`, depth + 1);
      if (e !== null) return e;
    }
    return null;
  }
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const e = jsonError(v[k], `${path}.${k.slice(0, 40)}`, depth + 1);
      if (e !== null) return e;
    }
    return null;
  }
  return `${path}: expected a JSON value`;
}

/** Any JSON value: null, boolean, finite number, string, array or plain object of those. */
export const json: Check = (v, path) => jsonError(v, path, 0);

/** A JSON object (`{ [k: string]: JsonValue }`). */
export const jsonObject: Check = (v, path) => (isPlainObject(v) ? jsonError(v, path, 0) : `${path}: expected a JSON object`);

/**
 * Builds a record validator: the shape check, then cross-field invariants (`invariants` sees a
 * value that already passed the shape and returns a detail or null). Never throws.
 */
export function recordValidator<T>(typeName: string, shape: Shape, invariants?: (r: T) => string | null): (v: unknown) => Result<T, 'invalid-record'> {
  const check = object(shape);
  return (v) => {
    try {
      const e = check(v, typeName) ?? invariants?.(v as T) ?? null;
      return e === null ? ok(v as T) : fail('invalid-record', e);
    } catch (err) {
      return fail('invalid-record', `${typeName}: unreadable (${err instanceof Error ? err.name : typeof err})`);
    }
  };
}
