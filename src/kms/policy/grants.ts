/**
 * Grants, the pure part (kms-semantics.md §7; AWS guide "Grants in AWS KMS", "Using a grant
 * token", "Creating grants", "Retiring and revoking grants"; API reference GrantConstraints).
 *
 * - The grant operations (§7.2) and which of them a key's type supports.
 * - Grant id and grant token formats. A token is opaque to callers; ours mimics AWS's layout
 *   (a protobuf-like record that carries the grant id in clear, then an opaque payload) and is
 *   sent as unpadded base64url:
 *
 *       byte 0      0x01                      token format version
 *       byte 1      0x0a                      field 1, length-delimited
 *       byte 2      0x40                      length 64
 *       bytes 3–66  grant id                  64 lowercase hex chars (ASCII)
 *       byte 67     0x22                      field 4, length-delimited
 *       varint      n                         payload length
 *       n bytes     payload                   random (AWS: an encrypted blob); never interpreted
 *
 *   Tokens are not secrets and grant nothing by themselves: a token only makes its grant count
 *   before the grant has propagated. Every CreateGrant call returns a new token; all tokens of a
 *   grant are interchangeable (they name the same id).
 * - `evaluateGrants`: which of a key's grants allow a request, each with a plain-sentence trace.
 * - `childGrantWithin`: the limits on a grant created with CreateGrant permission from a grant.
 * - `retireRight`: who may retire a grant by the grant alone.
 *
 * Eventual consistency is simulated: a grant takes GRANT_PROPAGATION_MS of sandbox time to reach
 * all of KMS (AWS: "typically less than a few seconds ... in some cases several minutes"); until
 * then only requests that pass one of its tokens in GrantTokens can use it. Retiring or revoking
 * takes effect at once (the record is deleted), which AWS does not promise.
 *
 * Not modeled: service principals (GranteeServicePrincipal, RetiringServicePrincipal) and the
 * SourceArn constraint, which only matter when an AWS service calls; a grant whose grantee is an
 * account root applies to that root only (no delegation to the account's IAM principals).
 */
import { GRANT_OPERATIONS, type GrantRecord, type KeySpec, type KeyUsage } from '../model';

export { GRANT_OPERATIONS };
import type { GrantTrace } from './types';


/** One grant operation. */
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

const GRANT_OPERATION_SET: ReadonlySet<string> = new Set(GRANT_OPERATIONS);

/** True when `s` is a grant operation (spelled as AWS spells it). */
export function isGrantOperation(s: string): s is GrantOperation {
  return GRANT_OPERATION_SET.has(s);
}

/**
 * Sandbox time a new grant takes to be effective without its token (ms). AWS says "typically
 * less than a few seconds", sometimes minutes; 30 s is long enough to notice and to teach the
 * grant token, short enough not to stall a lesson (advancing the sandbox clock also passes it).
 */
export const GRANT_PROPAGATION_MS = 30_000;

/** Grant operations that take an EncryptionContext: the only ones constraints apply to (GrantConstraints). */
export const ENCRYPTION_CONTEXT_OPERATIONS: ReadonlySet<string> = new Set([
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
]);

/** Operations every key type supports in a grant. */
const COMMON: readonly GrantOperation[] = ['DescribeKey', 'CreateGrant', 'RetireGrant'];

/**
 * The grant operations a key supports (CreateGrant: "Grants for symmetric keys cannot allow Sign,
 * Verify, GetPublicKey ...; grants for asymmetric keys cannot allow operations that generate data
 * keys or data key pairs ..."). In GRANT_OPERATIONS order.
 */
export function grantOperationsFor(key: { readonly keySpec: KeySpec; readonly keyUsage: KeyUsage }): GrantOperation[] {
  let own: readonly GrantOperation[];
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      own =
        key.keySpec === 'SYMMETRIC_DEFAULT'
          ? ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext']
          : ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey'];
      break;
    case 'SIGN_VERIFY':
      own = ['Sign', 'Verify', 'GetPublicKey'];
      break;
    case 'GENERATE_VERIFY_MAC':
      own = ['GenerateMac', 'VerifyMac'];
      break;
    case 'KEY_AGREEMENT':
      own = ['DeriveSharedSecret', 'GetPublicKey'];
      break;
    case 'ENCAPSULATE_DECAPSULATE':
      own = ['Encapsulate', 'Decapsulate', 'GetPublicKey'];
      break;
  }
  const allowed = new Set<string>([...own, ...COMMON]);
  return GRANT_OPERATIONS.filter((op) => allowed.has(op));
}

/** True when encryption context constraints are allowed on the key: symmetric encryption keys only. */
export function supportsGrantConstraints(key: { readonly keySpec: KeySpec }): boolean {
  return key.keySpec === 'SYMMETRIC_DEFAULT';
}

// ---------------------------------------------------------------------------------------------
// Ids and tokens

const HEX64 = /^[0-9a-f]{64}$/;

/** True when `s` has the form of a grant id AWS issues: 64 lowercase hex chars. */
export function isGrantIdFormat(s: string): boolean {
  return HEX64.test(s);
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A grant id from 32 random bytes (the call's random stream). */
export function grantIdFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 32) throw new RangeError(`grantIdFromBytes: expected 32 bytes, got ${bytes.length}`);
  return hex(bytes);
}

const TOKEN_VERSION = 0x01;
const FIELD_GRANT_ID = 0x0a;
const FIELD_PAYLOAD = 0x22;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, ''));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** A new grant token for `grantId`, with `payload` (random bytes, 1–1000 of them) as its opaque part. */
export function encodeGrantToken(grantId: string, payload: Uint8Array): string {
  if (!isGrantIdFormat(grantId)) throw new RangeError('encodeGrantToken: the grant id must be 64 lowercase hex chars');
  if (payload.length < 1 || payload.length > 1000) throw new RangeError(`encodeGrantToken: payload must be 1–1000 bytes, got ${payload.length}`);
  const n = payload.length;
  const varint = n < 0x80 ? [n] : [(n & 0x7f) | 0x80, n >> 7];
  const out = new Uint8Array(3 + 64 + 1 + varint.length + n);
  out.set([TOKEN_VERSION, FIELD_GRANT_ID, 64], 0);
  for (let i = 0; i < 64; i++) out[3 + i] = grantId.charCodeAt(i);
  out.set([FIELD_PAYLOAD, ...varint], 67);
  out.set(payload, 68 + varint.length);
  return toBase64Url(out);
}

/**
 * The grant id a token names, or null when the string is not a grant token of this simulator
 * (the operation then answers InvalidGrantTokenException). A well-formed token of a grant that no
 * longer exists parses: it simply names no grant.
 */
export function parseGrantToken(token: string): { grantId: string } | null {
  const b = fromBase64Url(token);
  if (!b || b.length < 70 || b[0] !== TOKEN_VERSION || b[1] !== FIELD_GRANT_ID || b[2] !== 64 || b[67] !== FIELD_PAYLOAD) return null;
  const grantId = String.fromCharCode(...b.subarray(3, 67));
  if (!isGrantIdFormat(grantId)) return null;
  const first = b[68]!;
  let n: number;
  let start: number;
  if (first < 0x80) {
    n = first;
    start = 69;
  } else {
    const second = b[69];
    if (second === undefined || second >= 0x80 || second === 0) return null;
    n = (first & 0x7f) | (second << 7);
    start = 70;
  }
  return n >= 1 && b.length === start + n ? { grantId } : null;
}

// ---------------------------------------------------------------------------------------------
// Principals and constraints

const ROLE_SESSION = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/;
const ROLE = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/**
 * True when the principal named in a grant (grantee or retiring principal) is the caller: the same
 * ARN, or the caller is a session of the named role ("users who are authorized to assume the
 * role", guide "Creating grants").
 */
export function principalMatches(named: string, callerArn: string): boolean {
  if (named === callerArn) return true;
  const session = ROLE_SESSION.exec(callerArn);
  const role = ROLE.exec(named);
  return !!session && !!role && session[1] === role[1] && session[2] === role[2];
}

/** Encryption context constraints of a grant (GrantRecord.constraints). */
export type GrantConstraints = GrantRecord['constraints'];

/**
 * In a grant constraint the key of each pair is not case sensitive but the value is (API
 * reference, GrantConstraints). Both helpers compare pairs that way.
 */
function hasPair(ctx: Readonly<Record<string, string>>, key: string, value: string): boolean {
  const k = key.toLowerCase();
  return Object.entries(ctx).some(([ck, cv]) => ck.toLowerCase() === k && cv === value);
}

/** The request context contains every pair of `required`. */
function containsAll(ctx: Readonly<Record<string, string>>, required: Readonly<Record<string, string>>): boolean {
  return Object.entries(required).every(([k, v]) => hasPair(ctx, k, v));
}

/** The request context is exactly `required` (same pairs, any order). */
function equalsExactly(ctx: Readonly<Record<string, string>>, required: Readonly<Record<string, string>>): boolean {
  return Object.keys(ctx).length === Object.keys(required).length && containsAll(ctx, required);
}

/** `{a=1, b=2}`, as the why panel shows a context. */
export function formatContext(ctx: Readonly<Record<string, string>>): string {
  return `{${Object.entries(ctx)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

/** Whether a request's encryption context satisfies a grant's constraints, with the reason. */
export function constraintsSatisfied(
  constraints: GrantConstraints,
  encryptionContext: Readonly<Record<string, string>> | undefined,
): { ok: boolean; explanation: string } {
  const ctx = encryptionContext ?? {};
  const parts: string[] = [];
  let ok = true;
  if (constraints?.encryptionContextEquals) {
    const pass = equalsExactly(ctx, constraints.encryptionContextEquals);
    ok &&= pass;
    parts.push(
      pass
        ? `its EncryptionContextEquals ${formatContext(constraints.encryptionContextEquals)} is satisfied`
        : `its EncryptionContextEquals ${formatContext(constraints.encryptionContextEquals)} does not match the request's encryption context ${formatContext(ctx)}`,
    );
  }
  if (constraints?.encryptionContextSubset) {
    const pass = containsAll(ctx, constraints.encryptionContextSubset);
    ok &&= pass;
    parts.push(
      pass
        ? `its EncryptionContextSubset ${formatContext(constraints.encryptionContextSubset)} is satisfied`
        : `the request's encryption context ${formatContext(ctx)} lacks pairs of its EncryptionContextSubset ${formatContext(constraints.encryptionContextSubset)}`,
    );
  }
  return { ok, explanation: parts.length > 0 ? parts.join(' and ') : 'it has no constraints' };
}

/** The grant a CreateGrant call asks for, as far as a parent grant limits it. */
export interface ChildGrantRequest {
  readonly operations: readonly string[];
  readonly constraints: GrantConstraints;
}

/**
 * Whether a grant created with CreateGrant permission that came from `parent` stays within it
 * (guide "Granting CreateGrant permission"): its operations are some or all of the parent's, and
 * its constraints are at least as strict — pairs may be added to an EncryptionContextSubset, a
 * Subset may become an Equals containing its pairs, never the reverse.
 */
export function childGrantWithin(parent: Pick<GrantRecord, 'operations' | 'constraints'>, child: ChildGrantRequest): { ok: boolean; explanation: string } {
  const extra = child.operations.filter((op) => !parent.operations.includes(op));
  const problems: string[] = [];
  if (extra.length > 0) problems.push(`the new grant would add ${extra.join(', ')}, which this grant does not allow`);
  const p = parent.constraints;
  const c = child.constraints;
  if (p?.encryptionContextEquals) {
    const pe = p.encryptionContextEquals;
    if (!c?.encryptionContextEquals || !equalsExactly(c.encryptionContextEquals, pe)) {
      problems.push(`the new grant must carry the same EncryptionContextEquals ${formatContext(pe)}`);
    }
  }
  if (p?.encryptionContextSubset) {
    const ps = p.encryptionContextSubset;
    const stricter = [c?.encryptionContextEquals, c?.encryptionContextSubset].some((m) => m !== undefined && containsAll(m, ps));
    if (!stricter) problems.push(`the new grant's constraint must include every pair of EncryptionContextSubset ${formatContext(ps)}`);
  }
  return problems.length === 0
    ? { ok: true, explanation: 'the new grant asks for no operation this grant lacks and its constraints are at least as strict' }
    : { ok: false, explanation: problems.join('; ') };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What `evaluateGrants` needs to know about one request. */
export interface GrantEvaluationInput {
  /** The grant operation asked for: `Decrypt`, `ReEncryptFrom`, `CreateGrant`, ... */
  readonly operation: string;
  /** The caller's principal ARN. */
  readonly granteeArn: string;
  /** The request's encryption context (absent = none). */
  readonly encryptionContext: Readonly<Record<string, string>> | undefined;
  /** Sandbox time of the request (ms). */
  readonly now: number;
  /** The request's GrantTokens (already checked well-formed by the operation). */
  readonly grantTokens: readonly string[];
  /** CreateGrant only: the grant being created, which a parent grant must cover. */
  readonly childGrant?: ChildGrantRequest;
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}

function label(g: Pick<GrantRecord, 'id' | 'name'>): string {
  return `Grant ${shortId(g.id)}${g.name ? ` ("${g.name}")` : ''}`;
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${s} s`;
}

/** Whether a grant is in effect: propagated, or named by a token of the request. */
function effectiveness(g: GrantRecord, now: number, tokenIds: ReadonlySet<string>): { ok: boolean; explanation: string } {
  if (tokenIds.has(g.id)) return { ok: true, explanation: 'it is in effect (a grant token of the request names it)' };
  const age = now - g.creationDate;
  if (age >= GRANT_PROPAGATION_MS) return { ok: true, explanation: 'it is in effect' };
  return {
    ok: false,
    explanation: `it is not in effect yet: it was created ${seconds(age)} ago and a grant takes ${seconds(GRANT_PROPAGATION_MS)} to reach all of KMS (pass its grant token in GrantTokens to use it now)`,
  };
}

function evaluateOne(g: GrantRecord, input: GrantEvaluationInput, tokenIds: ReadonlySet<string>): GrantTrace {
  const passed: string[] = [];
  const failed: string[] = [];
  const note = (ok: boolean, yes: string, no: string): void => void (ok ? passed : failed).push(ok ? yes : no);

  note(
    principalMatches(g.granteePrincipal, input.granteeArn),
    'the caller is its grantee',
    `its grantee is ${g.granteePrincipal}, not the caller ${input.granteeArn}`,
  );
  const op = input.operation;
  if (!isGrantOperation(op)) {
    failed.push(`${op} is not an operation a grant can allow`);
  } else {
    note(g.operations.includes(op), `${op} is one of its operations`, `it does not allow ${op} (it allows ${g.operations.join(', ')})`);
  }
  if (g.constraints && ENCRYPTION_CONTEXT_OPERATIONS.has(op)) {
    const c = constraintsSatisfied(g.constraints, input.encryptionContext);
    note(c.ok, c.explanation, c.explanation);
  } else if (g.constraints && op === 'CreateGrant' && input.childGrant) {
    const c = childGrantWithin(g, input.childGrant);
    note(c.ok, c.explanation, c.explanation);
  } else if (g.constraints) {
    passed.push(`its encryption context constraint does not apply to ${op}`);
  }
  if (op === 'CreateGrant' && !g.constraints && input.childGrant) {
    const c = childGrantWithin(g, input.childGrant);
    note(c.ok, c.explanation, c.explanation);
  }
  const e = effectiveness(g, input.now, tokenIds);
  note(e.ok, e.explanation, e.explanation);

  const applies = failed.length === 0;
  const summary = applies ? `${label(g)} applies: ${sentence(passed)}.` : `${label(g)} does not apply: ${failed.join('; ')}.`;
  return { grantId: g.id, name: g.name, applies, summary };
}

function sentence(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
}

/**
 * Evaluates every grant of a key against one request (kms-semantics.md §6.2 step 5, §7). A grant
 * applies when the caller is its grantee, the operation is one of its operations, its encryption
 * context constraint is satisfied (only for operations that take an encryption context; for
 * CreateGrant, the grant being created must stay within it) and it is in effect (propagated, or
 * named by a token). Tokens that name no grant of this key (retired, revoked, another key's) add
 * a trace that applies to nothing. Malformed tokens are ignored here: the operation rejects them.
 */
export function evaluateGrants(grants: readonly GrantRecord[], input: GrantEvaluationInput): GrantTrace[] {
  const tokenIds = new Set<string>();
  for (const t of input.grantTokens) {
    const parsed = parseGrantToken(t);
    if (parsed) tokenIds.add(parsed.grantId);
  }
  const traces = grants.map((g) => evaluateOne(g, input, tokenIds));
  const known = new Set(grants.map((g) => g.id));
  for (const id of tokenIds) {
    if (known.has(id)) continue;
    traces.push({
      grantId: id,
      name: null,
      applies: false,
      summary: `A grant token of the request names grant ${shortId(id)}, which is not a grant of this key: it was retired or revoked, or it belongs to another key.`,
    });
  }
  return traces;
}

// ---------------------------------------------------------------------------------------------
// Retiring

/** Why the grant itself lets the caller retire it (guide "Retiring and revoking grants"). */
export type RetireRight = 'retiring-principal' | 'grantee' | 'issuing-account';

/**
 * Whether a grant lets the caller retire it: its retiring principal; its grantee when the grant
 * allows RetireGrant; the account that created it (its root). Principals to whom an account
 * delegates kms:RetireGrant through IAM are the authorization layer's business (`by` null here).
 */
export function retireRight(grant: GrantRecord, callerArn: string): { by: RetireRight | null; summary: string } {
  const l = label(grant);
  if (grant.retiringPrincipal && principalMatches(grant.retiringPrincipal, callerArn)) {
    return { by: 'retiring-principal', summary: `${l} names the caller as its retiring principal.` };
  }
  if (principalMatches(grant.granteePrincipal, callerArn) && grant.operations.includes('RetireGrant')) {
    return { by: 'grantee', summary: `The caller is the grantee of ${l.charAt(0).toLowerCase()}${l.slice(1)}, which allows RetireGrant.` };
  }
  if (callerArn === grant.issuingAccount) {
    return { by: 'issuing-account', summary: `The caller is the account that created ${l.charAt(0).toLowerCase()}${l.slice(1)} (${grant.issuingAccount}).` };
  }
  const who = [
    grant.retiringPrincipal ? `its retiring principal ${grant.retiringPrincipal}` : 'its retiring principal (it has none)',
    grant.operations.includes('RetireGrant') ? `its grantee ${grant.granteePrincipal}` : `its grantee (only when the grant allows RetireGrant, which it does not)`,
    `the account that created it (${grant.issuingAccount})`,
  ];
  return { by: null, summary: `${l} can be retired by ${sentence(who).replace(/ and (?=the account)/, ' or ')}; the caller is none of these.` };
}
