/**
 * Reading the authorization trace kept with a trail record: what decided (statement Sid or index,
 * identity policy, grant), from real service records; stored junk is skipped, never trusted.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext, TrailEventRecord } from '../../../src/kms';
import { authorizationSummaries, describeRef } from '../../../src/viz';
import { ACCOUNT, REGION, makeHarness, utf8 } from '../kms/harness';

const APP: CallerContext = {
  principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`,
  accountId: ACCOUNT as CallerContext['accountId'],
  region: REGION as CallerContext['region'],
};

describe('authorizationSummaries', () => {
  it('key policy delegating to IAM: the account statement and the identity policy statement', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') }, APP);
    const event = [...h.repo.list('trailEvent')].sort((a, b) => a.seq - b.seq).at(-1)!;
    const [a] = authorizationSummaries(event);
    expect(a).toMatchObject({ action: 'kms:Encrypt', decision: 'Allow', allowedBy: 'key-policy+iam' });
    expect(a!.refs).toHaveLength(2);
    expect(a!.refs[0]).toMatchObject({ kind: 'key-policy', sid: 'Enable IAM User Permissions', index: 0, effect: 'Allow' });
    expect(a!.refs[1]).toMatchObject({ kind: 'identity-policy', effect: 'Allow' });
    expect(describeRef(a!.refs[1]!)).toMatch(/^statement .+ of identity policy ".+"$/);
  });

  it('a statement without a Sid is named by its index', () => {
    expect(describeRef({ kind: 'key-policy', policyName: 'default', index: 2, effect: 'Deny' })).toBe('statement #2 of the key policy');
    expect(describeRef({ kind: 'grant', policyName: null, grantId: 'abcdef0123456789', effect: 'Allow' })).toBe('grant abcdef01…');
  });

  it('skips what it cannot read', () => {
    const junk = (authorization: unknown) => authorizationSummaries({ authorization } as Pick<TrailEventRecord, 'authorization'>);
    expect(junk(undefined)).toEqual([]);
    expect(junk({ decisions: 'nope' })).toEqual([]);
    expect(junk({ decisions: [null, 3, { decision: 'Maybe' }] })).toEqual([]);
    expect(junk({ decisions: [{ decision: 'ExplicitDeny', keyPolicy: { statements: [{ applies: true }] } }] })).toEqual([
      { action: '', resource: '', decision: 'ExplicitDeny', allowedBy: null, reason: '', refs: [] },
    ]);
  });
});
