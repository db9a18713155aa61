/**
 * Byte display for the encrypt/decrypt workbench: hex or base64 of a prefix of the bytes, with the
 * full length and whether the text was cut, so a 200 MB payload shows a readable preview instead
 * of hundreds of megabytes of text. Pure; no secrets are logged here.
 */

/** How bytes are shown. */
export type ByteEncoding = 'hex' | 'base64';

/** Bytes shown before a preview is cut (a ciphertext blob of ~200 bytes is shown whole). */
export const PREVIEW_BYTES = 256;

/** A formatted preview of some bytes. */
export interface BytePreview {
  /** Lowercase hex or standard base64 of the shown prefix. */
  readonly text: string;
  /** Bytes the text stands for. */
  readonly shownBytes: number;
  /** All bytes of the value (may exceed what we hold: a file's size). */
  readonly totalBytes: number;
  /** True when only a prefix is shown. */
  readonly isTruncated: boolean;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}

/** Standard base64 (padded) of bytes, in chunks so large inputs do not overflow the call stack. */
export function toBase64Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Preview of `bytes` in `encoding`, at most `maxBytes` of them. `totalBytes` defaults to
 * `bytes.length`; pass a larger one when `bytes` is itself only the head of a bigger value.
 * A base64 prefix is cut at a multiple of 3 bytes so it never shows padding in the middle.
 */
export function formatBytes(bytes: Uint8Array, encoding: ByteEncoding, maxBytes = PREVIEW_BYTES, totalBytes = bytes.length): BytePreview {
  let shown = Math.min(bytes.length, Math.max(0, maxBytes));
  const isTruncated = shown < totalBytes;
  if (encoding === 'base64' && isTruncated) shown -= shown % 3;
  const head = bytes.subarray(0, shown);
  return { text: encoding === 'hex' ? toHex(head) : toBase64Text(head), shownBytes: shown, totalBytes, isTruncated };
}

const UNITS = ['KB', 'MB', 'GB'] as const;

/** `4,096 bytes` below 10 KB, else `20.0 MB` (decimal units, as file managers show). */
export function formatSize(n: number): string {
  if (n < 10_000) return `${n.toLocaleString('en-US')} ${n === 1 ? 'byte' : 'bytes'}`;
  let v = n;
  let unit: string = 'bytes';
  for (const u of UNITS) {
    if (v < 1000) break;
    v /= 1000;
    unit = u;
  }
  return `${v.toFixed(1)} ${unit}`;
}

/** Percentage (0–100, integer) of `done` over `total`; 100 when total is 0. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}
