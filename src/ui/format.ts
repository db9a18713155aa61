/**
 * Small formatting helpers for the UI: base64 for ciphertext blobs, UTF-8 for typed text,
 * sandbox dates, and the `{ name, message }` split used to show errors as AWS names them.
 */
import { isKmsError } from '../kms';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 bytes of typed text. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Text of UTF-8 bytes (invalid sequences become U+FFFD). */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Standard base64 (with padding) of bytes, as the AWS CLI prints blobs. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes of a standard base64 string (whitespace ignored); null when it is not valid base64. */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '');
  if (clean.length === 0 || clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
  const bin = atob(clean);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** `2026-11-28 18:40 UTC`: sandbox times are shown in UTC, as CloudTrail records them. */
export function formatDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-11-28` (UTC). */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** An error split for display: AWS error code (or a plain label) and message. */
export interface ErrorParts {
  readonly name: string;
  readonly message: string;
}

/** `KmsError`s keep their AWS name; anything else is shown as a generic error with its message. */
export function errorParts(e: unknown): ErrorParts {
  if (isKmsError(e)) return { name: e.name, message: e.message };
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message };
  return { name: 'Error', message: String(e) };
}
