/**
 * Steps shared by the operation handlers: resolve → authorize → state check (§1.5 ordering
 * hint: NotFound, then AccessDenied, then Disabled/KMSInvalidState, then usage, then payload),
 * and the symmetric seal/open used by Encrypt, Decrypt, ReEncrypt and GenerateDataKey*.
 */
import { decodeCiphertextBlob, openSymmetric, sealSymmetric } from '../crypto';
import { kmsError } from '../errors';
import { assertOperationAllowed } from '../lifecycle/matrix';
import type { KeyRecord, MaterialRecord } from '../model';
import { authorize, encryptionContextConditions } from '../authorization';
import { classifyKeyIdentifier, keyArn, type AccountId, type KeyArn, type KeyId } from '../ids';
import type { ConditionContext } from '../policy/types';
import { materialOf, resolveKey, type KeyIdForms, type OpContext } from '../context';
import { AuthenticationError } from '../ports';

/** What a key-using request adds to its authorization question. */
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
function requestAliasCondition(keyIdInput: string): Record<string, string[]> {
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

/** Condition keys of a symmetric crypto request: its encryption context and algorithm. */
export function cryptoConditions(ec: Readonly<Record<string, string>> | undefined): ConditionContext {
  return { ...encryptionContextConditions(ec), 'kms:encryptionalgorithm': ['SYMMETRIC_DEFAULT'] };
}

/** Throws InvalidKeyUsageException unless the key can do symmetric encryption. */
export function assertSymmetricEncryptionKey(key: KeyRecord, algorithm: unknown): void {
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.keyUsage !== 'ENCRYPT_DECRYPT') {
    throw kmsError('InvalidKeyUsageException', `${key.id} key usage is ${key.keyUsage} which is not valid for this operation.`);
  }
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw kmsError('InvalidKeyUsageException', `The encryption algorithm ${String(algorithm)} is not valid for ${key.id} (KeySpec SYMMETRIC_DEFAULT supports SYMMETRIC_DEFAULT only).`);
  }
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

function invalidCiphertext(reason: string): never {
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
  assertSymmetricEncryptionKey(key, algorithm);
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
