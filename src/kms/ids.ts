/**
 * Identifiers and ARNs (kms-semantics.md §5).
 *
 * Branded strings so a key id is never passed where an ARN is expected. Each brand has one
 * constructor/parser that checks its format. Only the `aws` partition is simulated.
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Bare key id: UUID (8-4-4-4-12 lowercase hex) or `mrk-` + 32 hex. */
export type KeyId = Brand<string, 'KeyId'>;
/** `arn:aws:kms:<region>:<account>:key/<key-id>` */
export type KeyArn = Brand<string, 'KeyArn'>;
/** `alias/<name>` */
export type AliasName = Brand<string, 'AliasName'>;
/** `arn:aws:kms:<region>:<account>:alias/<name>` */
export type AliasArn = Brand<string, 'AliasArn'>;
/** 12-digit AWS account id. */
export type AccountId = Brand<string, 'AccountId'>;
/** Region name such as `us-east-1`. */
export type Region = Brand<string, 'Region'>;
/** 64 lowercase hex chars naming one version of a key's material. */
export type KeyMaterialId = Brand<string, 'KeyMaterialId'>;

export const PARTITION = 'aws';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MRK_RE = /^mrk-[0-9a-f]{32}$/;
const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^([a-z]+-){2,3}\d+$/;
const KEY_ARN_RE = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN_RE = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/** True for a well-formed bare key id (single- or multi-Region). */
export function isKeyIdFormat(s: string): s is KeyId {
  return UUID_RE.test(s) || MRK_RE.test(s);
}

export function isAccountId(s: string): s is AccountId {
  return ACCOUNT_RE.test(s);
}

export function isRegion(s: string): s is Region {
  return REGION_RE.test(s);
}

export function keyArn(region: Region, account: AccountId, keyId: KeyId): KeyArn {
  return `arn:${PARTITION}:kms:${region}:${account}:key/${keyId}` as KeyArn;
}

export function aliasArn(region: Region, account: AccountId, name: AliasName): AliasArn {
  return `arn:${PARTITION}:kms:${region}:${account}:${name}` as AliasArn;
}

/** Account root principal ARN, e.g. `arn:aws:iam::111122223333:root`. */
export function accountRootArn(account: AccountId): string {
  return `arn:${PARTITION}:iam::${account}:root`;
}

/** The ways a caller can name a key (§5). */
export type KeyIdentifier =
  | { kind: 'keyId'; keyId: string }
  | { kind: 'keyArn'; region: string; account: string; keyId: string }
  | { kind: 'aliasName'; aliasName: string }
  | { kind: 'aliasArn'; region: string; account: string; aliasName: string }
  | { kind: 'invalidArn'; value: string };

/** Classifies a KeyId request member. Anything starting with `arn:` that is not a KMS key/alias ARN is `invalidArn`. */
export function classifyKeyIdentifier(value: string): KeyIdentifier {
  if (value.startsWith('alias/')) return { kind: 'aliasName', aliasName: value };
  if (value.startsWith('arn:')) {
    const k = KEY_ARN_RE.exec(value);
    if (k) return { kind: 'keyArn', region: k[1]!, account: k[2]!, keyId: k[3]! };
    const a = ALIAS_ARN_RE.exec(value);
    if (a) return { kind: 'aliasArn', region: a[1]!, account: a[2]!, aliasName: a[3]! };
    return { kind: 'invalidArn', value };
  }
  return { kind: 'keyId', keyId: value };
}

/** Character codes of the 16 lowercase hex digits. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Scratch for uuidFromBytes (36 characters; synchronous, so one array serves every call). */
const UUID_CODES: number[] = new Array<number>(36).fill(0);

/** Formats 16 random bytes as a version-4 UUID (RFC 9562 §5.4). */
export function uuidFromBytes(b: Uint8Array): string {
  if (b.length !== 16) throw new RangeError(`uuidFromBytes: expected 16 bytes, got ${b.length}`);
  // Character codes written once and turned into one flat string (ids are made on every call and
  // kept in records: no hex temporaries, slices or concatenation tree).
  const codes = UUID_CODES;
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) codes[at++] = 0x2d; // '-'
    const v = i === 6 ? (b[i]! & 0x0f) | 0x40 : i === 8 ? (b[i]! & 0x3f) | 0x80 : b[i]!;
    codes[at++] = HEX_CODES[v >> 4]!;
    codes[at++] = HEX_CODES[v & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}
