/**
 * Authorization on every call (issue 3; kms-semantics.md §6.2, §5 "Cross-account use").
 *
 * Gathers what the pure engine needs from the sandbox — the caller's principal record, the key
 * policy, the caller's identity policies, the key's grants, and the request's condition keys —
 * asks `decide()`, records the decision for the trail's "why" trace, and throws
 * AccessDeniedException with AWS's message when the answer is not Allow.
 */
import { kmsError } from './errors';
import type { CallerContext } from './events';
import type { GrantRecord, KeyRecord, PrincipalRecord } from './model';
import type { Repository } from './ports';
import { CROSS_ACCOUNT_OPERATIONS } from './policy/crossAccount';
import { decide } from './policy/decide';
import { evaluateGrants } from './policy/grants';
import { parsePolicyDocument, type PolicyDocument } from './policy/policyDocument';
import type { AuthorizationDecision, AuthzPrincipal, AuthzRequest, ConditionContext, NamedPolicy } from './policy/types';
import type { UnitOfWork } from './unitOfWork';

/** What the service's OpContext offers to authorization. */
export interface AuthzScope {
  readonly caller: CallerContext;
  readonly now: number;
  readonly tx: UnitOfWork;
  /** Grant tokens sent with the request (they make new grants effective at once, §7). */
  readonly grantTokens: readonly string[];
  /** Every decision made during the call, in order (kept with the trail record). */
  readonly decisions: AuthorizationDecision[];
}

/**
 * The reads the request's condition keys and the caller's identity policies need: the service
 * passes its call's UnitOfWork, the UI's policy findings the committed Repository, so both see
 * the context built by the same code.
 */
export type RecordReader = Pick<Repository, 'get' | 'list'>;

const PRINCIPAL_TYPE = { root: 'Account', user: 'User', role: 'AssumedRole' } as const;

/** The caller's principal record, or undefined when the sandbox does not know it in the caller's account. */
export function findCallerPrincipal(reader: RecordReader, caller: Pick<CallerContext, 'principalArn' | 'accountId'>): PrincipalRecord | undefined {
  const p = reader.get('principal', caller.principalArn);
  return p && p.accountId === caller.accountId ? p : undefined;
}

/**
 * The caller's principal record. A principal the sandbox does not know cannot sign requests:
 * UnrecognizedClientException, as AWS answers an unknown access key.
 */
export function callerPrincipal(scope: Pick<AuthzScope, 'caller' | 'tx'>): PrincipalRecord {
  const p = findCallerPrincipal(scope.tx, scope.caller);
  if (!p) {
    throw kmsError('UnrecognizedClientException', 'The security token included in the request is invalid.', {
      reason: `${scope.caller.principalArn} is not a principal of account ${scope.caller.accountId} in this sandbox.`,
    });
  }
  return p;
}

/** A principal as the policy engine sees it (aws:PrincipalType Account, User or AssumedRole). */
export function authzPrincipalOf(p: PrincipalRecord): AuthzPrincipal {
  return { arn: p.id, accountId: p.accountId, type: PRINCIPAL_TYPE[p.kind] };
}

/** How AWS names the caller in AccessDenied messages (roles act through an assumed-role session). */
export function callerDisplayArn(p: PrincipalRecord): string {
  return p.kind === 'role' ? `arn:aws:sts::${p.accountId}:assumed-role/${p.name}/kms-playground` : p.id;
}

// Parsing is pure, so ASTs are cached by document text (bounded: policies are few and small). One
// map per kind keyed by the text itself: a record's text is the same string on every call, so its
// hash is computed once (a `${kind}${text}` key was a new string to hash on every decision).
const parsed = { key: new Map<string, PolicyDocument | null>(), identity: new Map<string, PolicyDocument | null>() };
function parseCached(text: string, kind: 'key' | 'identity'): PolicyDocument | null {
  const cache = parsed[kind];
  let doc = cache.get(text);
  if (doc === undefined) {
    const r = parsePolicyDocument(text, kind);
    doc = r.ok ? r.value : null;
    if (cache.size > 512) cache.clear();
    cache.set(text, doc);
  }
  return doc;
}

/**
 * The identity policies evaluated for a principal's requests: those attached to it, parsed (an
 * unparsable one is skipped); none for an account root, which needs none.
 */
export function identityPoliciesOf(reader: RecordReader, principal: PrincipalRecord): NamedPolicy[] {
  const out: NamedPolicy[] = [];
  if (principal.kind === 'root') return out;
  for (const r of reader.list('identityPolicy')) {
    if (r.principalArn !== principal.id) continue;
    const document = parseCached(r.document, 'identity');
    if (document) out.push({ name: r.policyName, document });
  }
  return out;
}

/** `new Date(ms).toISOString()`, remembering the last answer (a call decides one or more times at one instant). */
function isoTime(ms: number): string {
  if (ms !== lastIsoMs || lastIso === null) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}
let lastIsoMs = Number.NaN;
let lastIso: string | null = null;

/** Condition keys every request carries (§6.3); kms:ViaService only for calls made through a service. */
function baseContext(p: PrincipalRecord, now: number, viaService: string | undefined): Record<string, string[]> {
  const ctx: Record<string, string[]> = {
    'aws:principalarn': [p.id],
    'aws:principalaccount': [p.accountId],
    'aws:principaltype': [PRINCIPAL_TYPE[p.kind]],
    'aws:currenttime': [isoTime(now)],
    'kms:calleraccount': [p.accountId],
  };
  if (viaService) ctx['kms:viaservice'] = [viaService];
  return ctx;
}

/**
 * Adds the condition keys that describe the key itself: spec, usage, origin, tags, aliases
 * (§6.3, §6.5). Written straight into `ctx`: none of these names is a base key's.
 */
function addKeyContext(ctx: Record<string, readonly string[]>, reader: RecordReader, key: KeyRecord): void {
  ctx['kms:keyspec'] = [key.keySpec];
  ctx['kms:keyusage'] = [key.keyUsage];
  ctx['kms:keyorigin'] = [key.origin];
  ctx['kms:multiregion'] = [String(key.multiRegionKeyType !== null)];
  if (key.multiRegionKeyType !== null) ctx['kms:multiregionkeytype'] = [key.multiRegionKeyType];
  for (const t of reader.list('tag')) if (t.keyArn === key.id) ctx[`aws:resourcetag/${t.tagKey.toLowerCase()}`] = [t.tagValue];
  let aliases: string[] | undefined;
  for (const a of reader.list('alias')) {
    if (a.accountId === key.accountId && a.region === key.region && a.targetKeyId === key.keyId) (aliases ??= []).push(a.aliasName);
  }
  if (aliases) ctx['kms:resourcealiases'] = aliases;
}

/**
 * The condition keys a request by `principal` carries before its own (§6.3): aws:PrincipalArn,
 * aws:PrincipalAccount, aws:PrincipalType, aws:CurrentTime, kms:CallerAccount, kms:ViaService
 * for calls made through a service and, with a key, the key's (kms:KeySpec, kms:KeyUsage,
 * kms:KeyOrigin, kms:MultiRegion, aws:ResourceTag/*, kms:ResourceAliases). Lower-cased names, in
 * that order; a fresh object the caller may add the request's keys to.
 */
export function callerConditionContext(
  reader: RecordReader,
  principal: PrincipalRecord,
  key: KeyRecord | null,
  now: number,
  viaService: string | undefined,
): Record<string, readonly string[]> {
  const ctx: Record<string, readonly string[]> = baseContext(principal, now, viaService);
  if (key) addKeyContext(ctx, reader, key);
  return ctx;
}

/** Condition keys of an encryption context (§6.3: kms:EncryptionContext:<key>, kms:EncryptionContextKeys). */
export function encryptionContextConditions(ec: Readonly<Record<string, string>> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!ec) return out;
  const keys = Object.keys(ec);
  if (keys.length > 0) out['kms:encryptioncontextkeys'] = keys;
  for (const k of keys) out[`kms:encryptioncontext:${k.toLowerCase()}`] = [ec[k]!];
  return out;
}

/** Condition keys of tags in a request (aws:RequestTag/<key>, aws:TagKeys). */
export function requestTagConditions(tags: readonly { TagKey: string; TagValue?: string }[] | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!tags || tags.length === 0) return out;
  out['aws:tagkeys'] = tags.map((t) => t.TagKey);
  for (const t of tags) if (t.TagValue !== undefined) out[`aws:requesttag/${t.TagKey.toLowerCase()}`] = [t.TagValue];
  return out;
}

/** Copies `source`'s own entries into `target` as a spread would (an own `__proto__` stays an own property). */
function copyEntries(target: Record<string, readonly string[]>, source: Readonly<Record<string, readonly string[]>>): void {
  for (const k of Object.keys(source)) {
    const v = source[k]!;
    if (k === '__proto__') Object.defineProperty(target, k, { value: v, writable: true, enumerable: true, configurable: true });
    else target[k] = v;
  }
}

function grantsOf(tx: UnitOfWork, key: KeyRecord): GrantRecord[] {
  return tx.list('grant').filter((g) => g.keyArn === key.id);
}

/** Options of one authorization question. */
export interface AuthorizeOptions {
  /** AWS operation (for the cross-account rule and grant operations). */
  readonly operation: string;
  /** IAM action, e.g. `kms:ReEncryptFrom`. */
  readonly action: string;
  /** The key, or a resource ARN / `*` for IAM-only questions (aliases, CreateKey, ListKeys, ...). */
  readonly target: KeyRecord | string;
  /** Request-specific condition keys (lower-cased names). */
  readonly conditions?: ConditionContext;
  /** Evaluate this key policy instead of the stored one (the lockout safety check). */
  readonly keyPolicyOverride?: PolicyDocument;
  /** Skip grants (the lockout check: grants never allow PutKeyPolicy). */
  readonly ignoreGrants?: boolean;
  /** The request's encryption context, for grant constraints (§7.2). */
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/** Makes the decision without throwing (also used for "would this still be allowed?" questions). */
export function decideFor(scope: AuthzScope, opts: AuthorizeOptions, principal = callerPrincipal(scope)): AuthorizationDecision {
  const me = authzPrincipalOf(principal);
  const key = typeof opts.target === 'string' ? null : opts.target;
  // Same keys, order and values as `{ ...base, ...keyContext, ...conditions }`, without the spreads:
  // on Node 20's V8 spreading these colon-keyed objects cost ~3.8 µs a call, the copy loop ~0.1 µs.
  const context = callerConditionContext(scope.tx, principal, key, scope.now, scope.caller.viaService);
  if (opts.conditions) copyEntries(context, opts.conditions);
  const request: AuthzRequest = {
    action: opts.action,
    resource: key ? key.id : (opts.target as string),
    resourceAccount: key ? key.accountId : principal.accountId,
    principal: me,
    context,
  };
  const policyText = key ? scope.tx.get('policy', `${key.id}/default`)?.document : undefined;
  const keyPolicy = key ? (opts.keyPolicyOverride ?? (policyText ? parseCached(policyText, 'key') : null)) : null;
  const grants =
    key && !opts.ignoreGrants
      ? evaluateGrants(grantsOf(scope.tx, key), {
          operation: opts.action.replace(/^kms:/, ''),
          granteeArn: principal.id,
          encryptionContext: opts.encryptionContext,
          now: scope.now,
          grantTokens: scope.grantTokens,
        })
      : [];
  return decide(request, {
    // A key whose stored policy cannot be parsed lets nobody in (fail closed).
    keyPolicy: key ? (keyPolicy ?? { Statement: [] }) : null,
    keyArn: key ? key.id : null,
    identityPolicies: identityPoliciesOf(scope.tx, principal),
    grants,
  });
}

/**
 * Authorizes one action; records the decision; throws AccessDeniedException unless allowed.
 * Operations AWS does not allow across accounts are denied before any policy is read (§5).
 */
export function authorize(scope: AuthzScope, opts: AuthorizeOptions): AuthorizationDecision {
  const principal = callerPrincipal(scope);
  const key = typeof opts.target === 'string' ? null : opts.target;
  const resource = key ? key.id : (opts.target as string);
  if (key && key.accountId !== principal.accountId && !CROSS_ACCOUNT_OPERATIONS.has(opts.operation)) {
    throw kmsError(
      'AccessDeniedException',
      `User: ${callerDisplayArn(principal)} is not authorized to perform: ${opts.action} on resource: ${resource} because ${opts.operation} cannot be used with a KMS key in a different AWS account`,
    );
  }
  const decision = decideFor(scope, opts, principal);
  scope.decisions.push(decision);
  if (decision.decision !== 'Allow') {
    throw kmsError(
      'AccessDeniedException',
      `User: ${callerDisplayArn(principal)} is not authorized to perform: ${opts.action} on resource: ${resource} ${decision.because}`,
      { reason: decision.reason, decision: decision.decision },
    );
  }
  return decision;
}
