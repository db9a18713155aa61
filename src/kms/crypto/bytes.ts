/**
 * Byte helpers shared by the crypto modules: boundary assertions (STYLE §10: "check inputs at the
 * boundary with small asserting helpers that name the argument and the expected length"),
 * big-endian integer codecs, hex and concatenation, and the AES-GCM parameter constants.
 *
 * Assertions throw `TypeError` for a value of the wrong type and `RangeError` for a wrong length,
 * as noble does. They never silently truncate or pad. Messages name the argument and the lengths,
 * never the bytes themselves (they may be key material).
 */

/** AES key lengths a backend's `importAesKey` accepts (128/192/256-bit). */
export const AES_KEY_LENGTHS = [16, 24, 32] as const;
/** GCM IV length in bytes: 96 bits, the length SP 800-38D §5.2.1.1 recommends. */
export const GCM_IV_LENGTH = 12;
/** GCM tag length in bytes: 128 bits (SP 800-38D §5.2.1.2). */
export const GCM_TAG_LENGTH = 16;

/** True for a Uint8Array (including views into a larger buffer, and Node Buffers). */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array');
}

/**
 * Asserts that `value` is a Uint8Array and, when `lengths` is given, that its length is one of
 * them. `name` is the argument's name as the caller sees it (e.g. `iv`).
 */
export function assertBytes(value: unknown, name: string, ...lengths: number[]): asserts value is Uint8Array {
  if (!isBytes(value)) throw new TypeError(`${name}: expected Uint8Array, got ${describe(value)}`);
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    const want = lengths.length === 1 ? `${lengths[0]}` : lengths.join('/');
    throw new RangeError(`${name}: expected ${want} bytes, got ${value.length}`);
  }
}

/** Asserts that `value` is a Uint8Array of at least `min` bytes. */
export function assertMinBytes(value: unknown, name: string, min: number): asserts value is Uint8Array {
  assertBytes(value, name);
  if (value.length < min) throw new RangeError(`${name}: expected at least ${min} bytes, got ${value.length}`);
}

/** Asserts that `value` is an integer in [min, max]. */
export function assertInteger(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name}: expected an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Constant-shape equality of two byte arrays (not secret-safe timing; used on public data). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes `n` (0 ≤ n < 2^32) big-endian at `out[at..at+4)`. */
export function writeU32(out: Uint8Array, at: number, n: number): void {
  out[at] = (n >>> 24) & 0xff;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

/** Reads a big-endian u32 at `at`; the caller has checked that 4 bytes are there. */
export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Writes a safe integer `n` (0 ≤ n ≤ 2^53 − 1) as a big-endian u64 at `out[at..at+8)`. */
export function writeU64(out: Uint8Array, at: number, n: number): void {
  writeU32(out, at, Math.floor(n / 0x1_0000_0000));
  writeU32(out, at + 4, n >>> 0);
}

/**
 * Reads a big-endian u64 at `at`. Returns `undefined` when the value exceeds 2^53 − 1 (not a
 * safe JS integer), so decoders can reject it instead of silently rounding.
 */
export function readU64(b: Uint8Array, at: number): number | undefined {
  const hi = readU32(b, at);
  const lo = readU32(b, at + 4);
  if (hi > 0x1f_ffff) return undefined;
  return hi * 0x1_0000_0000 + lo;
}

const HEX_RE = /^[0-9a-f]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `s` has no unpaired surrogate, i.e. UTF-8 encoding is lossless. (TextEncoder turns a
 * lone surrogate into U+FFFD, so two different strings could otherwise encode alike.)
 */
export function isWellFormedUnicode(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes (table-driven: ids are formatted on every service call). */
export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_BYTE[b[i]!]!;
  return s;
}

/** Bytes of a lowercase hex string of even length; throws RangeError otherwise (naming `name`). */
export function hexToBytes(h: string, name: string): Uint8Array {
  if (typeof h !== 'string' || h.length % 2 !== 0 || !HEX_RE.test(h)) {
    throw new RangeError(`${name}: expected lowercase hex of even length`);
  }
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Typed view for WebCrypto: `BufferSource` must be backed by an `ArrayBuffer`. A view over a
 * `SharedArrayBuffer` is copied (WebCrypto rejects those); any other view is passed as is, so no
 * plaintext is copied on the hot path.
 */
export function toBufferSource(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
}
