/**
 * Log entries inside a share envelope: the runtime check of `LogEntry` (src/kms/log.ts) for
 * untrusted links and files, and `withoutInputs` for "include my inputs" off.
 *
 * share may import only kms types and kms/store/schema (STYLE §2): entry shapes come from
 * `validateLogEntry` there; redaction mirrors log.ts's `redactLogEntry` (a test checks they agree).
 */
import type { LogEntry } from '../kms/log';
import { isPlainObject, isRedacted, redactSecrets, secretValueAt, validateLogEntry } from '../kms/store/schema';

/**
 * Simulator semantics version: bumped when the simulator's rules change so that replaying an old
 * log could come out differently. A link recorded under a newer one is refused (the reader would
 * replay it under older rules).
 */
export const CURRENT_SEM = 1;

/** The request tags of log.ts's encoding table (a one-member object whose key starts with one `$`). */
const TAGS: Readonly<Record<string, (v: unknown) => boolean>> = {
  $bytes: (v) => typeof v === 'string' && v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v),
  $redacted: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 4 * 1024 * 1024,
  $date: (v) => v === null || (typeof v === 'number' && Number.isFinite(v)),
  $number: (v) => v === 'NaN' || v === 'Infinity' || v === '-Infinity',
  $undefined: (v) => v === true,
  $unsupported: (v) => typeof v === 'string' && v.length <= 64,
  // A reference to an earlier call's output: [seq, response member]; replay checks that it resolves.
  $output: (v) => Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && (v[0] as number) >= 0 && typeof v[1] === 'string' && v[1].length >= 1 && v[1].length <= 128,
};

/** Checks the `$` tags of a logged request (deep), so a bad one is refused at the door, not mid-replay. */
function requestProblem(v: unknown, path: string, depth = 0): string | null {
  if (depth > 64) return `${path}: nested too deeply`;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = requestProblem(v[i], `${path}[${i}]`, depth + 1);
      if (p !== null) return p;
    }
    return null;
  }
  if (!isPlainObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0]!.startsWith('$') && !keys[0]!.startsWith('$$')) {
    const tag = keys[0]!;
    const check = Object.hasOwn(TAGS, tag) ? TAGS[tag] : undefined;
    if (check === undefined) return `${path}: unknown tag "${tag.slice(0, 20)}"`;
    return check(v[tag]) ? null : `${path}: malformed ${tag}`;
  }
  for (const k of keys) {
    if (k.startsWith('$') && !k.startsWith('$$')) return `${path}: unexpected $-prefixed member`;
    const p = requestProblem(v[k], `${path}.${k.slice(0, 40)}`, depth + 1);
    if (p !== null) return p;
  }
  return null;
}

/**
 * Checks one entry of a shared log: `validateLogEntry` (kms/store/schema, the shape of `LogEntry`),
 * then `seq` equal to its position and the request's `$` tags. Returns what is wrong (paths, never
 * values) or null.
 */
export function checkLogEntry(entry: unknown, index: number): string | null {
  const checked = validateLogEntry(entry);
  if (!checked.ok) return checked.detail;
  const e = checked.value;
  if (e.seq !== index) return `entry.seq: expected ${index} (entries are numbered from 0 without gaps)`;
  return e.kind === 'call' ? requestProblem(e.request, 'entry.request') : null;
}

/**
 * The log with secret inputs dropped ("include my inputs" off): in each call entry, every secret
 * member (`secretMembers`) becomes `{ "$redacted": <length> }`, which replays as that many zero
 * bytes (the trail never logs secrets, so the trail and state come out the same). The same
 * function as `redactLogEntry` in src/kms/log.ts. Input untouched.
 */
export function withoutInputs(log: readonly LogEntry[]): LogEntry[] {
  return log.map((entry) =>
    entry.kind !== 'call' || entry.secretMembers.length === 0 || entry.request === null ? entry : { ...entry, request: redactSecrets(entry.request, entry.secretMembers) },
  );
}

/**
 * Index of the first call entry that still carries a secret input (a member named in
 * `secretMembers` that is not `{ "$redacted": n }`), or -1. With `inputsIncluded: false` an
 * envelope must have none: a link never carries typed plaintexts the user did not opt into.
 */
export function firstEntryWithInputs(log: readonly unknown[]): number {
  for (let i = 0; i < log.length; i++) {
    const e = log[i] as LogEntry;
    if (e.kind !== 'call' || e.request === null) continue;
    for (const m of e.secretMembers) if (!isRedacted(secretValueAt(e.request, m))) return i;
  }
  return -1;
}
