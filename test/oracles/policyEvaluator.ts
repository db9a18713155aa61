/**
 * Reference oracle for the authorization engine (STYLE §15 "reference oracles"): a small, slow,
 * obviously correct evaluator written straight from the documented flow (kms-semantics.md §6.2,
 * the IAM condition-operator reference, src/kms/policy/README.md for the simulator's choices),
 * independently of src/kms/policy (no shared helpers, no RegExp, no caches, no compilation).
 * fast-check compares decide() with it in test/unit/kms/policy/properties.test.ts.
 *
 * Flow:
 *   any applicable Deny (key policy or IAM)                         → ExplicitDeny
 *   no key policy:        root or IAM Allow                         → Allow (iam)
 *   same account:         key Allow naming the caller               → Allow (key-policy)
 *                         key Allow for the account + (root | IAM)  → Allow (key-policy+iam)
 *   other account:        key Allow (caller or account) + (root | IAM) → Allow (key-policy+iam)
 *   a grant applies                                                 → Allow (grant)
 *   otherwise                                                       → ImplicitDeny
 */
import type { PolicyDocument, PolicyStatement, PrincipalSpec } from '../../src/kms/policy/policyDocument';
import type { AuthzRequest, GrantTrace, NamedPolicy } from '../../src/kms/policy/types';

/** What the oracle decides. */
export interface OracleDecision {
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  allowedBy: 'key-policy' | 'key-policy+iam' | 'grant' | 'iam' | null;
  because: string;
}

/** `*`/`?` glob by plain recursion over code points. */
export function oracleGlob(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === t.length;
    if (p[i] === '*') return go(i + 1, j) || (j < t.length && go(i, j + 1));
    if (j === t.length) return false;
    if (p[i] === '?' || p[i] === t[j]) return go(i + 1, j + 1);
    return false;
  };
  return go(0, 0);
}

function arnParts(s: string): string[] | null {
  const pieces = s.split(':');
  if (pieces.length < 6) return null;
  return [...pieces.slice(0, 5), pieces.slice(5).join(':')];
}

/** ARN glob: six parts, each globbed on its own. */
export function oracleArnMatch(pattern: string, text: string): boolean {
  const a = arnParts(pattern);
  const b = arnParts(text);
  if (!a || !b) return false;
  for (let i = 0; i < 6; i++) if (!oracleGlob(a[i]!, b[i]!)) return false;
  return true;
}

function dateOf(v: string): number {
  let digitsOnly = v.length > 0;
  for (const ch of v) if (!'0123456789.'.includes(ch)) digitsOnly = false;
  return digitsOnly ? Number(v) * 1000 : Date.parse(v);
}

function ipOf(v: string): number | null {
  const parts = v.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (part.length < 1 || part.length > 3 || [...part].some((c) => c < '0' || c > '9') || Number(part) > 255) return null;
    n = n * 256 + Number(part);
  }
  return n;
}

/** Does ONE request value match ONE policy value under the (non-negated) base operator? */
function baseMatch(base: string, requestValue: string, policyValue: string): boolean {
  switch (base) {
    case 'stringequals':
    case 'stringnotequals':
    case 'binaryequals':
      return requestValue === policyValue;
    case 'stringequalsignorecase':
    case 'stringnotequalsignorecase':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'stringlike':
    case 'stringnotlike':
      return oracleGlob(policyValue, requestValue);
    case 'arnequals':
    case 'arnlike':
    case 'arnnotequals':
    case 'arnnotlike':
      return oracleArnMatch(policyValue, requestValue);
    case 'bool':
      return (policyValue.toLowerCase() === 'true' || policyValue.toLowerCase() === 'false') && requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'ipaddress':
    case 'notipaddress': {
      const [addr, bits] = policyValue.split('/');
      const a = ipOf(addr!);
      const r = ipOf(requestValue);
      const n = bits === undefined ? 32 : Number(bits);
      if (a === null || !Number.isInteger(n) || n < 0 || n > 32) return requestValue === policyValue;
      if (r === null) return false;
      const block = 2 ** (32 - n);
      return Math.floor(a / block) === Math.floor(r / block);
    }
  }
  const numeric = base.startsWith('numeric');
  const date = base.startsWith('date');
  if (numeric || date) {
    const r = numeric ? (requestValue.trim() === '' ? NaN : Number(requestValue)) : dateOf(requestValue);
    const p = numeric ? (policyValue.trim() === '' ? NaN : Number(policyValue)) : dateOf(policyValue);
    if (Number.isNaN(r) || Number.isNaN(p)) return false;
    const cmp = base.slice(numeric ? 'numeric'.length : 'date'.length);
    if (cmp === 'equals' || cmp === 'notequals') return r === p;
    if (cmp === 'lessthan') return r < p;
    if (cmp === 'lessthanequals') return r <= p;
    if (cmp === 'greaterthan') return r > p;
    if (cmp === 'greaterthanequals') return r >= p;
  }
  return false;
}

const KNOWN = [
  'stringequals', 'stringnotequals', 'stringequalsignorecase', 'stringnotequalsignorecase', 'stringlike', 'stringnotlike',
  'arnequals', 'arnlike', 'arnnotequals', 'arnnotlike', 'bool', 'null', 'binaryequals', 'ipaddress', 'notipaddress',
  'numericequals', 'numericnotequals', 'numericlessthan', 'numericlessthanequals', 'numericgreaterthan', 'numericgreaterthanequals',
  'dateequals', 'datenotequals', 'datelessthan', 'datelessthanequals', 'dategreaterthan', 'dategreaterthanequals',
];
const NEGATED = ['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'arnnotequals', 'arnnotlike', 'numericnotequals', 'datenotequals', 'notipaddress'];

/** One condition (operator, key, values) against the request context. */
export function oracleCondition(operator: string, key: string, values: readonly string[], context: AuthzRequest['context']): boolean {
  let op = operator.toLowerCase();
  let set: 'any' | 'all' | null = null;
  if (op.startsWith('foranyvalue:')) {
    set = 'any';
    op = op.slice('foranyvalue:'.length);
  } else if (op.startsWith('forallvalues:')) {
    set = 'all';
    op = op.slice('forallvalues:'.length);
  } else if (op.includes(':')) return false;
  let ifExists = false;
  if (op.endsWith('ifexists')) {
    ifExists = true;
    op = op.slice(0, op.length - 'ifexists'.length);
  }
  if (!KNOWN.includes(op)) return false;
  if (op === 'null' && (ifExists || set !== null)) return false;
  const found = context[key.toLowerCase()];
  const present = found !== undefined && found.length > 0;
  if (op === 'null') return values.some((v) => v.toLowerCase() === (present ? 'false' : 'true'));
  const negated = NEGATED.includes(op);
  if (!present) {
    if (set === 'all') return true;
    if (set === 'any') return false;
    return ifExists || negated;
  }
  // "passes" for one request value: positive → matches some policy value; negated → matches none.
  const passes = (r: string) => {
    const matchesSome = values.some((p) => baseMatch(op, r, p));
    return negated ? !matchesSome : matchesSome;
  };
  if (set === 'all') return found.every(passes);
  if (set === 'any') return found.some(passes);
  const anyMatch = found.some((r) => values.some((p) => baseMatch(op, r, p)));
  return negated ? !anyMatch : anyMatch;
}

function root(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

/** Is the caller named by a Principal spec, and how? */
function principalHow(spec: PrincipalSpec, request: AuthzRequest): 'direct' | 'account' | null {
  if (spec === '*') return 'direct';
  const p = request.principal;
  const isRoot = p.type === 'Account' || p.arn === root(p.accountId);
  let how: 'direct' | 'account' | null = null;
  if (p.type === 'AWSService') {
    if ((spec.AWS ?? []).includes('*') || (spec.Service ?? []).includes(p.arn)) how = 'direct';
    return how;
  }
  // An assumed-role session is also named by its role.
  const m = p.arn.startsWith('arn:aws:sts::') ? p.arn.split(':')[5]!.split('/') : null;
  const roleArn = m && m[0] === 'assumed-role' && m.length === 3 ? `arn:aws:iam::${p.arn.split(':')[4]!}:role/${m[1]!}` : null;
  for (const v of spec.AWS ?? []) {
    if (v === '*' || v === p.arn || (roleArn !== null && v === roleArn)) how = 'direct';
    else if ((v === p.accountId || v === root(p.accountId)) && how === null) how = isRoot ? 'direct' : 'account';
  }
  return how;
}

function notPrincipalNames(spec: PrincipalSpec, request: AuthzRequest): boolean {
  if (spec === '*') return true;
  const p = request.principal;
  if (p.type === 'AWSService') return (spec.AWS ?? []).includes('*') || (spec.Service ?? []).includes(p.arn);
  const m = p.arn.startsWith('arn:aws:sts::') ? p.arn.split(':')[5]!.split('/') : null;
  const roleArn = m && m[0] === 'assumed-role' && m.length === 3 ? `arn:aws:iam::${p.arn.split(':')[4]!}:role/${m[1]!}` : null;
  return (spec.AWS ?? []).some((v) => v === '*' || v === p.arn || v === roleArn || v === p.accountId || v === root(p.accountId));
}

/** Does the statement apply, and with which principal match? null when it does not apply. */
function applies(s: PolicyStatement, request: AuthzRequest, isKeyPolicy: boolean, keyArn: string): 'direct' | 'account' | null {
  const action = request.action.toLowerCase();
  if (s.Action) {
    if (!s.Action.some((a) => oracleGlob(a.toLowerCase(), action))) return null;
  } else if (s.NotAction) {
    if (s.NotAction.some((a) => oracleGlob(a.toLowerCase(), action))) return null;
  } else return null;
  const resource = isKeyPolicy ? keyArn : request.resource;
  const resourceHit = (r: string) => r === '*' || (resource !== '*' && oracleArnMatch(r, resource));
  if (s.Resource) {
    if (!s.Resource.some(resourceHit)) return null;
  } else if (s.NotResource) {
    if (s.NotResource.some(resourceHit)) return null;
  } else return null;
  let how: 'direct' | 'account' | null = 'direct';
  if (isKeyPolicy) {
    if (s.Principal !== undefined) how = principalHow(s.Principal, request);
    else if (s.NotPrincipal !== undefined) how = notPrincipalNames(s.NotPrincipal, request) ? null : 'direct';
    else how = null;
  }
  if (how === null) return null;
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) if (!oracleCondition(operator, key, values, request.context)) return null;
  }
  return how;
}

/** The whole decision, the slow way. */
export function oracleDecide(
  request: AuthzRequest,
  keyPolicy: PolicyDocument | null,
  keyArn: string | null,
  identityPolicies: readonly NamedPolicy[],
  grants: readonly GrantTrace[],
): OracleDecision {
  const arn = keyArn ?? request.resource;
  const keyHits = (keyPolicy?.Statement ?? []).map((s) => ({ effect: s.Effect, how: applies(s, request, true, arn) }));
  const iamHits = identityPolicies.flatMap((p) => p.document.Statement.map((s) => ({ effect: s.Effect, how: applies(s, request, false, arn) })));
  if (keyHits.some((h) => h.effect === 'Deny' && h.how !== null)) return { decision: 'ExplicitDeny', allowedBy: null, because: 'with an explicit deny in a resource-based policy' };
  if (iamHits.some((h) => h.effect === 'Deny' && h.how !== null)) return { decision: 'ExplicitDeny', allowedBy: null, because: 'with an explicit deny in an identity-based policy' };

  const p = request.principal;
  const isRoot = p.type === 'Account' || p.arn === root(p.accountId);
  const isService = p.type === 'AWSService';
  const iam = isRoot || iamHits.some((h) => h.effect === 'Allow' && h.how !== null);
  if (keyPolicy === null) {
    return iam ? { decision: 'Allow', allowedBy: 'iam', because: '' } : { decision: 'ImplicitDeny', allowedBy: null, because: `because no identity-based policy allows the ${request.action} action` };
  }
  const direct = keyHits.some((h) => h.effect === 'Allow' && h.how === 'direct');
  const viaAccount = keyHits.some((h) => h.effect === 'Allow' && h.how === 'account');
  if (request.resourceAccount === p.accountId) {
    if (direct) return { decision: 'Allow', allowedBy: 'key-policy', because: '' };
    if (viaAccount && (iam || isService)) return { decision: 'Allow', allowedBy: 'key-policy+iam', because: '' };
  } else if ((direct || viaAccount) && (iam || isService)) {
    return { decision: 'Allow', allowedBy: isService ? 'key-policy' : 'key-policy+iam', because: '' };
  }
  if (grants.some((g) => g.applies)) return { decision: 'Allow', allowedBy: 'grant', because: '' };
  return {
    decision: 'ImplicitDeny',
    allowedBy: null,
    because: direct || viaAccount ? `because no identity-based policy allows the ${request.action} action` : `because no resource-based policy allows the ${request.action} action`,
  };
}
