/**
 * The policy layer's public surface (issue 3; kms-semantics.md §6–7; STYLE §2, §11): parse key
 * and identity policies, evaluate them, decide a request, check principals and the lockout
 * rule. Pure and synchronous; other layers import from here, never from the modules inside.
 * Grant evaluation (grants.ts) and the service hook (authorize.ts) are exported by their owners.
 */
export {
  defaultKeyPolicy,
  MAX_POLICY_BYTES,
  parsePolicyDocument,
  policyByteLength,
  type PolicyDocument,
  type PolicyKind,
  type PolicyParseResult,
  type PolicyStatement,
  type PrincipalSpec,
} from './policyDocument';
export {
  accountRootArn,
  INVALID_PRINCIPALS_MESSAGE,
  policyPrincipals,
  unknownPrincipals,
  type PolicyPrincipalRef,
} from './principals';
export { evaluatePolicy, type EvaluateOptions } from './evaluate';
export { conditionContext, evaluateCondition, compileCondition, type CompiledCondition } from './conditions';
export { decide, lockoutSafetyCheck, LOCKOUT_MESSAGE } from './decide';
export { matchesArn, matchesWildcard } from './wildcard';
export type {
  AuthorizationDecision,
  AuthzPrincipal,
  AuthzRequest,
  ConditionContext,
  ConditionTrace,
  DecisionInputs,
  GrantTrace,
  NamedPolicy,
  PolicyTrace,
  PrincipalMatch,
  PrincipalType,
  StatementTrace,
} from './types';
