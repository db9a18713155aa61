/**
 * How the Services tab shows an object body it got back (GetObject, GetSecretValue's binary):
 * as text when it is valid UTF-8 without control characters (other than tab and newlines),
 * else as bytes offered for download. The text is always rendered as text, never as markup.
 */

const strict = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or null when it is not plain UTF-8 text. */
export function bodyText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text) ? null : text;
}

/** A download name for an object key: its last path segment, made safe. */
export function downloadName(objectKey: string): string {
  const last = objectKey.split('/').filter((s) => s !== '').at(-1) ?? 'object';
  const safe = last.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  return safe === '' || /^\.+$/.test(safe) ? 'object' : safe;
}
