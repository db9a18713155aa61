/**
 * Principals of key policies: who a `Principal`/`NotPrincipal` element names, how it matches a
 * caller, and which named principals do not exist (kms-semantics.md §6.1–6.2, §6.4; IAM JSON
 * policy reference, "Principal" and "NotPrincipal"; KMS key-policy-overview.md).
 *
 * Matching a caller against `Principal` (key policies only):
 *   `"*"` or `{"AWS": "*"}`                 → 'direct' (everyone; conditions usually narrow it)
 *   the caller's own ARN                      → 'direct' (for an assumed-role session, its role ARN)
 *   `arn:aws:iam::<acct>:root` or `<acct>`   → 'account' when <acct> is the caller's account: the
 *                                              key policy delegates to that account's IAM policies;
 *                                              'direct' when the caller IS that account's root
 *   `{"Service": "<name>.amazonaws.com"}`    → 'direct' for an AWSService caller of that name
 * `direct` wins over `account` when a list names both.
 * `NotPrincipal` applies the statement to every caller it does not name, where naming the
 * caller's account (root ARN or id) names every principal of that account (a simplification of
 * AWS's rule for sessions, which asks for the role, session and account ARNs). Federated
 * principals never match: the sandbox has no federation.
 *
 * Existence (`unknownPrincipals`): KMS refuses a key policy naming principals that do not exist
 * with MalformedPolicyDocumentException "Policy contains a statement with one or more invalid
 * principals." (the caller throws). Pure: existence is asked through a callback.
 */
import type { PolicyDocument, PrincipalSpec } from './policyDocument';
import type { AuthzPrincipal, PrincipalMatch } from './types';

/** The message KMS gives for a key policy naming principals that do not exist (§6.4). */
export const INVALID_PRINCIPALS_MESSAGE = 'Policy contains a statement with one or more invalid principals.';

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/;
const USER_OR_ROLE_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/[\w+=,.@/-]+$/;
const SESSION_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;

/** Root ARN of an account: the account principal. */
export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** The caller, with the forms principal matching compares against (computed once per request). */
export interface CallerIdentity {
  readonly arn: string;
  readonly accountId: string;
  /** The caller is its account's root. */
  readonly isRoot: boolean;
  /** Role ARN behind an assumed-role session ARN, else null. */
  readonly roleArn: string | null;
  /** Service principal name of an AWSService caller, else null. */
  readonly service: string | null;
}

/** The forms of `principal` that policies can name. */
export function callerIdentity(principal: AuthzPrincipal): CallerIdentity {
  const session = SESSION_ARN.exec(principal.arn);
  return {
    arn: principal.arn,
    accountId: principal.accountId,
    isRoot: principal.type === 'Account' || principal.arn === accountRootArn(principal.accountId),
    roleArn: session ? `arn:aws:iam::${session[1]!}:role/${session[2]!}` : null,
    service: principal.type === 'AWSService' ? principal.arn : null,
  };
}

/** A Principal/NotPrincipal element compiled for matching. */
export interface CompiledPrincipals {
  /** `"*"` or `{"AWS": "*"}`. */
  readonly everyone: boolean;
  /** User, role and session ARNs. */
  readonly arns: ReadonlySet<string>;
  /** Account ids named by root ARN or bare id. */
  readonly accounts: ReadonlySet<string>;
  /** Service principal names. */
  readonly services: ReadonlySet<string>;
}

/** Compiles a Principal/NotPrincipal element (once per policy document). */
export function compilePrincipals(spec: PrincipalSpec): CompiledPrincipals {
  const arns = new Set<string>();
  const accounts = new Set<string>();
  const services = new Set<string>();
  if (spec === '*') return { everyone: true, arns, accounts, services };
  let everyone = false;
  for (const v of spec.AWS ?? []) {
    if (v === '*') everyone = true;
    else if (ACCOUNT_ID.test(v)) accounts.add(v);
    else {
      const root = ROOT_ARN.exec(v);
      if (root) accounts.add(root[1]!);
      else arns.add(v);
    }
  }
  for (const v of spec.Service ?? []) services.add(v);
  return { everyone, arns, accounts, services };
}

/** How a Principal element matched, with the words for the trace. */
export interface PrincipalOutcome {
  readonly match: PrincipalMatch | null;
  /** "the caller's own ARN", "account 111122223333 delegates to IAM", ... */
  readonly how: string;
}

const EVERYONE: PrincipalOutcome = { match: 'direct', how: '"*" names everyone' };
const NOT_NAMED: PrincipalOutcome = { match: null, how: 'the caller is not named' };

/** Matches a caller against a `Principal` element. */
export function matchPrincipal(p: CompiledPrincipals, caller: CallerIdentity): PrincipalOutcome {
  if (p.everyone) return EVERYONE;
  if (caller.service !== null) return p.services.has(caller.service) ? { match: 'direct', how: `service ${caller.service}` } : NOT_NAMED;
  if (p.arns.has(caller.arn)) return { match: 'direct', how: "the caller's own ARN" };
  if (caller.roleArn !== null && p.arns.has(caller.roleArn)) return { match: 'direct', how: `the session's role ${caller.roleArn}` };
  if (p.accounts.has(caller.accountId)) {
    return caller.isRoot
      ? { match: 'direct', how: `the caller is the root of account ${caller.accountId}` }
      : { match: 'account', how: `account ${caller.accountId} delegates to IAM` };
  }
  return NOT_NAMED;
}

/** True when a `NotPrincipal` element names the caller (so the statement does not apply to it). */
export function notPrincipalNames(p: CompiledPrincipals, caller: CallerIdentity): boolean {
  if (p.everyone) return true;
  if (caller.service !== null) return p.services.has(caller.service);
  return p.arns.has(caller.arn) || (caller.roleArn !== null && p.arns.has(caller.roleArn)) || p.accounts.has(caller.accountId);
}

/** One principal named by a policy. */
export interface PolicyPrincipalRef {
  /** Index of the statement in the Statement array. */
  readonly statement: number;
  readonly element: 'Principal' | 'NotPrincipal';
  /** `*` for `"Principal": "*"`. */
  readonly type: 'AWS' | 'Service' | 'Federated' | '*';
  readonly value: string;
}

/** Every principal a policy names, in document order. */
export function policyPrincipals(doc: PolicyDocument): PolicyPrincipalRef[] {
  const out: PolicyPrincipalRef[] = [];
  doc.Statement.forEach((s, statement) => {
    for (const element of ['Principal', 'NotPrincipal'] as const) {
      const spec = s[element];
      if (spec === undefined) continue;
      if (spec === '*') {
        out.push({ statement, element, type: '*', value: '*' });
        continue;
      }
      for (const type of ['AWS', 'Service', 'Federated'] as const) for (const value of spec[type] ?? []) out.push({ statement, element, type, value });
    }
  });
  return out;
}

/**
 * The principals of a key policy that do not exist, deduplicated, in document order (empty:
 * all exist). `*` always exists; account roots and bare 12-digit account ids exist when
 * `exists(rootArn)` says so; users, roles and assumed-role sessions (through their role) when
 * `exists` says so; service principals ending in `.amazonaws.com` always. Anything else (IAM
 * groups, wildcards inside ARNs, malformed values) is invalid.
 */
export function unknownPrincipals(doc: PolicyDocument, exists: (arn: string) => boolean): string[] {
  const bad = new Set<string>();
  for (const ref of policyPrincipals(doc)) {
    if (!principalExists(ref, exists)) bad.add(ref.value);
  }
  return [...bad];
}

function principalExists(ref: PolicyPrincipalRef, exists: (arn: string) => boolean): boolean {
  const v = ref.value;
  switch (ref.type) {
    case '*':
      return true;
    case 'Service':
      return SERVICE_PRINCIPAL.test(v);
    case 'Federated':
      return SERVICE_PRINCIPAL.test(v) || exists(v);
    case 'AWS': {
      if (v === '*') return true;
      if (ACCOUNT_ID.test(v)) return exists(accountRootArn(v));
      if (ROOT_ARN.test(v) || USER_OR_ROLE_ARN.test(v)) return exists(v);
      const session = SESSION_ARN.exec(v);
      if (session) return exists(`arn:aws:iam::${session[1]!}:role/${session[2]!}`);
      return false;
    }
  }
}
