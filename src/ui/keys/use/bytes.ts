/**
 * Bytes typed or shown on the "Use the key" tab (issue 7): a message as UTF-8 text, hex or
 * base64; output as hex or base64; PEM armour for DER public keys (RFC 7468 §13,
 * "PUBLIC KEY" = SubjectPublicKeyInfo). Pure; no secrets are kept here.
 */
import { fromBase64, toBase64, utf8 } from '../../format';

/** How the learner typed a message. */
export type InputFormat = 'text' | 'hex' | 'base64';
/** How bytes are shown. */
export type OutputFormat = 'hex' | 'base64';

/** Sign/Verify/GenerateMac/VerifyMac `Message`: 1 to 4096 bytes (API reference). */
export const MESSAGE_LIMIT = 4096;

export type BytesResult = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly reason: string };

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Bytes of a hex string (whitespace and an optional 0x ignored), or null. */
export function fromHex(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '').replace(/^0x/i, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The typed message → bytes, or why not (empty, not hex/base64, over `limit`). */
export function parseBytes(text: string, format: InputFormat, limit = MESSAGE_LIMIT): BytesResult {
  const bytes = format === 'text' ? utf8(text) : format === 'hex' ? fromHex(text) : text.trim() === '' ? new Uint8Array(0) : fromBase64(text);
  if (bytes === null) return { ok: false, reason: `This is not valid ${format === 'hex' ? 'hex' : 'base64'}.` };
  if (bytes.length === 0) return { ok: false, reason: 'The message is empty: KMS takes 1 to 4,096 bytes.' };
  if (bytes.length > limit) return { ok: false, reason: `${bytes.length.toLocaleString('en-US')} bytes: KMS takes at most ${limit.toLocaleString('en-US')}. Send a DIGEST instead.` };
  return { ok: true, bytes };
}

/** `bytes` as hex or base64. */
export function formatBytes(bytes: Uint8Array, format: OutputFormat): string {
  return format === 'hex' ? toHex(bytes) : toBase64(bytes);
}

/** DER → PEM with 64-character lines. */
export function toPem(der: Uint8Array, label = 'PUBLIC KEY'): string {
  const b64 = toBase64(der).replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/** A PEM block (any label) or bare base64 → DER, or null. */
export function fromPem(text: string): Uint8Array | null {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  return fromBase64(m ? m[2]! : text);
}
