import { describe, expect, it } from 'vitest';
import { ACCOUNT, makeHarness } from '../harness';

describe('tags', () => {
  it('tag, overwrite, untag (missing keys are a silent success), list in pages', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'b', TagValue: '1' }, { TagKey: 'a', TagValue: '' }] });
    await h.call('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'b', TagValue: '2' }] });
    expect((await h.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([{ TagKey: 'a', TagValue: '' }, { TagKey: 'b', TagValue: '2' }]);
    await h.call('UntagResource', { KeyId: keyId, TagKeys: ['a', 'nope'] });
    const p = await h.call('ListResourceTags', { KeyId: keyId, Limit: 1 });
    expect(p).toMatchObject({ Tags: [{ TagKey: 'b', TagValue: '2' }], Truncated: false });
  });

  it('validates keys, values, the aws: prefix and the 50-tag limit', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    expect((await h.fail('TagResource', { KeyId: keyId, Tags: [{ TagKey: '', TagValue: 'x' }] })).message).toMatch(/tags\.1\.member\.tagKey/);
    expect((await h.fail('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'k', TagValue: 'v'.repeat(257) }] })).name).toBe('ValidationException');
    expect((await h.fail('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'aws:owner', TagValue: 'v' }] })).name).toBe('TagException');
    const fifty = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    await h.call('TagResource', { KeyId: keyId, Tags: fifty });
    expect((await h.fail('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'one-more', TagValue: 'v' }] })).name).toBe('LimitExceededException');
    expect((await h.call('ListResourceTags', { KeyId: keyId })).Tags).toHaveLength(50);
    await h.call('ScheduleKeyDeletion', { KeyId: keyId });
    expect(await h.fail('TagResource', { KeyId: keyId, Tags: [{ TagKey: 'k0', TagValue: 'w' }] })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is pending deletion.` });
    expect((await h.call('ListResourceTags', { KeyId: keyId, Limit: 50 })).Tags).toHaveLength(50);
  });
});

describe('key policies', () => {
  const allowRoot = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:*'], Resource: '*' }],
  });

  it('PutKeyPolicy replaces the document; GetKeyPolicy returns it verbatim; ListKeyPolicies lists default', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('PutKeyPolicy', { KeyId: keyId, Policy: allowRoot });
    expect(await h.call('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' })).toEqual({ Policy: allowRoot, PolicyName: 'default' });
    expect(await h.call('ListKeyPolicies', { KeyId: keyId })).toEqual({ PolicyNames: ['default'], Truncated: false });
    expect((await h.fail('GetKeyPolicy', { KeyId: keyId, PolicyName: 'other' })).name).toBe('NotFoundException');
    expect((await h.fail('GetKeyPolicy', { KeyId: keyId, PolicyName: 'no-dash' })).name).toBe('ValidationException');
  });

  it('refuses bad documents with the reason, leaving the old policy', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const before = (await h.call('GetKeyPolicy', { KeyId: keyId })).Policy;
    const cases: [string, RegExp][] = [
      ['not json', /not valid JSON/],
      ['[]', /JSON object/],
      ['{"Version":"2012-10-17","Statement":[]}', /at least one statement/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}', /Principal or NotPrincipal/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Group":"x"},"Action":"kms:*","Resource":"*"}]}', /unknown principal type "Group"/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":[],"Resource":"*"}]}', /Action must be/],
      ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":"x"}}]}', /Condition\.StringEquals/],
      ['{"Version":"2099-01-01","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}', /Version must be/],
    ];
    for (const [Policy, reason] of cases) {
      const e = await h.fail('PutKeyPolicy', { KeyId: keyId, Policy });
      expect(e.name).toBe('MalformedPolicyDocumentException');
      expect(e.message).toMatch(reason);
    }
    expect((await h.fail('PutKeyPolicy', { KeyId: keyId, Policy: '{"x":"\u4e2d"}' })).name).toBe('ValidationException');
    expect((await h.call('GetKeyPolicy', { KeyId: keyId })).Policy).toBe(before);
  });
});
