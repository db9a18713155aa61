/**
 * `logEntry` records (model.ts LogEntryRecord, log.ts LogEntry, issue 6): validator and the
 * `kms.logEntry` migration sequence (STYLE §5, §7). `validateLogEntry` checks one entry on its own,
 * for the share layer, which receives bare entries in its envelope.
 *
 * A call's request is any JSON object in log.ts's tagged encoding (`$bytes`, `$output` references
 * to earlier calls' outputs, …: whether the tags decode and references resolve is
 * `decodeLogRequest`'s business at replay); its caller is checked like the service's CallerContext;
 * world edits are checked by shape only (the service validates their content when replayed).
 */
import type { LogEntry, LoggedRequest } from '../../log';
import { logEntryId } from '../../log';
import type { JsonValue, LogEntryRecord } from '../../model';
import { arrayOf, int, isPlainObject, jsonObject, literal, nullable, object, oneOf, recordValidator, str, time, type Check } from './check';
import { accountIdFormat, regionFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';
import { fail, ok, type Result } from './result';
import { validateServiceResourceRecord } from './serviceResource';

/** Named versions of `kms.logEntry` (append-only). None released: model.ts LogEntryRecord is version 0. */
export const logEntryVersions = {} as const;

/** Migration ids of `kms.logEntry`, by version name. */
export const logEntryMigrationIds = createMigrationIds('kms.logEntry', logEntryVersions);

/** The `kms.logEntry` migration sequence. */
export const logEntryMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.logEntry',
  scope: 'record',
  recordType: 'logEntry',
  firstVersion: 0,
  migrations: [],
});

const SHORT = str({ max: 256 });

const CALLER = object({
  required: { principalArn: str({ min: 1, max: 2048 }), accountId: accountIdFormat, region: regionFormat },
  optional: { accessKeyId: SHORT, sourceIPAddress: SHORT, userAgent: str({ max: 1024 }), viaService: SHORT },
});

const OUTCOME: Check = (v, path) =>
  object({ required: { ok: literal(true) } })(v, path) === null ? null : object({ required: { ok: literal(false), error: str({ min: 1, max: 128 }) } })(v, path);

/**
 * A call's recorded outputs (log.ts `RecordedOutputs`): at most 8 names, each the standard base64
 * of at most 16 KiB (an RSA-4096 PKCS#8 key is ~2.4 KB).
 */
const RECORDED: Check = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${path}: expected an object`;
  const names = Object.keys(v);
  if (names.length > 8) return `${path}: more than 8 recorded outputs`;
  for (const n of names) {
    if (!/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(n)) return `${path}: a recorded output name must be 1–64 letters and digits`;
    const b = (v as Record<string, unknown>)[n];
    if (typeof b !== 'string' || b.length > 21_848 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b) || b.length % 4 !== 0) return `${path}.${n}: expected base64 of at most 16 KiB`;
  }
  return null;
};

const CALL_ENTRY = object({
  optional: { recorded: RECORDED },
  required: {
    kind: literal('call'),
    seq: int(0),
    at: time,
    operation: str({ min: 1, max: 128 }),
    request: nullable(jsonObject),
    secretMembers: arrayOf(str({ min: 1, max: 128 }), 16),
    caller: CALLER,
    outcome: OUTCOME,
  },
});

const WORLD_EDIT = ((): Check => {
  const edits: Check[] = [
    object({ required: { op: literal('createAccount'), accountId: str({ max: 64 }), name: str({ max: 1024 }) } }),
    object({ required: { op: literal('createPrincipal'), accountId: str({ max: 64 }), kind: oneOf(['user', 'role']), name: str({ max: 1024 }) } }),
    object({ required: { op: literal('putIdentityPolicy'), principalArn: str({ max: 2048 }), policyName: str({ max: 1024 }), document: str({ max: 131_072 }) } }),
    object({ required: { op: literal('deleteIdentityPolicy'), principalArn: str({ max: 2048 }), policyName: str({ max: 1024 }) } }),
    object({ required: { op: literal('putServiceResource'), record: (v, path) => (validateServiceResourceRecord({ ...(isPlainObject(v) ? v : {}), typeName: 'serviceResource' }).ok ? null : `${path}: expected a service resource`) } }),
    object({ required: { op: literal('deleteServiceResource'), id: str({ min: 1, max: 2048 }) } }),
  ];
  return (v, path) => (edits.some((c) => c(v, path) === null) ? null : `${path}: expected a world edit`);
})();

const WORLD_ENTRY = object({ required: { kind: literal('world'), seq: int(0), at: time, edit: WORLD_EDIT } });

const CLOCK_ENTRY = object({ required: { kind: literal('clock'), seq: int(0), at: time, ms: int(0) } });

const ENTRY_BY_KIND: Readonly<Record<string, Check>> = { call: CALL_ENTRY, world: WORLD_ENTRY, clock: CLOCK_ENTRY };

/** A log entry of any kind. */
const ENTRY: Check = (v, path) => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(ENTRY_BY_KIND, kind)) return `${path}.kind: expected call, world or clock`;
  const e = ENTRY_BY_KIND[kind]!(v, path);
  if (e !== null) return e;
  if (kind === 'call') {
    const c = v as { request: Record<string, unknown> | null; secretMembers: string[] };
    if (c.secretMembers.some((m) => c.request === null || secretValueAt(c.request as LoggedRequest, m) === undefined)) return `${path}.secretMembers: names a member the request lacks`;
  }
  return null;
};

/**
 * The value of a secret member in a logged request: `Member`, or `Member.Field` for a secret field
 * of a structure (the XKS proxy credential's RawSecretAccessKey). Undefined when absent.
 */
export function secretValueAt(request: LoggedRequest, path: string): JsonValue | undefined {
  const dot = path.indexOf('.');
  const top = dot < 0 ? path : path.slice(0, dot);
  if (!Object.hasOwn(request, top)) return undefined;
  const v = request[top];
  if (dot < 0) return v;
  const field = path.slice(dot + 1);
  return isPlainObject(v) && Object.hasOwn(v, field) ? (v[field] as JsonValue) : undefined;
}

/** `{ "$redacted": n }`: a dropped secret input (decodes to n zero bytes). */
export function isRedacted(v: JsonValue | undefined): boolean {
  return isPlainObject(v) && Object.keys(v).length === 1 && typeof v.$redacted === 'number';
}

/** Byte length of padded base64 text. */
function base64ByteLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, (b64.length / 4) * 3 - pad);
}

/**
 * A logged request with its secret members dropped ("include my inputs" off): bytes become
 * `{ "$redacted": <byte length> }`, strings `{ "$redacted": <length> }` (replayed as that many
 * zero bytes: the handlers check only the length of a placeholder, and the trail never logs
 * secrets, so the replay writes the same records). The input is not changed.
 */
export function redactSecrets(request: LoggedRequest, secretMembers: readonly string[]): LoggedRequest {
  const out: { [k: string]: JsonValue } = { ...request };
  for (const path of secretMembers) {
    const v = secretValueAt(out, path);
    const redacted = typeof v === 'string' ? { $redacted: v.length } : isPlainObject(v) && typeof v.$bytes === 'string' ? { $redacted: base64ByteLength(v.$bytes) } : null;
    if (redacted === null) continue;
    const dot = path.indexOf('.');
    if (dot < 0) out[path] = redacted;
    else {
      const top = path.slice(0, dot);
      out[top] = { ...(out[top] as { [k: string]: JsonValue }), [path.slice(dot + 1)]: redacted };
    }
  }
  return out;
}

/** Validates one log entry from outside (a share envelope, a file). Never throws. */
export function validateLogEntry(v: unknown): Result<LogEntry, 'invalid-record'> {
  try {
    const e = ENTRY(v, 'entry');
    return e === null ? ok(v as LogEntry) : fail('invalid-record', e);
  } catch (err) {
    return fail('invalid-record', `entry: unreadable (${err instanceof Error ? err.name : typeof err})`);
  }
}

/** Validates a `logEntry` record of the current version. */
export const validateLogEntryRecord = recordValidator<LogEntryRecord>(
  'logEntry',
  { required: { typeName: literal('logEntry'), id: str({ min: 12, max: 16, re: /^\d+$/, what: 'a zero-padded seq' }), entry: ENTRY } },
  (r) => (r.id === logEntryId(r.entry.seq) ? null : 'logEntry.id: expected the zero-padded entry seq'),
);
