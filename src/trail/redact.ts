/**
 * `requestParameters` and `responseElements` of a KMS CloudTrail record (kms-semantics.md §10):
 * a camelCase copy of the AWS-shaped request/response minus every secret and blob.
 *
 * Rules, in the order they apply to each value:
 * 1. Members named as a secret are dropped whatever their type, at any depth (the request may be
 *    malformed, so a `Plaintext` string is as secret as a `Plaintext` Uint8Array). Names compare
 *    case-insensitively. `GrantToken` is dropped from responses only (§10: "GrantToken
 *    (response)"); request `GrantTokens` lists are logged, as AWS logs them.
 * 2. Binary values (any ArrayBuffer or view, Uint8Array included) are dropped wherever they sit.
 * 3. Member names get their first letter lowercased (`KeyId` -> `keyId`, `AWSAccountId` ->
 *    `aWSAccountId`, exactly as CloudTrail spells it), recursively. Keys *inside* an encryption
 *    context map are user data and keep their spelling (§10 example: `{"Department": ...}`).
 * 4. Dates become CloudTrail's `Dec 4, 2020, 7:26:27 PM`; other non-JSON values are made JSON-safe
 *    the way JSON.stringify would (functions, symbols, undefined dropped; NaN/Infinity -> null),
 *    bigint becomes a number when exact, else its decimal string; -0 becomes 0 so records
 *    round-trip through JSON exactly. Cycles and nesting deeper than MAX_DEPTH are cut off.
 *    Nothing here throws: a throwing getter or proxy trap just drops that member.
 *
 * Deliberate difference from AWS: rule 1 also applies inside encryption context maps, so an
 * encryption context key literally named `Plaintext` (or another secret name) is not logged.
 * Safety wins over fidelity in that corner; no AWS example uses such a key.
 */
import type { JsonValue } from '../kms/model';
import { formatTrailDate } from './trailTime';

/** Members CloudTrail never logs, in requests or responses (§10 "Never logged", plus the other blob members of §2.1). */
export const SECRET_MEMBERS: readonly string[] = [
  'Plaintext',
  'CiphertextBlob',
  'Message',
  'Signature',
  'Mac',
  'PrivateKeyPlaintext',
  'PrivateKeyCiphertextBlob',
  'SharedSecret',
  'PublicKey',
  'ImportToken',
  'EncryptedKeyMaterial',
  'CiphertextForRecipient',
  'SharedSecretCiphertextBlob',
  // Custom key store credentials (issue 7).
  'KeyStorePassword',
  'XksProxyAuthenticationCredential',
];

/** Members never logged in responses only (§10: the grant token a CreateGrant returns). */
export const RESPONSE_ONLY_SECRET_MEMBERS: readonly string[] = ['GrantToken'];

/** Members whose value is a user-keyed map: the keys inside are data and keep their spelling. */
const MAP_MEMBERS: ReadonlySet<string> = new Set(
  ['EncryptionContext', 'SourceEncryptionContext', 'DestinationEncryptionContext', 'EncryptionContextSubset', 'EncryptionContextEquals'].map(
    (m) => m.toLowerCase(),
  ),
);

const REQUEST_SECRETS: ReadonlySet<string> = new Set(SECRET_MEMBERS.map((m) => m.toLowerCase()));
const RESPONSE_SECRETS: ReadonlySet<string> = new Set(
  [...SECRET_MEMBERS, ...RESPONSE_ONLY_SECRET_MEMBERS].map((m) => m.toLowerCase()),
);

/** Nesting deeper than this is not logged (KMS shapes are at most ~5 deep). */
const MAX_DEPTH = 32;

/**
 * Operations that always log their algorithm, even when the caller did not send it (§10:
 * "Decrypt/Encrypt always log it"). ReEncrypt logs both sides.
 */
const DEFAULT_ALGORITHMS: Readonly<Record<string, readonly string[]>> = {
  Encrypt: ['encryptionAlgorithm'],
  Decrypt: ['encryptionAlgorithm'],
  ReEncrypt: ['sourceEncryptionAlgorithm', 'destinationEncryptionAlgorithm'],
};

/** Marks a value that is not logged at all. */
const DROP: unique symbol = Symbol('drop');
type Out = JsonValue | typeof DROP;

interface Walk {
  readonly secrets: ReadonlySet<string>;
  /** Objects on the current path (cycle guard; shared, non-cyclic references are copied twice). */
  readonly ancestors: Set<object>;
}

/**
 * CloudTrail `requestParameters` for `operation`: the redacted camelCase request, with the
 * default `SYMMETRIC_DEFAULT` algorithm filled in for Encrypt/Decrypt/ReEncrypt. A request
 * with nothing left to log gives `null` (as CloudTrail shows ListKeys/ListAliases without parameters).
 */
export function toRequestParameters(operation: string, request: unknown): { [k: string]: JsonValue } | null {
  const copy = redactTop(request, REQUEST_SECRETS);
  for (const member of DEFAULT_ALGORITHMS[operation] ?? []) {
    if (copy[member] === undefined || copy[member] === null) setMember(copy, member, 'SYMMETRIC_DEFAULT');
  }
  return Object.keys(copy).length === 0 ? null : copy;
}

/**
 * CloudTrail `responseElements`: null for read-only operations (every cryptographic operation
 * and Describe/Get/List, §10), for failed calls (no response) and for empty responses; otherwise
 * the redacted camelCase response.
 */
export function toResponseElements(response: unknown, readOnly: boolean): { [k: string]: JsonValue } | null {
  if (readOnly || response === undefined || response === null) return null;
  const copy = redactTop(response, RESPONSE_SECRETS);
  return Object.keys(copy).length === 0 ? null : copy;
}

/**
 * Redacts any value by the request rules above (exported for callers that log other AWS-shaped
 * data). Returns undefined when nothing of the value may be logged.
 */
export function redactForTrail(value: unknown): JsonValue | undefined {
  const out = redact(value, { secrets: REQUEST_SECRETS, ancestors: new Set() }, 0, false);
  return out === DROP ? undefined : out;
}

function redactTop(value: unknown, secrets: ReadonlySet<string>): { [k: string]: JsonValue } {
  const out = redact(value, { secrets, ancestors: new Set() }, 0, false);
  return out !== null && typeof out === 'object' && !Array.isArray(out) ? out : {};
}

/** `isMapBody`: value is the body of an encryption context map (keys kept verbatim). */
function redact(value: unknown, walk: Walk, depth: number, isMapBody: boolean): Out {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return null;
      return Object.is(value, -0) ? 0 : value;
    case 'bigint': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : value.toString();
    }
    case 'object':
      return value === null ? null : redactObject(value, walk, depth, isMapBody);
    default:
      // undefined, function, symbol: JSON has no such value.
      return DROP;
  }
}

function redactObject(value: object, walk: Walk, depth: number, isMapBody: boolean): Out {
  if (isBinary(value)) return DROP;
  if (value instanceof Date) return formatTrailDate(value);
  if (depth >= MAX_DEPTH || walk.ancestors.has(value)) return DROP;
  walk.ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const arr: JsonValue[] = [];
      for (const item of value as unknown[]) {
        const out = redact(item, walk, depth + 1, false);
        if (out !== DROP) arr.push(out);
      }
      return arr;
    }
    const obj: { [k: string]: JsonValue } = {};
    for (const key of Object.keys(value)) {
      const lower = key.toLowerCase();
      if (walk.secrets.has(lower)) continue;
      const out = redact(readMember(value, key), walk, depth + 1, MAP_MEMBERS.has(lower) && !isMapBody);
      if (out !== DROP) setMember(obj, isMapBody ? key : lowerFirst(key), out);
    }
    return obj;
  } catch {
    // A hostile proxy (ownKeys trap throws) or similar: log nothing of it.
    return DROP;
  } finally {
    walk.ancestors.delete(value);
  }
}

function readMember(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isBinary(value: object): boolean {
  return (
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)
  );
}

function lowerFirst(key: string): string {
  return key.length === 0 ? key : key.charAt(0).toLowerCase() + key.slice(1);
}

/** Sets an own data property, even for the key `__proto__` (plain assignment would change the prototype). */
function setMember(obj: { [k: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}
