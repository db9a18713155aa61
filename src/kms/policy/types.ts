/**
 * Contracts of the authorization engine (issue 3; kms-semantics.md §6–7; STYLE §11).
 *
 * The engine is pure and synchronous: the service gathers the inputs (caller, key policy AST,
 * the caller's identity policy ASTs, the key's grants, the request's condition keys) and
 * `decide()` returns the decision with a trace that explains itself (the "why" panel).
 * Everything here is JSON-safe so traces can be stored with trail records.
 */
import type { PolicyDocument } from './policyDocument';

/** Type of the calling principal, as `aws:PrincipalType` spells it. */
export type PrincipalType = 'Account' | 'User' | 'AssumedRole' | 'AWSService';

/** The caller as the engine sees it. */
export interface AuthzPrincipal {
  /** Principal ARN (`arn:aws:iam::<acct>:root`, `...:user/x`, `...:role/x`) or a service principal. */
  readonly arn: string;
  readonly accountId: string;
  /** `Account` for the account root. */
  readonly type: PrincipalType;
}

/**
 * Condition keys of a request. Names are lower-cased (condition key names are case-insensitive,
 * values are case-sensitive); every value is a list (single-valued keys have one element). A key
 * that is absent from the map is absent from the request (what `Null` and `...IfExists` test).
 */
export type ConditionContext = Readonly<Record<string, readonly string[]>>;

/** One authorization question: may `principal` do `action` on `resource`? */
export interface AuthzRequest {
  /** `kms:<Operation>`, e.g. `kms:Encrypt`, `kms:ReEncryptFrom`. */
  readonly action: string;
  /** The key ARN, an alias ARN, or `*` for operations without a resource (CreateKey, ListKeys, ...). */
  readonly resource: string;
  /** Account owning the resource (the caller's own account for `*`). */
  readonly resourceAccount: string;
  readonly principal: AuthzPrincipal;
  readonly context: ConditionContext;
}

/** How a statement's Principal element matched the caller. */
export type PrincipalMatch =
  /** The caller's own ARN, or `*`: the key policy alone can allow. */
  | 'direct'
  /** The caller's account (`arn:aws:iam::<acct>:root` or `<acct>`): the key policy delegates to that account's IAM. */
  | 'account';

/** One condition test and its outcome. */
export interface ConditionTrace {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** Condition key as written, e.g. `kms:EncryptionContext:tenant`. */
  readonly key: string;
  /** Values from the policy. */
  readonly values: readonly string[];
  /** Values the request had for the key, or null when the key was absent. */
  readonly requestValues: readonly string[] | null;
  readonly passed: boolean;
  /** Why, in a sentence ("the call was direct: kms:ViaService is absent"). */
  readonly explanation: string;
}

/** One statement's evaluation. */
export interface StatementTrace {
  /** Index in the Statement array. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actionMatched: boolean;
  readonly resourceMatched: boolean;
  /** Key policies only: how the principal matched, or null when it did not. Identity policies: 'direct'. */
  readonly principalMatch: PrincipalMatch | null;
  /** Evaluated only when action, resource and principal matched; empty otherwise. */
  readonly conditions: readonly ConditionTrace[];
  /** All conditions passed (true when there are none); false when they were not evaluated. */
  readonly conditionsPassed: boolean;
  /** Action, resource, principal and conditions all matched: the statement applies. */
  readonly applies: boolean;
  /** Why, in a sentence ("statement KeyUsers: action matched, principal matched, condition ... failed: ..."). */
  readonly summary: string;
}

/** The evaluation of one policy document against one request. */
export interface PolicyTrace {
  readonly kind: 'key-policy' | 'identity-policy';
  /** `default` for the key policy, the policy name for identity policies. */
  readonly name: string;
  /** Principal the identity policy belongs to, or the key ARN for the key policy. */
  readonly owner: string;
  readonly statements: readonly StatementTrace[];
}

/** A grant's evaluation. */
export interface GrantTrace {
  readonly grantId: string;
  readonly name: string | null;
  readonly applies: boolean;
  /** Why ("grantee matches, Decrypt is a grant operation, EncryptionContextSubset {tenant=a} satisfied"). */
  readonly summary: string;
}

/** The answer with its explanation. */
export interface AuthorizationDecision {
  readonly decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** What allowed it: the key policy alone, key policy + IAM, a grant, ... (null when denied). */
  readonly allowedBy: 'key-policy' | 'key-policy+iam' | 'grant' | 'iam' | null;
  /**
   * The AWS message tail for AccessDeniedException: "with an explicit deny in a resource-based
   * policy", "because no identity-based policy allows the kms:Decrypt action", ... (empty when
   * allowed). The message is `User: <principal ARN> is not authorized to perform: <action> on
   * resource: <resource> <because>`.
   */
  readonly because: string;
  /** One human sentence for the "why" panel. */
  readonly reason: string;
  readonly request: AuthzRequest;
  readonly keyPolicy: PolicyTrace | null;
  readonly identityPolicies: readonly PolicyTrace[];
  readonly grants: readonly GrantTrace[];
}

/** A parsed identity policy with its name. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** Everything `decide()` needs besides the request. */
export interface DecisionInputs {
  /** The key policy, or null for operations without a key (IAM alone decides). */
  readonly keyPolicy: PolicyDocument | null;
  /** Key ARN the key policy belongs to (its `Resource: "*"` means this key). */
  readonly keyArn: string | null;
  /** The caller's identity policies (none for an account root, which has all own-account IAM permissions). */
  readonly identityPolicies: readonly NamedPolicy[];
  /** Grant evaluations already made for this request (src/kms/policy/grants.ts). */
  readonly grants: readonly GrantTrace[];
}
