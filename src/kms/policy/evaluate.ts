/**
 * Evaluates one policy document (a key policy or an IAM identity policy) against one request
 * and explains every statement (kms-semantics.md §6.2–6.3; STYLE §11).
 *
 * A statement applies when all four hold:
 * - action: `Action` lists a pattern matching the request's action, or `NotAction` lists none
 *   (`*`/`?` wildcards, case-insensitive: `kms:GenerateDataKey*`, `kms:*`, `*`); no Action
 *   element means the statement has no effect (§6.1);
 * - resource: key policy: `*` means this key, otherwise a key-ARN pattern must match the key's
 *   ARN; identity policy: `*` matches everything, an ARN pattern matches the request's resource
 *   segment by segment (`arn:aws:kms:*:111122223333:key/*`) and never the no-resource `*` of
 *   CreateKey/ListKeys; `NotResource` inverts; no Resource element means no effect;
 * - principal (key policies only; principals.ts): 'direct' or 'account', else the statement does
 *   not apply; identity policies apply to their own identity ('direct');
 * - conditions (conditions.ts): all pass. They are evaluated only when action, resource and
 *   principal matched (otherwise `conditions` is empty and `conditionsPassed` false).
 *
 * The document is compiled once (a WeakMap keyed by the AST object): lower-cased action
 * patterns, wildcard matchers, principal sets and condition tests, so an evaluation does no
 * parsing, no JSON work and builds no RegExp. Pure, synchronous.
 */
import { compileConditionBlock, evaluateCondition, type CompiledCondition } from './conditions';
import type { PolicyDocument, PolicyStatement } from './policyDocument';
import { callerIdentity, compilePrincipals, matchPrincipal, notPrincipalNames, type CallerIdentity, type CompiledPrincipals } from './principals';
import type { AuthzRequest, ConditionTrace, PolicyTrace, PrincipalMatch, StatementTrace } from './types';
import { arnMatcher, wildcardMatcher, type Matcher } from './wildcard';

/** What `evaluatePolicy` needs besides the document and the request. */
export interface EvaluateOptions {
  readonly kind: 'key-policy' | 'identity-policy';
  /** `default` for the key policy, the policy name for an identity policy. */
  readonly name: string;
  /** The key ARN for the key policy, the principal ARN for an identity policy. */
  readonly owner: string;
  /** Key policies: the key whose `Resource: "*"` this is (defaults to `request.resource`). */
  readonly keyArn?: string | null;
}

interface CompiledStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  /** `statement "Sid"` or `Statement[i]`, the statement's name in sentences. */
  readonly label: string;
  /** Action/NotAction patterns (lower-cased), or null when the statement has neither. */
  readonly actions: readonly Matcher[] | null;
  readonly notAction: boolean;
  /** Resource/NotResource patterns as written, or null when the statement has neither. */
  readonly resources: readonly string[] | null;
  readonly resourceMatchers: readonly Matcher[];
  readonly notResource: boolean;
  readonly principal: CompiledPrincipals | null;
  readonly notPrincipal: CompiledPrincipals | null;
  readonly conditions: readonly CompiledCondition[];
}

const compiled = new WeakMap<PolicyDocument, readonly CompiledStatement[]>();

function compileStatement(s: PolicyStatement, index: number): CompiledStatement {
  const actionList = s.Action ?? s.NotAction;
  const resourceList = s.Resource ?? s.NotResource;
  return {
    index,
    sid: s.Sid,
    effect: s.Effect,
    label: s.Sid !== undefined && s.Sid !== '' ? `statement "${s.Sid}"` : `Statement[${index}]`,
    actions: actionList ? actionList.map((a) => wildcardMatcher(a.toLowerCase())) : null,
    notAction: s.Action === undefined && s.NotAction !== undefined,
    resources: resourceList ?? null,
    resourceMatchers: (resourceList ?? []).map((r) => (r === '*' ? () => true : arnMatcher(r))),
    notResource: s.Resource === undefined && s.NotResource !== undefined,
    principal: s.Principal !== undefined ? compilePrincipals(s.Principal) : null,
    notPrincipal: s.NotPrincipal !== undefined ? compilePrincipals(s.NotPrincipal) : null,
    conditions: compileConditionBlock(s.Condition),
  };
}

/** The compiled form of a document, built on first use and kept as long as the AST lives. */
function compile(doc: PolicyDocument): readonly CompiledStatement[] {
  let c = compiled.get(doc);
  if (!c) {
    c = doc.Statement.map(compileStatement);
    compiled.set(doc, c);
  }
  return c;
}

function anyMatch(matchers: readonly Matcher[], value: string): boolean {
  for (const m of matchers) if (m(value)) return true;
  return false;
}

/** Per-request values shared by every statement of every document of one decision. */
interface RequestView {
  readonly request: AuthzRequest;
  readonly actionLower: string;
  readonly caller: CallerIdentity;
}

function view(request: AuthzRequest): RequestView {
  return { request, actionLower: request.action.toLowerCase(), caller: callerIdentity(request.principal) };
}

function conditionPhrase(t: ConditionTrace): string {
  return `condition ${t.key} ${t.operator} ${t.values.join(' | ')} ${t.passed ? 'passed' : 'failed'}: ${t.explanation}`;
}

function evaluateStatement(s: CompiledStatement, v: RequestView, opts: EvaluateOptions): StatementTrace {
  const { request, caller } = v;
  // The summary is built by concatenation (cheaper than an array and join on this hot path).
  let summary = `${s.label}: `;

  let actionMatched: boolean;
  if (s.actions === null) {
    actionMatched = false;
    summary += 'no Action element (the statement has no effect)';
  } else {
    const hit = anyMatch(s.actions, v.actionLower);
    actionMatched = s.notAction ? !hit : hit;
    summary += actionMatched ? 'action matched' : s.notAction ? `${request.action} is excluded by NotAction` : `${request.action} is not in Action`;
  }

  let resourceMatched: boolean;
  const isKeyPolicy = opts.kind === 'key-policy';
  const resource = isKeyPolicy ? (opts.keyArn ?? request.resource) : request.resource;
  if (s.resources === null) {
    resourceMatched = false;
    summary += ', no Resource element (the statement has no effect)';
  } else {
    let hit = false;
    for (let i = 0; i < s.resources.length; i++) {
      const r = s.resources[i]!;
      // `*` matches everything; an ARN pattern never matches the no-resource `*`.
      if (r === '*' || (resource !== '*' && s.resourceMatchers[i]!(resource))) {
        hit = true;
        break;
      }
    }
    resourceMatched = s.notResource ? !hit : hit;
    if (!resourceMatched) summary += s.notResource ? `, resource ${resource} is excluded by NotResource` : `, resource ${resource} is not in Resource`;
  }

  let principalMatch: PrincipalMatch | null;
  if (!isKeyPolicy) principalMatch = 'direct';
  else if (s.principal) {
    const o = matchPrincipal(s.principal, caller);
    principalMatch = o.match;
    summary += o.match ? `, principal matched (${o.how})` : `, principal ${caller.arn} is not named`;
  } else if (s.notPrincipal) {
    const named = notPrincipalNames(s.notPrincipal, caller);
    principalMatch = named ? null : 'direct';
    summary += named ? `, principal ${caller.arn} is excluded by NotPrincipal` : ', principal matched (not excluded by NotPrincipal)';
  } else {
    principalMatch = null;
    summary += ', no Principal element (the statement has no effect)';
  }

  const conditions: ConditionTrace[] = [];
  let conditionsPassed = false;
  if (actionMatched && resourceMatched && principalMatch !== null) {
    conditionsPassed = true;
    for (const c of s.conditions) {
      const t = evaluateCondition(c, request.context);
      conditions.push(t);
      if (!t.passed) {
        conditionsPassed = false;
        summary += `, ${conditionPhrase(t)}`;
      }
    }
    if (conditionsPassed && conditions.length > 0) summary += conditions.length === 1 ? ', its condition passed' : `, its ${conditions.length} conditions passed`;
  }
  const applies = actionMatched && resourceMatched && principalMatch !== null && conditionsPassed;
  if (applies) summary += ` — applies (${s.effect === 'Allow' ? 'allows' : 'denies'} ${request.action})`;
  const trace: { -readonly [K in keyof StatementTrace]: StatementTrace[K] } = {
    index: s.index,
    effect: s.effect,
    actionMatched,
    resourceMatched,
    principalMatch,
    conditions,
    conditionsPassed,
    applies,
    summary,
  };
  // Only when the statement has one: the trace is stored as JSON with its trail record, where an
  // undefined member is not a value (the store refuses the record when the sandbox is reopened).
  if (s.sid !== undefined) trace.sid = s.sid;
  return trace;
}

/** Evaluates `doc` for `request`, with a view already computed (decide() shares one). */
function evaluateWithView(doc: PolicyDocument, v: RequestView, opts: EvaluateOptions): PolicyTrace {
  const compiledStatements = compile(doc);
  const statements: StatementTrace[] = [];
  for (const s of compiledStatements) statements.push(evaluateStatement(s, v, opts));
  return { kind: opts.kind, name: opts.name, owner: opts.owner, statements };
}

/**
 * Evaluates every statement of a parsed policy for one request and explains each one. The
 * decision (explicit deny, delegation, cross-account) is decide()'s; this only says which
 * statements apply and why.
 */
export function evaluatePolicy(doc: PolicyDocument, request: AuthzRequest, opts: EvaluateOptions): PolicyTrace {
  return evaluateWithView(doc, view(request), opts);
}

/** @internal decide() evaluates several documents against one request view. */
export const internal = { view, evaluateWithView };
