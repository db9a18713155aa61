/**
 * Reference oracle for the ciphertext blob codec (STYLE §15 "reference oracles"): a small, slow,
 * obviously correct decoder of the layout drawn in src/kms/crypto/ciphertextBlob.ts, written
 * independently of it (arrays and string building, no shared helpers). fast-check compares the real
 * codec against it in test/unit/kms/crypto/ciphertextBlob.test.ts.
 *
 *   [0x01][L][ARN: L bytes UTF-8, L ≥ 1][material id: 32][IV: 12][ciphertext||tag: ≥ 16]
 */

/** What the oracle reads out of a blob (hex for bytes, so results compare with toEqual). */
export interface OracleBlob {
  keyArn: string;
  keyMaterialId: string;
  ivHex: string;
  ciphertextHex: string;
  headerLength: number;
}

function hex(bytes: number[]): string {
  return bytes.map((b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
}

/** True when `bytes` is exactly the UTF-8 encoding of some string (checked by round trip). */
function utf8Decode(bytes: number[]): string | null {
  const u8 = Uint8Array.from(bytes);
  const s = new TextDecoder('utf-8', { ignoreBOM: true }).decode(u8); // invalid bytes become U+FFFD
  const back = Array.from(new TextEncoder().encode(s));
  return back.length === bytes.length && back.every((b, i) => b === bytes[i]) ? s : null;
}

/** Decodes a blob the slow way; null when it is not a well-formed version-1 blob. */
export function oracleDecodeBlob(input: Uint8Array): OracleBlob | null {
  const b = Array.from(input);
  if (b.length < 1 || b[0] !== 1) return null;
  if (b.length < 2) return null;
  const arnLength = b[1]!;
  if (arnLength === 0) return null;
  const arnBytes = b.slice(2, 2 + arnLength);
  const idBytes = b.slice(2 + arnLength, 2 + arnLength + 32);
  const ivBytes = b.slice(2 + arnLength + 32, 2 + arnLength + 32 + 12);
  const rest = b.slice(2 + arnLength + 32 + 12);
  if (arnBytes.length !== arnLength || idBytes.length !== 32 || ivBytes.length !== 12) return null;
  if (rest.length < 16) return null;
  const keyArn = utf8Decode(arnBytes);
  if (keyArn === null) return null;
  return {
    keyArn,
    keyMaterialId: hex(idBytes),
    ivHex: hex(ivBytes),
    ciphertextHex: hex(rest),
    headerLength: 2 + arnLength + 32 + 12,
  };
}

/** Encodes parts the slow way (for comparing encoders byte by byte). */
export function oracleEncodeBlob(parts: { keyArn: string; keyMaterialId: string; iv: Uint8Array; ciphertext: Uint8Array }): Uint8Array {
  const arn = Array.from(new TextEncoder().encode(parts.keyArn));
  const id: number[] = [];
  for (let i = 0; i < 64; i += 2) id.push(parseInt(parts.keyMaterialId.slice(i, i + 2), 16));
  return Uint8Array.from([1, arn.length, ...arn, ...id, ...Array.from(parts.iv), ...Array.from(parts.ciphertext)]);
}
