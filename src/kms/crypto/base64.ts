/**
 * Standard base64 (RFC 4648 §4, with padding): the one codec of the project — JSON 1.1 blobs on
 * the wire (kms-semantics.md §13.1) and bytes in JSON snapshots (store/schema/json.ts). Strict
 * decoding (canonical tail bits, no stray characters): never silently truncated. Pure; works in
 * Node and in the page.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

const ALPHABET_BYTES = new TextEncoder().encode(ALPHABET);
const PAD = 61; // '='
/** Decodes the ASCII output (any ASCII-compatible label would do; latin1 is one in every runtime). */
const ASCII = new TextDecoder('latin1');

/**
 * Base64 with padding, written into one byte array and decoded once: a string grown by `+=` is a
 * rope of thousands of pieces (about 4.5x slower on a 4 KB blob, and kept that way in long-lived
 * records such as the call log).
 */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let i = 0;
  let o = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET_BYTES[n >> 18]!;
    out[o++] = ALPHABET_BYTES[(n >> 12) & 63]!;
    out[o++] = ALPHABET_BYTES[(n >> 6) & 63]!;
    out[o++] = ALPHABET_BYTES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ALPHABET_BYTES[n >> 18]!;
    out[o++] = ALPHABET_BYTES[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? ALPHABET_BYTES[(n >> 6) & 63]! : PAD;
    out[o] = PAD;
  }
  return ASCII.decode(out);
}

/**
 * Decodes base64; null when `s` is not base64. Padding is optional (AWS services accept both)
 * unless `requirePadding`, which accepts only the canonical padded form `encodeBase64` writes.
 */
export function decodeBase64(s: string, opts: { requirePadding?: boolean } = {}): Uint8Array | null {
  if (opts.requirePadding && s.length % 4 !== 0) return null;
  let end = s.length;
  if (end % 4 === 0 && end > 0 && s[end - 1] === '=') end -= s[end - 2] === '=' ? 2 : 1;
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? INDEX[c]! : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits mean the last character was not canonical.
  if ((acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}
