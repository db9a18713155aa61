/**
 * The animation's step model over records written by the real service (makeHarness): the
 * envelope flows succeed step by step, and failed calls stop where the service stopped them,
 * with the AWS error and the statement that decided.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext, TrailEventRecord } from '../../../src/kms';
import { buildSteps, materialVersionLookup, type LocalStep, type StepSequence } from '../../../src/viz';
import { ACCOUNT, REGION, makeHarness, utf8, type Harness } from '../kms/harness';

const as = (path: string): CallerContext => ({
  principalArn: `arn:aws:iam::${ACCOUNT}:${path}`,
  accountId: ACCOUNT as CallerContext['accountId'],
  region: REGION as CallerContext['region'],
});
const ALICE = as('user/alice');
const DAY = 86_400_000;

function last(h: Harness): TrailEventRecord {
  return [...h.repo.list('trailEvent')].sort((a, b) => a.seq - b.seq).at(-1)!;
}
function stepsOf(h: Harness, activities: readonly LocalStep[] = []): StepSequence {
  return buildSteps(last(h), { activities, materialVersion: materialVersionLookup(h.repo.list('material')) });
}
const kinds = (s: StepSequence) => s.steps.map((x) => x.kind);

describe('successful cryptographic calls', () => {
  it('Encrypt: request → authorization (the statement) → current material → HSM → response, each on its trail record', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('secret text'), EncryptionContext: { orderId: '1001' } });
    const s = stepsOf(h);
    expect(s.failed).toBe(false);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material', 'hsm-crypto', 'response']);
    expect(s.steps.map((x) => x.actor)).toEqual(['kms', 'kms', 'hsm', 'hsm', 'app']);
    expect(s.steps.every((x) => x.eventId === last(h).id && x.status === 'ok' && x.narration.endsWith('.'))).toBe(true);
    expect(s.steps[0]!.narration).toContain('{"orderId":"1001"}');
    expect(s.steps[0]!.details).toContainEqual({ label: 'Key', value: arn });
    expect(s.steps[1]!.narration).toContain('statement "Enable IAM User Permissions" of the key policy');
    expect(s.steps[1]!.details).toContainEqual({ label: 'Allowed by', value: 'statement "Enable IAM User Permissions" of the key policy' });
    expect(s.steps[2]!.details).toContainEqual({ label: 'Material version', value: '1' });
    // No secret travels into a step.
    expect(JSON.stringify(s)).not.toContain('secret text');
  });

  it('GenerateDataKey without local reports: the expected envelope steps follow, marked as expected', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    const s = stepsOf(h);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material', 'hsm-crypto', 'response', 'local-encrypt', 'store', 'forget']);
    expect(s.steps[4]!.token).toBe('keys');
    expect(s.steps[4]!.narration).toContain('plaintext data key and, alongside it, the encrypted data key');
    expect(s.steps.slice(5).every((x) => x.status === 'expected')).toBe(true);
    expect(s.steps.at(-1)!.actor).toBe('app');
  });

  it('GenerateDataKey with the page reports: the reported local steps, in time order, as they happened', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_128' });
    const id = last(h).id;
    const acts: LocalStep[] = [
      { kind: 'local', step: 'forget-data-key', label: 'Data key wiped', afterEventId: id, at: 3 },
      { kind: 'local', step: 'encrypt-locally', label: 'AES-256-GCM encrypted 12 bytes locally', bytes: 12, afterEventId: id, at: 1 },
      { kind: 'local', step: 'store-envelope', label: 'Envelope stored', afterEventId: id, at: 2 },
      { kind: 'local', step: 'encrypt-locally', label: 'another call', afterEventId: 'other', at: 1 },
    ];
    const s = stepsOf(h, acts);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material', 'hsm-crypto', 'response', 'local-encrypt', 'store', 'forget']);
    expect(s.steps[3]!.narration).toContain('128-bit');
    expect(s.steps[5]).toMatchObject({ status: 'ok', from: 'app', to: 'app', details: [{ label: 'Bytes', value: '12' }] });
    expect(s.steps[5]!.narration).toContain('AES-256-GCM encrypted 12 bytes locally');
    expect(s.steps[6]).toMatchObject({ from: 'app', to: 'storage', token: 'envelope' });
  });

  it('Decrypt after a rotation uses the material version named in the blob, and a loaded envelope comes first', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    const id = last(h).id;
    const s = stepsOf(h, [
      { kind: 'local', step: 'load-envelope', label: 'Envelope read', afterEventId: id, at: 1 },
      { kind: 'local', step: 'decrypt-locally', label: 'Decrypted locally', afterEventId: id, at: 2 },
    ]);
    expect(kinds(s)).toEqual(['load', 'request', 'authorization', 'material', 'hsm-crypto', 'response', 'local-decrypt']);
    expect(s.steps[1]!.narration).toContain('the key named inside the ciphertext blob');
    expect(s.steps[3]!.narration).toContain('material version 1 (original)');
    expect(s.steps[5]).toMatchObject({ token: 'plaintext-key', from: 'kms', to: 'app' });
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('y') });
    expect(stepsOf(h).steps[2]!.details).toContainEqual({ label: 'Material version', value: '2' });
  });

  it('ReEncrypt: both authorization questions (ReEncryptFrom, ReEncryptTo) in order', async () => {
    const h = await makeHarness();
    const a = await h.createKey();
    const b = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: a.keyId, Plaintext: utf8('x') });
    await h.call('ReEncrypt', { CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: b.keyId });
    const s = stepsOf(h);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material', 'authorization', 'hsm-crypto', 'response']);
    expect(s.steps[1]!.title).toContain('kms:ReEncryptFrom');
    expect(s.steps[3]!.title).toContain('kms:ReEncryptTo');
  });

  it('a grant that allowed the call is named', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const g = await h.call('CreateGrant', { KeyId: keyId, GranteePrincipal: ALICE.principalArn, Operations: ['Encrypt'], Name: 'alice-encrypt' });
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), GrantTokens: [g.GrantToken] }, ALICE);
    const step = stepsOf(h).steps[1]!;
    expect(step.narration).toContain(`grant "alice-encrypt" (${String(g.GrantId).slice(0, 8)}…)`);
  });
});

describe('failed calls stop where they failed', () => {
  it('AccessDenied (alice, no permissions): stops at authorization with the reason', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ALICE);
    const s = stepsOf(h);
    expect(s.failed).toBe(true);
    expect(kinds(s)).toEqual(['request', 'authorization']);
    const stop = s.steps[1]!;
    expect(stop.status).toBe('failed');
    expect(stop.failure?.errorCode).toBe('AccessDeniedException');
    expect(stop.narration).toContain('It fails with AccessDeniedException: User: arn:aws:iam::111122223333:user/alice is not authorized');
    expect(stop.narration).toContain('no identity policy of arn:aws:iam::111122223333:user/alice allows it');
  });

  it('an explicit Deny names its statement', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'NoEncryptForAlice', Effect: 'Deny', Principal: { AWS: ALICE.principalArn }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    };
    await h.call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(policy) });
    await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ALICE);
    const stop = stepsOf(h).steps.at(-1)!;
    expect(stop.kind).toBe('authorization');
    expect(stop.narration).toContain('explicitly denied by statement "NoEncryptForAlice" of the key policy');
    expect(stop.details).toContainEqual({ label: 'Denied by', value: 'statement "NoEncryptForAlice" of the key policy' });
  });

  it('InvalidCiphertext (wrong encryption context): passes authorization, stops in the HSM', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionContext: { a: 'b' } });
    await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'c' } });
    const s = stepsOf(h);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material', 'hsm-crypto']);
    expect(s.steps[1]!.status).toBe('ok');
    expect(s.steps[3]).toMatchObject({ status: 'failed', actor: 'hsm', failure: { errorCode: 'InvalidCiphertextException' } });
    expect(s.steps[3]!.narration).toContain('encryption context differs');
  });

  it('InvalidCiphertext on a blob KMS cannot read: stops at the request', async () => {
    const h = await makeHarness();
    await h.createKey();
    await h.fail('Decrypt', { CiphertextBlob: utf8('not a ciphertext blob at all') });
    const s = stepsOf(h);
    expect(kinds(s)).toEqual(['request']);
    expect(s.steps[0]!.failure?.errorCode).toBe('InvalidCiphertextException');
  });

  it('pending deletion: KMSInvalidStateException at the key state check', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    const s = stepsOf(h);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material']);
    expect(s.steps[2]).toMatchObject({ status: 'failed', title: 'Key state check', actor: 'kms' });
    expect(s.steps[2]!.narration).toBe(`KMS checks the key state before using its material. It fails with KMSInvalidStateException: ${arn} is pending deletion.`);
  });

  it('DisabledException and NotFoundException', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('DisableKey', { KeyId: keyId });
    await h.fail('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    let s = stepsOf(h);
    expect(kinds(s)).toEqual(['request', 'authorization', 'material']);
    expect(s.steps[2]!.failure?.errorCode).toBe('DisabledException');
    await h.fail('Encrypt', { KeyId: 'alias/nope', Plaintext: utf8('x') });
    s = stepsOf(h);
    expect(kinds(s)).toEqual(['request']);
    expect(s.steps[0]!.narration).toContain('on key alias/nope');
    expect(s.steps[0]!.narration).toContain('NotFoundException');
  });
});

describe('other calls', () => {
  it('a management call: request → authorization → operation → response; denied ones stop at authorization', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    expect(kinds(stepsOf(h))).toEqual(['request', 'authorization', 'operation', 'response']);
    await h.fail('DescribeKey', { KeyId: keyId }, ALICE);
    const s = stepsOf(h);
    expect(kinds(s)).toEqual(['request', 'authorization']);
    expect(s.steps[1]!.failure?.errorCode).toBe('AccessDeniedException');
  });

  it('a service event (DeleteKey at the end of the waiting period) is one KMS step', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    await h.service.advanceClock(8 * DAY);
    const s = stepsOf(h);
    expect(s.eventName).toBe('DeleteKey');
    expect(s.steps).toHaveLength(1);
    expect(s.steps[0]!.narration).toContain('KMS performs DeleteKey');
  });
});
