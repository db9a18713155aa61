/**
 * Log entries inside a share envelope: the runtime check of `LogEntry` (src/kms/log.ts) for
 * untrusted links and files, and `withoutInputs` for "include my inputs" off.
 *
 * share may import only kms types (STYLE §2), so the shapes are re-checked here from the types;
 * test/unit/share checks them against real logs and `redactLogEntry`.
 */
import type { LogEntry } from '../kms/log';
import type { JsonValue } from '../kms/model';
import { isPlainObject } from '../kms/store/schema';

/**
 * Simulator semantics version: bumped when the simulator's rules change so that replaying an old
 * log could come out differently. A link recorded under a newer one is refused (the reader would
 * replay it under older rules).
 */
export const CURRENT_SEM = 1;

const ACCOUNT_RE = /^\d{12}$/;
const OPERATION_RE = /^[A-Za-z]{1,64}$/;
const MAX_STRING = 65_536;
/** The request tags of log.ts's encoding table (a one-member object whose key starts with one `$`). */
const TAGS: Readonly<Record<string, (v: unknown) => boolean>> = {
  $bytes: (v) => typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
  $redacted: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 4 * 1024 * 1024,
  $date: (v) => v === null || (typeof v === 'number' && Number.isFinite(v)),
  $number: (v) => v === 'NaN' || v === 'Infinity' || v === '-Infinity',
  $undefined: (v) => v === true,
  $unsupported: (v) => typeof v === 'string' && v.length <= 64,
};

const isInt = (v: unknown, min = 0): boolean => Number.isSafeInteger(v) && (v as number) >= min;
const isStr = (v: unknown, min = 0, max = MAX_STRING): v is string => typeof v === 'string' && v.length >= min && v.length <= max;

function fieldsProblem(o: Record<string, unknown>, path: string, required: readonly string[], optional: readonly string[] = []): string | null {
  for (const k of required) if (!Object.hasOwn(o, k)) return `${path}.${k} is missing`;
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) return `${path} has an unexpected field "${k.slice(0, 40)}"`;
  }
  return null;
}

/** Checks `$` tags in a logged request (deep); null when fine. */
function requestProblem(v: unknown, path: string): string | null {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = requestProblem(v[i], `${path}[${i}]`);
      if (p !== null) return p;
    }
    return null;
  }
  if (!isPlainObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0]!.startsWith('$') && !keys[0]!.startsWith('$$')) {
    const check = Object.hasOwn(TAGS, keys[0]!) ? TAGS[keys[0]!]! : undefined;
    if (check === undefined) return `${path}: unknown tag "${keys[0]!.slice(0, 20)}"`;
    return check(v[keys[0]!]) ? null : `${path}: malformed ${keys[0]!}`;
  }
  for (const k of keys) {
    if (k.startsWith('$') && !k.startsWith('$$')) return `${path}: unexpected $-prefixed member`;
    const p = requestProblem(v[k], `${path}.${k.slice(0, 40)}`);
    if (p !== null) return p;
  }
  return null;
}

function callerProblem(c: unknown): string | null {
  if (!isPlainObject(c)) return 'caller: expected an object';
  const f = fieldsProblem(c, 'caller', ['principalArn', 'accountId', 'region'], ['accessKeyId', 'sourceIPAddress', 'userAgent', 'viaService']);
  if (f !== null) return f;
  if (!isStr(c.principalArn, 1, 2048) || !c.principalArn.startsWith('arn:')) return 'caller.principalArn: expected an ARN';
  if (typeof c.accountId !== 'string' || !ACCOUNT_RE.test(c.accountId)) return 'caller.accountId: expected a 12-digit account id';
  if (!isStr(c.region, 1, 64)) return 'caller.region: expected a Region name';
  for (const k of ['accessKeyId', 'sourceIPAddress', 'userAgent', 'viaService'] as const) {
    if (c[k] !== undefined && !isStr(c[k], 0, 1024)) return `caller.${k}: expected a string`;
  }
  return null;
}

function outcomeProblem(o: unknown): string | null {
  if (!isPlainObject(o)) return 'outcome: expected an object';
  if (o.ok === true) return fieldsProblem(o, 'outcome', ['ok']);
  if (o.ok === false) return fieldsProblem(o, 'outcome', ['ok', 'error']) ?? (isStr(o.error, 1, 128) ? null : 'outcome.error: expected an error name');
  return 'outcome.ok: expected a boolean';
}

function worldEditProblem(e: unknown): string | null {
  if (!isPlainObject(e)) return 'edit: expected an object';
  switch (e.op) {
    case 'createAccount':
      return fieldsProblem(e, 'edit', ['op', 'accountId', 'name'])
        ?? (typeof e.accountId === 'string' && ACCOUNT_RE.test(e.accountId) ? null : 'edit.accountId: expected a 12-digit account id')
        ?? (isStr(e.name, 0, 1024) ? null : 'edit.name: expected a string');
    case 'createPrincipal':
      return fieldsProblem(e, 'edit', ['op', 'accountId', 'kind', 'name'])
        ?? (typeof e.accountId === 'string' && ACCOUNT_RE.test(e.accountId) ? null : 'edit.accountId: expected a 12-digit account id')
        ?? (e.kind === 'user' || e.kind === 'role' ? null : 'edit.kind: expected user or role')
        ?? (isStr(e.name, 0, 1024) ? null : 'edit.name: expected a string');
    case 'putIdentityPolicy':
      return fieldsProblem(e, 'edit', ['op', 'principalArn', 'policyName', 'document'])
        ?? (isStr(e.principalArn, 1, 2048) ? null : 'edit.principalArn: expected an ARN')
        ?? (isStr(e.policyName, 0, 1024) ? null : 'edit.policyName: expected a string')
        ?? (isStr(e.document) ? null : 'edit.document: expected a string');
    case 'deleteIdentityPolicy':
      return fieldsProblem(e, 'edit', ['op', 'principalArn', 'policyName'])
        ?? (isStr(e.principalArn, 1, 2048) ? null : 'edit.principalArn: expected an ARN')
        ?? (isStr(e.policyName, 0, 1024) ? null : 'edit.policyName: expected a string');
    default:
      return 'edit.op: expected createAccount, createPrincipal, putIdentityPolicy or deleteIdentityPolicy';
  }
}

/**
 * Checks one entry of a shared log as a `LogEntry`: its shape, `seq` equal to its position, and
 * the request's `$` tags. Returns what is wrong (paths, never values) or null.
 */
export function checkLogEntry(entry: unknown, index: number): string | null {
  if (!isPlainObject(entry)) return 'expected an object';
  if (entry.seq !== index) return `seq: expected ${index} (entries are numbered from 0 without gaps)`;
  if (!isInt(entry.at)) return 'at: expected epoch ms (an integer ≥ 0)';
  switch (entry.kind) {
    case 'call': {
      const f = fieldsProblem(entry, 'entry', ['kind', 'seq', 'at', 'operation', 'request', 'secretMembers', 'caller', 'outcome']);
      if (f !== null) return f;
      if (typeof entry.operation !== 'string' || !OPERATION_RE.test(entry.operation)) return 'operation: expected an operation name';
      const request = entry.request;
      if (request !== null && !isPlainObject(request)) return 'request: expected an object or null';
      const rp = requestProblem(request, 'request');
      if (rp !== null) return rp;
      const secrets = entry.secretMembers;
      if (!Array.isArray(secrets) || secrets.length > 16) return 'secretMembers: expected an array of member names';
      for (const m of secrets) {
        if (!isStr(m, 1, 128)) return 'secretMembers: expected member names';
        if (request === null || !Object.hasOwn(request, m)) return `secretMembers: names a member the request does not have`;
      }
      return callerProblem(entry.caller) ?? outcomeProblem(entry.outcome);
    }
    case 'world':
      return fieldsProblem(entry, 'entry', ['kind', 'seq', 'at', 'edit']) ?? worldEditProblem(entry.edit);
    case 'clock':
      return fieldsProblem(entry, 'entry', ['kind', 'seq', 'at', 'ms']) ?? (isInt(entry.ms) ? null : 'ms: expected an integer ≥ 0');
    default:
      return 'kind: expected call, world or clock';
  }
}

/** Byte length of padded base64 text (already checked canonical by the caller or not: best effort). */
function base64ByteLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, (b64.length / 4) * 3 - pad);
}

/**
 * The log with secret inputs dropped ("include my inputs" off): in each call entry, every member
 * named in `secretMembers` that holds bytes becomes `{ "$redacted": <byte length> }`, which replays
 * as that many zero bytes (the trail never logs plaintext, so the trail and state come out the same).
 * Same result as `redactLogEntry` in src/kms/log.ts (a test checks it). Input untouched.
 */
export function withoutInputs(log: readonly LogEntry[]): LogEntry[] {
  return log.map((entry) => {
    if (entry.kind !== 'call' || entry.secretMembers.length === 0 || entry.request === null) return entry;
    const request: { [k: string]: JsonValue } = { ...entry.request };
    for (const m of entry.secretMembers) {
      const v = request[m];
      if (isPlainObject(v) && typeof v.$bytes === 'string') request[m] = { $redacted: base64ByteLength(v.$bytes) };
    }
    return { ...entry, request };
  });
}
