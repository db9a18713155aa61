/**
 * The authorization decision (kms-semantics.md §6.2, §6.4; KMS developer guide
 * policy-evaluation.md and determining-access-*.md): combines the key policy, the caller's IAM
 * identity policies and the grant traces of one request into Allow / ExplicitDeny / ImplicitDeny
 * with the AWS message tail and a plain sentence.
 *
 *   1. An applicable Deny in the key policy or in any identity policy → ExplicitDeny
 *      (grants never override it).
 *   2. No key (keyPolicy null: CreateKey, ListKeys, GenerateRandom, alias-side checks): IAM alone;
 *      the account root has every permission of its own account's IAM.
 *   3. Caller in the key's account: a key-policy Allow naming the caller ('direct') suffices; an
 *      Allow for the caller's account ('account': delegation to IAM) needs the caller to be the
 *      root or an identity-policy Allow. Without an account statement IAM has no say.
 *   4. Caller in another account: a key-policy Allow ('direct' or 'account') AND the caller's
 *      own IAM (root, or an identity-policy Allow): both sides.
 *   5. Otherwise a grant that applies → Allow ('grant'); else ImplicitDeny.
 * An AWSService caller (a service principal named in the key policy) needs no IAM side.
 * Which operations may cross accounts at all is the caller's check (authorize.ts).
 * Pure, synchronous.
 */
import { internal } from './evaluate';
import type { PolicyDocument } from './policyDocument';
import type { AuthorizationDecision, AuthzRequest, DecisionInputs, GrantTrace, NamedPolicy, PolicyTrace, StatementTrace } from './types';

/** The message of the MalformedPolicyDocumentException the lockout safety check raises (§6.4). */
export const LOCKOUT_MESSAGE =
  'The new key policy will not allow you to update the key policy in the future.';

function firstApplying(trace: PolicyTrace | null, effect: 'Allow' | 'Deny', match?: 'direct' | 'account'): StatementTrace | null {
  if (!trace) return null;
  for (const s of trace.statements) {
    if (s.applies && s.effect === effect && (match === undefined || s.principalMatch === match)) return s;
  }
  return null;
}

function statementName(s: StatementTrace): string {
  return s.sid !== undefined && s.sid !== '' ? `statement "${s.sid}"` : `Statement[${s.index}]`;
}

/** The trace parts every outcome carries. */
interface Traces {
  readonly request: AuthzRequest;
  readonly keyPolicy: PolicyTrace | null;
  readonly identityPolicies: readonly PolicyTrace[];
  readonly grants: DecisionInputs['grants'];
}

function outcome(
  t: Traces,
  decision: AuthorizationDecision['decision'],
  allowedBy: AuthorizationDecision['allowedBy'],
  because: string,
  reason: string,
): AuthorizationDecision {
  return { decision, allowedBy, because, reason, request: t.request, keyPolicy: t.keyPolicy, identityPolicies: t.identityPolicies, grants: t.grants };
}

/**
 * Decides one request. `inputs.grants` are the grant traces already made for it (grants.ts);
 * the key policy and identity policies are evaluated here, and their traces are returned.
 */
export function decide(request: AuthzRequest, inputs: DecisionInputs): AuthorizationDecision {
  const v = internal.view(request);
  const { caller } = v;
  const keyArn = inputs.keyArn ?? request.resource;
  const keyPolicy = inputs.keyPolicy ? internal.evaluateWithView(inputs.keyPolicy, v, { kind: 'key-policy', name: 'default', owner: keyArn, keyArn }) : null;
  const identityPolicies: PolicyTrace[] = [];
  for (const p of inputs.identityPolicies)
    identityPolicies.push(internal.evaluateWithView(p.document, v, { kind: 'identity-policy', name: p.name, owner: request.principal.arn }));
  const t: Traces = { request, keyPolicy, identityPolicies, grants: inputs.grants };
  const { action } = request;
  const who = request.principal.arn;

  // 1. Explicit deny anywhere wins.
  const keyDeny = firstApplying(keyPolicy, 'Deny');
  if (keyDeny)
    return outcome(t, 'ExplicitDeny', null, 'with an explicit deny in a resource-based policy', `The key policy's ${statementName(keyDeny)} explicitly denies ${action} to ${who}; an explicit deny overrides every allow, grants included.`);
  for (const p of identityPolicies) {
    const d = firstApplying(p, 'Deny');
    if (d)
      return outcome(t, 'ExplicitDeny', null, 'with an explicit deny in an identity-based policy', `Identity policy "${p.name}", ${statementName(d)}, explicitly denies ${action} to ${who}; an explicit deny overrides every allow, grants included.`);
  }

  // The caller's own IAM side: its root has every permission of its account's IAM.
  let iamPolicy: PolicyTrace | null = null;
  let iamStatement: StatementTrace | null = null;
  for (const p of identityPolicies) {
    iamStatement = firstApplying(p, 'Allow');
    if (iamStatement) {
      iamPolicy = p;
      break;
    }
  }
  const iamSays = caller.isRoot
    ? `${who} is the root of account ${caller.accountId}, which has every permission of its own account's IAM`
    : iamPolicy && iamStatement
      ? `${statementName(iamStatement)} of identity policy "${iamPolicy.name}" allows it`
      : null;
  const isService = caller.service !== null;
  let grant: GrantTrace | null = null;
  for (const g of inputs.grants) {
    if (g.applies) {
      grant = g;
      break;
    }
  }

  // 2. No key: IAM alone decides.
  if (!keyPolicy) {
    if (iamSays) return outcome(t, 'Allow', 'iam', '', `No key policy is involved in ${action}; ${iamSays}.`);
    return outcome(t, 'ImplicitDeny', null, `because no identity-based policy allows the ${action} action`, `No key policy is involved in ${action}, and no identity policy of ${who} allows it.`);
  }

  const direct = firstApplying(keyPolicy, 'Allow', 'direct');
  const account = firstApplying(keyPolicy, 'Allow', 'account');
  const sameAccount = request.resourceAccount === caller.accountId;
  const iamSide = iamSays ?? (isService ? 'the caller is a service, which no IAM policy governs' : null);

  if (sameAccount) {
    // 3. Same account.
    if (direct) return outcome(t, 'Allow', 'key-policy', '', `The key policy's ${statementName(direct)} allows ${action} to ${who} directly; no IAM policy is needed.`);
    if (account && iamSide)
      return outcome(t, 'Allow', 'key-policy+iam', '', `The key policy's ${statementName(account)} delegates ${action} to account ${caller.accountId}'s IAM, and ${iamSide}.`);
  } else {
    // 4. Cross-account: both sides.
    const keySide = direct ?? account;
    if (keySide && iamSide)
      return outcome(t, 'Allow', isService ? 'key-policy' : 'key-policy+iam', '', `Cross-account: the key policy's ${statementName(keySide)} admits ${who} (account ${caller.accountId}), and ${iamSide}.`);
  }

  // 5. Grants.
  if (grant) return outcome(t, 'Allow', 'grant', '', `Grant ${grant.name ?? grant.grantId} allows ${action} to ${who}: ${grant.summary}.`);

  const keySide = direct ?? account;
  if (!keySide) {
    const note = iamPolicy ? ' (an identity policy allows it, but IAM only counts when the key policy delegates to the account)' : '';
    return outcome(t, 'ImplicitDeny', null, `because no resource-based policy allows the ${action} action`, `No statement of the key policy allows ${action} to ${who}${note}, and no grant applies.`);
  }
  return outcome(
    t,
    'ImplicitDeny',
    null,
    `because no identity-based policy allows the ${action} action`,
    sameAccount
      ? `The key policy's ${statementName(keySide)} delegates ${action} to account ${caller.accountId}'s IAM, but no identity policy of ${who} allows it, and no grant applies.`
      : `Cross-account: the key policy's ${statementName(keySide)} admits account ${caller.accountId}, but no identity policy of ${who} in its own account allows ${action}, and no grant applies.`,
  );
}

/**
 * The policy lockout safety check (§6.4) for CreateKey/PutKeyPolicy/ReplicateKey with a Policy:
 * would `newPolicy` still let the caller call kms:PutKeyPolicy on the key? Grants cannot give
 * PutKeyPolicy, so none are considered. The caller raises MalformedPolicyDocumentException with
 * `LOCKOUT_MESSAGE` when the decision is not Allow (unless BypassPolicyLockoutSafetyCheck).
 */
export function lockoutSafetyCheck(
  newPolicy: PolicyDocument,
  request: Omit<AuthzRequest, 'action'>,
  keyArn: string,
  identityPolicies: readonly NamedPolicy[],
): AuthorizationDecision {
  return decide({ ...request, action: 'kms:PutKeyPolicy' }, { keyPolicy: newPolicy, keyArn, identityPolicies, grants: [] });
}
