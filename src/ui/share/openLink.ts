/**
 * Decisions of the "open a shared sandbox" flow (issue 6): what a URL fragment or an imported file
 * leads to (nothing, a refusal with its typed reason, or a confirmation question), and the texts.
 * Nothing here touches the user's sandbox: the App only acts after the user confirmed.
 */
import type { LogEntry } from '../../kms';
import { decodeShare, importSandboxFile, readShareFragment, type ShareEnvelope, type ShareRefusal, type ShareResult } from '../../share';
import { callCount } from './envelope';

/** Where a shared sandbox came from. */
export type ShareSource = 'link' | 'file';

/** What to do with a fragment or file. */
export type OpenDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'refused'; readonly source: ShareSource; readonly reason: ShareRefusal; readonly message: string; readonly explanation: string }
  | { readonly kind: 'confirm'; readonly source: ShareSource; readonly envelope: ShareEnvelope<LogEntry>; readonly calls: number; readonly question: string };

/** Plain-language explanation of each refusal (the codec's own message says where). */
export const REFUSAL_EXPLANATIONS: Readonly<Record<ShareRefusal, string>> = {
  empty: 'The link holds no sandbox.',
  'too-long': 'The link is longer than a share link may be; share the sandbox as a file instead.',
  'unknown-encoding': 'The link was made by another version of the app, or is not a KMS Playground link.',
  'bad-base64': 'The link is damaged (characters were changed or cut off while copying).',
  'decompress-failed': 'The link is damaged or truncated: its compressed data does not unpack.',
  'too-large-decompressed': 'The link unpacks to far more data than a sandbox may hold, so it was not unpacked.',
  'bad-utf8': 'The link is damaged: its text is not valid UTF-8.',
  'bad-json': 'The link is damaged: its content is not valid JSON (or is nested too deeply).',
  'forbidden-key': 'The link contains a forbidden field name ("__proto__"), which a real share link never has.',
  'not-an-envelope': 'The link does not hold a KMS Playground sandbox.',
  'version-too-new': 'The link was made by a newer version of the app. Update the app (reload) to open it.',
  'version-too-old': 'The link was made by a version of the app that is no longer supported.',
  'semantics-too-new': 'The link was recorded under newer simulator rules than this app has. Update the app (reload) to open it.',
  'invalid-envelope': 'The link\'s sandbox description is not valid.',
  'too-many-entries': 'The link holds more calls than a sandbox may replay.',
  'invalid-entry': 'One of the link\'s calls is not valid.',
  'internal-error': 'The link could not be read.',
};

/** The confirmation question before opening a shared sandbox. */
export function confirmQuestion(calls: number): string {
  return `Open the shared sandbox (${calls.toLocaleString('en-US')} ${calls === 1 ? 'call' : 'calls'})? Your own sandbox stays in this browser.`;
}

/** The decision for a decoded link or file. */
export function decide(result: ShareResult<LogEntry>, source: ShareSource): OpenDecision {
  if (!result.ok) {
    const explanation = REFUSAL_EXPLANATIONS[result.reason] ?? REFUSAL_EXPLANATIONS['internal-error'];
    return { kind: 'refused', source, reason: result.reason, message: result.message, explanation };
  }
  const calls = callCount(result.envelope.log);
  return { kind: 'confirm', source, envelope: result.envelope, calls, question: confirmQuestion(calls) };
}

/** What `location.hash` asks for: nothing unless it carries `sandbox=`. Never throws. */
export async function decideFragment(hash: string): Promise<OpenDecision> {
  let fragment: string | null;
  try {
    fragment = readShareFragment(hash);
  } catch {
    fragment = null;
  }
  if (fragment === null) return { kind: 'none' };
  return decide(await decodeShare(fragment), 'link');
}

/** What an imported export file's text leads to. Never throws. */
export function decideFile(text: string): OpenDecision {
  return decide(importSandboxFile(text), 'file');
}

export { withoutFragment } from './appFlows';
