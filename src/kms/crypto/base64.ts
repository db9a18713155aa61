/**
 * Standard base64 (RFC 4648 §4, with padding): the one codec of the project — JSON 1.1 blobs on
 * the wire (kms-semantics.md §13.1) and bytes in JSON snapshots (store/schema/json.ts). Strict
 * decoding (canonical tail bits, no stray characters): never silently truncated. Pure; works in
 * Node and in the page.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

/** Base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
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
