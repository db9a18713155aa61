/**
 * Authorization through the service (issue 3): the default world, key policies with IAM,
 * cross-account, explicit deny, conditions, the lockout safety check, AWS managed keys, the
 * trace kept with the trail record.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../src/kms';
import { ACCOUNT, PARTNER, REGION, ROOT, makeHarness, text, utf8 } from './harness';

const as = (account: string, path: string): CallerContext => ({
  principalArn: path === 'root' ? `arn:aws:iam::${account}:root` : `arn:aws:iam::${account}:${path}`,
  accountId: account as CallerContext['accountId'],
  region: REGION as CallerContext['region'],
});
const APP = as(ACCOUNT, 'role/AppRole');
const ADMIN = as(ACCOUNT, 'role/KeyAdmin');
const ALICE = as(ACCOUNT, 'user/alice');
const PARTNER_APP = as(PARTNER, 'role/PartnerApp');
const PARTNER_ROOT = as(PARTNER, 'root');

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };

describe('the default world and the default key policy', () => {
  it('delegates to IAM: AppRole may encrypt, KeyAdmin may administer but not encrypt, alice may do neither', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, APP);
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, APP)).Plaintext)).toBe('x');
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ADMIN)).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/kms-playground is not authorized to perform: kms:Encrypt on resource: ${arn} because no identity-based policy allows the kms:Encrypt action`,
    });
    await h.call('DisableKey', { KeyId: keyId }, ADMIN);
    await h.call('EnableKey', { KeyId: keyId }, ADMIN);
    expect(await h.fail('DescribeKey', { KeyId: keyId }, ALICE)).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: kms:DescribeKey on resource: ${arn} because no identity-based policy allows the kms:DescribeKey action`,
    });
    expect((await h.fail('CreateKey', {}, ALICE)).name).toBe('AccessDeniedException');
    expect((await h.fail('CreateKey', {}, APP)).name).toBe('AccessDeniedException');
    await h.call('CreateKey', {}, ADMIN);
  });

  it('keeps the decision trace with the trail record of a denied call', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ALICE);
    const t = h.repo.list('trailEvent').at(-1)!;
    expect(t.record.errorCode).toBe('AccessDeniedException');
    const decisions = (t.authorization as { decisions: { decision: string; keyPolicy: unknown }[] }).decisions;
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.decision).toBe('ImplicitDeny');
    expect(decisions[0]!.keyPolicy).not.toBeNull();
  });

  it('refuses principals the sandbox does not know', async () => {
    const h = await makeHarness();
    expect((await h.fail('ListKeys', {}, as(ACCOUNT, 'user/mallory'))).name).toBe('UnrecognizedClientException');
  });
});

describe('cross-account use needs both sides', () => {
  it('key policy alone or IAM alone is not enough; both are', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const enc = await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('shared') });
    // The default policy admits only the learner's account.
    expect((await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, PARTNER_APP)).message).toMatch(/because no resource-based policy allows the kms:Decrypt action$/);
    await h.call('PutKeyPolicy', {
      KeyId: arn,
      Policy: policy(ROOT_STATEMENT, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' }),
    });
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, PARTNER_APP)).Plaintext)).toBe('shared');
    // PartnerApp's IAM policy allows Decrypt and DescribeKey only.
    expect((await h.fail('Encrypt', { KeyId: arn, Plaintext: utf8('x') }, PARTNER_APP)).message).toMatch(/because no identity-based policy allows the kms:Encrypt action$/);
    // The partner root has all of its own account's IAM permissions.
    await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('x') }, PARTNER_ROOT);
    // Not every operation may cross accounts, whatever the policies say.
    expect((await h.fail('DisableKey', { KeyId: arn }, PARTNER_ROOT)).name).toBe('AccessDeniedException');
    // Bare ids never resolve in another account.
    expect((await h.fail('DescribeKey', { KeyId: arn.split('/')[1]! }, PARTNER_APP)).name).toBe('NotFoundException');
  });
});

describe('key policy statements', () => {
  it('an explicit Deny wins over every Allow', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('PutKeyPolicy', {
      KeyId: keyId,
      Policy: policy(ROOT_STATEMENT, { Sid: 'NoAppDecrypt', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` }, Action: 'kms:Decrypt', Resource: '*' }),
    });
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, APP);
    expect((await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, APP)).message).toMatch(/with an explicit deny in a resource-based policy$/);
  });

  it('naming a principal directly needs no IAM allow; removing the root statement removes IAM\'s say', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('PutKeyPolicy', {
      KeyId: keyId,
      Policy: policy(
        { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:PutKeyPolicy', Resource: '*' },
        { Sid: 'Alice', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: ['kms:Encrypt', 'kms:DescribeKey'], Resource: '*' },
      ),
    });
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ALICE);
    // AppRole's IAM policy allows Encrypt, but the key policy no longer delegates Encrypt to IAM.
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, APP)).message).toMatch(/because no resource-based policy allows the kms:Encrypt action$/);
  });

  it('evaluates conditions on the encryption context', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('PutKeyPolicy', {
      KeyId: keyId,
      Policy: policy(
        { ...ROOT_STATEMENT, Action: 'kms:PutKeyPolicy' },
        {
          Sid: 'TenantA',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
          Action: 'kms:Encrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } },
        },
      ),
    });
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionContext: { tenant: 'a' } }, ALICE);
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionContext: { tenant: 'b' } }, ALICE)).name).toBe('AccessDeniedException');
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ALICE)).name).toBe('AccessDeniedException');
  });
});

describe('the policy lockout safety check (§6.4)', () => {
  const appOnly = policy({ Sid: 'AppUse', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` }, Action: 'kms:Encrypt', Resource: '*' });

  it('refuses a policy that would stop the caller from updating it, unless bypassed; then nobody can', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    expect(await h.fail('PutKeyPolicy', { KeyId: keyId, Policy: appOnly })).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: 'The new key policy will not allow you to update the key policy in the future.',
    });
    expect((await h.fail('CreateKey', { Policy: appOnly })).name).toBe('MalformedPolicyDocumentException');
    await h.call('PutKeyPolicy', { KeyId: keyId, Policy: appOnly, BypassPolicyLockoutSafetyCheck: true });
    for (const who of [ROOT, ADMIN]) {
      expect((await h.fail('PutKeyPolicy', { KeyId: keyId, Policy: policy(ROOT_STATEMENT) }, who)).name).toBe('AccessDeniedException');
      expect((await h.fail('ScheduleKeyDeletion', { KeyId: keyId }, who)).name).toBe('AccessDeniedException');
    }
    // The key still works for what the policy allows.
    expect((await h.call('Encrypt', { KeyId: arn, Plaintext: utf8('x') }, APP)).KeyId).toBe(arn);
  });

  it('refuses principals that do not exist', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const ghost = policy(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Ghost` }, Action: 'kms:*', Resource: '*' });
    expect(await h.fail('PutKeyPolicy', { KeyId: keyId, Policy: ghost })).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy contains a statement with one or more invalid principals.',
    });
    const unknownAccount = policy(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'kms:*', Resource: '*' });
    expect((await h.fail('PutKeyPolicy', { KeyId: keyId, Policy: unknownAccount })).name).toBe('MalformedPolicyDocumentException');
  });
});

describe('AWS managed keys', () => {
  it('DescribeKey on alias/aws/s3 creates the key; it is usable only through S3 and not editable', async () => {
    const h = await makeHarness();
    const m = (await h.call('DescribeKey', { KeyId: 'alias/aws/s3' })).KeyMetadata as Record<string, unknown>;
    expect(m).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' });
    const again = (await h.call('DescribeKey', { KeyId: 'alias/aws/s3' })).KeyMetadata as Record<string, unknown>;
    expect(again.KeyId).toBe(m.KeyId);
    const aliases = (await h.call('ListAliases', { Limit: 100 })).Aliases as Record<string, unknown>[];
    expect(aliases.find((a) => a.AliasName === 'alias/aws/s3')?.TargetKeyId).toBe(m.KeyId);
    expect((await h.fail('Encrypt', { KeyId: 'alias/aws/s3', Plaintext: utf8('x') })).name).toBe('AccessDeniedException');
    expect((await h.fail('PutKeyPolicy', { KeyId: m.KeyId, Policy: policy(ROOT_STATEMENT) })).name).toBe('AccessDeniedException');
    expect((await h.fail('RotateKeyOnDemand', { KeyId: m.KeyId })).name).toMatch(/AccessDeniedException|UnsupportedOperationException/);
    expect((await h.call('GetKeyRotationStatus', { KeyId: m.KeyId })).KeyRotationEnabled).toBe(true);
    expect((await h.call('ListKeys')).Keys).toHaveLength(1);
    // Through S3 (kms:ViaService) any principal of the account may use it; through another service not.
    const viaS3 = { ...APP, viaService: `s3.${REGION}.amazonaws.com` };
    const enc = await h.call('Encrypt', { KeyId: 'alias/aws/s3', Plaintext: utf8('object') }, viaS3);
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob }, viaS3)).Plaintext)).toBe('object');
    expect((await h.fail('Encrypt', { KeyId: 'alias/aws/s3', Plaintext: utf8('x') }, { ...APP, viaService: `ec2.${REGION}.amazonaws.com` })).name).toBe('AccessDeniedException');
  });
});

describe('the world can grow', () => {
  it('a new user with an identity policy can use keys; a malformed identity policy is refused', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const bob = await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'user', name: 'bob' });
    expect(bob.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/bob`);
    expect(bob.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const BOB = as(ACCOUNT, 'user/bob');
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, BOB)).name).toBe('AccessDeniedException');
    await h.service.world.putIdentityPolicy(bob.arn, 'Encrypt', policy({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }));
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, BOB);
    await expect(h.service.world.putIdentityPolicy(bob.arn, 'Bad', policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }))).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    await h.service.world.createAccount('777788889999', 'Third');
    await h.call('ListKeys', {}, as('777788889999', 'root'));
    await expect(h.service.world.createAccount('777788889999', 'Again')).rejects.toMatchObject({ name: 'AlreadyExistsException' });
  });
});

describe('grant tokens on any operation', () => {
  it('a malformed token is InvalidGrantTokenException; a token makes a new grant usable at once', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), GrantTokens: ['not-a-token'] })).name).toBe('InvalidGrantTokenException');
    const g = await h.call('CreateGrant', { KeyId: keyId, GranteePrincipal: ALICE.principalArn, Operations: ['Encrypt'] });
    expect((await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, ALICE)).name).toBe('AccessDeniedException');
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), GrantTokens: [g.GrantToken] }, ALICE);
    const t = h.repo.list('trailEvent').at(-1)!;
    expect((t.authorization as { decisions: { allowedBy: string }[] }).decisions[0]!.allowedBy).toBe('grant');
  });
});
