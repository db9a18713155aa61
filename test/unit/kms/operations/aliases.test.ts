import { describe, expect, it } from 'vitest';
import { ACCOUNT, PARTNER, REGION, callerIn, makeHarness, utf8 } from '../harness';

const arnOf = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:${name}`;

describe('aliases', () => {
  it('create, list (with the predefined aws/ aliases), update, delete', async () => {
    const h = await makeHarness();
    const a = await h.createKey();
    const b = await h.createKey();
    await h.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: a.arn });
    const all = (await h.call('ListAliases', { Limit: 100 })).Aliases as Record<string, unknown>[];
    expect(all.find((x) => x.AliasName === 'alias/app')).toMatchObject({ AliasArn: arnOf('alias/app'), TargetKeyId: a.keyId });
    const s3 = all.find((x) => x.AliasName === 'alias/aws/s3')!;
    expect(s3).toEqual({ AliasName: 'alias/aws/s3', AliasArn: arnOf('alias/aws/s3') });
    expect((await h.call('ListAliases', { KeyId: a.keyId })).Aliases).toHaveLength(1);
    await h.call('UpdateAlias', { AliasName: 'alias/app', TargetKeyId: b.keyId });
    expect((await h.call('Encrypt', { KeyId: 'alias/app', Plaintext: utf8('x') })).KeyId).toBe(b.arn);
    await h.call('DeleteAlias', { AliasName: 'alias/app' });
    expect((await h.fail('DeleteAlias', { AliasName: 'alias/app' })).name).toBe('NotFoundException');
    expect((await h.call('ListAliases', { KeyId: b.keyId })).Aliases).toEqual([]);
  });

  it('follows the naming rules', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    expect((await h.fail('CreateAlias', { AliasName: 'app', TargetKeyId: keyId })).message).toMatch(/^Alias must start with the prefix "alias\/"/);
    expect((await h.fail('CreateAlias', { AliasName: 'alias/bad name!', TargetKeyId: keyId })).message).toMatch(/regular expression pattern: \^\[a-zA-Z0-9:\/_-\]\+\$/);
    expect((await h.fail('CreateAlias', { AliasName: 'alias/' + 'x'.repeat(251), TargetKeyId: keyId })).message).toMatch(/less than or equal to 256/);
    for (const op of ['CreateAlias', 'UpdateAlias']) expect((await h.fail(op, { AliasName: 'alias/aws/s3', TargetKeyId: keyId })).name).toBe('NotAuthorizedException');
    expect((await h.fail('DeleteAlias', { AliasName: 'alias/aws/s3' })).name).toBe('NotAuthorizedException');
    await h.call('CreateAlias', { AliasName: 'alias/App', TargetKeyId: keyId });
    await h.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: keyId });
    expect(await h.fail('CreateAlias', { AliasName: 'alias/app', TargetKeyId: keyId })).toEqual({
      name: 'AlreadyExistsException',
      message: `An alias with the name ${arnOf('alias/app')} already exists`,
    });
  });

  it('targets only key ids or ARNs of the same account, not pending deletion, at most 50 per key', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await h.call('CreateAlias', { AliasName: 'alias/one', TargetKeyId: keyId });
    expect((await h.fail('CreateAlias', { AliasName: 'alias/two', TargetKeyId: 'alias/one' })).name).toBe('NotFoundException');
    expect((await h.fail('CreateAlias', { AliasName: 'alias/p', TargetKeyId: arn }, callerIn(PARTNER))).name).toBe('AccessDeniedException');
    for (let i = 1; i < 50; i++) await h.call('CreateAlias', { AliasName: `alias/n${i}`, TargetKeyId: keyId });
    expect((await h.fail('CreateAlias', { AliasName: 'alias/n50', TargetKeyId: keyId })).name).toBe('LimitExceededException');
    const other = await h.createKey();
    await h.call('ScheduleKeyDeletion', { KeyId: other.keyId });
    expect(await h.fail('CreateAlias', { AliasName: 'alias/late', TargetKeyId: other.keyId })).toEqual({
      name: 'KMSInvalidStateException',
      message: `${other.arn} is pending deletion.`,
    });
    // Footnote 10: moving an alias away from a key pending deletion works; onto one does not.
    await h.call('DeleteAlias', { AliasName: 'alias/n49' });
    const k3 = await h.createKey();
    await h.call('CreateAlias', { AliasName: 'alias/mover', TargetKeyId: k3.keyId });
    await h.call('ScheduleKeyDeletion', { KeyId: k3.keyId });
    await h.call('UpdateAlias', { AliasName: 'alias/mover', TargetKeyId: keyId });
    expect((await h.fail('UpdateAlias', { AliasName: 'alias/mover', TargetKeyId: k3.keyId })).name).toBe('KMSInvalidStateException');
  });

  it('pages ListAliases and rejects unknown markers', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    for (let i = 0; i < 3; i++) await h.call('CreateAlias', { AliasName: `alias/p${i}`, TargetKeyId: keyId });
    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const r = await h.call('ListAliases', { Limit: 4, ...(Marker ? { Marker } : {}) });
      names.push(...(r.Aliases as { AliasName: string }[]).map((a) => a.AliasName));
      Marker = r.NextMarker as string | undefined;
    } while (Marker);
    expect(names).toHaveLength(3 + 14);
    expect(new Set(names).size).toBe(names.length);
    expect((await h.fail('ListAliases', { Marker: 'zzz' })).name).toBe('InvalidMarkerException');
  });
});
