/**
 * Steps shared by the operation handlers: resolve → authorize → state check (§1.5 ordering
 * hint: NotFound, then AccessDenied, then Disabled/KMSInvalidState, then usage, then payload),
 * the symmetric seal/open used by Encrypt, Decrypt, ReEncrypt and GenerateDataKey*, and the
 * RSAES-OAEP seal/open of asymmetric ENCRYPT_DECRYPT keys (§2.2, §3.1, §4.2).
 *
 * AWS's messages for key-usage errors (recorded from real AWS by users of the service):
 *   InvalidKeyUsageException `<key ARN> key usage is SIGN_VERIFY which is not valid for Encrypt.`
 *     (github.com/jonathankeebler/jwt-kms issue 4)
 *   InvalidKeyUsageException `Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096.`
 *     (github.com/zalando/spring-cloud-config-aws-kms issue 82; jkroepke/helm-secrets issue 395)
 * Unverified (the wording emulators use; AWS's own text not found in our sources):
 *   ValidationException `EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.`
 *   ValidationException `Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.`
 *     (LocalStack's provider)
 *   InvalidKeyUsageException `<key ARN> key KeySpec is RSA_2048 which is not valid for GenerateDataKey.` (local-kms)
 */
import { decodeCiphertextBlob, openSymmetric, sealSymmetric } from '../crypto';
import { kmsError, type KmsError } from '../errors';
import { algorithmsOf } from '../keySpecs';
import { assertOperationAllowed } from '../lifecycle/matrix';
import type { KeyRecord, MaterialRecord } from '../model';
import { authorize, encryptionContextConditions } from '../authorization';
import { classifyKeyIdentifier, keyArn, type AccountId, type KeyArn, type KeyId } from '../ids';
import type { ConditionContext } from '../policy/types';
import { parseGrantToken } from '../policy/grants';
import { materialOf, resolveKey, type KeyIdForms, type OpContext } from '../context';
import { AuthenticationError } from '../ports';

/** What a key-using request adds to its authorization question. */
/**
 * Throws InvalidGrantTokenException unless every token is one KMS issued (well-formed). Tokens of
 * grants that were retired or revoked are well-formed: they are accepted and simply allow nothing.
 * Every operation that takes GrantTokens should call this before authorizing (§7.3).
 */
export function assertGrantTokens(tokens: readonly string[] | undefined): void {
  (tokens ?? []).forEach((t, i) => {
    if (!parseGrantToken(t)) {
      throw kmsError('InvalidGrantTokenException', `The grant token at GrantTokens position ${i + 1} is not valid.`);
    }
  });
}

export interface UseKeyOptions {
  /** AWS operation whose state rules and cross-account rule apply (default: the call's). */
  readonly operation?: string;
  /** IAM action (default `kms:<operation>`). */
  readonly action?: string;
  /** Request condition keys (lower-cased names), e.g. from `encryptionContextConditions`. */
  readonly conditions?: ConditionContext;
  /** The request's encryption context (grant constraints). */
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/** kms:RequestAlias: the alias the request named the key by, if any (§6.5). */
export function requestAliasCondition(keyIdInput: string): Record<string, string[]> {
  const id = classifyKeyIdentifier(keyIdInput);
  return id.kind === 'aliasName' || id.kind === 'aliasArn' ? { 'kms:requestalias': [id.aliasName] } : {};
}

/**
 * Resolves the key a request names, authorizes the action (key policy, IAM, grants) and checks
 * the key state: NotFound, then AccessDenied, then Disabled/KMSInvalidState (§1.5 ordering).
 */
export function useKey(ctx: OpContext, keyIdInput: string, forms: KeyIdForms, opts: UseKeyOptions = {}): KeyRecord {
  const operation = opts.operation ?? ctx.operation;
  const key = resolveKey(ctx, keyIdInput, forms);
  ctx.touch(key);
  authorize(ctx, {
    operation,
    action: opts.action ?? `kms:${operation}`,
    target: key,
    conditions: { ...requestAliasCondition(keyIdInput), ...opts.conditions },
    ...(opts.encryptionContext ? { encryptionContext: opts.encryptionContext } : {}),
  });
  assertOperationAllowed(operation, key);
  return key;
}

/** Key-id-only operations on keys (no crypto). */
export function useManagedKey(ctx: OpContext, keyIdInput: string, opts: UseKeyOptions = {}): KeyRecord {
  return useKey(ctx, keyIdInput, 'idOrArn', opts);
}

/** An IAM-only authorization (no key: CreateKey, ListKeys, GenerateRandom, alias resources). */
export function authorizeIam(ctx: OpContext, resource: string, conditions: ConditionContext = {}, action = `kms:${ctx.operation}`): void {
  authorize(ctx, { operation: ctx.operation, action, target: resource, conditions });
}

/**
 * Condition keys of a crypto request: its encryption context and `kms:EncryptionAlgorithm` (the
 * request's algorithm, SYMMETRIC_DEFAULT when omitted).
 */
export function cryptoConditions(ec: Readonly<Record<string, string>> | undefined, algorithm: unknown = undefined): ConditionContext {
  return { ...encryptionContextConditions(ec), 'kms:encryptionalgorithm': [typeof algorithm === 'string' ? algorithm : 'SYMMETRIC_DEFAULT'] };
}

/** EncryptionAlgorithm values of asymmetric keys (§4.1). */
export type AsymmetricEncryptionAlgorithm = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'SM2PKE';

/** True when a request's EncryptionAlgorithm is an asymmetric one (absent means SYMMETRIC_DEFAULT). */
export function isAsymmetricAlgorithm(algorithm: unknown): algorithm is AsymmetricEncryptionAlgorithm {
  return algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT';
}

/**
 * ValidationException when an asymmetric EncryptionAlgorithm comes with a non-empty encryption
 * context: only symmetric keys bind one (§2.2 Encrypt, §4.2). A request-level check, so it runs
 * before the key is resolved. `member` names the context member (ReEncrypt has two).
 */
export function assertNoContextForAsymmetric(algorithm: unknown, ec: Readonly<Record<string, string>> | undefined): void {
  if (isAsymmetricAlgorithm(algorithm) && ec !== undefined && Object.keys(ec).length > 0) {
    throw kmsError('ValidationException', 'EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.');
  }
}

function keyUsageError(key: KeyRecord, operation: string): KmsError {
  return kmsError('InvalidKeyUsageException', `${key.id} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
}

function algorithmError(algorithm: string, key: KeyRecord): KmsError {
  return kmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`);
}

/**
 * Checks a key for Encrypt/Decrypt/ReEncrypt with `algorithm` (absent = SYMMETRIC_DEFAULT):
 * usage ENCRYPT_DECRYPT, else InvalidKeyUsageException naming the operation; the algorithm in
 * the key's EncryptionAlgorithms (§4.1), else InvalidKeyUsageException. Returns the algorithm.
 */
export function assertEncryptionKey(key: KeyRecord, algorithm: unknown, operation: string): string {
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') throw keyUsageError(key, operation);
  const alg = typeof algorithm === 'string' ? algorithm : 'SYMMETRIC_DEFAULT';
  const allowed = algorithmsOf(key.keySpec, key.keyUsage)?.EncryptionAlgorithms ?? [];
  if (!allowed.includes(alg)) throw algorithmError(alg, key);
  return alg;
}

/**
 * Throws InvalidKeyUsageException unless the key can do symmetric encryption with `algorithm`
 * (GenerateDataKey*, GenerateDataKeyPair*, and the symmetric halves of the others: only
 * symmetric keys make data keys and take an encryption context, §4.2).
 */
export function assertSymmetricEncryptionKey(key: KeyRecord, algorithm: unknown, operation = 'this operation'): void {
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') throw keyUsageError(key, operation);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    if (algorithm === undefined && operation.startsWith('GenerateDataKey')) {
      throw kmsError('InvalidKeyUsageException', `${key.id} key KeySpec is ${key.keySpec} which is not valid for ${operation}.`);
    }
    throw algorithmError(typeof algorithm === 'string' ? algorithm : 'SYMMETRIC_DEFAULT', key);
  }
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') throw algorithmError(String(algorithm), key);
}

/** RSA modulus bytes of an RSA key spec (`RSA_2048` → 256), else null. */
export function rsaModulusBytes(spec: string): number | null {
  const m = /^RSA_(2048|3072|4096)$/.exec(spec);
  return m ? Number(m[1]) / 8 : null;
}

/** Throws DryRunOperationException: the call would have succeeded (§2.1 notes). */
export function dryRunSucceeded(): never {
  throw kmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

/** Encrypts `plaintext` under the key's current material with `context` as AAD. */
export async function sealWithKey(
  ctx: OpContext,
  key: KeyRecord,
  plaintext: Uint8Array,
  context: Readonly<Record<string, string>> | undefined,
): Promise<{ blob: Uint8Array; material: MaterialRecord }> {
  const material = key.currentKeyMaterialId === null ? undefined : materialOf(ctx, key, key.currentKeyMaterialId);
  if (!material) throw kmsError('KMSInternalException', `Key material of ${key.id} is missing.`);
  const blob = await sealSymmetric(ctx.crypto, await ctx.aesKey(material), {
    keyArn: key.id,
    keyMaterialId: material.keyMaterialId,
    iv: ctx.random.bytes(12),
    plaintext,
    encryptionContext: context ?? {},
  });
  return { blob, material };
}

/**
 * The ARN a symmetric blob's key has in the caller's Region: the blob's own ARN, or for a
 * multi-Region key (`mrk-` id) made in another Region, its related key's ARN here (§9).
 */
export function keyArnInCallerRegion(ctx: OpContext, blobArn: KeyArn): KeyArn {
  const parsed = classifyKeyIdentifier(blobArn);
  if (parsed.kind !== 'keyArn' || !parsed.keyId.startsWith('mrk-') || parsed.region === ctx.caller.region) return blobArn;
  return keyArn(ctx.caller.region, parsed.account as AccountId, parsed.keyId as KeyId);
}

/** What Decrypt (and ReEncrypt's source half) found. */
export interface OpenedCiphertext {
  readonly key: KeyRecord;
  readonly material: MaterialRecord;
  readonly plaintext: Uint8Array;
}

const INVALID_CIPHERTEXT = '';

export function invalidCiphertext(reason: string): never {
  // AWS sends InvalidCiphertextException with an empty message; the reason goes to `details` for the UI.
  throw kmsError('InvalidCiphertextException', INVALID_CIPHERTEXT, { reason });
}

/**
 * Decrypts a symmetric ciphertext blob. `keyIdInput` (optional) must name the key that
 * encrypted it, else IncorrectKeyException. `dryRun` stops after every check but the tag.
 */
export async function openCiphertext(
  ctx: OpContext,
  blob: Uint8Array,
  context: Readonly<Record<string, string>> | undefined,
  keyIdInput: string | undefined,
  operation: string,
  algorithm: unknown,
  dryRun: boolean,
): Promise<OpenedCiphertext | null> {
  const named = keyIdInput === undefined ? undefined : resolveKey(ctx, keyIdInput, 'any');
  if (named && named.keySpec !== 'SYMMETRIC_DEFAULT') {
    // Recorded from AWS (§1.5 end): a KeyId naming a key of another type (HMAC, asymmetric)
    // does not match the symmetric ciphertext: IncorrectKeyException, not InvalidKeyUsage.
    ctx.touch(named);
    throw kmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.', {
      reason: `${named.id} is a ${named.keySpec} key; asymmetric ciphertext needs its EncryptionAlgorithm, and other key types cannot decrypt.`,
    });
  }
  const decoded = decodeCiphertextBlob(blob);
  if (!decoded.ok) invalidCiphertext(`The ciphertext blob is malformed: ${decoded.reason}`);
  // Keys live in one Region: a blob made in another Region names no key reachable from here,
  // except a multi-Region key's, which any related key (same mrk- id) decrypts (§9).
  const here = keyArnInCallerRegion(ctx, decoded.value.keyArn as KeyArn);
  const found = ctx.tx.get('key', here);
  const key = found && found.region === ctx.caller.region ? found : undefined;
  if (named && named.id !== here) {
    ctx.touch(named);
    throw kmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
  if (!key) invalidCiphertext('The ciphertext refers to a key that does not exist in this sandbox.');
  ctx.touch(key);
  authorize(ctx, {
    operation,
    action: `kms:${operation === 'ReEncrypt' ? 'ReEncryptFrom' : operation}`,
    target: key,
    conditions: { ...(keyIdInput ? requestAliasCondition(keyIdInput) : {}), ...cryptoConditions(context) },
    ...(context ? { encryptionContext: context } : {}),
  });
  assertOperationAllowed(operation, key);
  assertSymmetricEncryptionKey(key, algorithm, operation);
  const material = materialOf(ctx, key, decoded.value.keyMaterialId);
  if (!material) invalidCiphertext('The ciphertext refers to key material this key does not have.');
  if (dryRun) return null;
  try {
    const plaintext = await openSymmetric(ctx.crypto, await ctx.aesKey(material), decoded.value, context ?? {});
    ctx.useMaterial(material.keyMaterialId);
    return { key, material, plaintext };
  } catch (e) {
    if (e instanceof AuthenticationError) {
      invalidCiphertext('The ciphertext or its encryption context was changed, or the encryption context does not match the one used to encrypt.');
    }
    throw e;
  }
}
