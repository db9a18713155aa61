/**
 * A "typical lesson sandbox" (issue 6): the default world's 2 accounts, 5 keys, 30 calls (keys,
 * aliases, a cross-account key policy, encrypt/decrypt with and without context, data keys,
 * rotation, disable/enable, a scheduled and cancelled deletion, a grant, a failed call), plus two
 * world edits and a clock advance. Built through the ordinary service, so its log is real.
 */
import type { CallerContext } from '../../../src/kms';
import type { LogEntry } from '../../../src/kms/log';
import { CURRENT_SEM, FORMAT_VERSION, SHARE_FORMAT, withoutInputs, type ShareEnvelope } from '../../../src/share';
import { ACCOUNT, makeHarness, PARTNER, ROOT, type Harness } from '../kms/harness';

const APP_ROLE: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole` };

/** The sandbox, its number of calls, and the ciphertexts calls returned, by log seq. */
export async function typicalSandbox(): Promise<{ h: Harness; calls: number; outputs: Map<number, Uint8Array> }> {
  const h = await makeHarness({ seed: 7 });
  let calls = 0;
  const outputs = new Map<number, Uint8Array>();
  const call = async (op: string, req: Record<string, unknown>, caller: CallerContext = ROOT) => {
    calls++;
    const r = await h.call(op, req, caller);
    if (r.CiphertextBlob instanceof Uint8Array) outputs.set(h.repo.get('meta', 'sandbox')!.logCount - 1, r.CiphertextBlob);
    return r;
  };
  const keys: string[] = [];
  for (const [i, name] of ['orders', 'payments', 'backups', 'tenant-a', 'tenant-b'].entries()) {
    const r = await call('CreateKey', { Description: `${name} key`, ...(i === 0 ? { Tags: [{ TagKey: 'team', TagValue: 'shop' }] } : {}) });
    keys.push((r.KeyMetadata as { KeyId: string }).KeyId);
    await call('CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: keys[i] });
  }
  await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'user', name: 'bob' });
  await h.service.world.putIdentityPolicy(`arn:aws:iam::${ACCOUNT}:role/AppRole`, 'use-keys', JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' }],
  }));
  await call('PutKeyPolicy', {
    KeyId: keys[1],
    PolicyName: 'default',
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Partner decrypt', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
      ],
    }),
  });
  const blobs: Uint8Array[] = [];
  for (let i = 0; i < 5; i++) {
    const ctx = i % 2 === 0 ? { EncryptionContext: { tenant: i < 3 ? 'a' : 'b' } } : {};
    const r = await call('Encrypt', { KeyId: `alias/${['orders', 'payments', 'backups', 'tenant-a', 'tenant-b'][i]}`, Plaintext: new TextEncoder().encode(`secret number ${i}`), ...ctx }, i === 1 ? APP_ROLE : ROOT);
    blobs.push(r.CiphertextBlob as Uint8Array);
    await call('Decrypt', { CiphertextBlob: blobs[i], ...ctx });
  }
  await call('GenerateDataKey', { KeyId: keys[2], KeySpec: 'AES_256' });
  await call('GenerateDataKey', { KeyId: keys[3], NumberOfBytes: 32, EncryptionContext: { tenant: 'a' } });
  await call('EnableKeyRotation', { KeyId: keys[0], RotationPeriodInDays: 90 });
  await call('DisableKey', { KeyId: keys[4] });
  await call('EnableKey', { KeyId: keys[4] });
  await call('ScheduleKeyDeletion', { KeyId: keys[2], PendingWindowInDays: 7 });
  await call('CancelKeyDeletion', { KeyId: keys[2] });
  await call('CreateGrant', { KeyId: keys[3], GranteePrincipal: APP_ROLE.principalArn, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { tenant: 'a' } } });
  try {
    await call('Decrypt', { CiphertextBlob: blobs[0] }); // context missing: InvalidCiphertextException
  } catch {
    // logged as a failed call
  }
  await h.service.advanceClock(3 * 86_400_000);
  return { h, calls, outputs };
}

/** The share envelope of a harness's sandbox (what the UI's Share button builds). */
export function envelopeOf(h: Harness, opts: { inputsIncluded: boolean; lesson?: ShareEnvelope['lesson'] }): ShareEnvelope<LogEntry> {
  const meta = h.repo.get('meta', 'sandbox')!;
  const log = h.repo.list('logEntry').map((r) => r.entry);
  return {
    format: SHARE_FORMAT,
    formatVersion: FORMAT_VERSION,
    sem: CURRENT_SEM,
    seed: meta.seed,
    start: meta.createdAt,
    log: opts.inputsIncluded ? log : withoutInputs(log),
    inputsIncluded: opts.inputsIncluded,
    ...(opts.lesson ? { lesson: opts.lesson } : {}),
  };
}
