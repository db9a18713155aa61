import { describe, expect, it } from 'vitest';
import type { KeyArn } from '../../../src/kms';
import { buildKeyDetail, buildSandboxView } from '../../../src/ui/view';
import { ACCOUNT, makeHarness, T0 } from '../kms/harness';

const DAY_MS = 86_400_000;

describe('key read model', () => {
  it('rows carry the key spec and sorted tags; aliases stay with their account and Region', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Tags: [{ TagKey: 'team', TagValue: 'orders' }, { TagKey: 'env', TagValue: 'dev' }] });
    await h.call('CreateAlias', { AliasName: 'alias/orders', TargetKeyId: keyId });
    const row = buildSandboxView(h.repo).keys.find((k) => k.arn === arn)!;
    expect(row.keySpec).toBe('SYMMETRIC_DEFAULT');
    expect(row.tags).toEqual([{ TagKey: 'env', TagValue: 'dev' }, { TagKey: 'team', TagValue: 'orders' }]);
    expect(row.aliases).toEqual(['alias/orders']);
  });

  it('details show aliases with dates, crypto config, deletion and material versions', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Description: 'd' });
    await h.call('CreateAlias', { AliasName: 'alias/b', TargetKeyId: keyId });
    await h.call('CreateAlias', { AliasName: 'alias/a', TargetKeyId: keyId });
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    let d = buildKeyDetail(h.repo, arn as KeyArn)!;
    expect(d.aliases.map((a) => a.AliasName)).toEqual(['alias/a', 'alias/b']);
    expect(d.aliases[0]).toMatchObject({ AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/a`, CreationDate: T0, LastUpdatedDate: T0 });
    expect(d.crypto).toEqual({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      MultiRegion: false,
      CurrentKeyMaterialId: d.rotation.versions[1]!.keyMaterialId,
    });
    expect(d.rotation.versions.map((v) => [v.version, v.rotationType, v.isCurrent])).toEqual([
      [0, null, false],
      [1, 'ON_DEMAND', true],
    ]);
    expect(d.deletion).toBeNull();
    expect(JSON.stringify(d)).not.toMatch(/"material"/);

    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    d = buildKeyDetail(h.repo, arn as KeyArn)!;
    expect(d.row.keyState).toBe('PendingDeletion');
    expect(d.deletion).toEqual({ deletionDate: T0 + 7 * DAY_MS, pendingWindowInDays: 7 });
    await h.call('CancelKeyDeletion', { KeyId: keyId });
    d = buildKeyDetail(h.repo, arn as KeyArn)!;
    expect(d.row.keyState).toBe('Disabled');
    expect(d.deletion).toBeNull();
  });

  it('grants are listed oldest first and disappear when revoked', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const alice = `arn:aws:iam::${ACCOUNT}:user/alice`;
    const g1 = await h.call('CreateGrant', { KeyId: arn, GranteePrincipal: alice, Operations: ['Decrypt'], Name: 'first' });
    h.clock.t += 1000;
    await h.call('CreateGrant', { KeyId: arn, GranteePrincipal: alice, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { a: '1' } } });
    let d = buildKeyDetail(h.repo, arn as KeyArn)!;
    expect(d.grants.map((g) => [g.Name, g.Operations, g.Constraints])).toEqual([
      ['first', ['Decrypt'], null],
      ['', ['Encrypt'], { EncryptionContextEquals: { a: '1' } }],
    ]);
    await h.call('RevokeGrant', { KeyId: arn, GrantId: g1.GrantId });
    d = buildKeyDetail(h.repo, arn as KeyArn)!;
    expect(d.grants.map((g) => g.Operations)).toEqual([['Encrypt']]);
  });
});
