/**
 * Contract check between the service and the store schema: every record the real service writes
 * (through the src/trail recorder) must pass `migrateSnapshot`'s validation, or a reload would
 * refuse the sandbox. Also runs the service over the Dexie repository and reloads it. The caller is
 * the learner account's root, which the default world (written by the service) knows.
 */
import 'fake-indexeddb/auto';
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
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

/** Wrapping parameters for an EXTERNAL key and `material` wrapped with them (RSAES_OAEP_SHA_256). */
async function wrapFor(call: (op: string, req: Record<string, unknown>) => Promise<unknown>, keyId: string, material: Uint8Array) {
  const p = (await call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })) as { PublicKey: Uint8Array; ImportToken: Uint8Array };
  const key = createPublicKey({ key: Buffer.from(p.PublicKey), format: 'der', type: 'spki' });
  return { ImportToken: p.ImportToken, EncryptedKeyMaterial: new Uint8Array(publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material)) };
}

/**
 * Drives a short but varied session: every record type, failures (a denied call among them), a
 * service event; issue 7's keys (asymmetric, HMAC, imported material with an expiry, a multi-Region
 * primary and its replica, a key store and a key in it) and pending import parameters. Returns whether the service accepted CreateGrant (it writes grants once issue 3's
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
  /** A call that must succeed (issue 7's part of the session: a failure would hide the records it writes). */
  const must = async (op: string, req: Record<string, unknown>) => {
    const r = await call(op, req);
    if (r instanceof Error) throw new Error(`${op} failed: ${r.name}: ${r.message}`);
    return r;
  };
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
  // issue 7: key types whose records carry more than a symmetric key's.
  const signer = (await must('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })) as { KeyMetadata: { KeyId: string } };
  await must('Sign', { KeyId: signer.KeyMetadata.KeyId, Message: new Uint8Array([1]), SigningAlgorithm: 'ECDSA_SHA_256' });
  await must('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
  await must('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const mrk = (await must('CreateKey', { MultiRegion: true, Description: 'mrk' })) as { KeyMetadata: { KeyId: string } };
  await must('ReplicateKey', { KeyId: mrk.KeyMetadata.KeyId, ReplicaRegion: 'eu-west-1' });
  const imported = (await must('CreateKey', { Origin: 'EXTERNAL' })) as { KeyMetadata: { KeyId: string } };
  const wrapped = await wrapFor(must, imported.KeyMetadata.KeyId, new Uint8Array(32).fill(5));
  await must('ImportKeyMaterial', { KeyId: imported.KeyMetadata.KeyId, ...wrapped, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(t + 30 * DAY) });
  // Parameters fetched and never used: an importParameters record stays.
  const pending = (await must('CreateKey', { Origin: 'EXTERNAL' })) as { KeyMetadata: { KeyId: string } };
  await must('GetParametersForImport', { KeyId: pending.KeyMetadata.KeyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_3072' });
  const store = (await must('CreateCustomKeyStore', {
    CustomKeyStoreName: 'contract-xks',
    CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
    XksProxyUriEndpoint: 'https://xks.example.com',
    XksProxyUriPath: '/kms/xks/v1',
    XksProxyConnectivity: 'PUBLIC_ENDPOINT',
    XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) },
  })) as { CustomKeyStoreId: string };
  await must('ConnectCustomKeyStore', { CustomKeyStoreId: store.CustomKeyStoreId });
  await svc.advanceClock(DAY);
  await must('CreateKey', { Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: store.CustomKeyStoreId, XksKeyId: 'contract-external-key' });
  await call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
  // issue 8: a simulated service's resource and a workload.
  await svc.world.putServiceResource({ id: 'arn:aws:s3:::contract-bucket', service: 's3', kind: 'bucket', accountId: CALLER.accountId, region: CALLER.region, data: { bucketKeyEnabled: true } });
  await svc.world.putServiceResource({
    id: 'workload/contract-ingest',
    service: 'workload',
    kind: 'workload',
    accountId: CALLER.accountId,
    region: CALLER.region,
    data: { label: 'ingest', quota: 'symmetric', ratePerSecond: 12_000, from: t, until: t + 60_000 },
  });
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
