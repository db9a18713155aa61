/**
 * CreateKey (§2.2, §4): SYMMETRIC_DEFAULT keys with AWS_KMS material now. Other key specs,
 * origins, custom key stores and multi-Region keys are validated, then answered honestly as not
 * yet supported by the simulator (UnsupportedOperationException) until issue 7.
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { isKeyIdFormat, keyArn, uuidFromBytes, type KeyId } from '../ids';
import { KEY_SPECS, KEY_USAGES, ORIGINS, type KeyRecord } from '../model';
import { keyMetadata, newMaterial } from '../context';
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
    const keySpec = (req.KeySpec ?? req.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT') as string;
    const keyUsage = (req.KeyUsage ?? 'ENCRYPT_DECRYPT') as string;
    if (keySpec === 'SYMMETRIC_DEFAULT' && keyUsage !== 'ENCRYPT_DECRYPT') {
      validationError(`KeyUsage ${keyUsage} is not compatible with KeySpec SYMMETRIC_DEFAULT.`);
    }
    if (keySpec !== 'SYMMETRIC_DEFAULT' && req.KeyUsage === undefined) {
      validationError(`KeyUsage is required for KeySpec ${keySpec}.`);
    }
    if (req.CustomKeyStoreId !== undefined) {
      throw kmsError('CustomKeyStoreNotFoundException', `Custom key store '${String(req.CustomKeyStoreId)}' does not exist.`);
    }
    const notYet = (what: string) =>
      kmsError('UnsupportedOperationException', `${what} is not supported by this simulator yet; it arrives with the key-zoo work (issue 7).`);
    if (keySpec !== 'SYMMETRIC_DEFAULT') throw notYet(`KeySpec ${keySpec}`);
    if (req.Origin !== undefined && req.Origin !== 'AWS_KMS') throw notYet(`Origin ${String(req.Origin)}`);
    if (req.XksKeyId !== undefined) throw notYet('XksKeyId (external key stores)');
    if (req.MultiRegion === true) throw notYet('MultiRegion keys');

    const tags = validateTags(req.Tags);
    const bypass = req.BypassPolicyLockoutSafetyCheck === true;
    // CreateKey is an IAM-only permission (there is no key policy yet, §2.2); tags need kms:TagResource too.
    // Both questions are about the same request, so they see the same condition keys.
    const conditions = {
      'kms:keyspec': [keySpec],
      'kms:keyusage': [keyUsage],
      'kms:keyorigin': [(req.Origin as string | undefined) ?? 'AWS_KMS'],
      'kms:multiregion': [String(req.MultiRegion === true)],
      'kms:bypasspolicylockoutsafetycheck': [String(bypass)],
      ...requestTagConditions(tags),
    };
    authorizeIam(ctx, '*', conditions);
    if (tags.length > 0) authorizeIam(ctx, '*', conditions, 'kms:TagResource');
    const policyDoc = req.Policy === undefined ? undefined : validatePolicyText(req.Policy as string);

    const keyId = uuidFromBytes(ctx.random.bytes(16));
    if (!isKeyIdFormat(keyId)) throw kmsError('KMSInternalException', 'Generated key id is malformed.');
    const arn = keyArn(ctx.caller.region, ctx.caller.accountId, keyId as KeyId);
    const material = newMaterial(ctx.random, arn, ctx.now, null, 0);
    const key: KeyRecord = {
      typeName: 'key',
      id: arn,
      keyId: keyId as KeyId,
      accountId: ctx.caller.accountId,
      region: ctx.caller.region,
      creationDate: ctx.now,
      description: (req.Description as string | undefined) ?? '',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      deletionDate: null,
      pendingDeletionWindowInDays: null,
      currentKeyMaterialId: material.keyMaterialId,
      rotationEnabled: false,
      rotationPeriodInDays: null,
      nextRotationDate: null,
      onDemandRotationCount: 0,
    };
    if (policyDoc) checkNewKeyPolicy(ctx, key, policyDoc, bypass);
    ctx.tx.put(key);
    ctx.tx.put(material);
    putPolicy(ctx, key, req.Policy as string | undefined);
    applyTags(ctx, key, tags);
    ctx.touch(key);
    return { KeyMetadata: keyMetadata(key) };
  },
};
