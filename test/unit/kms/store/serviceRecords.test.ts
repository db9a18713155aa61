/**
 * Contract check between the service and the store schema: every record the real service writes
 * (through the src/trail recorder) must pass `migrateSnapshot`'s validation, or a reload would
 * refuse the sandbox. Also runs the service over the Dexie repository and reloads it. The caller is
 * the learner account's root, which the default world (written by the service) knows.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createSeededRandom, nobleBackend } from '../../../../src/kms/crypto/index';
import type { CallerContext } from '../../../../src/kms/events';
import { TABLE_OF, type TypeName } from '../../../../src/kms/model';
import type { Repository } from '../../../../src/kms/ports';
import { createKmsService } from '../../../../src/kms/service';
import { openDexieRepository } from '../../../../src/kms/store/dexie';
import { createMemoryRepository } from '../../../../src/kms/store/memory';
import { CURRENT_SCHEMA, fromJsonSnapshot, migrateSnapshot, toJsonSnapshot } from '../../../../src/kms/store/schema/index';
import { toTrailRecord } from '../../../../src/trail/index';

const CALLER = { principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', region: 'us-east-1' } as CallerContext;
const DAY = 86_400_000;

/**
 * Drives a short but varied session: every record type, failures (a denied call among them), a
 * service event. Returns whether the service accepted CreateGrant (it writes grants once issue 3's
 * grant operations land).
 */
async function session(repo: Repository): Promise<{ hasGrants: boolean }> {
  let t = Date.UTC(2025, 0, 1);
  const svc = await createKmsService({
    repository: repo,
    clock: { now: () => t },
    random: createSeededRandom(new Uint8Array(32).fill(9)),
    crypto: nobleBackend,
    recordTrail: toTrailRecord,
  });
  const call = (op: string, req: Record<string, unknown>) => svc.call(op, req, CALLER).catch((e: Error) => e);
  const created = (await call('CreateKey', { Description: 'k', Tags: [{ TagKey: 'Env', TagValue: 'dev' }] })) as { KeyMetadata: { KeyId: string } };
  const keyId = created.KeyMetadata.KeyId;
  await call('CreateAlias', { AliasName: 'alias/contract', TargetKeyId: keyId });
  await call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
  await call('Encrypt', { KeyId: 'alias/contract', Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: { $weird: 'key' } });
  await call('RotateKeyOnDemand', { KeyId: keyId });
  t += 100 * DAY;
  await svc.advanceClock(DAY);
  await call('DescribeKey', { KeyId: 'alias/missing' });
  const grant = await call('CreateGrant', {
    KeyId: keyId,
    GranteePrincipal: 'arn:aws:iam::111122223333:role/AppRole',
    Operations: ['Decrypt', 'RetireGrant'],
    Constraints: { EncryptionContextSubset: { Department: 'Engineering' } },
    Name: 'contract-grant',
  });
  // alice has no KMS permissions in the default world: a denied call with its trace.
  await svc.call('DescribeKey', { KeyId: keyId }, { ...CALLER, principalArn: 'arn:aws:iam::111122223333:user/alice' }).catch((e: Error) => e);
  await call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
  return { hasGrants: !(grant instanceof Error) };
}

function records(repo: Repository) {
  return (Object.keys(TABLE_OF) as TypeName[]).flatMap((t) => [...repo.list(t)]);
}

afterEach(async () => {
  await Dexie.delete('kms-store-service-contract');
});

describe('records written by the service', () => {
  it('validate, and survive a JSON export and import', async () => {
    const repo = createMemoryRepository();
    const { hasGrants } = await session(repo);
    const written = records(repo);
    // Grants appear once the service implements CreateGrant (issue 3); every other type already.
    const expected = (Object.keys(TABLE_OF) as TypeName[]).filter((t) => hasGrants || t !== 'grant');
    expect(new Set(written.map((r) => r.typeName))).toEqual(new Set(expected));
    const migrated = migrateSnapshot({ schema: CURRENT_SCHEMA, records: written });
    if (!migrated.ok) throw new Error(`${migrated.reason}: ${migrated.detail}`);
    const imported = fromJsonSnapshot(JSON.stringify(toJsonSnapshot(written)));
    if (!imported.ok) throw new Error(imported.detail);
    expect(migrateSnapshot(imported.value)).toEqual({ ok: true, value: { records: migrated.value.records } });
  });

  it('reload from IndexedDB', async () => {
    const opened = await openDexieRepository('kms-store-service-contract');
    if (!opened.ok) throw new Error(opened.detail);
    await session(opened.value);
    const before = records(opened.value);
    opened.value.close();
    const again = await openDexieRepository('kms-store-service-contract');
    if (!again.ok) throw new Error(`${again.reason}: ${again.detail}`);
    expect(records(again.value)).toEqual(before);
    again.value.close();
  });
});
