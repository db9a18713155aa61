/**
 * Share links and export files (STYLE §8): `#sandbox=<enc>.<payload>` in the URL fragment, and
 * the same envelope as a JSON file when a link would be too long.
 *
 * Encoding `1` (the only one so far): UTF-8 JSON of the envelope → gzip (CompressionStream) →
 * base64url without padding. The encoding version sits before the dot, outside the compressed
 * payload, so the decoder dispatches on it before doing any work.
 *
 * Decoding is a fixed pipeline; each step returns a result and none throws, whatever the input:
 *   length → encoding version → base64url → gunzip (capped while streaming) → UTF-8 → JSON
 *   (no `__proto__`, bounded depth) → envelope (format, version, migrate) → entry count → entries.
 */
import { decodeBase64url, encodeBase64url } from './base64url';
import { validateEnvelope, type EntryCheck, type EnvelopeRefusal, type ShareEnvelope } from './envelope';
import { gunzipCapped, gzipBytes } from './gzip';
import { CURRENT_SEM, checkLogEntry, firstEntryWithInputs } from './logEntry';
import { parseSafeJson } from './safeJson';
import type { LogEntry } from '../kms/log';

/** The encoding version written today (the `<enc>` before the dot). */
export const SHARE_ENCODING = '1';

/** Default limits (see README "Limits"). */
export const SHARE_LIMITS = {
  /** Longest fragment value (`<enc>.<payload>`) accepted as a link; above it, offer a file. */
  maxLinkLength: 8_000,
  /** Longest export file accepted (characters of JSON text). */
  maxFileLength: 20_000_000,
  /** Most bytes a link's payload may unpack to (the decompression-bomb cap). */
  maxDecompressedBytes: 2 * 1024 * 1024,
  /** Most log entries in a sandbox. */
  maxEntries: 20_000,
} as const;

export type ShareLimits = { -readonly [K in keyof typeof SHARE_LIMITS]: number };

/** Every reason a link or file is refused. */
export const SHARE_REFUSALS = [
  'empty',
  'too-long',
  'unknown-encoding',
  'bad-base64',
  'decompress-failed',
  'too-large-decompressed',
  'bad-utf8',
  'bad-json',
  'forbidden-key',
  'not-an-envelope',
  'version-too-new',
  'version-too-old',
  'semantics-too-new',
  'invalid-envelope',
  'too-many-entries',
  'invalid-entry',
  'internal-error',
] as const satisfies readonly (EnvelopeRefusal | string)[];

export type ShareRefusal = (typeof SHARE_REFUSALS)[number];

export type ShareResult<E = LogEntry> =
  | { readonly ok: true; readonly envelope: ShareEnvelope<E> }
  | { readonly ok: false; readonly reason: ShareRefusal; readonly message: string; readonly entryIndex?: number };

export interface DecodeOptions {
  /** Overrides of `SHARE_LIMITS` (tests, or a caller with other needs). */
  readonly limits?: Partial<ShareLimits>;
  /** The entry check (default: `checkLogEntry`, the sandbox call log). */
  readonly checkEntry?: EntryCheck;
  /** Newest simulator semantics accepted (default: `CURRENT_SEM`). */
  readonly maxSem?: number;
}

function refuse(reason: ShareRefusal, message: string): { ok: false; reason: ShareRefusal; message: string } {
  return { ok: false, reason, message };
}

function limitsOf(opts: DecodeOptions | undefined): ShareLimits {
  return { ...SHARE_LIMITS, ...opts?.limits };
}

/** Validates a parsed envelope value with the options' entry check and limits. */
function validate<E>(value: unknown, opts: DecodeOptions | undefined, limits: ShareLimits): ShareResult<E> {
  const r = validateEnvelope<E>(value, opts?.checkEntry ?? checkLogEntry, { maxEntries: limits.maxEntries, maxSem: opts?.maxSem ?? CURRENT_SEM });
  if (r.ok && opts?.checkEntry === undefined && !r.envelope.inputsIncluded) {
    const i = firstEntryWithInputs(r.envelope.log);
    if (i >= 0) return { ok: false, reason: 'invalid-envelope', message: `inputsIncluded is false, yet log entry ${i} carries a secret input.`, entryIndex: i };
  }
  return r;
}

export type EncodeResult =
  | { readonly ok: true; readonly fragment: string; readonly length: number }
  | {
      readonly ok: false;
      readonly reason: ShareRefusal;
      readonly message: string;
      /** For 'too-long': the link that would have been made (e.g. to show its length). */
      readonly fragment?: string;
      readonly length?: number;
    };

/** The fragment value `<enc>.<payload>` of `envelope`, with no checks (tests, tools). */
export async function encodeFragment(envelope: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(envelope));
  return `${SHARE_ENCODING}.${encodeBase64url(await gzipBytes(bytes))}`;
}

/**
 * Encodes `envelope` as a link fragment value. Checks the envelope first with the decoder's own
 * validation (so every link made decodes), then the length: above `maxLinkLength` the result is
 * `{ ok: false, reason: 'too-long' }` and the UI offers a file export instead.
 */
export async function encodeShare<E>(envelope: ShareEnvelope<E>, opts?: DecodeOptions): Promise<EncodeResult> {
  try {
    const limits = limitsOf(opts);
    // The decoder's own checks on the very JSON that will travel (forbidden keys included).
    const checked = parseAndValidate<E>(JSON.stringify(envelope), opts, limits);
    if (!checked.ok) return checked;
    const fragment = await encodeFragment(envelope);
    if (fragment.length > limits.maxLinkLength) {
      return {
        ok: false,
        reason: 'too-long',
        message: `The link would be ${fragment.length.toLocaleString('en-US')} characters, more than the ${limits.maxLinkLength.toLocaleString('en-US')} a link may have: use a file export instead.`,
        fragment,
        length: fragment.length,
      };
    }
    return { ok: true, fragment, length: fragment.length };
  } catch (e) {
    return refuse('internal-error', `The sandbox could not be encoded (${e instanceof Error ? e.name : typeof e}).`);
  }
}

/** Decodes a fragment value `<enc>.<payload>` (see the pipeline above). Never throws. */
export async function decodeShare<E = LogEntry>(text: unknown, opts?: DecodeOptions): Promise<ShareResult<E>> {
  try {
    const limits = limitsOf(opts);
    if (typeof text !== 'string' || text.length === 0) return refuse('empty', 'The link holds no sandbox.');
    if (text.length > limits.maxLinkLength) {
      return refuse('too-long', `The link is ${text.length.toLocaleString('en-US')} characters, more than the ${limits.maxLinkLength.toLocaleString('en-US')} accepted; share the sandbox as a file instead.`);
    }
    const dot = text.indexOf('.');
    const enc = dot < 0 ? text : text.slice(0, dot);
    if (dot < 0 || enc !== SHARE_ENCODING) {
      return refuse('unknown-encoding', dot < 0 || !/^[0-9]{1,4}$/.test(enc)
        ? 'The link is not a sandbox link (it has no encoding version).'
        : `The link uses encoding ${enc}, which this version of KMS Playground does not know. Reload the page to update.`);
    }
    const bytes = decodeBase64url(text.slice(dot + 1));
    if (bytes === null) return refuse('bad-base64', 'The link is damaged: its payload is not valid base64url (was it cut off or edited?).');
    const unzipped = await gunzipCapped(bytes, limits.maxDecompressedBytes);
    if (!unzipped.ok) return unzipped;
    let json: string;
    try {
      json = new TextDecoder('utf-8', { fatal: true }).decode(unzipped.bytes);
    } catch {
      return refuse('bad-utf8', 'The link is damaged: its content is not UTF-8 text.');
    }
    return parseAndValidate<E>(json, opts, limits);
  } catch (e) {
    return refuse('internal-error', `The link could not be read (${e instanceof Error ? e.name : typeof e}).`);
  }
}

function parseAndValidate<E>(json: string, opts: DecodeOptions | undefined, limits: ShareLimits): ShareResult<E> {
  const parsed = parseSafeJson(json);
  if (!parsed.ok) return parsed;
  return validate<E>(parsed.value, opts, limits);
}

/** The full share URL: `baseUrl` without its fragment, then `#sandbox=<fragment>`. */
export function shareLink(baseUrl: string, fragment: string): string {
  const hash = baseUrl.indexOf('#');
  return `${hash < 0 ? baseUrl : baseUrl.slice(0, hash)}#sandbox=${fragment}`;
}

/**
 * The fragment value from a `location.hash`-like string (`#sandbox=1.xyz`, also with other
 * `&`-separated parameters), or null when there is no sandbox in it.
 */
export function readShareFragment(hash: string): string | null {
  if (typeof hash !== 'string') return null;
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of body.split('&')) {
    if (part.startsWith('sandbox=')) return part.slice('sandbox='.length);
  }
  return null;
}

/** Media type and file name suffix of export files. */
export const SANDBOX_FILE_TYPE = 'application/json';
export const SANDBOX_FILE_SUFFIX = '.kms-sandbox.json';

/** The export file text of `envelope`: the envelope as indented JSON (wrap it in a Blob to save). */
export function exportSandboxFile<E>(envelope: ShareEnvelope<E>): string {
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

/** Reads an export file's text with the link's validation (and a higher size cap). Never throws. */
export function importSandboxFile<E = LogEntry>(text: unknown, opts?: DecodeOptions): ShareResult<E> {
  try {
    const limits = limitsOf(opts);
    if (typeof text !== 'string' || text.trim().length === 0) return refuse('empty', 'The file is empty.');
    if (text.length > limits.maxFileLength) {
      return refuse('too-long', `The file has ${text.length.toLocaleString('en-US')} characters, more than the ${limits.maxFileLength.toLocaleString('en-US')} accepted.`);
    }
    return parseAndValidate<E>(text, opts, limits);
  } catch (e) {
    return refuse('internal-error', `The file could not be read (${e instanceof Error ? e.name : typeof e}).`);
  }
}
