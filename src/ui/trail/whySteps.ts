/**
 * The "why" panel's reading of a trail record (issue 5): the authorization trace the service
 * keeps with each record (`TrailEventRecord.authorization.decisions`, one `AuthorizationDecision`
 * per question asked during the call, see src/kms/authorization.ts and policy/decide.ts) turned
 * into readable steps, in the order state → key policy → IAM → grant → conditions → result.
 *
 * Each step says allow / deny / not applicable and, when it rests on a policy statement, points
 * at it (`ref`), so the panel can show that statement's lines. The key state is checked by the
 * service after authorization (the handler shape: validate, authorize, state, act); the state step
 * says so when authorization refused the call first. A record without a trace (a service event,
 * or a call refused before any authorization such as a validation error) gets a reason instead.
 */
import type { AuthorizationDecision, ConditionTrace, GrantTrace, PolicyTrace, StatementTrace, TrailEventRecord } from '../../kms';

/** Which policy statement a step rests on. */
export type PolicyRef =
  | { readonly kind: 'key-policy'; readonly keyArn: string; readonly statementIndex: number; readonly sid: string | null }
  | { readonly kind: 'identity-policy'; readonly principalArn: string; readonly policyName: string; readonly statementIndex: number; readonly sid: string | null };

export type StepPhase = 'state' | 'key-policy' | 'iam' | 'grant' | 'conditions' | 'result';
export type Verdict = 'allow' | 'deny' | 'not-applicable';

/** One readable step. */
export interface WhyStep {
  readonly phase: StepPhase;
  readonly verdict: Verdict;
  /** Short headline, e.g. `Key policy: statement "DenyApp" denies kms:Decrypt`. */
  readonly title: string;
  /** Sentences that explain it. */
  readonly details: readonly string[];
  readonly ref?: PolicyRef;
  /** Index of the decision the step belongs to (records with several authorization questions); -1 for record-level steps. */
  readonly decision: number;
}

/** The explanation of one record. */
export type WhyExplanation =
  | { readonly kind: 'none'; readonly reason: string }
  | {
      readonly kind: 'trace';
      /** One line per authorization question: `kms:Decrypt on arn:...: ExplicitDeny`, with the engine's sentence. */
      readonly decisions: readonly { readonly action: string; readonly resource: string; readonly decision: string; readonly reason: string }[];
      readonly steps: readonly WhyStep[];
    };

/** Human labels of the phases, in the panel's order. */
export const PHASE_LABELS: Readonly<Record<StepPhase, string>> = {
  state: 'Key state',
  'key-policy': 'Key policy',
  iam: 'IAM (identity policy)',
  grant: 'Grant',
  conditions: 'Conditions',
  result: 'Result',
};

/** Errors a key's state causes (kms-semantics.md: key states and the operations they allow). */
const STATE_ERRORS = new Set(['DisabledException', 'KMSInvalidStateException', 'KeyUnavailableException']);

/** The explanation of `record`. */
export function explainRecord(record: TrailEventRecord): WhyExplanation {
  const rec = record.record;
  const decisions = readDecisions(record.authorization);
  if (decisions === null || decisions.length === 0) {
    if (rec.eventType === 'AwsServiceEvent')
      return { kind: 'none', reason: `${rec.eventName} is a service event: KMS did it on its own (a scheduled deletion, an automatic rotation), so no caller was authorized.` };
    if (rec.errorCode !== undefined)
      return { kind: 'none', reason: `The call failed with ${rec.errorCode} before any authorization (a malformed request, an unknown key or principal, ...): KMS had nothing to authorize yet.` };
    return { kind: 'none', reason: 'This record carries no authorization trace.' };
  }
  const steps: WhyStep[] = [stateStep(record, decisions)];
  decisions.forEach((d, i) => steps.push(...decisionSteps(d, i)));
  steps.push(resultStep(record, decisions));
  return {
    kind: 'trace',
    decisions: decisions.map((d) => ({ action: d.request.action, resource: d.request.resource, decision: d.decision, reason: d.reason })),
    steps,
  };
}

function stateStep(record: TrailEventRecord, decisions: readonly AuthorizationDecision[]): WhyStep {
  const rec = record.record;
  const base = { phase: 'state' as const, decision: -1 };
  const code = rec.errorCode;
  if (code !== undefined && STATE_ERRORS.has(code))
    return { ...base, verdict: 'deny', title: `The key's state refused ${rec.eventName}`, details: [`${code}: ${rec.errorMessage ?? ''}`.trim()] };
  if (decisions.every((d) => d.keyPolicy === null))
    return { ...base, verdict: 'not-applicable', title: 'No key state involved', details: [`${rec.eventName} does not act on an existing key's material.`] };
  if (decisions.some((d) => d.decision !== 'Allow'))
    return { ...base, verdict: 'not-applicable', title: 'Key state not reached', details: ['KMS checks the key state after authorization, which refused the call first.'] };
  return { ...base, verdict: 'allow', title: `The key's state allows ${rec.eventName}`, details: ['The key was in a state where this operation is allowed.'] };
}

function decisionSteps(d: AuthorizationDecision, i: number): WhyStep[] {
  const keyDeny = firstApplying(d.keyPolicy, 'Deny');
  const idDeny = firstIdentity(d.identityPolicies, 'Deny');
  const keyAllow = firstApplying(d.keyPolicy, 'Allow', 'direct') ?? firstApplying(d.keyPolicy, 'Allow', 'account');
  const idAllow = firstIdentity(d.identityPolicies, 'Allow');
  const { action } = d.request;
  const who = d.request.principal.arn;
  const steps: WhyStep[] = [];

  // Key policy.
  const keyArn = d.keyPolicy?.owner ?? d.request.resource;
  const keyRef = (s: StatementTrace): PolicyRef => ({ kind: 'key-policy', keyArn, statementIndex: s.index, sid: s.sid ?? null });
  if (!d.keyPolicy)
    steps.push({ phase: 'key-policy', decision: i, verdict: 'not-applicable', title: 'No key policy involved', details: [`${action} on ${d.request.resource} is decided by IAM alone.`] });
  else if (keyDeny)
    steps.push({ phase: 'key-policy', decision: i, verdict: 'deny', title: `${name(keyDeny)} denies ${action}`, details: [keyDeny.summary, 'An explicit deny overrides every allow, grants included.'], ref: keyRef(keyDeny) });
  else if (keyAllow)
    steps.push({
      phase: 'key-policy',
      decision: i,
      verdict: 'allow',
      title: keyAllow.principalMatch === 'direct' ? `${name(keyAllow)} allows ${action} to the caller` : `${name(keyAllow)} delegates ${action} to the account's IAM`,
      details: [keyAllow.summary],
      ref: keyRef(keyAllow),
    });
  else steps.push({ phase: 'key-policy', decision: i, verdict: 'deny', title: `No statement allows ${action}`, details: [`No statement of the key policy allows ${action} to ${who}.`] });

  // IAM (identity policies).
  const idRef = (p: PolicyTrace, s: StatementTrace): PolicyRef => ({ kind: 'identity-policy', principalArn: p.owner, policyName: p.name, statementIndex: s.index, sid: s.sid ?? null });
  if (keyDeny) steps.push({ phase: 'iam', decision: i, verdict: 'not-applicable', title: 'Not needed', details: ['The key policy already denies explicitly.'] });
  else if (idDeny)
    steps.push({ phase: 'iam', decision: i, verdict: 'deny', title: `Identity policy "${idDeny.policy.name}", ${name(idDeny.statement)} denies ${action}`, details: [idDeny.statement.summary], ref: idRef(idDeny.policy, idDeny.statement) });
  else if (d.allowedBy === 'key-policy' || d.allowedBy === 'grant')
    steps.push({ phase: 'iam', decision: i, verdict: 'not-applicable', title: 'Not needed', details: [d.allowedBy === 'grant' ? 'A grant allows the call.' : 'The key policy allows the caller directly; no IAM policy is needed.'] });
  else if (d.request.principal.type === 'Account')
    steps.push({ phase: 'iam', decision: i, verdict: 'allow', title: 'Account root', details: [`${who} is the root of account ${d.request.principal.accountId}, which has every permission of its own account's IAM.`] });
  else if (idAllow)
    steps.push({ phase: 'iam', decision: i, verdict: 'allow', title: `Identity policy "${idAllow.policy.name}", ${name(idAllow.statement)} allows ${action}`, details: [idAllow.statement.summary], ref: idRef(idAllow.policy, idAllow.statement) });
  else if (d.keyPolicy && !keyAllow)
    steps.push({ phase: 'iam', decision: i, verdict: 'not-applicable', title: 'Does not count', details: ["IAM only counts when the key policy delegates to the caller's account."] });
  else
    steps.push({ phase: 'iam', decision: i, verdict: 'deny', title: `No identity policy allows ${action}`, details: [`No identity policy of ${who} allows ${action}.`] });

  steps.push(grantStep(d, i, Boolean(keyDeny || idDeny)));
  steps.push(conditionsStep(d, i, keyDeny ? { s: keyDeny, ref: keyRef(keyDeny) } : idDeny ? { s: idDeny.statement, ref: idRef(idDeny.policy, idDeny.statement) } : null, keyRef, idRef));
  return steps;
}

function grantStep(d: AuthorizationDecision, i: number, explicitDeny: boolean): WhyStep {
  const base = { phase: 'grant' as const, decision: i };
  const applying = d.grants.find((g) => g.applies);
  if (explicitDeny) return { ...base, verdict: 'not-applicable', title: 'Not considered', details: ['Grants never override an explicit deny.'] };
  if (d.allowedBy === 'grant' && applying) return { ...base, verdict: 'allow', title: `Grant ${grantName(applying)} allows it`, details: [applying.summary] };
  if (d.grants.length === 0) return { ...base, verdict: 'not-applicable', title: 'No grants', details: [d.keyPolicy ? 'No grant on this key was evaluated for this request.' : 'Grants apply to keys only.'] };
  if (d.decision === 'Allow') return { ...base, verdict: 'not-applicable', title: 'Not needed', details: d.grants.map((g) => `${grantName(g)}: ${g.summary}`) };
  return { ...base, verdict: 'deny', title: 'No grant applies', details: d.grants.map((g) => `${grantName(g)}: ${g.summary}`) };
}

type RefOf = (s: StatementTrace) => PolicyRef;

function conditionsStep(
  d: AuthorizationDecision,
  i: number,
  deny: { s: StatementTrace; ref: PolicyRef } | null,
  keyRef: RefOf,
  idRef: (p: PolicyTrace, s: StatementTrace) => PolicyRef,
): WhyStep {
  const base = { phase: 'conditions' as const, decision: i };
  if (deny) {
    if (deny.s.conditions.length === 0) return { ...base, verdict: 'not-applicable', title: `${name(deny.s)} has no Condition`, details: ['The deny applies unconditionally.'], ref: deny.ref };
    return { ...base, verdict: 'deny', title: `The conditions of ${name(deny.s)} hold`, details: deny.s.conditions.map(conditionLine), ref: deny.ref };
  }
  // A statement that would have applied but for its conditions explains an implicit deny best.
  if (d.decision !== 'Allow') {
    const failedKey = d.keyPolicy?.statements.find(failedOnConditions);
    if (failedKey) return { ...base, verdict: 'deny', title: `A condition of ${name(failedKey)} failed`, details: failedKey.conditions.map(conditionLine), ref: keyRef(failedKey) };
    for (const p of d.identityPolicies) {
      const s = p.statements.find(failedOnConditions);
      if (s) return { ...base, verdict: 'deny', title: `A condition of ${name(s)} (identity policy "${p.name}") failed`, details: s.conditions.map(conditionLine), ref: idRef(p, s) };
    }
    return { ...base, verdict: 'not-applicable', title: 'No condition decided it', details: ['No statement was excluded by its conditions.'] };
  }
  const keyAllow = firstApplying(d.keyPolicy, 'Allow', 'direct') ?? firstApplying(d.keyPolicy, 'Allow', 'account');
  const idAllow = firstIdentity(d.identityPolicies, 'Allow');
  const used = d.allowedBy === 'grant' ? null : keyAllow && keyAllow.conditions.length > 0 ? { s: keyAllow, ref: keyRef(keyAllow) } : idAllow && idAllow.statement.conditions.length > 0 ? { s: idAllow.statement, ref: idRef(idAllow.policy, idAllow.statement) } : null;
  if (!used) return { ...base, verdict: 'not-applicable', title: 'No conditions', details: ['The statements that allowed the call have no Condition block.'] };
  return { ...base, verdict: 'allow', title: `The conditions of ${name(used.s)} hold`, details: used.s.conditions.map(conditionLine), ref: used.ref };
}

function resultStep(record: TrailEventRecord, decisions: readonly AuthorizationDecision[]): WhyStep {
  const rec = record.record;
  const base = { phase: 'result' as const, decision: -1 };
  if (rec.errorCode === undefined) {
    const last = decisions[decisions.length - 1]!;
    return { ...base, verdict: 'allow', title: `${rec.eventName} succeeded`, details: [last.reason] };
  }
  // The decision's own sentence is shown above the steps; here, what the caller received.
  return { ...base, verdict: 'deny', title: `${rec.eventName} failed with ${rec.errorCode}`, details: [`${rec.errorCode}: ${rec.errorMessage ?? ''}`.trim()] };
}

function conditionLine(c: ConditionTrace): string {
  return `${c.passed ? '✓' : '✗'} ${c.operator} ${c.key}: ${c.explanation}`;
}

function failedOnConditions(s: StatementTrace): boolean {
  return s.effect === 'Allow' && s.actionMatched && s.resourceMatched && s.principalMatch !== null && !s.conditionsPassed && s.conditions.length > 0;
}

function firstApplying(p: PolicyTrace | null, effect: 'Allow' | 'Deny', match?: 'direct' | 'account'): StatementTrace | null {
  return p?.statements.find((s) => s.applies && s.effect === effect && (match === undefined || s.principalMatch === match)) ?? null;
}

function firstIdentity(policies: readonly PolicyTrace[], effect: 'Allow' | 'Deny'): { policy: PolicyTrace; statement: StatementTrace } | null {
  for (const policy of policies) {
    const statement = firstApplying(policy, effect);
    if (statement) return { policy, statement };
  }
  return null;
}

function name(s: StatementTrace): string {
  return s.sid ? `statement "${s.sid}"` : `Statement[${s.index}]`;
}

function grantName(g: GrantTrace): string {
  return g.name ? `"${g.name}" (${g.grantId.slice(0, 8)}…)` : `${g.grantId.slice(0, 8)}…`;
}

/**
 * The decisions stored with a record, or null when they are missing or not shaped as the
 * engine writes them (stored data from another version is checked, not trusted).
 */
export function readDecisions(authorization: TrailEventRecord['authorization']): AuthorizationDecision[] | null {
  const list = authorization?.['decisions'];
  if (!Array.isArray(list)) return null;
  const ok = list.every((d) => {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return false;
    const req = d['request'];
    const kp = d['keyPolicy'];
    return (
      typeof d['decision'] === 'string' &&
      typeof d['reason'] === 'string' &&
      typeof req === 'object' && req !== null && !Array.isArray(req) &&
      typeof req['action'] === 'string' &&
      typeof req['resource'] === 'string' &&
      (kp === null || (typeof kp === 'object' && !Array.isArray(kp) && Array.isArray(kp['statements']))) &&
      Array.isArray(d['identityPolicies']) &&
      Array.isArray(d['grants'])
    );
  });
  return ok ? (list as unknown as AuthorizationDecision[]) : null;
}
