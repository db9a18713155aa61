/**
 * Reads the authorization trace a trail record carries (`TrailEventRecord.authorization`, written
 * by src/trail from the service's `AuthorizationDecision`s, src/kms/policy/types.ts) back into a
 * small summary for the animation: the decision, the sentence that explains it, and the statement
 * (policy, Sid or index) or grant that decided it.
 *
 * The trace is stored JSON, possibly from an older sandbox: every field is checked, and anything
 * unreadable is skipped rather than trusted (STYLE §6: untrusted input returns, never throws).
 */
import type { JsonValue, TrailEventRecord } from '../kms';

/** A statement or grant that decided a request. */
export interface DecidingRef {
  readonly kind: 'key-policy' | 'identity-policy' | 'grant';
  /** `default` for the key policy, the identity policy's name, or the grant's name (null when unnamed). */
  readonly policyName: string | null;
  /** Statement index in the policy's `Statement` array (policies only). */
  readonly index?: number;
  /** Statement Sid, when the statement has one. */
  readonly sid?: string;
  /** GrantId (grants only). */
  readonly grantId?: string;
  readonly effect: 'Allow' | 'Deny';
}

/** One authorization question of a call (most calls ask one; ReEncrypt asks two). */
export interface AuthorizationSummary {
  /** The IAM action asked about, e.g. `kms:Decrypt`, `kms:ReEncryptTo`. */
  readonly action: string;
  /** The key ARN or resource the question was about. */
  readonly resource: string;
  /** As `AuthorizationDecision.decision` (src/kms/policy/types.ts). */
  readonly decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** What allowed it (null when denied). */
  readonly allowedBy: 'key-policy' | 'key-policy+iam' | 'grant' | 'iam' | null;
  /** The service's own sentence ("The key policy's statement "X" allows kms:Encrypt to …"). */
  readonly reason: string;
  /** What decided it: the allowing statements/grant, or the denying statement (empty for an implicit deny). */
  readonly refs: readonly DecidingRef[];
}

type Obj = { readonly [k: string]: JsonValue };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Applying statements of one policy trace with the given effect (and principal match, for key policies). */
function applying(policy: unknown, effect: 'Allow' | 'Deny', principalMatch?: 'direct' | 'account'): DecidingRef[] {
  if (!isObj(policy) || !Array.isArray(policy['statements'])) return [];
  const kind = policy['kind'] === 'identity-policy' ? 'identity-policy' : 'key-policy';
  const out: DecidingRef[] = [];
  for (const s of policy['statements']) {
    if (!isObj(s) || s['applies'] !== true || s['effect'] !== effect) continue;
    if (principalMatch && s['principalMatch'] !== principalMatch) continue;
    const sid = str(s['sid']);
    out.push({
      kind,
      policyName: str(policy['name']) ?? null,
      ...(typeof s['index'] === 'number' ? { index: s['index'] } : {}),
      ...(sid !== undefined ? { sid } : {}),
      effect,
    });
  }
  return out;
}

/** The refs that explain one decision, following the order `decide()` applies its rules in. */
function decidingRefs(d: Obj, decision: AuthorizationSummary['decision'], allowedBy: AuthorizationSummary['allowedBy']): DecidingRef[] {
  const keyPolicy = d['keyPolicy'];
  const identity = Array.isArray(d['identityPolicies']) ? d['identityPolicies'] : [];
  if (decision === 'ExplicitDeny') {
    const first = [keyPolicy, ...identity].flatMap((p) => applying(p, 'Deny'))[0];
    return first ? [first] : [];
  }
  if (decision === 'ImplicitDeny') return [];
  switch (allowedBy) {
    case 'grant': {
      const grants = Array.isArray(d['grants']) ? d['grants'] : [];
      const g = grants.find((x) => isObj(x) && x['applies'] === true);
      if (!isObj(g)) return [];
      const grantId = str(g['grantId']);
      return [{ kind: 'grant', policyName: str(g['name']) ?? null, ...(grantId ? { grantId } : {}), effect: 'Allow' }];
    }
    case 'iam':
      return identity.flatMap((p) => applying(p, 'Allow')).slice(0, 1);
    case 'key-policy': {
      const direct = applying(keyPolicy, 'Allow', 'direct')[0] ?? applying(keyPolicy, 'Allow')[0];
      return direct ? [direct] : [];
    }
    case 'key-policy+iam': {
      const key = applying(keyPolicy, 'Allow', 'account')[0] ?? applying(keyPolicy, 'Allow')[0];
      const iam = identity.flatMap((p) => applying(p, 'Allow'))[0];
      return [key, iam].filter((r): r is DecidingRef => r !== undefined);
    }
    default:
      return [];
  }
}

const DECISIONS = new Set(['Allow', 'ExplicitDeny', 'ImplicitDeny']);
const ALLOWED_BY = new Set(['key-policy', 'key-policy+iam', 'grant', 'iam']);

/** The authorization questions a trail record's trace holds, in the order the call asked them. */
export function authorizationSummaries(event: Pick<TrailEventRecord, 'authorization'>): AuthorizationSummary[] {
  const decisions = event.authorization?.['decisions'];
  if (!Array.isArray(decisions)) return [];
  const out: AuthorizationSummary[] = [];
  for (const d of decisions) {
    if (!isObj(d) || !DECISIONS.has(d['decision'] as string)) continue;
    const decision = d['decision'] as AuthorizationSummary['decision'];
    const allowedBy = ALLOWED_BY.has(d['allowedBy'] as string) ? (d['allowedBy'] as AuthorizationSummary['allowedBy']) : null;
    const request = isObj(d['request']) ? d['request'] : {};
    out.push({
      action: str(request['action']) ?? '',
      resource: str(request['resource']) ?? '',
      decision,
      allowedBy,
      reason: str(d['reason']) ?? '',
      refs: decidingRefs(d, decision, allowedBy),
    });
  }
  return out;
}

/** `statement "Sid"` or `statement #2` of `key policy` / `identity policy "name"`, or `grant name (id…)`. */
export function describeRef(ref: DecidingRef): string {
  if (ref.kind === 'grant') {
    const id = ref.grantId ? `${ref.grantId.slice(0, 8)}…` : '';
    return ref.policyName ? `grant "${ref.policyName}"${id ? ` (${id})` : ''}` : `grant ${id}`.trim();
  }
  const statement = ref.sid !== undefined && ref.sid !== '' ? `statement "${ref.sid}"` : `statement #${ref.index ?? '?'}`;
  const where = ref.kind === 'key-policy' ? 'the key policy' : `identity policy "${ref.policyName ?? '?'}"`;
  return `${statement} of ${where}`;
}
