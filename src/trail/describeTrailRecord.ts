/**
 * Small read helpers over CloudTrail records for the UI and lessons (STYLE §12): one-line
 * summaries such as `Encrypt by role/AppRole on key 1234abcd… — OK` or
 * `Decrypt by user/Alice on key 1234abcd… — DisabledException`. They only read records, so they
 * work on anything the trail stored, including records from older sandboxes.
 */
import type { CloudTrailRecord, JsonValue, TrailEventRecord } from '../kms/model';
import { bareKeyId } from './toCloudTrail';

/** Key ids are shortened to their first UUID group in summaries. */
const SHORT_KEY_CHARS = 8;

/** One-line human summary of a trail record: operation, who, which key, outcome. */
export function describeTrailRecord(r: TrailEventRecord | CloudTrailRecord): string {
  const rec = 'record' in r ? r.record : r;
  const target = keyLabel(rec);
  return `${rec.eventName} by ${principalLabel(rec)}${target ? ` on ${target}` : ''} — ${rec.errorCode ?? 'OK'}`;
}

/** True when the record logs a failed call (it carries an errorCode). */
export function isFailedRecord(r: TrailEventRecord | CloudTrailRecord): boolean {
  const rec = 'record' in r ? r.record : r;
  return rec.errorCode !== undefined;
}

/**
 * Short name of who acted: `root`, `user/Alice`, `role/AppRole`, `AWS` (KMS's own service
 * events), a service principal, or the ARN. A caller from another account than the record's
 * recipient gets the account appended: `role/AppRole (444455556666)`.
 */
export function principalLabel(rec: CloudTrailRecord): string {
  const u = rec.userIdentity;
  const label = identityLabel(u);
  const account = str(u['accountId']);
  return account && account !== rec.recipientAccountId && u['type'] !== undefined ? `${label} (${account})` : label;
}

/**
 * The key a record is about, short: `key 1234abcd…` from `resources`, else the `keyId` the caller
 * sent (`alias/Foo`, or a shortened id/ARN) when no key was resolved; null when there is none.
 */
export function keyLabel(rec: CloudTrailRecord): string | null {
  const arn = rec.resources?.[0]?.ARN;
  if (arn !== undefined) return `key ${shortKeyId(bareKeyId(arn))}`;
  const params = rec.requestParameters;
  const sent = params ? (str(params['keyId']) ?? str(params['targetKeyId']) ?? str(params['aliasName'])) : undefined;
  if (sent === undefined) return null;
  const alias = /(?:^|:)(alias\/.*)$/.exec(sent);
  return alias ? alias[1]! : `key ${shortKeyId(bareKeyId(sent))}`;
}

/** `1234abcd…` for `1234abcd-12ab-34cd-56ef-1234567890ab`; short ids are returned whole. */
export function shortKeyId(keyId: string): string {
  return keyId.length > SHORT_KEY_CHARS ? `${keyId.slice(0, SHORT_KEY_CHARS)}…` : keyId;
}

function identityLabel(u: { [k: string]: JsonValue }): string {
  const type = str(u['type']);
  switch (type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return `user/${str(u['userName']) ?? '?'}`;
    case 'AssumedRole': {
      const ctx = u['sessionContext'];
      const issuer = isObject(ctx) ? ctx['sessionIssuer'] : undefined;
      const name = isObject(issuer) ? str(issuer['userName']) : undefined;
      return `role/${name ?? '?'}`;
    }
    case undefined: {
      const by = str(u['invokedBy']);
      return by === undefined || by === 'AWS Internal' ? 'AWS' : by;
    }
    default:
      return str(u['invokedBy']) ?? str(u['arn']) ?? type;
  }
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
