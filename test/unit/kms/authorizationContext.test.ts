/**
 * The request context and identity policies authorization builds (src/kms/authorization.ts),
 * exported so the UI's policy findings read the same: the service's own decision carries exactly
 * `callerConditionContext` plus the request's keys, in that order, whether read through a call's
 * UnitOfWork or the committed Repository.
 */
import { describe, expect, it } from 'vitest';
import { callerConditionContext, findCallerPrincipal, identityPoliciesOf } from '../../../src/kms/authorization';
import type { AuthorizationDecision, CallerContext, KeyRecord } from '../../../src/kms';
import { cryptoConditions } from '../../../src/kms/operations/common';
import { UnitOfWork } from '../../../src/kms/unitOfWork';
import { ACCOUNT, makeHarness, REGION, ROOT, utf8 } from './harness';

const APP: CallerContext = { principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`, accountId: ACCOUNT as CallerContext['accountId'], region: REGION as CallerContext['region'] };

describe('callerConditionContext', () => {
  it('is the context of the service’s own decision, before the request’s keys', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Tags: [{ TagKey: 'Team', TagValue: 'blue' }] });
    await h.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: keyId });
    const ec = { Purpose: 'test' };
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x'), EncryptionContext: ec }, APP);
    const decisions = (h.repo.list('trailEvent').at(-1)!.authorization as unknown as { decisions: AuthorizationDecision[] }).decisions;
    const used = decisions[0]!.request.context;

    const principal = findCallerPrincipal(h.repo, APP)!;
    const key: KeyRecord = h.repo.get('key', arn)!;
    const expected = callerConditionContext(h.repo, principal, key, h.clock.now(), undefined);
    expect(expected['aws:resourcetag/team']).toEqual(['blue']);
    expect(expected['kms:resourcealiases']).toEqual(['alias/app']);
    expect(expected['aws:principaltype']).toEqual(['AssumedRole']);
    expect(expected['aws:currenttime']).toEqual([new Date(h.clock.now()).toISOString()]);
    const conditions = cryptoConditions(ec);
    for (const k of Object.keys(conditions)) expected[k] = conditions[k]!;
    expect(Object.entries(used)).toEqual(Object.entries(expected));
  });

  it('reads the same through a UnitOfWork as through the repository; kms:ViaService only when given; no key, no key keys', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const principal = findCallerPrincipal(h.repo, ROOT)!;
    const key: KeyRecord = h.repo.get('key', arn)!;
    const tx = new UnitOfWork(h.repo);
    expect(Object.entries(callerConditionContext(tx, principal, key, 0, 'ec2.us-east-1.amazonaws.com'))).toEqual(
      Object.entries(callerConditionContext(h.repo, principal, key, 0, 'ec2.us-east-1.amazonaws.com')),
    );
    expect(callerConditionContext(h.repo, principal, key, 0, 'ec2.us-east-1.amazonaws.com')['kms:viaservice']).toEqual(['ec2.us-east-1.amazonaws.com']);
    expect(Object.keys(callerConditionContext(h.repo, principal, null, 0, undefined))).toEqual([
      'aws:principalarn',
      'aws:principalaccount',
      'aws:principaltype',
      'aws:currenttime',
      'kms:calleraccount',
    ]);
  });
});

describe('identityPoliciesOf and findCallerPrincipal', () => {
  it('gives a role its attached policies and an account root none; an unknown or foreign caller is not found', async () => {
    const h = await makeHarness();
    const app = findCallerPrincipal(h.repo, APP)!;
    const attached = h.repo.list('identityPolicy').filter((p) => p.principalArn === app.id);
    expect(attached.length).toBeGreaterThan(0);
    expect(identityPoliciesOf(h.repo, app).map((p) => p.name)).toEqual(attached.map((p) => p.policyName));
    expect(identityPoliciesOf(h.repo, findCallerPrincipal(h.repo, ROOT)!)).toEqual([]);
    expect(findCallerPrincipal(h.repo, { ...APP, principalArn: `arn:aws:iam::${ACCOUNT}:user/mallory` })).toBeUndefined();
    expect(findCallerPrincipal(h.repo, { ...APP, accountId: '444455556666' as CallerContext['accountId'] })).toBeUndefined();
  });
});
