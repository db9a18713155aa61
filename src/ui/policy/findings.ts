/**
 * Findings on a key policy, in the manner of IAM Access Analyzer's policy checks
 * (kms-semantics.md §6.1, §6.4; KMS developer guide key-policy-default.md, "Allows access to the
 * AWS account and enables IAM policies"; IAM Access Analyzer policy-checks reference):
 *
 *   principals      error    a named principal does not exist: PutKeyPolicy refuses the policy
 *   lockout         error    the acting principal could no longer call kms:PutKeyPolicy (the core's
 *                            own lockout safety check, `lockoutSafetyCheck`); info when it still can
 *   public          error    an Allow with `Principal: "*"` (or AWS `*`) and no Condition
 *   no-root         warning  no statement allows the key's account root kms:* (IAM cannot help,
 *                            the key can become unmanageable)
 *   full-access     warning  an Allow of kms:* to a principal other than an account root
 *   not-principal   warning  Allow with NotPrincipal
 *   not-action      warning  Allow with NotAction
 *
 * Pure: the caller supplies the acting principal, its identity policies and the request's
 * condition keys (findingsContext.ts reads them from the repository).
 */
import {
  accountRootArn,
  lockoutSafetyCheck,
  matchesArn,
  policyPrincipals,
  unknownPrincipals,
  INVALID_PRINCIPALS_MESSAGE,
  LOCKOUT_MESSAGE,
  type AuthzPrincipal,
  type ConditionContext,
  type NamedPolicy,
  type PolicyDocument,
  type PolicyStatement,
  type StatementTrace,
} from '../../kms';
import type { Span } from './jsonSource';
import { checkPolicyText, problemAt, statementSpan, type PolicyProblem, type ProblemLevel } from './validate';

/** What the findings need to know besides the policy. */
export interface FindingsContext {
  readonly keyArn: string;
  readonly keyAccountId: string;
  /** The acting principal as the authorization engine sees it; null when the sandbox does not know it. */
  readonly caller: AuthzPrincipal | null;
  /** The acting principal's identity policies (none for an account root). */
  readonly identityPolicies: readonly NamedPolicy[];
  /** Condition keys of a PutKeyPolicy request by the acting principal on this key. */
  readonly requestContext: ConditionContext;
  /** Whether a principal ARN (user, role, account root) exists in the sandbox. */
  readonly principalExists: (arn: string) => boolean;
  /** The key's stored policy (null: none), which decides whether the caller may call PutKeyPolicy at all. */
  readonly storedPolicy: string | null;
}

/** Order of levels in the list: errors first. */
const LEVEL_ORDER: Record<ProblemLevel, number> = { error: 0, warning: 1, info: 2 };

function coversAllKms(actions: readonly string[] | undefined): boolean {
  return actions !== undefined && actions.some((a) => a === '*' || a.toLowerCase() === 'kms:*');
}

function coversKey(s: PolicyStatement, keyArn: string): boolean {
  return s.Resource !== undefined && s.Resource.some((r) => r === '*' || matchesArn(r, keyArn));
}

function awsPrincipals(s: PolicyStatement): readonly string[] {
  const p = s.Principal;
  if (p === undefined) return [];
  return p === '*' ? ['*'] : (p.AWS ?? []);
}

function isRootOf(principal: string, accountId: string): boolean {
  return principal === accountRootArn(accountId) || principal === accountId;
}

function isAccountRoot(principal: string): boolean {
  return /^\d{12}$/.test(principal) || /^arn:aws:iam::\d{12}:root$/.test(principal);
}

function name(doc: PolicyDocument, i: number): string {
  const sid = doc.Statement[i]?.Sid;
  return sid ? `Statement "${sid}"` : `Statement[${i}]`;
}

/** Findings of a policy the grammar accepted; `spans` locate statements in `text`. */
export function policyFindings(text: string, doc: PolicyDocument, spans: ReadonlyMap<string, Span>, ctx: FindingsContext): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const whole = spans.get('/Statement') ?? spans.get('') ?? { from: 0, to: 0 };
  const add = (level: ProblemLevel, source: string, message: string, statement: number | null, span?: Span) => {
    const at = span ?? (statement === null ? whole : (statementSpan(spans, statement) ?? whole));
    out.push(problemAt(text, at, { level, source, message, statement, sid: statement === null ? null : (doc.Statement[statement]?.Sid ?? null) }));
  };
  const element = (i: number, el: string) => spans.get(`/Statement/${i}/${el}`) ?? (i === 0 ? spans.get(`/Statement/${el}`) : undefined);

  // Principals that do not exist: the service refuses the whole policy.
  const unknown = new Set(unknownPrincipals(doc, ctx.principalExists));
  if (unknown.size > 0) {
    const byStatement = new Map<number, Set<string>>();
    for (const ref of policyPrincipals(doc)) {
      if (!unknown.has(ref.value)) continue;
      if (!byStatement.has(ref.statement)) byStatement.set(ref.statement, new Set());
      byStatement.get(ref.statement)!.add(ref.value);
    }
    for (const [i, values] of byStatement) {
      add('error', 'Principals', `${name(doc, i)} names ${[...values].join(', ')}, which does not exist in this sandbox: KMS refuses the policy (MalformedPolicyDocumentException: ${INVALID_PRINCIPALS_MESSAGE})`, i, element(i, 'Principal') ?? element(i, 'NotPrincipal'));
    }
  }

  doc.Statement.forEach((s, i) => {
    if (s.Effect !== 'Allow') return;
    const who = awsPrincipals(s);
    if (who.includes('*') && s.Condition === undefined) {
      add('error', 'Public access', `${name(doc, i)} allows ${s.Action?.join(', ') ?? 'its actions'} to everyone ("Principal": "*") without a Condition: anyone in any AWS account can use this key.`, i, element(i, 'Principal'));
    }
    const named = who.filter((p) => p !== '*' && !isAccountRoot(p));
    if (coversAllKms(s.Action) && named.length > 0) {
      add('warning', 'Full access', `${name(doc, i)} gives ${named.join(', ')} full control of the key (kms:*), including changing this policy and scheduling the key's deletion; allow only the actions it needs.`, i, element(i, 'Action'));
    }
    if (s.NotPrincipal !== undefined) {
      add('warning', 'NotPrincipal', `${name(doc, i)} uses NotPrincipal with Allow: it allows everyone except the principals listed, including principals of other accounts.`, i, element(i, 'NotPrincipal'));
    }
    if (s.NotAction !== undefined) {
      add('warning', 'NotAction', `${name(doc, i)} uses NotAction with Allow: it allows every action not listed, including any KMS adds later.`, i, element(i, 'NotAction'));
    }
  });

  const root = accountRootArn(ctx.keyAccountId);
  const hasRoot = doc.Statement.some(
    (s) => s.Effect === 'Allow' && s.Condition === undefined && coversAllKms(s.Action) && coversKey(s, ctx.keyArn) && awsPrincipals(s).some((p) => isRootOf(p, ctx.keyAccountId)),
  );
  if (!hasRoot) {
    add('warning', 'No root statement', `No statement allows the account (${root}) kms:* on the key: IAM policies of account ${ctx.keyAccountId} cannot grant access to it, and if the principals named here lose access the key can become unmanageable.`, null);
  }

  lockoutFinding(doc, ctx, add);
  return out.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.from - b.from);
}

type Add = (level: ProblemLevel, source: string, message: string, statement: number | null, span?: Span) => void;

function firstApplying(statements: readonly StatementTrace[] | undefined, effect: 'Allow' | 'Deny'): StatementTrace | undefined {
  return statements?.find((s) => s.applies && s.effect === effect);
}

/** Would the acting principal still be allowed kms:PutKeyPolicy? The core's lockout safety check decides. */
function lockoutFinding(doc: PolicyDocument, ctx: FindingsContext, add: Add): void {
  const blocked = cannotEditReason(ctx);
  const caller = ctx.caller;
  if (blocked !== null || caller === null) {
    add('info', 'Lockout check', `${caller?.arn ?? 'The acting principal'} cannot change the stored policy: ${blocked} PutKeyPolicy refuses any new policy from it with AccessDeniedException, before the lockout check.`, null);
    return;
  }
  const decision = lockoutSafetyCheck(
    doc,
    { resource: ctx.keyArn, resourceAccount: ctx.keyAccountId, principal: caller, context: ctx.requestContext },
    ctx.keyArn,
    ctx.identityPolicies,
  );
  if (decision.decision === 'Allow') {
    const by = firstApplying(decision.keyPolicy?.statements, 'Allow');
    add('info', 'Lockout check', `${caller.arn} can still change this policy: ${decision.reason}`, by?.index ?? null);
    return;
  }
  const deny = firstApplying(decision.keyPolicy?.statements, 'Deny');
  add(
    'error',
    'Lockout',
    `After this change ${caller.arn} could no longer call kms:PutKeyPolicy on this key: ${decision.reason} KMS refuses such a policy (MalformedPolicyDocumentException: ${LOCKOUT_MESSAGE})`,
    deny?.index ?? null,
  );
}

/** A policy text's grammar problems and, when the grammar accepts it, its findings. */
export interface PolicyReview {
  readonly problems: readonly PolicyProblem[];
  readonly findings: readonly PolicyProblem[];
}

/** Checks `text` (validate.ts) and, when it is a valid key policy, adds the findings. */
export function reviewPolicy(text: string, ctx: FindingsContext): PolicyReview {
  const check = checkPolicyText(text);
  const findings = check.document && check.spans ? policyFindings(text, check.document, check.spans, ctx) : [];
  return { problems: check.problems, findings };
}

/**
 * Whether the acting principal may call PutKeyPolicy under the stored policy (Save is refused
 * with AccessDeniedException otherwise): null when it may, else the engine's reason. Grants
 * cannot allow PutKeyPolicy (it is not a grant operation), so the lockout check's decision, which
 * ignores grants, is the service's answer.
 */
export function cannotEditReason(ctx: FindingsContext): string | null {
  const caller = ctx.caller;
  if (caller === null) return 'the acting principal is not a principal of this sandbox.';
  if (caller.accountId !== ctx.keyAccountId) return `PutKeyPolicy cannot be used with a KMS key in a different AWS account (${caller.arn} is in account ${caller.accountId}).`;
  // A missing or unparsable stored policy lets nobody in (the service fails closed).
  const doc = (ctx.storedPolicy === null ? null : checkPolicyText(ctx.storedPolicy).document) ?? { Statement: [] };
  const decision = lockoutSafetyCheck(doc, { resource: ctx.keyArn, resourceAccount: ctx.keyAccountId, principal: caller, context: ctx.requestContext }, ctx.keyArn, ctx.identityPolicies);
  return decision.decision === 'Allow' ? null : decision.reason;
}
