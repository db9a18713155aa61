/**
 * CreateKey (§2.2, §4): every KeySpec with the usages §4.1 allows (SM2 only in the China Regions),
 * origins AWS_KMS, EXTERNAL (PendingImport, no material until ImportKeyMaterial), AWS_CLOUDHSM and
 * EXTERNAL_KEY_STORE (in a custom key store, checked by `keyStoreForNewKey`), multi-Region
 * primaries (`mrk-` ids, §9). Material comes from `generateKeyMaterial` (seeded, or recorded for RSA).
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { isKeyIdFormat, keyArn, uuidFromBytes } from '../ids';
import { KEY_SPECS, KEY_USAGES, ORIGINS, PLAIN_KEY_FIELDS, type KeyRecord, type KeySpec, type KeyUsage, type Origin } from '../model';
import { keyMetadata } from '../context';
import { bytesToHex } from '../crypto';
import { algorithmsOf, isChinaOnly, isChinaRegion, usagesOf } from '../keySpecs';
import { newKeyMaterial } from './keyMaterial';
import { validateRequest, validationError } from '../validate';
import { requestTagConditions } from '../authorization';
import { authorizeIam } from './common';
import { checkNewKeyPolicy, putPolicy, validatePolicyText } from './keyPolicy';
import { applyTags, validateTags } from './tags';

export const createKey: Operation = {
  name: 'CreateKey',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, {
      Policy: { type: 'string', min: 1, max: 131072 },
      Description: { type: 'string', min: 0, max: 8192 },
      KeyUsage: { type: 'enum', values: KEY_USAGES },
      CustomerMasterKeySpec: { type: 'enum', values: KEY_SPECS.filter((s) => !/^(ML_|ECC_NIST_EDWARDS)/.test(s)) },
      KeySpec: { type: 'enum', values: KEY_SPECS },
      Origin: { type: 'enum', values: ORIGINS },
      CustomKeyStoreId: { type: 'string', min: 1, max: 64 },
      BypassPolicyLockoutSafetyCheck: { type: 'boolean' },
      Tags: { type: 'tagList' },
      MultiRegion: { type: 'boolean' },
      XksKeyId: { type: 'string', min: 1, max: 128, pattern: /^[a-zA-Z0-9-_.]+$/ },
    });
    if (req.KeySpec !== undefined && req.CustomerMasterKeySpec !== undefined) {
      validationError('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
    }
    const keySpec = (req.KeySpec ?? req.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as KeySpec;
    const keyUsage = (req.KeyUsage ?? 'ENCRYPT_DECRYPT') as KeyUsage;
    const origin = (req.Origin ?? 'AWS_KMS') as Origin;
    const multiRegion = req.MultiRegion === true;
    if (keySpec !== 'SYMMETRIC_DEFAULT' && req.KeyUsage === undefined) {
      validationError(`KeyUsage is required for KeySpec ${keySpec}.`);
    }
    if (!algorithmsOf(keySpec, keyUsage)) {
      validationError(`KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}. Valid KeyUsage values for ${keySpec}: ${usagesOf(keySpec).join(', ')}.`);
    }
    if (isChinaOnly(keySpec) && !isChinaRegion(ctx.caller.region)) {
      throw kmsError('UnsupportedOperationException', `KeySpec ${keySpec} is not supported in this Region`);
    }
    if (req.XksKeyId !== undefined && origin !== 'EXTERNAL_KEY_STORE') {
      validationError('XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE.');
    }
    const inStore = origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE';
    if (req.CustomKeyStoreId !== undefined && !inStore) {
      validationError('CustomKeyStoreId is valid only when Origin is AWS_CLOUDHSM or EXTERNAL_KEY_STORE.');
    }

    const tags = validateTags(req.Tags);
    const bypass = req.BypassPolicyLockoutSafetyCheck === true;
    // CreateKey is an IAM-only permission (there is no key policy yet, §2.2); tags need kms:TagResource too.
    // Both questions are about the same request, so they see the same condition keys.
    const conditions = {
      'kms:keyspec': [keySpec],
      'kms:keyusage': [keyUsage],
      'kms:keyorigin': [origin],
      'kms:multiregion': [String(multiRegion)],
      'kms:bypasspolicylockoutsafetycheck': [String(bypass)],
      ...requestTagConditions(tags),
    };
    authorizeIam(ctx, '*', conditions);
    if (tags.length > 0) authorizeIam(ctx, '*', conditions, 'kms:TagResource');
    const policyDoc = req.Policy === undefined ? undefined : validatePolicyText(req.Policy as string);
    // The store is checked after the IAM question, as every resource check comes after authorization.
    // customKeyStores.ts is loaded on first use (it is not in the page's first load).
    const store = inStore
      ? (await import('./customKeyStores')).keyStoreForNewKey(ctx, {
          origin,
          customKeyStoreId: req.CustomKeyStoreId as string | undefined,
          xksKeyId: req.XksKeyId as string | undefined,
          keySpec,
          multiRegion,
        })
      : null;

    const idBytes = ctx.random.bytes(16);
    const keyId = multiRegion ? `mrk-${bytesToHex(idBytes)}` : uuidFromBytes(idBytes);
    if (!isKeyIdFormat(keyId)) throw kmsError('KMSInternalException', 'Generated key id is malformed.');
    const arn = keyArn(ctx.caller.region, ctx.caller.accountId, keyId);
    // EXTERNAL keys start without material (PendingImport, §1.2); every other origin gets it now.
    // Draw order is a replay contract (STYLE §8): key id, then material id, then the material.
    const material = origin === 'EXTERNAL' ? null : await newKeyMaterial(ctx, arn, keySpec);
    const key: KeyRecord = {
      typeName: 'key',
      id: arn,
      keyId,
      accountId: ctx.caller.accountId,
      region: ctx.caller.region,
      creationDate: ctx.now,
      description: (req.Description as string | undefined) ?? '',
      keySpec,
      keyUsage,
      origin,
      keyManager: 'CUSTOMER',
      keyState: material ? 'Enabled' : 'PendingImport',
      deletionDate: null,
      pendingDeletionWindowInDays: null,
      currentKeyMaterialId: material?.keyMaterialId ?? null,
      rotationEnabled: false,
      rotationPeriodInDays: null,
      nextRotationDate: null,
      onDemandRotationCount: 0,
      ...PLAIN_KEY_FIELDS,
      multiRegionKeyType: multiRegion ? 'PRIMARY' : null,
      customKeyStoreId: store?.customKeyStoreId ?? null,
      xksKeyId: store?.xksKeyId ?? null,
    };
    if (policyDoc) checkNewKeyPolicy(ctx, key, policyDoc, bypass);
    ctx.tx.put(key);
    if (material) ctx.tx.put(material);
    putPolicy(ctx, key, req.Policy as string | undefined);
    applyTags(ctx, key, tags);
    ctx.touch(key);
    return { KeyMetadata: keyMetadata(key) };
  },
};
