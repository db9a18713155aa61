/**
 * The goal vocabulary on a small inline lesson: the matchers the shipped lessons do not use yet
 * (rotation, grantExists, tag and description key matchers, keyExists) meet and fail as documented.
 */
import { describe, expect, it } from 'vitest';
import { callerOf, findKeys, loadLesson, startLesson, type Goal, type Lesson } from '../../../src/lessons';
import { memoryFactory } from './lessonFiles';

function lessonWith(goals: Goal[]): Lesson {
  const r = loadLesson({
    'index.md': '---\nid: vocab\ntitle: Vocabulary\nsummary: s\npar: 9\n---\n## In real AWS\nx\n',
    'start.json': JSON.stringify({
      setup: [
        { id: 'key', call: 'CreateKey', request: { Description: 'Orders key', Tags: [{ TagKey: 'team', TagValue: 'orders' }] } },
        { call: 'CreateAlias', request: { AliasName: 'alias/orders', TargetKeyId: '$ref:key.KeyMetadata.KeyId' } },
      ],
    }),
    'goal.json': JSON.stringify({ goals }),
    'solution.json': JSON.stringify({ solution: [{ advanceDays: 0 }] }),
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.lesson;
}

const ORDERS = { tag: { key: 'team', value: 'orders' } };

describe('matchers', () => {
  it('find keys by tag, description and alias (never by id), combining fields with AND', async () => {
    const session = await startLesson(lessonWith([{ id: 'k', title: 't', check: { keyExists: ORDERS } }]), { seed: 1, factory: memoryFactory });
    const repo = session.repository;
    const byTag = findKeys(repo, ORDERS);
    expect(byTag).toHaveLength(1);
    expect(findKeys(repo, { description: 'Orders key' })).toEqual(byTag);
    expect(findKeys(repo, { alias: 'alias/orders', description: 'Orders key' })).toEqual(byTag);
    expect(findKeys(repo, { alias: 'alias/orders', description: 'Other' })).toEqual([]);
    expect(await session.check()).toEqual([{ id: 'k', title: 't', met: true, reason: 'the key tagged team=orders exists' }]);
  });

  it('rotation: enabled with a period', async () => {
    const goals: Goal[] = [
      { id: 'on', title: 'on', check: { rotation: { key: ORDERS, enabled: true, periodInDays: 90 } } },
      { id: 'off', title: 'off', check: { rotation: { key: ORDERS, enabled: false } } },
    ];
    const session = await startLesson(lessonWith(goals), { seed: 1, factory: memoryFactory });
    expect((await session.check()).map((g) => g.met)).toEqual([false, true]);
    const keyId = findKeys(session.repository, ORDERS)[0]!.keyId;
    await session.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 }, callerOf('root'));
    expect((await session.check()).map((g) => g.met)).toEqual([true, false]);
  });

  it('grantExists: grantee, exact operations and constraints', async () => {
    const goals: Goal[] = [
      {
        id: 'g',
        title: 'g',
        check: { grantExists: { key: { alias: 'alias/orders' }, grantee: 'role/AppRole', operations: ['Decrypt'], encryptionContextSubset: { tenant: 'acme' } } },
      },
    ];
    const session = await startLesson(lessonWith(goals), { seed: 1, factory: memoryFactory });
    const keyId = findKeys(session.repository, ORDERS)[0]!.keyId;
    const grantee = callerOf('role/AppRole').principalArn;
    await session.call('CreateGrant', { KeyId: keyId, GranteePrincipal: grantee, Operations: ['Decrypt', 'Encrypt'], Constraints: { EncryptionContextSubset: { tenant: 'acme' } } }, callerOf('root'));
    expect((await session.check())[0]!.met).toBe(false);
    await session.call('CreateGrant', { KeyId: keyId, GranteePrincipal: grantee, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { tenant: 'acme' } } }, callerOf('root'));
    expect((await session.check())[0]).toMatchObject({ met: true, reason: `a matching grant for ${grantee} exists` });
  });

  it('policyAllows sees grants (settled: after propagation), and not() inverts with a reason', async () => {
    const goals: Goal[] = [
      { id: 'alice', title: 'alice', check: { policyAllows: { key: ORDERS, principal: 'user/alice', action: 'kms:Encrypt', settled: true } } },
      { id: 'now', title: 'now', check: { policyAllows: { key: ORDERS, principal: 'user/alice', action: 'kms:Encrypt' } } },
      { id: 'not', title: 'not', check: { not: { keyExists: { alias: 'alias/missing' } } } },
    ];
    const session = await startLesson(lessonWith(goals), { seed: 1, factory: memoryFactory });
    expect((await session.check()).map((g) => g.met)).toEqual([false, false, true]);
    expect((await session.check())[2]!.reason).toBe('as required, not: no key matches alias/missing');
    const keyId = findKeys(session.repository, ORDERS)[0]!.keyId;
    await session.call('CreateGrant', { KeyId: keyId, GranteePrincipal: callerOf('user/alice').principalArn, Operations: ['Encrypt'] }, callerOf('root'));
    // A new grant is in effect only after it propagated (or with its token): `settled` asks then.
    expect((await session.check()).map((g) => g.met)).toEqual([true, false, true]);
  });
});
