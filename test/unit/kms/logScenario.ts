/**
 * A scripted sandbox history for the call log tests (issue 6): calls by several principals of the
 * default world (successes, denials, validation failures), a grant, rotations, clock advances,
 * world edits, a scheduled deletion. `sandbox.v3.json` was produced once from it.
 */
import { type CallerContext, type KmsService, type LogEntry, type Repository } from '../../../src/kms';

export { allRecords } from '../../../src/kms';

/** The sandbox's call log. */
export function logOf(repo: Repository): LogEntry[] {
  return repo.list('logEntry').map((r) => r.entry);
}

export const LEARNER = '111122223333';
export const PARTNER = '444455556666';

export function as(accountId: string, kind: 'root' | 'role' | 'user', name = 'root'): CallerContext {
  return {
    principalArn: kind === 'root' ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:${kind}/${name}`,
    accountId: accountId as CallerContext['accountId'],
    region: 'us-east-1' as CallerContext['region'],
  };
}

export const ROOT = as(LEARNER, 'root');
export const ADMIN = as(LEARNER, 'role', 'KeyAdmin');
export const APP = as(LEARNER, 'role', 'AppRole');
export const ALICE = as(LEARNER, 'user', 'alice');
export const PARTNER_APP = as(PARTNER, 'role', 'PartnerApp');

const utf8 = (s: string) => new TextEncoder().encode(s);
const DAY = 86_400_000;

/** Runs the scripted history; returns a ciphertext made along the way (and its plaintext). */
export async function runScenario(service: KmsService, clock: { t: number }): Promise<{ ciphertext: Uint8Array; plaintext: string }> {
  const call = async (op: string, req: Record<string, unknown>, caller: CallerContext = ROOT) => {
    try {
      return await service.call(op, req, caller);
    } catch {
      return null;
    }
  };
  const created = await call('CreateKey', { Description: 'App data key', Tags: [{ TagKey: 'team', TagValue: 'payments' }] });
  const keyId = (created!.KeyMetadata as { KeyId: string }).KeyId;
  await call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: keyId });
  clock.t += 1000;
  await call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 }, ADMIN);
  const plaintext = 'card 4111-1111';
  const enc = await call('Encrypt', { KeyId: 'alias/app', Plaintext: utf8(plaintext), EncryptionContext: { tenant: 'acme', $bytes: 'x' } }, APP);
  await call('Decrypt', { CiphertextBlob: enc!.CiphertextBlob, EncryptionContext: { tenant: 'acme', $bytes: 'x' } }, ALICE);
  await call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ADMIN);
  await call('DescribeKey', { KeyId: keyId }, PARTNER_APP);
  await call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(0) });
  await call('CreateGrant', {
    KeyId: keyId,
    GranteePrincipal: APP.principalArn,
    RetiringPrincipal: ADMIN.principalArn,
    Operations: ['Decrypt', 'RetireGrant'],
    Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
    Name: 'app-decrypt',
  });
  await call('RotateKeyOnDemand', { KeyId: keyId }, ADMIN);
  await service.advanceClock(91 * DAY);
  clock.t += 5000;
  await call('Decrypt', { CiphertextBlob: enc!.CiphertextBlob, EncryptionContext: { tenant: 'acme', $bytes: 'x' } }, APP);
  const other = await call('CreateKey', { Description: 'old key' }, ADMIN);
  const otherId = (other!.KeyMetadata as { KeyId: string }).KeyId;
  await call('ScheduleKeyDeletion', { KeyId: otherId, PendingWindowInDays: 7 });
  await call('DescribeKey', { KeyId: 'alias/missing' });
  await service.world.createAccount('777788889999', 'Auditor');
  const bob = await service.world.createPrincipal({ accountId: LEARNER, kind: 'user', name: 'bob' });
  await service.world.putIdentityPolicy(
    bob.arn,
    'ReadKeys',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] }),
  );
  await service.world.putIdentityPolicy(bob.arn, 'Temp', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }] }));
  await service.world.deleteIdentityPolicy(bob.arn, 'Temp');
  await service.advanceClock(8 * DAY);
  await call('ListKeys', {}, as(LEARNER, 'user', 'bob'));
  const enc2 = await call('Encrypt', { KeyId: 'alias/app', Plaintext: utf8('after rotation') }, APP);
  return { ciphertext: enc2!.CiphertextBlob as Uint8Array, plaintext: 'after rotation' };
}
