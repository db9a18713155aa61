/**
 * CloudTrail `userIdentity` for a caller (kms-semantics.md §10; CloudTrail's userIdentity element).
 *
 * The simulator knows a caller only by its principal ARN, so everything else is derived from it,
 * deterministically (a replayed sandbox must produce byte-identical trails):
 *
 * | principal ARN                                   | type          | notes                                        |
 * |-------------------------------------------------|---------------|----------------------------------------------|
 * | `arn:aws:iam::<acct>:root`                      | `Root`        | principalId = the account id                 |
 * | `arn:aws:iam::<acct>:user[/path]/<name>`        | `IAMUser`     | principalId `AIDA…`, userName                |
 * | `arn:aws:iam::<acct>:role[/path]/<name>`        | `AssumedRole` | session `kms-playground`, principalId `AROA…:<session>` |
 * | `arn:aws:sts::<acct>:assumed-role/<name>/<ses>` | `AssumedRole` | the session named in the ARN                 |
 * | `<service>.amazonaws.com`                       | `AWSService`  | invokedBy = the service principal            |
 * | anything else                                   | `Unknown`     | arn kept as given                            |
 *
 * Real principal ids are random; ours are `AIDA`/`AROA` + 17 base-32 characters from a small
 * synchronous hash of the ARN (FNV-1a with a murmur finalizer; not cryptographic, just stable).
 * Not modelled: federated users, Identity Center users, `sessionContext` of a root or user call,
 * MFA (always `"false"`), real session creation times (the session is said to start at the call).
 */
import type { CallerContext } from '../kms/events';
import type { JsonValue } from '../kms/model';

/** Session name used when a role ARN (not an assumed-role session ARN) calls. */
export const PLAYGROUND_SESSION_NAME = 'kms-playground';

const IAM_ARN_RE = /^arn:([a-z-]+):iam::(\d{12}):(root|user\/.+|role\/.+)$/;
const STS_SESSION_RE = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const SERVICE_RE = /^[a-z0-9.-]+\.amazonaws\.com$/;

type Json = { [k: string]: JsonValue };

/**
 * The CloudTrail `userIdentity` of `caller`. `eventTime` (the record's eventTime) dates an
 * assumed-role session. `accessKeyId` appears only when the caller signed with one.
 */
export function userIdentityFor(caller: CallerContext, eventTime: string): Json {
  const identity = principalIdentity(caller, eventTime);
  const via = invokedByOf(caller);
  return via === undefined || identity.type === 'AWSService' ? identity : { ...identity, invokedBy: via };
}

/**
 * The service host that made a call for the principal (`invokedBy`): `kms:ViaService` without its
 * Region (`s3.us-east-1.amazonaws.com` → `s3.amazonaws.com`), or undefined for a direct call.
 */
export function invokedByOf(caller: CallerContext): string | undefined {
  const via = caller.viaService;
  if (via === undefined) return undefined;
  const m = /^([a-z0-9-]+)\.[a-z0-9-]+\.amazonaws\.com$/.exec(via);
  return m ? `${m[1]}.amazonaws.com` : via;
}

function principalIdentity(caller: CallerContext, eventTime: string): Json {
  const arn = caller.principalArn;
  const key: Json = caller.accessKeyId === undefined ? {} : { accessKeyId: caller.accessKeyId };

  const iam = IAM_ARN_RE.exec(arn);
  if (iam) {
    const [, partition, account, resource] = iam as unknown as [string, string, string, string];
    if (resource === 'root') {
      return { type: 'Root', principalId: account, arn, accountId: account, ...key };
    }
    const name = lastSegment(resource);
    if (resource.startsWith('user/')) {
      return { type: 'IAMUser', principalId: principalIdFor('AIDA', arn), arn, accountId: account, ...key, userName: name };
    }
    return assumedRole({ partition, account, roleName: name, roleArn: arn, session: PLAYGROUND_SESSION_NAME, key, eventTime });
  }

  const sts = STS_SESSION_RE.exec(arn);
  if (sts) {
    const [, partition, account, roleName, session] = sts as unknown as [string, string, string, string, string];
    // The session ARN does not show the role's path; the role ARN is rebuilt without one.
    const roleArn = `arn:${partition}:iam::${account}:role/${roleName}`;
    return assumedRole({ partition, account, roleName, roleArn, session, key, eventTime });
  }

  if (SERVICE_RE.test(arn)) {
    return { type: 'AWSService', invokedBy: arn };
  }

  return { type: 'Unknown', principalId: principalIdFor('AIDA', arn), arn, accountId: caller.accountId, ...key };
}

interface AssumedRoleParts {
  readonly partition: string;
  readonly account: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly session: string;
  readonly key: Json;
  readonly eventTime: string;
}

function assumedRole(p: AssumedRoleParts): Json {
  const roleId = principalIdFor('AROA', p.roleArn);
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${p.session}`,
    arn: `arn:${p.partition}:sts::${p.account}:assumed-role/${p.roleName}/${p.session}`,
    accountId: p.account,
    ...p.key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: p.roleArn, accountId: p.account, userName: p.roleName },
      webIdFederationData: {},
      attributes: { creationDate: p.eventTime, mfaAuthenticated: 'false' },
    },
  };
}

function lastSegment(resource: string): string {
  const i = resource.lastIndexOf('/');
  return resource.slice(i + 1);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A stable IAM-style unique id: `prefix` + 17 base-32 characters derived from `arn`
 * (e.g. `AIDA` for users, `AROA` for roles). Same ARN, same id, on every run.
 */
export function principalIdFor(prefix: string, arn: string): string {
  let out = '';
  for (let round = 0; out.length < 17; round++) {
    let h = hash32(`${round}|${arn}`);
    // 30 of the 32 bits, 5 at a time.
    for (let i = 0; i < 6 && out.length < 17; i++, h >>>= 5) out += BASE32[h & 31];
  }
  return prefix + out;
}

/** FNV-1a over UTF-16 code units, then murmur3's fmix32 so nearby inputs diverge in every bit. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
