/**
 * GenerateDataKey and GenerateDataKeyWithoutPlaintext (§2.2, §3.1): a fresh random data key
 * (exactly one of KeySpec AES_128/AES_256 or NumberOfBytes 1–1024) and its encryption under a
 * symmetric key. Asymmetric and HMAC keys cannot make data keys (InvalidKeyUsageException, §4.2).
 */
import type { Operation } from './operation';
import type { AwsShape } from '../api';
import type { OpContext } from '../context';
import { DRY_RUN, ENCRYPTION_CONTEXT, GRANT_TOKENS, KEY_ID, NUMBER_OF_BYTES, validateRequest, validationError } from '../validate';
import { assertSymmetricEncryptionKey, cryptoConditions, dryRunSucceeded, sealWithKey, useKey } from './common';

async function generate(ctx: OpContext, req: AwsShape, withPlaintext: boolean): Promise<AwsShape> {
  validateRequest(req, {
    KeyId: KEY_ID,
    EncryptionContext: ENCRYPTION_CONTEXT,
    NumberOfBytes: NUMBER_OF_BYTES,
    KeySpec: { type: 'enum', values: ['AES_256', 'AES_128'] },
    GrantTokens: GRANT_TOKENS,
    DryRun: DRY_RUN,
  });
  if ((req.KeySpec === undefined) === (req.NumberOfBytes === undefined)) {
    validationError('Please specify either number of bytes or key spec.');
  }
  const ec = req.EncryptionContext as Record<string, string> | undefined;
  const key = useKey(ctx, req.KeyId as string, 'any', { conditions: cryptoConditions(ec), ...(ec ? { encryptionContext: ec } : {}) });
  assertSymmetricEncryptionKey(key, undefined, ctx.operation);
  if (req.DryRun === true) dryRunSucceeded();
  const n = req.KeySpec === 'AES_128' ? 16 : req.KeySpec === 'AES_256' ? 32 : (req.NumberOfBytes as number);
  const dataKey = ctx.random.bytes(n);
  const { blob, material } = await sealWithKey(ctx, key, dataKey, ec);
  ctx.useMaterial(material.keyMaterialId);
  if (!withPlaintext) {
    dataKey.fill(0);
    return { CiphertextBlob: blob, KeyId: key.id, KeyMaterialId: material.keyMaterialId };
  }
  return { CiphertextBlob: blob, Plaintext: dataKey, KeyId: key.id, KeyMaterialId: material.keyMaterialId };
}

export const generateDataKey: Operation = {
  name: 'GenerateDataKey',
  readOnly: true,
  handle: (ctx, req) => generate(ctx, req, true),
};

export const generateDataKeyWithoutPlaintext: Operation = {
  name: 'GenerateDataKeyWithoutPlaintext',
  readOnly: true,
  handle: (ctx, req) => generate(ctx, req, false),
};
