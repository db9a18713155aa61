/**
 * GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial (kms-semantics.md §1.2,
 * §1.5 footnotes 8–9, §2.2), and the expiry of imported material on the sandbox clock.
 *
 * The import flow, as the developer guide's "Importing key material" pages describe it:
 *
 *   GetParametersForImport(KeyId, WrappingAlgorithm, WrappingKeySpec)
 *     → a fresh RSA wrapping key pair (WebCrypto: not seedable, so the private key is a recorded
 *       output of the call, `ctx.recorded`), an opaque ImportToken (seeded random bytes) and
 *       ParametersValidTo = now + 24 sandbox hours. Stored as an `importParameters` record.
 *   The caller wraps its material with PublicKey (DER SubjectPublicKeyInfo):
 *     RSAES_OAEP_SHA_1 / _SHA_256      RSAES-OAEP(material), MGF1 with the same hash, empty label
 *     RSA_AES_KEY_WRAP_SHA_1 / _SHA_256 ┌──────── k bytes ─────────┬──── 8·(⌈n/8⌉+1) bytes ────┐
 *       (PKCS#11 CKM_RSA_AES_KEY_WRAP) │ RSAES-OAEP(AES-256 key K) │ RFC 5649 wrap of material │
 *                                      └───────────────────────────┴───────────── under K ─────┘
 *   ImportKeyMaterial(KeyId, ImportToken, EncryptedKeyMaterial, ExpirationModel, ValidTo)
 *     → unwraps, checks the material fits the key spec (32 AES bytes; HMAC key of the spec's
 *       allowed length; DER PKCS#8 private key of the key's spec), derives the KeyMaterialId from
 *       the key id and the material (so only the same material is accepted again), Enabled.
 *
 * Choices (AWS documents them; messages marked *unverified* are ours in AWS's style):
 * - RSAES_PKCS1_V1_5 is refused: AWS stopped supporting it on 2023-10-10 (API reference,
 *   GetParametersForImport WrappingAlgorithm). SM2 / SM2PKE exist only in the China Regions.
 * - RSA private keys need an RSA_AES_KEY_WRAP algorithm; ECC_NIST_P521 material cannot be wrapped
 *   by RSAES_OAEP_* under RSA_2048 (developer guide, "Encrypt the key material"): both refused by
 *   GetParametersForImport with ValidationException *(unverified which call AWS refuses them in)*.
 * - Material that does not fit the key spec is IncorrectKeyMaterialException (the model's doc:
 *   "key material in the request is, expired, invalid, or does not meet expectations").
 * - ExpirationModel defaults to KEY_MATERIAL_EXPIRES (API reference), so ValidTo is then required;
 *   ValidTo must be in the future and at most 365 days ahead.
 * - Import tokens stay valid until ParametersValidTo (they are not spent by a successful import)
 *   *(unverified; AWS only documents the 24-hour validity)*.
 * - Not simulated: several materials per symmetric key (ImportType NEW_KEY_MATERIAL on a key that
 *   already has material, the PENDING_ROTATION state and on-demand rotation of imported keys, §8):
 *   refused with UnsupportedOperationException naming the simulator.
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { bytesToHex, equalBytes } from '../crypto';
import type { KeyMaterialId } from '../ids';
import type { ExpirationModel, ImportParametersRecord, KeyRecord } from '../model';
import { EXPIRATION_MODELS } from '../model';
import { DAY_MS, materialWithId, type OpContext } from '../context';
import { familyOf, isChinaRegion } from '../keySpecs';
import { KEY_ID, validateRequest, validationError } from '../validate';
import { useManagedKey } from './common';
import { loadKeyCrypto, type KeyCrypto } from './keyMaterial';
import { propagateToReplicas } from './multiRegionSync';
import { removeMaterial } from './importedMaterial';

export const WRAPPING_ALGORITHMS = [
  'RSAES_PKCS1_V1_5',
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
  'SM2PKE',
] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];
export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];

/** How long a wrapping key and import token stay valid (§2.2). */
export const IMPORT_PARAMETERS_VALIDITY_MS = 24 * 3_600_000;
/** ValidTo may be at most this far ahead (API reference, ImportKeyMaterial ValidTo). */
export const MAX_VALID_TO_MS = 365 * DAY_MS;
/** ImportToken length (opaque to callers; AWS's are longer, nothing depends on it). */
const IMPORT_TOKEN_BYTES = 64;
/** Domain label of the KeyMaterialId of imported material (AWS: "based on the KMS key ID and the imported key material"). */
const MATERIAL_ID_LABEL = 'kms-playground imported key material v1';

/**
 * Imported HMAC key lengths in bytes per spec (developer guide, "Requirements for imported key
 * material": at least the hash output, at most the hash block size).
 */
const HMAC_IMPORT_BYTES: Readonly<Record<string, readonly [number, number]>> = {
  HMAC_224: [28, 64],
  HMAC_256: [32, 64],
  HMAC_384: [48, 128],
  HMAC_512: [64, 128],
};

/** Footnote 9: keys that cannot hold imported material. */
function assertExternal(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL') {
    throw kmsError('UnsupportedOperationException', `${key.id} origin is ${key.origin} which is not valid for this operation.`);
  }
}

/** Footnote 8: a key with imported material that is pending deletion. */
function assertNotPendingDeletion(key: KeyRecord): void {
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') {
    throw kmsError('KMSInvalidStateException', `${key.id} is ${key.keyState === 'PendingDeletion' ? 'pending deletion' : 'pending replica deletion'}.`);
  }
}

/** Wrapping algorithm × wrapping key spec × key spec rules (API reference, developer guide). */
function checkWrapping(ctx: OpContext, key: KeyRecord, algorithm: WrappingAlgorithm, spec: WrappingKeySpec): void {
  const china = isChinaRegion(ctx.caller.region);
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    validationError('The RSAES_PKCS1_V1_5 wrapping algorithm is deprecated: KMS does not support it as of October 10, 2023. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
  }
  if (spec === 'SM2' || algorithm === 'SM2PKE') {
    if (!china) throw kmsError('UnsupportedOperationException', `WrappingKeySpec SM2 and WrappingAlgorithm SM2PKE are supported only in the China Regions.`);
    if (spec !== 'SM2' || algorithm !== 'SM2PKE') validationError('WrappingAlgorithm SM2PKE requires WrappingKeySpec SM2, and WrappingKeySpec SM2 requires WrappingAlgorithm SM2PKE.');
    throw kmsError('UnsupportedOperationException', 'SM2 wrapping keys are not supported by this simulator (it needs SM2 crypto, offered only in the China Regions).');
  }
  const aesWrap = algorithm.startsWith('RSA_AES_KEY_WRAP');
  if (aesWrap && china) {
    throw kmsError('UnsupportedOperationException', `The ${algorithm} wrapping algorithm is not supported in the China Regions.`);
  }
  if (!aesWrap && key.keySpec.startsWith('RSA_')) {
    validationError(`${algorithm} cannot wrap ${key.keySpec} key material (an RSA private key is too long for RSAES-OAEP). Use RSA_AES_KEY_WRAP_SHA_256 or RSA_AES_KEY_WRAP_SHA_1.`);
  }
  if (!aesWrap && key.keySpec === 'ECC_NIST_P521' && spec === 'RSA_2048') {
    validationError(`${algorithm} with an RSA_2048 wrapping key cannot wrap ECC_NIST_P521 key material. Use a larger wrapping key or an RSA_AES_KEY_WRAP wrapping algorithm.`);
  }
}

export const getParametersForImport: Operation = {
  name: 'GetParametersForImport',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      WrappingAlgorithm: { type: 'enum', required: true, values: WRAPPING_ALGORITHMS },
      WrappingKeySpec: { type: 'enum', required: true, values: WRAPPING_KEY_SPECS },
    });
    const algorithm = req.WrappingAlgorithm as WrappingAlgorithm;
    const wrappingKeySpec = req.WrappingKeySpec as WrappingKeySpec;
    const key = useManagedKey(ctx, req.KeyId as string, {
      conditions: { 'kms:wrappingalgorithm': [algorithm], 'kms:wrappingkeyspec': [wrappingKeySpec] },
    });
    assertExternal(key);
    assertNotPendingDeletion(key);
    checkWrapping(ctx, key, algorithm, wrappingKeySpec);
    const rsaSpec = wrappingKeySpec as Exclude<WrappingKeySpec, 'SM2'>;
    const keys = await loadKeyCrypto();
    const privateKey = await ctx.recorded('wrappingPrivateKey', async () => (await keys.generateKeyPair(rsaSpec, ctx.random)).privateKey);
    const publicKey = await keys.publicKeyFromPrivate(rsaSpec, privateKey);
    const importToken = ctx.random.bytes(IMPORT_TOKEN_BYTES);
    const validTo = ctx.now + IMPORT_PARAMETERS_VALIDITY_MS;
    // Expired parameters of this key are of no further use: drop them so records do not pile up.
    for (const p of ctx.tx.list('importParameters')) {
      if (p.keyArn === key.id && p.parametersValidTo < ctx.now) ctx.tx.delete('importParameters', p.id);
    }
    const record: ImportParametersRecord = {
      typeName: 'importParameters',
      id: `${key.id}#${bytesToHex(importToken)}`,
      keyArn: key.id,
      importToken,
      wrappingAlgorithm: algorithm,
      wrappingKeySpec,
      privateKey,
      parametersValidTo: validTo,
    };
    ctx.tx.put(record);
    return { KeyId: key.id, ImportToken: importToken, PublicKey: publicKey, ParametersValidTo: new Date(validTo) };
  },
};

/** The import parameters an ImportToken names, or the AWS error (§2.2). */
function parametersFor(ctx: OpContext, key: KeyRecord, token: Uint8Array): ImportParametersRecord {
  const own = ctx.tx.get('importParameters', `${key.id}#${bytesToHex(token)}`);
  if (!own) {
    const other = ctx.tx.list('importParameters').some((p) => equalBytes(p.importToken, token));
    throw kmsError(
      'InvalidImportTokenException',
      other ? `The import token was issued for another KMS key, not ${key.id}.` : 'The import token is not valid: it was not returned by GetParametersForImport.',
    );
  }
  if (own.parametersValidTo < ctx.now) {
    throw kmsError('ExpiredImportTokenException', `The import token expired at ${new Date(own.parametersValidTo).toISOString()}. Call GetParametersForImport for a new wrapping key and import token.`);
  }
  return own;
}

function invalidCiphertext(reason: string): never {
  // As in Decrypt: AWS sends InvalidCiphertextException with an empty message; the reason is for the UI.
  throw kmsError('InvalidCiphertextException', '', { reason });
}

/** The material inside EncryptedKeyMaterial, or InvalidCiphertextException. */
async function unwrap(keys: KeyCrypto, params: ImportParametersRecord, wrapped: Uint8Array): Promise<Uint8Array> {
  const algorithm = params.wrappingAlgorithm as WrappingAlgorithm;
  const oaep = algorithm.endsWith('SHA_1') ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
  const k = Number(params.wrappingKeySpec.slice(4)) / 8;
  try {
    if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') {
      return await keys.rsaOaepDecrypt(params.privateKey, oaep, wrapped);
    }
    if (wrapped.length < k + 16) invalidCiphertext(`EncryptedKeyMaterial is too short for ${algorithm}: an RSA-OAEP block of ${k} bytes followed by an RFC 5649 wrapped key.`);
    const aesKey = await keys.rsaOaepDecrypt(params.privateKey, oaep, wrapped.subarray(0, k));
    if (aesKey.length !== 32) invalidCiphertext(`The RSA-OAEP block must hold a 256-bit AES key, not ${aesKey.length} bytes.`);
    return keys.aesKeyUnwrapPad(aesKey, wrapped.subarray(k));
  } catch (e) {
    if (e instanceof keys.CryptoKeyError) invalidCiphertext(`The key material could not be unwrapped with the wrapping key and ${algorithm}: ${e.message}.`);
    throw e;
  }
}

function incorrectMaterial(message: string): never {
  throw kmsError('IncorrectKeyMaterialException', message);
}

/** Checks the unwrapped material fits the key spec (developer guide, requirements for imported key material). */
async function checkMaterial(keys: KeyCrypto, key: KeyRecord, material: Uint8Array): Promise<void> {
  const family = familyOf(key.keySpec);
  if (family === 'symmetric') {
    if (material.length !== 32) incorrectMaterial(`Key material for a SYMMETRIC_DEFAULT key must be 256 bits (32 bytes), not ${material.length} bytes.`);
    return;
  }
  if (family === 'hmac') {
    const [min, max] = HMAC_IMPORT_BYTES[key.keySpec] ?? [0, 0];
    if (material.length < min || material.length > max) incorrectMaterial(`Key material for an ${key.keySpec} key must be ${min} to ${max} bytes, not ${material.length} bytes.`);
    return;
  }
  try {
    await keys.publicKeyFromPrivate(key.keySpec as Parameters<KeyCrypto['publicKeyFromPrivate']>[0], material);
  } catch (e) {
    if (e instanceof keys.CryptoKeyError) incorrectMaterial(`Key material for a ${key.keySpec} key must be its private key as DER-encoded PKCS#8 PrivateKeyInfo.`);
    throw e;
  }
}

/** The KeyMaterialId of imported material: a function of the key id and the material (§2.2). */
async function importedMaterialId(ctx: OpContext, key: KeyRecord, material: Uint8Array): Promise<KeyMaterialId> {
  const label = new TextEncoder().encode(`${MATERIAL_ID_LABEL}\0${key.keyId}\0`);
  const input = new Uint8Array(label.length + material.length);
  input.set(label);
  input.set(material, label.length);
  return bytesToHex(await ctx.crypto.sha256(input)) as KeyMaterialId;
}

/** ExpirationModel and ValidTo of a request, checked (API reference, ImportKeyMaterial). */
function expirationOf(ctx: OpContext, req: Readonly<Record<string, unknown>>): { model: ExpirationModel; validTo: number | null } {
  const model = (req.ExpirationModel as ExpirationModel | undefined) ?? 'KEY_MATERIAL_EXPIRES';
  const raw = req.ValidTo;
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (raw !== undefined && raw !== null) validationError('ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
    return { model, validTo: null };
  }
  if (raw === undefined || raw === null) validationError('ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default ExpirationModel).');
  const validTo = raw instanceof Date ? raw.getTime() : NaN;
  if (!Number.isFinite(validTo)) validationError('ValidTo must be a timestamp.');
  if (validTo <= ctx.now) validationError('ValidTo must be a future date and time.');
  if (validTo > ctx.now + MAX_VALID_TO_MS) validationError('ValidTo must be no more than 365 days from the request date.');
  return { model, validTo };
}

export const importKeyMaterial: Operation = {
  name: 'ImportKeyMaterial',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      ImportToken: { type: 'blob', required: true, min: 1, max: 6144 },
      EncryptedKeyMaterial: { type: 'blob', required: true, min: 1, max: 6144 },
      ExpirationModel: { type: 'enum', values: EXPIRATION_MODELS },
      ImportType: { type: 'enum', values: ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] },
      KeyMaterialDescription: { type: 'string', min: 0, max: 256 },
      KeyMaterialId: { type: 'string', min: 64, max: 64, pattern: /^[a-f0-9]+$/ },
    });
    // Condition keys of the request as sent (§6.3); their service-side rules are checked after the key's.
    const model = (req.ExpirationModel as ExpirationModel | undefined) ?? 'KEY_MATERIAL_EXPIRES';
    const key = useManagedKey(ctx, req.KeyId as string, {
      conditions: {
        'kms:expirationmodel': [model],
        ...(req.ValidTo instanceof Date ? { 'kms:validto': [String(Math.floor(req.ValidTo.getTime() / 1000))] } : {}),
      },
    });
    assertExternal(key);
    assertNotPendingDeletion(key);
    const expiration = expirationOf(ctx, req);
    const symmetric = key.keySpec === 'SYMMETRIC_DEFAULT';
    for (const m of ['ImportType', 'KeyMaterialDescription', 'KeyMaterialId'] as const) {
      if (req[m] !== undefined && !symmetric) validationError(`${m} is only usable with symmetric encryption keys; ${key.id} is ${key.keySpec}.`);
    }
    const isNew = (req.ImportType ?? (key.currentKeyMaterialId === null ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL')) === 'NEW_KEY_MATERIAL';
    if (isNew && req.KeyMaterialId !== undefined) validationError('You cannot specify a KeyMaterialId with ImportType NEW_KEY_MATERIAL.');
    const params = parametersFor(ctx, key, req.ImportToken as Uint8Array);
    const keys = await loadKeyCrypto();
    const material = await unwrap(keys, params, req.EncryptedKeyMaterial as Uint8Array);
    await checkMaterial(keys, key, material);
    const id = await importedMaterialId(ctx, key, material);
    if (key.currentKeyMaterialId === null) {
      if (!isNew) incorrectMaterial(`No key material was ever imported into ${key.id}: import its first key material with ImportType NEW_KEY_MATERIAL.`);
    } else if (id !== key.currentKeyMaterialId) {
      if (isNew) {
        throw kmsError('UnsupportedOperationException', 'Importing new key material into a key that already has key material (for on-demand rotation) is not supported by this simulator yet.');
      }
      incorrectMaterial(`The key material is not the key material previously imported into ${key.id}: only the same key material can be imported again.`);
    } else if (req.ImportType === 'NEW_KEY_MATERIAL') {
      incorrectMaterial(`KMS expected new key material, but this key material is already associated with ${key.id}.`);
    }
    if (req.KeyMaterialId !== undefined && req.KeyMaterialId !== id) {
      incorrectMaterial(`The key material does not match KeyMaterialId ${String(req.KeyMaterialId)}.`);
    }
    const next: KeyRecord = {
      ...key,
      keyState: key.keyState === 'PendingImport' ? 'Enabled' : key.keyState,
      currentKeyMaterialId: id,
      expirationModel: expiration.model,
      validTo: expiration.validTo,
    };
    ctx.tx.put(materialWithId(key.id, id, material, ctx.now, null, 0));
    ctx.tx.put(next);
    if (next.multiRegionKeyType === 'PRIMARY') propagateToReplicas(ctx.tx, next);
    return { KeyId: key.id, KeyMaterialId: id };
  },
};


export const deleteImportedKeyMaterial: Operation = {
  name: 'DeleteImportedKeyMaterial',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, KeyMaterialId: { type: 'string', min: 64, max: 64, pattern: /^[a-f0-9]+$/ } });
    const key = useManagedKey(ctx, req.KeyId as string);
    assertExternal(key);
    if (req.KeyMaterialId !== undefined && req.KeyMaterialId !== key.currentKeyMaterialId) {
      throw kmsError('NotFoundException', `Key material ${String(req.KeyMaterialId)} is not associated with ${key.id}.`);
    }
    // PendingImport: nothing to delete, no effect (§1.5).
    const next = key.keyState === 'PendingImport' ? key : removeMaterial(ctx.tx, key);
    if (next !== key && next.multiRegionKeyType === 'PRIMARY') propagateToReplicas(ctx.tx, next);
    return { KeyId: key.id, ...(key.currentKeyMaterialId !== null ? { KeyMaterialId: key.currentKeyMaterialId } : {}) };
  },
};
