/**
 * Simulated Secrets Manager (src/services/secretsManager.ts) against the real sandbox KMS: round
 * trips under aws/secretsmanager and a customer key, the context and caller KMS sees (trail),
 * kms:ViaService, version staging, deletion, KMS failures as Secrets Manager names them, replay,
 * and bad input that never throws anything but ServiceError.
 */
import { createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallerContext, type LogEntry } from '../../../src/kms';
import { replayLog } from '../../../src/kms/replay';
import { webCryptoBackend } from '../../../src/kms/crypto';
import { toTrailRecord } from '../../../src/trail';
import { createSecretsManager, SECRETS_MANAGER_OPERATIONS, secretNameProblem, type SecretsManager } from '../../../src/services/secretsManager';
import { ServiceError } from '../../../src/services/serviceErrors';
import { ACCOUNT, callerIn, makeHarness, PARTNER, REGION, ROOT, T0, type Harness } from '../kms/harness';

const APP_ARN = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const APP: CallerContext = { ...ROOT, principalArn: APP_ARN };
const VIA = `secretsmanager.${REGION}.amazonaws.com`;

const trail = (h: Harness) => h.repo.list('trailEvent').map((r) => r.record as unknown as Record<string, any>);

async function caught(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    return e as ServiceError;
  }
  expect.fail('expected a ServiceError');
}

async function setup(): Promise<{ h: Harness; sm: SecretsManager }> {
  const h = await makeHarness();
  return { h, sm: createSecretsManager(h.service) };
}

describe('Secrets Manager', () => {
  it('under aws/secretsmanager: DescribeKey creates it, GenerateDataKey per version with SecretARN + SecretVersionId, Decrypt on read', async () => {
    const { h, sm } = await setup();
    const created = await sm.CreateSecret(APP, { Name: 'prod/db', SecretString: '{"password":"hunter2"}', Description: 'database' });
    expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/db-[A-Za-z0-9]{6}$`));
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.kmsCalls.map((c) => c.operation)).toEqual(['DescribeKey', 'GenerateDataKey']);
    const key = h.repo.list('key')[0]!;
    const gdk = trail(h).at(-1)!;
    expect(gdk).toMatchObject({
      eventName: 'GenerateDataKey',
      requestParameters: { keyId: key.id, keySpec: 'AES_256', encryptionContext: { SecretARN: created.ARN, SecretVersionId: created.VersionId } },
      sourceIPAddress: 'secretsmanager.amazonaws.com',
    });
    expect(gdk.userIdentity).toMatchObject({ arn: expect.stringContaining('AppRole'), invokedBy: 'secretsmanager.amazonaws.com' });
    expect(JSON.stringify(h.service.world.getServiceResource(created.ARN)!.data)).not.toContain('hunter2');

    const got = await sm.GetSecretValue(APP, { SecretId: 'prod/db' });
    expect(got).toMatchObject({ ARN: created.ARN, Name: 'prod/db', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'], SecretString: '{"password":"hunter2"}' });
    expect(got.kmsCalls.map((c) => c.operation)).toEqual(['Decrypt']);
    expect(trail(h).at(-1)).toMatchObject({ eventName: 'Decrypt', requestParameters: { encryptionContext: { SecretARN: created.ARN, SecretVersionId: created.VersionId } } });
    // By ARN too; DescribeSecret omits KmsKeyId for the AWS managed key.
    expect((await sm.GetSecretValue(APP, { SecretId: created.ARN })).SecretString).toBe('{"password":"hunter2"}');
    const d = await sm.DescribeSecret(APP, { SecretId: 'prod/db' });
    expect(d).toMatchObject({ ARN: created.ARN, Name: 'prod/db', Description: 'database', VersionIdsToStages: { [created.VersionId!]: ['AWSCURRENT'] } });
    expect(d.KmsKeyId).toBeUndefined();
    // The AWS managed key is not usable directly.
    expect((await h.fail('GenerateDataKey', { KeyId: 'alias/aws/secretsmanager', KeySpec: 'AES_256' }, APP)).name).toBe('AccessDeniedException');
  });

  it('under a customer key that allows AppRole only via Secrets Manager; binary secrets; a direct Decrypt is denied', async () => {
    const { h, sm } = await setup();
    const { arn } = await h.createKey();
    await h.call('PutKeyPolicy', {
      KeyId: arn,
      PolicyName: 'default',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:PutKeyPolicy', 'kms:DescribeKey'], Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: APP_ARN }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:ViaService': VIA } } },
        ],
      }),
    });
    const created = await sm.CreateSecret(APP, { Name: 'tls-key', SecretBinary: new Uint8Array([1, 2, 3]), KmsKeyId: arn });
    expect(created.kmsCalls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    expect((await sm.GetSecretValue(APP, { SecretId: 'tls-key' })).SecretBinary).toEqual(new Uint8Array([1, 2, 3]));
    await sm.PutSecretValue(APP, { SecretId: 'tls-key', SecretBinary: Buffer.from([4, 5]).toString('base64') });
    expect((await sm.GetSecretValue(APP, { SecretId: 'tls-key' })).SecretBinary).toEqual(new Uint8Array([4, 5]));
    expect((await sm.DescribeSecret(APP, { SecretId: 'tls-key' })).KmsKeyId).toBe(arn);
    const v = (h.service.world.getServiceResource(created.ARN)!.data.versions as any[])[0];
    const blob = new Uint8Array(Buffer.from(v.encryptedDataKey, 'base64'));
    expect((await h.fail('Decrypt', { CiphertextBlob: blob, EncryptionContext: { SecretARN: created.ARN, SecretVersionId: created.VersionId! } }, APP)).name).toBe('AccessDeniedException');
    // Alice has no access to the key: AccessDeniedException "Access to KMS is not allowed".
    const alice = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:user/alice` };
    const e = await caught(sm.GetSecretValue(alice, { SecretId: 'tls-key' }));
    expect([e.name, e.message, e.httpStatus, e.kmsError?.name]).toEqual(['AccessDeniedException', 'Access to KMS is not allowed', 400, 'AccessDeniedException']);
    expect(e.kmsCalls?.map((c) => c.operation)).toEqual(['Decrypt']);
  });

  it('a version is AES-256-GCM under its data key with AAD "<SecretARN>\\0<VersionId>" (node:crypto cross-check)', async () => {
    const { h, sm } = await setup();
    const c = await sm.CreateSecret(ROOT, { Name: 'fmt', SecretString: 'checked' });
    const v = (h.service.world.getServiceResource(c.ARN)!.data.versions as any[])[0];
    const bytes = (b: string) => new Uint8Array(Buffer.from(b, 'base64'));
    const dk = (await h.call('Decrypt', { CiphertextBlob: bytes(v.encryptedDataKey), EncryptionContext: { SecretARN: c.ARN, SecretVersionId: c.VersionId! } }, { ...ROOT, viaService: VIA })).Plaintext as Uint8Array;
    const sealed = bytes(v.ciphertext);
    const d = createDecipheriv('aes-256-gcm', dk, bytes(v.iv));
    d.setAAD(Buffer.from(`${c.ARN}\0${c.VersionId}`));
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    expect(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]).toString()).toBe('checked');
    expect(JSON.stringify(h.repo.list('serviceResource'))).not.toContain(Buffer.from(dk).toString('base64'));
  });

  it('PutSecretValue: a new data key per version; AWSCURRENT moves, AWSPREVIOUS follows, older versions drop', async () => {
    const { h, sm } = await setup();
    const v1 = await sm.CreateSecret(ROOT, { Name: 'api-token', SecretString: 'one' });
    const v2 = await sm.PutSecretValue(ROOT, { SecretId: 'api-token', SecretString: 'two' });
    expect(v2.VersionStages).toEqual(['AWSCURRENT']);
    expect(v2.kmsCalls.map((c) => c.operation)).toEqual(['GenerateDataKey']);
    const v3 = await sm.PutSecretValue(ROOT, { SecretId: 'api-token', SecretString: 'three', ClientRequestToken: 'c'.repeat(32) });
    expect(v3.VersionId).toBe('c'.repeat(32));
    expect((await sm.DescribeSecret(ROOT, { SecretId: 'api-token' })).VersionIdsToStages).toEqual({ [v2.VersionId!]: ['AWSPREVIOUS'], [v3.VersionId!]: ['AWSCURRENT'] });
    expect((await sm.GetSecretValue(ROOT, { SecretId: 'api-token' })).SecretString).toBe('three');
    expect((await sm.GetSecretValue(ROOT, { SecretId: 'api-token', VersionStage: 'AWSPREVIOUS' })).SecretString).toBe('two');
    expect((await sm.GetSecretValue(ROOT, { SecretId: 'api-token', VersionId: v2.VersionId! })).SecretString).toBe('two');
    expect((await caught(sm.GetSecretValue(ROOT, { SecretId: 'api-token', VersionId: v1.VersionId! }))).name).toBe('ResourceNotFoundException');
    const gdks = trail(h).filter((r) => r.eventName === 'GenerateDataKey').map((r) => r.requestParameters.encryptionContext.SecretVersionId);
    expect(gdks).toEqual([v1.VersionId, v2.VersionId, v3.VersionId]);
    expect((await caught(sm.PutSecretValue(ROOT, { SecretId: 'api-token', SecretString: 'x', ClientRequestToken: 'c'.repeat(32) }))).name).toBe('ResourceExistsException');
  });

  it('names, ownership, ListSecrets and DeleteSecret with a recovery window', async () => {
    const { h, sm } = await setup();
    const a = await sm.CreateSecret(ROOT, { Name: 'a', SecretString: '1' });
    await sm.CreateSecret(ROOT, { Name: 'b' });
    expect((await caught(sm.CreateSecret(ROOT, { Name: 'a', SecretString: '1' }))).name).toBe('ResourceExistsException');
    await sm.CreateSecret(callerIn(PARTNER), { Name: 'a', SecretString: 'partner' });
    expect((await sm.ListSecrets(ROOT)).SecretList.map((s) => s.Name)).toEqual(['a', 'b']);
    expect((await caught(sm.GetSecretValue(callerIn(PARTNER), { SecretId: a.ARN }))).name).toBe('AccessDeniedException');
    expect((await caught(sm.GetSecretValue(ROOT, { SecretId: 'b' }))).name).toBe('ResourceNotFoundException');

    const del = await sm.DeleteSecret(ROOT, { SecretId: 'a', RecoveryWindowInDays: 7 });
    expect(del.DeletionDate.getTime()).toBe(T0 + 7 * 86_400_000);
    expect((await caught(sm.GetSecretValue(ROOT, { SecretId: 'a' }))).name).toBe('InvalidRequestException');
    expect((await caught(sm.CreateSecret(ROOT, { Name: 'a' }))).name).toBe('InvalidRequestException');
    expect((await sm.DescribeSecret(ROOT, { SecretId: 'a' })).DeletedDate).toEqual(del.DeletionDate);
    expect((await sm.ListSecrets(ROOT)).SecretList.map((s) => s.Name)).toEqual(['b']);
    expect((await sm.ListSecrets(ROOT, { IncludePlannedDeletion: true })).SecretList.map((s) => s.Name)).toEqual(['a', 'b']);
    h.clock.t = T0 + 7 * 86_400_000;
    expect((await caught(sm.DescribeSecret(ROOT, { SecretId: 'a' }))).name).toBe('ResourceNotFoundException');
    const again = await sm.CreateSecret(ROOT, { Name: 'a', SecretString: 'new' });
    expect(again.ARN).not.toBe(a.ARN);
    await sm.DeleteSecret(ROOT, { SecretId: 'b', ForceDeleteWithoutRecovery: true });
    expect(h.service.world.listServiceResources({ service: 'secretsmanager' }).filter((r) => r.accountId === ACCOUNT).map((r) => r.id)).toEqual([again.ARN]);
  });

  it('a disabled customer key: EncryptionFailure on write, DecryptionFailure on read', async () => {
    const { h, sm } = await setup();
    const { arn } = await h.createKey();
    await sm.CreateSecret(ROOT, { Name: 's', SecretString: 'v', KmsKeyId: arn });
    await h.call('DisableKey', { KeyId: arn });
    expect((await caught(sm.PutSecretValue(ROOT, { SecretId: 's', SecretString: 'w' }))).name).toBe('EncryptionFailure');
    const e = await caught(sm.GetSecretValue(ROOT, { SecretId: 's' }));
    expect([e.name, e.kmsError?.name]).toEqual(['DecryptionFailure', 'DisabledException']);
  });

  it("replays the sandbox's log into the same secrets, readable again", async () => {
    const { h, sm } = await setup();
    const { arn } = await h.createKey();
    await sm.CreateSecret(ROOT, { Name: 'managed', SecretString: 'm' });
    await sm.CreateSecret(ROOT, { Name: 'customer', SecretString: 'c1', KmsKeyId: arn });
    await sm.PutSecretValue(ROOT, { SecretId: 'customer', SecretString: 'c2' });
    const log = h.repo.list('logEntry').map((r) => r.entry) as LogEntry[];
    const meta = h.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.repository.list('serviceResource')).toEqual(h.repo.list('serviceResource'));
    const again = createSecretsManager(r.service);
    expect((await again.GetSecretValue(ROOT, { SecretId: 'managed' })).SecretString).toBe('m');
    expect((await again.GetSecretValue(ROOT, { SecretId: 'customer', VersionStage: 'AWSPREVIOUS' })).SecretString).toBe('c1');
  });

  it('bad input: Secrets Manager errors, never anything but ServiceError', async () => {
    const { sm } = await setup();
    expect(secretNameProblem('prod/db_1+=.@-')).toBeNull();
    for (const bad of ['', 'a'.repeat(513), 'has space', 'ümlaut']) expect(secretNameProblem(bad)).not.toBeNull();
    expect((await caught(sm.CreateSecret(ROOT, { Name: 'x', SecretString: 'a', SecretBinary: new Uint8Array(1) }))).name).toBe('InvalidParameterException');
    expect((await caught(sm.CreateSecret(ROOT, { Name: 'x', SecretString: 'a'.repeat(65_537) }))).name).toBe('InvalidParameterException');
    expect((await caught(sm.PutSecretValue(ROOT, { SecretId: 'missing', SecretString: 'a' }))).name).toBe('ResourceNotFoundException');
    expect((await caught(sm.call('RotateSecret', {}, ROOT))).name).toBe('InvalidRequestException');
    await sm.CreateSecret(ROOT, { Name: 'fuzz', SecretString: 'v' });
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.uint8Array({ maxLength: 8 }), fc.constant('fuzz'), fc.constant('AWSCURRENT'), fc.array(fc.string(), { maxLength: 3 }));
    const input = fc.oneof(
      value,
      fc.record(
        { Name: value, SecretId: value, SecretString: value, SecretBinary: value, KmsKeyId: value, Description: value, ClientRequestToken: value, VersionId: value, VersionStage: value, VersionStages: value, RecoveryWindowInDays: value, ForceDeleteWithoutRecovery: value, IncludePlannedDeletion: value },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SECRETS_MANAGER_OPERATIONS), input, async (op, i) => {
        try {
          await sm.call(op, i, ROOT);
        } catch (e) {
          if (!(e instanceof ServiceError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('only ServiceErrors, whatever the caller or the size', () => {
  const rejected = async (p: Promise<unknown>): Promise<ServiceError> => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(ServiceError);
      return e as ServiceError;
    }
    return expect.fail('expected a ServiceError');
  };

  it('refuses a caller the sandbox does not know, before anything runs', async () => {
    const { h, sm } = await setup();
    const before = trail(h).length;
    const stranger = { ...callerIn('999988887777'), principalArn: 'arn:aws:iam::999988887777:root' };
    expect((await rejected(sm.CreateSecret(stranger, { Name: 'x', SecretString: 'v' }))).name).toBe('UnrecognizedClientException');
    expect((await rejected(sm.CreateSecret({ ...ROOT, region: 'not a region' as never }, { Name: 'x', SecretString: 'v' }))).name).toBe('UnrecognizedClientException');
    expect(trail(h).length).toBe(before);
  });

  it('refuses a version that would not fit the secret, before asking KMS for a data key', async () => {
    const { h, sm } = await setup();
    const big = 'x'.repeat(64 * 1024);
    await sm.CreateSecret(ROOT, { Name: 'big', SecretString: big });
    let e: ServiceError | null = null;
    for (let i = 0; i < 20 && e === null; i++) {
      try {
        await sm.PutSecretValue(ROOT, { SecretId: 'big', SecretString: big, VersionStages: [`keep-${i}`] });
      } catch (x) {
        e = x as ServiceError;
      }
    }
    expect(e).toBeInstanceOf(ServiceError);
    expect(e!.name).toBe('LimitExceededException');
    // The refused request made no KMS call: the last GenerateDataKey is the last stored version's.
    const gdk = trail(h).filter((r) => r.eventName === 'GenerateDataKey').length;
    const stored = (h.service.world.getServiceResource(h.service.world.listServiceResources({ service: 'secretsmanager' })[0]!.id)!.data as { versions: unknown[] }).versions.length;
    expect(gdk).toBe(stored);
  });
});
