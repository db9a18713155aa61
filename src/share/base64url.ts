/**
 * Base64url without padding (RFC 4648 §5), the alphabet of share-link payloads (STYLE §8).
 *
 * Decoding is strict so that every link has exactly one spelling: only the 64 URL-safe characters,
 * no padding, no whitespace, a length that is not 1 mod 4, and zero bits in the unused low bits of
 * the last character. A changed character therefore always changes the bytes (or is refused).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP: Int16Array = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** Base64url of `bytes`, without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? LOOKUP[c]! : -1;
}

/** The bytes of canonical unpadded base64url text; null for anything else. Never throws. */
export function decodeBase64url(s: string): Uint8Array | null {
  if (typeof s !== 'string' || s.length % 4 === 1) return null;
  const full = Math.floor(s.length / 4);
  const rest = s.length % 4;
  const out = new Uint8Array(full * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  for (let g = 0; g < full; g++) {
    const a = sextet(s, g * 4), b = sextet(s, g * 4 + 1), c = sextet(s, g * 4 + 2), d = sextet(s, g * 4 + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >> 16) & 255;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (rest > 0) {
    const base = full * 4;
    const a = sextet(s, base), b = sextet(s, base + 1), c = rest === 3 ? sextet(s, base + 2) : 0;
    if ((a | b | c) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6);
    // Canonical form: the bits past the last whole byte must be zero.
    if (rest === 2 && (n & 0xffff) !== 0) return null;
    if (rest === 3 && (n & 0xff) !== 0) return null;
    out[o++] = (n >> 16) & 255;
    if (rest === 3) out[o] = (n >> 8) & 255;
  }
  return out;
}
