/**
 * `--sandbox` with a share link or a share export file (issue 6): the envelope is decoded by the
 * share layer's fixed pipeline (src/share: never throws, typed refusals) and the sandbox is rebuilt
 * by replaying its call log (src/kms replayLog), exactly as the page opens a link. The records
 * then start the endpoint's repository like an exported snapshot's.
 */
import { readFile } from 'node:fs/promises';
import { allRecords, autoBackend, type AnyRecord, type LogEntry } from '../kms';
import { replayLog } from '../kms/replay';
import { decodeShare, importSandboxFile, readShareFragment, SHARE_FORMAT, type ShareEnvelope, type ShareResult } from '../share';
import { toTrailRecord } from '../trail';

/** The records of a shared sandbox, or why it was refused (a sentence for the learner). */
export type SharedSandbox = { readonly ok: true; readonly records: AnyRecord[]; readonly calls: number } | { readonly ok: false; readonly message: string };

/** The fragment value of a link (`https://…/#sandbox=1.…`, `#sandbox=1.…`, or the bare `1.…`). */
export function fragmentOf(link: string): string | null {
  const hash = link.indexOf('#');
  if (hash >= 0) return readShareFragment(link.slice(hash));
  return /^\d+\./.test(link) ? link : null;
}

/** True when `text` is a share export file (a kms-playground envelope) rather than a store snapshot. */
export function isShareFile(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === SHARE_FORMAT;
  } catch {
    return false;
  }
}

async function rebuild(decoded: ShareResult, what: string): Promise<SharedSandbox> {
  if (!decoded.ok) return { ok: false, message: `${what} was refused (${decoded.reason}): ${decoded.message}` };
  const envelope = decoded.envelope as ShareEnvelope<LogEntry>;
  const replayed = await replayLog(envelope.log, { seed: envelope.seed, startTime: envelope.start, crypto: autoBackend, recordTrail: toTrailRecord });
  if (!replayed.ok) return { ok: false, message: `${what} could not be replayed (${replayed.reason} at entry ${replayed.index}): ${replayed.detail}` };
  const records = allRecords(replayed.repository);
  return { ok: true, records, calls: envelope.log.length };
}

/** The sandbox of a share link given to `--sandbox`. */
export async function sandboxFromLink(link: string): Promise<SharedSandbox> {
  const fragment = fragmentOf(link);
  if (fragment === null) return { ok: false, message: 'the link has no #sandbox= part (copy the whole link from "Share…")' };
  return rebuild(await decodeShare(fragment), 'the link');
}

/** The sandbox of a share export file (`.kms-sandbox.json`) given to `--sandbox`. */
export async function sandboxFromShareFile(path: string, text?: string): Promise<SharedSandbox> {
  const body = text ?? (await readFile(path, 'utf8'));
  return rebuild(await importSandboxFile(body), path);
}
