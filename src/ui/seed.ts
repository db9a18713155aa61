/**
 * The ready sandbox a newcomer sees on first visit: a few keys in different states, an alias,
 * tags, rotation, and a trail with successes and one failure. Everything goes through
 * `KmsService.call` as the default caller, so the trail records exactly what happened.
 */
import { isKmsError, type AccountId, type CallerContext, type KmsService, type Region } from '../kms';

/** The principal the playground acts as until IAM principals arrive (issue 3). */
export const DEFAULT_CALLER: CallerContext = {
  principalArn: 'arn:aws:iam::111122223333:root',
  accountId: '111122223333' as AccountId,
  region: 'us-east-1' as Region,
};

/** The alias of the seeded key the Encrypt / Decrypt form starts with. */
export const SEED_ALIAS = 'alias/orders';

const encoder = new TextEncoder();

function keyIdOf(response: Record<string, unknown>): string {
  const meta = response['KeyMetadata'] as { KeyId?: unknown } | undefined;
  if (typeof meta?.KeyId !== 'string') throw new Error('CreateKey returned no KeyMetadata.KeyId');
  return meta.KeyId;
}

/**
 * Fills an empty sandbox. Expected failures are part of the story (the trail shows a
 * DisabledException); any other error propagates.
 */
export async function seedSandbox(service: KmsService, caller: CallerContext = DEFAULT_CALLER): Promise<void> {
  const call = (op: string, req: Record<string, unknown>) => service.call(op, req, caller);

  // 1. The key a learner plays with: alias, tags, rotation, and some traffic.
  const orders = keyIdOf(
    await call('CreateKey', {
      Description: 'Orders service data key',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
    }),
  );
  await call('CreateAlias', { AliasName: SEED_ALIAS, TargetKeyId: orders });
  await call('TagResource', {
    KeyId: orders,
    Tags: [
      { TagKey: 'team', TagValue: 'orders' },
      { TagKey: 'env', TagValue: 'sandbox' },
    ],
  });
  await call('EnableKeyRotation', { KeyId: orders, RotationPeriodInDays: 365 });
  const encrypted = await call('Encrypt', {
    KeyId: SEED_ALIAS,
    Plaintext: encoder.encode('order #1001: 2 × espresso'),
    EncryptionContext: { orderId: '1001' },
  });
  await call('GenerateDataKey', { KeyId: SEED_ALIAS, KeySpec: 'AES_256' });
  await call('Decrypt', { CiphertextBlob: encrypted['CiphertextBlob'], EncryptionContext: { orderId: '1001' } });

  // 2. A retired key: disabled, so using it fails (the trail shows the failure).
  const legacy = keyIdOf(await call('CreateKey', { Description: 'Legacy reports key (disabled)' }));
  await call('DisableKey', { KeyId: legacy });
  try {
    await call('Encrypt', { KeyId: legacy, Plaintext: encoder.encode('quarterly report') });
  } catch (e) {
    if (!isKmsError(e, 'DisabledException')) throw e;
  }

  // 2b. Authorization at work: alice has no KMS permissions, so the trail keeps an
  //     AccessDeniedException with the reason (the "why").
  try {
    await service.call('Encrypt', { KeyId: SEED_ALIAS, Plaintext: encoder.encode('hello') }, {
      ...caller,
      principalArn: `arn:aws:iam::${caller.accountId}:user/alice`,
    });
  } catch (e) {
    if (!isKmsError(e, 'AccessDeniedException')) throw e;
  }

  // 3. A key on its way out: deletion scheduled with the shortest waiting period.
  const old = keyIdOf(await call('CreateKey', { Description: 'Old batch-job key (scheduled for deletion)' }));
  await call('ScheduleKeyDeletion', { KeyId: old, PendingWindowInDays: 7 });
}
