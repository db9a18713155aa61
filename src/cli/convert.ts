/**
 * CLI argument values → JSON 1.1 request members (what botocore would serialize), per member type:
 *
 * | type | accepted input |
 * |---|---|
 * | string | the word as is (`file://` is refused: there are no files in the page) |
 * | integer | a decimal integer |
 * | blob | base64 (CLI v2's default `cli_binary_format`); with `--cli-binary-format raw-in-base64-out`, `--plaintext` and `--message` are raw text sent as UTF-8 |
 * | stringMap | shorthand `k=v,k2=v2` or a JSON object of strings |
 * | stringList | words `a b c`, each may be `a,b`; or one JSON array |
 * | tagList | shorthand structures `TagKey=a,TagValue=b TagKey=c,TagValue=d`; or one JSON array |
 * | grantConstraints, document | JSON or shorthand `EncryptionContextSubset={k=v}` |
 * | timestamp | ISO 8601 or epoch seconds |
 *
 * A value that does not parse throws `ParamError` (the CLI's "Error parsing parameter '--x': …"); a value
 * that parses into the wrong shape is reported by `validateRequest`, as botocore reports it.
 */
import type { MemberType } from '../wire';
import type { CliMember } from './model';
import { looksLikeJson, parseShorthand, ShorthandError, type ShorthandValue } from './shorthand';

/** How blob arguments are read (`--cli-binary-format`). */
export type BinaryFormat = 'base64' | 'raw-in-base64-out';

/** A parameter the CLI refuses before sending anything (exit status 252, or 255 where the CLI exits so). */
export class ParamError extends Error {
  override readonly name = 'ParamError';
  constructor(
    message: string,
    readonly exitCode = 252,
  ) {
    super(message);
  }
}

/** Blob members read as text under `--cli-binary-format raw-in-base64-out` (the others stay base64). */
export const RAW_IN_MEMBERS: ReadonlySet<string> = new Set(['Plaintext', 'Message']);

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fail(m: CliMember, why: string): never {
  throw new ParamError(`Error parsing parameter '${m.flag}': ${why}`);
}

function parseJson(m: CliMember, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(m, `Invalid JSON: ${(e as Error).message}\nJSON received: ${text}`);
  }
}

function shorthand(m: CliMember, text: string): Record<string, ShorthandValue> {
  try {
    return parseShorthand(text);
  } catch (e) {
    if (e instanceof ShorthandError) return fail(m, e.message);
    throw e;
  }
}

function refuseFiles(m: CliMember, value: string): void {
  const scheme = /^(fileb?):\/\//i.exec(value)?.[1];
  if (scheme) {
    fail(
      m,
      `${scheme.toLowerCase()}:// is not available in the page console (there is no file system here). ` +
        (m.type === 'blob' ? 'Pass the bytes as base64, or text with --cli-binary-format raw-in-base64-out.' : 'Paste the value itself.'),
    );
  }
}

/** JSON when it looks like JSON, else shorthand; the shape is checked by validateRequest (as botocore does). */
function jsonOrShorthand(m: CliMember, text: string): unknown {
  return looksLikeJson(text) ? parseJson(m, text) : shorthand(m, text);
}

function blob(m: CliMember, text: string, format: BinaryFormat): string {
  refuseFiles(m, text);
  // raw-in applies to text-like input (a plaintext, a message to sign or MAC); ciphertexts,
  // signatures, MACs, public keys and import tokens are what the CLI printed: base64.
  if (format === 'raw-in-base64-out' && RAW_IN_MEMBERS.has(m.name)) return encodeUtf8Base64(text);
  const clean = text.trim();
  if (!B64_RE.test(clean)) {
    throw new ParamError(
      `Invalid base64: "${text}"` +
        (RAW_IN_MEMBERS.has(m.name) ? '\n(CLI v2 reads blobs as base64; add --cli-binary-format raw-in-base64-out to pass text)' : ''),
      255,
    );
  }
  return clean;
}

/** Standard base64 of the UTF-8 bytes of `text`. */
export function encodeUtf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function integer(m: CliMember, text: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new ParamError(`invalid literal for int() with base 10: '${text}'`, 255);
  return Number.parseInt(text, 10);
}

function timestamp(m: CliMember, text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) fail(m, `Invalid timestamp value: ${text}`);
  return ms / 1000;
}

function stringList(m: CliMember, words: readonly string[]): unknown {
  if (words.length === 1 && /^\s*\[/.test(words[0]!)) {
    const v = parseJson(m, words[0]!);
    return v as string[];
  }
  return words.flatMap((w) => w.split(',')).map((w) => w.trim());
}

function tagList(m: CliMember, words: readonly string[]): unknown {
  if (words.length === 1 && looksLikeJson(words[0]!)) return parseJson(m, words[0]!);
  // Shape errors (a missing TagValue, an unknown key) are left to validateRequest, as botocore does.
  return words.map((w) => shorthand(m, w));
}

/** Whether a member type takes one or more words (argparse `nargs='+'`). */
export function isListType(type: MemberType): boolean {
  return type === 'stringList' || type === 'tagList';
}

/** Converts the word(s) given for a member to its JSON 1.1 value. Throws `ParamError`. */
export function convertMember(m: CliMember, words: readonly string[], format: BinaryFormat): unknown {
  if (m.type === 'stringList') return stringList(m, words);
  if (m.type === 'tagList') return tagList(m, words);
  const text = words[0] ?? '';
  switch (m.type) {
    case 'string':
      refuseFiles(m, text);
      return text;
    case 'integer':
      return integer(m, text);
    case 'boolean':
      return true;
    case 'blob':
      return blob(m, text, format);
    case 'timestamp':
      return timestamp(m, text);
    case 'stringMap':
    case 'grantConstraints':
    case 'document':
      return jsonOrShorthand(m, text);
  }
}
