/**
 * Policy documents: parse and validate the policy grammar into an AST
 * (kms-semantics.md §6.1, §3.2; IAM JSON policy element reference).
 *
 * Two kinds share the grammar:
 * - key policies (PutKeyPolicy/CreateKey): JSON, the model's character set, known top-level and
 *   statement elements, Effect, exactly one of Principal/NotPrincipal, Action/NotAction,
 *   Resource/NotResource, Condition shape and operator names, and KMS's refusal of `ForAllValues`
 *   on the single-valued `kms:EncryptionContext:<key>` / `aws:RequestTag/<key>` keys. A statement
 *   without Action or Resource is accepted and has no effect (§6.1). The 32 KB quota is checked
 *   by the caller (`policyByteLength`, `MAX_POLICY_BYTES`);
 * - identity (IAM) policies: no Principal/NotPrincipal (the policy applies to the identity it is
 *   attached to), Action/NotAction and Resource/NotResource required, resources `*` or ARNs.
 * Principal existence is `unknownPrincipals` (principals.ts, re-exported here); evaluation is
 * evaluate.ts. Pure: no I/O, no crypto.
 */
import { isKnownOperator } from './conditions';

/** Quota "Key policy document size" (§3.5): 32 KB, not adjustable. */
export const MAX_POLICY_BYTES = 32_768;

export type PrincipalSpec = '*' | { readonly AWS?: readonly string[]; readonly Service?: readonly string[]; readonly Federated?: readonly string[] };

/** One validated statement. Lists are normalised to arrays; the original text is kept by the caller. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PrincipalSpec;
  readonly NotPrincipal?: PrincipalSpec;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: readonly string[];
  readonly NotResource?: readonly string[];
  /** operator → condition key → values */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

export type PolicyParseResult = { ok: true; value: PolicyDocument } | { ok: false; reason: string };

/** Which grammar to apply: a key policy (names principals) or an IAM identity policy (does not). */
export type PolicyKind = 'key' | 'identity';

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
/** Model pattern of the `Policy` member (§3.2). */
const POLICY_CHARS = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;

function stringList(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

function parsePrincipal(v: unknown, where: string): PrincipalSpec | string {
  if (v === '*') return '*';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${where} must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}`;
  const out: { AWS?: string[]; Service?: string[]; Federated?: string[] } = {};
  for (const [k, val] of Object.entries(v)) {
    if (!PRINCIPAL_KEYS.has(k)) return `${where} has an unknown principal type "${k}" (use AWS, Service or Federated)`;
    const list = stringList(val);
    if (!list) return `${where}.${k} must be a string or a non-empty list of strings`;
    if (k !== 'CanonicalUser') out[k as 'AWS' | 'Service' | 'Federated'] = list;
  }
  if (Object.keys(v).length === 0) return `${where} must name at least one principal`;
  return out;
}

/** KMS's policy error for ForAllValues on a single-valued key (conditions-kms.md, "Using set operators"). */
function overlyPermissive(kind: 'encryption context' | 'tag'): string {
  return `OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified ${kind} or with an unspecified ${kind}. To fix, remove ForAllValues.`;
}

function parseCondition(v: unknown, where: string, kind: PolicyKind): PolicyStatement['Condition'] | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${where} must be an object of operators`;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, block] of Object.entries(v)) {
    if (typeof block !== 'object' || block === null || Array.isArray(block))
      return `${where}.${op} must be an object of condition keys`;
    if (!isKnownOperator(op)) return `${where} uses an unknown condition operator "${op}"`;
    if (kind === 'key' && op.toLowerCase().startsWith('forallvalues:')) {
      for (const key of Object.keys(block)) {
        const k = key.toLowerCase();
        if (k.startsWith('kms:encryptioncontext:')) return overlyPermissive('encryption context');
        if (k.startsWith('aws:requesttag/')) return overlyPermissive('tag');
      }
    }
    out[op] = {};
    for (const [key, val] of Object.entries(block)) {
      const list =
        typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean'
          ? [String(val)]
          : Array.isArray(val) && val.every((x) => ['string', 'number', 'boolean'].includes(typeof x))
            ? val.map(String)
            : null;
      if (!list) return `${where}.${op}.${key} must be a value or a list of values`;
      out[op][key] = list;
    }
  }
  return out;
}

/** A Resource value an identity policy accepts: `*` or an ARN (six colon-separated parts). */
function isResourceArn(v: string): boolean {
  return v === '*' || (v.startsWith('arn:') && v.split(':').length >= 6);
}

function parseStatement(s: unknown, i: number, kind: PolicyKind): PolicyStatement | string {
  const where = `Statement[${i}]`;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return `${where} must be an object`;
  const st = s as Record<string, unknown>;
  for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) return `${where} has an unknown element "${k}"`;
  if (st.Sid !== undefined && typeof st.Sid !== 'string') return `${where}.Sid must be a string`;
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return `${where}.Effect must be "Allow" or "Deny"`;
  if (kind === 'key') {
    if ((st.Principal === undefined) === (st.NotPrincipal === undefined))
      return `${where} must have exactly one of Principal or NotPrincipal (a key policy names who it applies to)`;
  } else {
    for (const k of ['Principal', 'NotPrincipal'] as const)
      if (st[k] !== undefined) return `${where} has a ${k} element, which an identity policy cannot have (it applies to the identity it is attached to)`;
  }
  if (st.Action !== undefined && st.NotAction !== undefined) return `${where} cannot have both Action and NotAction`;
  if (st.Resource !== undefined && st.NotResource !== undefined) return `${where} cannot have both Resource and NotResource`;
  if (kind === 'identity') {
    if (st.Action === undefined && st.NotAction === undefined) return `${where} must have an Action or NotAction element`;
    if (st.Resource === undefined && st.NotResource === undefined) return `${where} must have a Resource or NotResource element`;
  }
  const out: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = { Effect: st.Effect };
  if (typeof st.Sid === 'string') out.Sid = st.Sid;
  for (const k of ['Principal', 'NotPrincipal'] as const) {
    if (st[k] === undefined) continue;
    const p = parsePrincipal(st[k], `${where}.${k}`);
    if (typeof p === 'string' && p !== '*') return p;
    out[k] = p as PrincipalSpec;
  }
  for (const k of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (st[k] === undefined) continue;
    const list = stringList(st[k]);
    if (!list) return `${where}.${k} must be a string or a non-empty list of strings`;
    if (kind === 'identity' && (k === 'Resource' || k === 'NotResource')) {
      const bad = list.find((r) => !isResourceArn(r));
      if (bad !== undefined) return `${where}.${k} "${bad}" is not "*" or an ARN such as arn:aws:kms:us-east-1:111122223333:key/*`;
    }
    out[k] = list;
  }
  if (st.Condition !== undefined) {
    const c = parseCondition(st.Condition, `${where}.Condition`, kind);
    if (typeof c === 'string') return c;
    out.Condition = c;
  }
  return out;
}

/**
 * Parses and validates a key policy (`kind` 'key', the default) or an IAM identity policy
 * (`kind` 'identity'). Never throws; a refusal carries one precise reason.
 */
export function parsePolicyDocument(text: string, kind: PolicyKind = 'key'): PolicyParseResult {
  if (!POLICY_CHARS.test(text))
    return { ok: false, reason: 'The policy contains characters outside printable ASCII, Latin-1, tab, LF and CR.' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `The policy is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, reason: 'The policy must be a JSON object with a Statement element.' };
  const doc = json as Record<string, unknown>;
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.has(k)) return { ok: false, reason: `Unknown policy element "${k}".` };
  if (doc.Version !== undefined && (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version)))
    return { ok: false, reason: 'Version must be "2012-10-17" (or the legacy "2008-10-17").' };
  if (doc.Id !== undefined && typeof doc.Id !== 'string') return { ok: false, reason: 'Id must be a string.' };
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  if (raw.length === 0) return { ok: false, reason: 'The policy must contain at least one statement.' };
  const statements: PolicyStatement[] = [];
  for (let i = 0; i < raw.length; i++) {
    const s = parseStatement(raw[i], i, kind);
    if (typeof s === 'string') return { ok: false, reason: s };
    statements.push(s);
  }
  return {
    ok: true,
    value: {
      ...(typeof doc.Version === 'string' ? { Version: doc.Version } : {}),
      ...(typeof doc.Id === 'string' ? { Id: doc.Id } : {}),
      Statement: statements,
    },
  };
}

/** UTF-8 size of a policy, the unit of the 32 KB quota. */
export function policyByteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * The default key policy CreateKey attaches when `Policy` is omitted, byte for byte as
 * GetKeyPolicy returns it (§6.1: note the spaces before colons).
 */
export function defaultKeyPolicy(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${accountId}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

export { policyPrincipals, unknownPrincipals, INVALID_PRINCIPALS_MESSAGE } from './principals';
