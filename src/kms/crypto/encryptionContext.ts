/**
 * Canonical encoding of a KMS encryption context, the bytes bound into AES-GCM's additional
 * authenticated data (kms-semantics.md §3.3).
 *
 * §3.3 fixes what must match at decrypt time: the exact, case-sensitive set of pairs, in any
 * order; an empty or omitted context matches only an empty or omitted one. So the encoding must be
 * (1) independent of key order, (2) the same for `undefined` and `{}`, and (3) unambiguous:
 * different contexts never encode alike (`{"ab":"c"}` vs `{"a":"bc"}`). Sorting gives (1), a
 * count plus length prefixes give (3):
 *
 * ```
 *   ┌──────────────┬─────────────┬──────────┬───────────────┬────────────┬─── … ───┐
 *   │ count (u32)  │ keyLen (u32)│ key      │ valueLen (u32)│ value      │ pair 2… │
 *   │ number of    │ UTF-8 bytes │ UTF-8    │ UTF-8 bytes   │ UTF-8      │         │
 *   │ pairs        │ of key 1    │          │ of value 1    │            │         │
 *   └──────────────┴─────────────┴──────────┴───────────────┴────────────┴─── … ───┘
 *   integers big-endian; pairs sorted by the UTF-8 bytes of the key (unsigned, bytewise,
 *   a prefix first). The empty context is the four bytes 00 00 00 00.
 * ```
 *
 * Like the AWS Encryption SDK's header AAD (§12.2) but with 32-bit lengths, since KMS sets no
 * length limit on context strings. Sorting by UTF-8 bytes rather than JS string order (UTF-16 code
 * units) makes the order the same in every language.
 *
 * Strings must be well-formed Unicode: a lone surrogate would be replaced by U+FFFD when encoded,
 * so `"\uD800"` and `"\uFFFD"` would collide. Such input is rejected with a RangeError; the
 * operation layer should check first and answer `ValidationException`.
 */
import { isWellFormedUnicode, readU32, writeU32 } from './bytes';

/** An encryption context as the API carries it: string keys to string values. */
export type EncryptionContext = Readonly<Record<string, string>>;

const utf8 = new TextEncoder();
/** Fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a leading U+FEFF is data, not a mark. */
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytewise unsigned comparison; a proper prefix sorts first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function label(s: string): string {
  const j = JSON.stringify(s);
  return j.length > 40 ? `${j.slice(0, 37)}..."` : j;
}

/** Validated pairs as UTF-8, sorted by key bytes. */
function utf8Pairs(ctx: EncryptionContext | undefined | null): [Uint8Array, Uint8Array][] {
  if (ctx === undefined || ctx === null) return [];
  if (typeof ctx !== 'object' || Array.isArray(ctx)) throw new TypeError('encryptionContext: expected an object of string pairs');
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (const [k, v] of Object.entries(ctx)) {
    if (typeof v !== 'string') throw new TypeError(`encryptionContext: value of ${label(k)} is ${typeof v}, expected string`);
    if (!isWellFormedUnicode(k)) throw new RangeError(`encryptionContext: key ${label(k)} is not well-formed Unicode`);
    if (!isWellFormedUnicode(v)) throw new RangeError(`encryptionContext: value of ${label(k)} is not well-formed Unicode`);
    pairs.push([utf8.encode(k), utf8.encode(v)]);
  }
  // Distinct well-formed JS strings have distinct UTF-8, so keys stay unique after encoding.
  return pairs.sort((a, b) => compareBytes(a[0], b[0]));
}

/**
 * The canonical AAD bytes of an encryption context (layout above). `undefined`, `null` and `{}`
 * all give `00 00 00 00`. Throws TypeError for a non-string value and RangeError for a string that
 * is not well-formed Unicode.
 */
export function encodeEncryptionContext(ctx: EncryptionContext | undefined | null): Uint8Array {
  const pairs = utf8Pairs(ctx);
  let size = 4;
  for (const [k, v] of pairs) size += 8 + k.length + v.length;
  const out = new Uint8Array(size);
  writeU32(out, 0, pairs.length);
  let at = 4;
  for (const [k, v] of pairs) {
    writeU32(out, at, k.length);
    out.set(k, at + 4);
    at += 4 + k.length;
    writeU32(out, at, v.length);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  return out;
}

/**
 * A copy of the context with its keys in canonical order (as encoded), `{}` for none. Built with
 * `Object.fromEntries`, so a key such as `__proto__` stays an ordinary own property.
 */
export function canonicalizeEncryptionContext(ctx: EncryptionContext | undefined | null): Record<string, string> {
  const td = new TextDecoder();
  return Object.fromEntries(utf8Pairs(ctx).map(([k, v]) => [td.decode(k), td.decode(v)]));
}

/** True when two contexts hold the same pairs (order ignored; `undefined` equals `{}`). */
export function encryptionContextsEqual(a: EncryptionContext | undefined, b: EncryptionContext | undefined): boolean {
  return compareBytes(encodeEncryptionContext(a), encodeEncryptionContext(b)) === 0;
}

/** Why `decodeEncryptionContext` refused its input. */
export type EncryptionContextDecodeFailure = 'truncated' | 'invalid-utf8' | 'not-canonical' | 'trailing-bytes';

/**
 * Parses bytes made by `encodeEncryptionContext`. Only the canonical encoding is accepted (keys
 * strictly increasing, hence unique; valid UTF-8; nothing after the last pair), so decode∘encode
 * is the identity and encode∘decode is too on every accepted input. Never throws.
 */
export function decodeEncryptionContext(
  bytes: Uint8Array,
): { ok: true; value: Record<string, string> } | { ok: false; reason: EncryptionContextDecodeFailure } {
  if (bytes.length < 4) return { ok: false, reason: 'truncated' };
  const count = readU32(bytes, 0);
  const entries: [string, string][] = [];
  let at = 4;
  let prevKey: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    const key = readField(bytes, at);
    if (!key) return { ok: false, reason: 'truncated' };
    const value = readField(bytes, key.end);
    if (!value) return { ok: false, reason: 'truncated' };
    if (prevKey && compareBytes(prevKey, key.bytes) >= 0) return { ok: false, reason: 'not-canonical' };
    let k: string;
    let v: string;
    try {
      k = utf8Strict.decode(key.bytes);
      v = utf8Strict.decode(value.bytes);
    } catch {
      return { ok: false, reason: 'invalid-utf8' };
    }
    entries.push([k, v]);
    prevKey = key.bytes;
    at = value.end;
  }
  if (at !== bytes.length) return { ok: false, reason: 'trailing-bytes' };
  return { ok: true, value: Object.fromEntries(entries) };
}

/** A u32-length-prefixed field at `at`, or undefined when it runs past the end. */
function readField(b: Uint8Array, at: number): { bytes: Uint8Array; end: number } | undefined {
  if (at + 4 > b.length) return undefined;
  const len = readU32(b, at);
  const end = at + 4 + len;
  if (end > b.length) return undefined;
  return { bytes: b.subarray(at + 4, end), end };
}
