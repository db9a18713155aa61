/**
 * Runs the learner's code from the Code panel: the editor's text becomes the body of an async
 * function with `client`, `kms`, `print` and `crypto` in scope, and is awaited.
 *
 * It runs in the page, with the page's privileges (as code typed into the browser console
 * would): it is the learner's own code, and it only ever runs when they press Run — never on
 * load, never from a link. A thrown error (or a syntax error) is caught and reported as
 * `error.name: error.message`; it never reaches the app.
 */

/** What the snippet sees besides the globals. */
export interface SnippetScope {
  /** A `KMSClient` wired to the sandbox. */
  readonly client: unknown;
  /** The `@aws-sdk/client-kms` module namespace. */
  readonly kms: unknown;
  /** WebCrypto (`crypto.subtle`, `crypto.getRandomValues`). */
  readonly crypto: Crypto;
}

/** How a run ended. */
export type SnippetResult = { readonly ok: true } | { readonly ok: false; readonly name: string; readonly message: string };

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => AsyncFn;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** JSON with bytes as `<N bytes, base64 …>`, dates as ISO text, and cycles cut. */
function toJsonText(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key, v: unknown) {
      const raw = this[key];
      if (raw instanceof Uint8Array) return `<${raw.length} bytes, base64 ${base64(raw)}>`;
      if (raw instanceof Date) return raw.toISOString();
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    },
    2,
  );
}

/** One printed value as text: strings as they are, errors as `name: message`, the rest as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v instanceof Uint8Array) return `<${v.length} bytes, base64 ${base64(v)}>`;
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return String(v);
  try {
    return toJsonText(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** `error.name: error.message` of anything thrown. */
export function errorOf(e: unknown): { name: string; message: string } {
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message };
  return { name: 'Error', message: formatValue(e) };
}

/** Compiles and runs `source`; every `print(...values)` calls `onPrint` with one line of text. */
export async function runSnippet(source: string, scope: SnippetScope, onPrint: (text: string) => void): Promise<SnippetResult> {
  const print = (...values: unknown[]) => onPrint(values.map(formatValue).join(' '));
  try {
    const fn = new AsyncFunction('client', 'kms', 'print', 'crypto', source);
    await fn(scope.client, scope.kms, print, scope.crypto);
    return { ok: true };
  } catch (e) {
    return { ok: false, ...errorOf(e) };
  }
}
