/**
 * Every condition key of issue 3, through the service: the key policy names `Principal: "*"` with
 * one condition, and the same request is allowed under a condition value that matches and denied
 * under one that does not. The callers (alice, KeyAdmin) have no IAM permission for these actions,
 * so only the conditioned statement can allow them.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../src/kms';
import { ACCOUNT, PARTNER, REGION, makeHarness, utf8, type Harness } from './harness';

const ALICE: CallerContext = {
  principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT as CallerContext['accountId'],
  region: REGION as CallerContext['region'],
};
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const KEY_ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;

interface Case {
  /** Condition key under test. */
  key: string;
  action: string | string[];
  pass: Record<string, Record<string, unknown>>;
  fail: Record<string, Record<string, unknown>>;
  op: string;
  request: (k: { keyId: string; arn: string }) => Record<string, unknown>;
  caller?: CallerContext;
}

const encrypt = (extra: Record<string, unknown> = {}) => (k: { keyId: string }) => ({ KeyId: k.keyId, Plaintext: utf8('x'), ...extra });
const grant = (extra: Record<string, unknown> = {}) => (k: { keyId: string }) => ({ KeyId: k.keyId, GranteePrincipal: APP_ROLE, Operations: ['Decrypt'], ...extra });
const eq = (key: string, v: unknown) => ({ StringEquals: { [key]: v } });

const CASES: Case[] = [
  { key: 'kms:ViaService', action: 'kms:Encrypt', pass: eq('kms:ViaService', `s3.${REGION}.amazonaws.com`), fail: eq('kms:ViaService', `ec2.${REGION}.amazonaws.com`), op: 'Encrypt', request: encrypt(), caller: { ...ALICE, viaService: `s3.${REGION}.amazonaws.com` } },
  { key: 'kms:CallerAccount', action: 'kms:Encrypt', pass: eq('kms:CallerAccount', ACCOUNT), fail: eq('kms:CallerAccount', PARTNER), op: 'Encrypt', request: encrypt() },
  { key: 'kms:EncryptionContext:<key>', action: 'kms:Encrypt', pass: eq('kms:EncryptionContext:tenant', 'a'), fail: eq('kms:EncryptionContext:tenant', 'b'), op: 'Encrypt', request: encrypt({ EncryptionContext: { tenant: 'a' } }) },
  { key: 'kms:EncryptionContextKeys', action: 'kms:Encrypt', pass: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'tenant' } }, fail: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'other' } }, op: 'Encrypt', request: encrypt({ EncryptionContext: { tenant: 'a' } }) },
  { key: 'kms:EncryptionAlgorithm', action: 'kms:Encrypt', pass: eq('kms:EncryptionAlgorithm', 'SYMMETRIC_DEFAULT'), fail: eq('kms:EncryptionAlgorithm', 'RSAES_OAEP_SHA_256'), op: 'Encrypt', request: encrypt() },
  { key: 'kms:GrantIsForAWSResource', action: 'kms:CreateGrant', pass: { Bool: { 'kms:GrantIsForAWSResource': 'false' } }, fail: { Bool: { 'kms:GrantIsForAWSResource': 'true' } }, op: 'CreateGrant', request: grant() },
  { key: 'kms:GrantOperations', action: 'kms:CreateGrant', pass: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } }, fail: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Encrypt'] } }, op: 'CreateGrant', request: grant() },
  { key: 'kms:GranteePrincipal', action: 'kms:CreateGrant', pass: eq('kms:GranteePrincipal', APP_ROLE), fail: eq('kms:GranteePrincipal', KEY_ADMIN), op: 'CreateGrant', request: grant() },
  { key: 'kms:RetiringPrincipal', action: 'kms:CreateGrant', pass: eq('kms:RetiringPrincipal', KEY_ADMIN), fail: eq('kms:RetiringPrincipal', APP_ROLE), op: 'CreateGrant', request: grant({ RetiringPrincipal: KEY_ADMIN }) },
  { key: 'kms:GrantConstraintType', action: 'kms:CreateGrant', pass: eq('kms:GrantConstraintType', 'EncryptionContextSubset'), fail: eq('kms:GrantConstraintType', 'EncryptionContextEquals'), op: 'CreateGrant', request: grant({ Constraints: { EncryptionContextSubset: { tenant: 'a' } } }) },
  { key: 'kms:KeySpec', action: 'kms:Encrypt', pass: eq('kms:KeySpec', 'SYMMETRIC_DEFAULT'), fail: eq('kms:KeySpec', 'RSA_2048'), op: 'Encrypt', request: encrypt() },
  { key: 'kms:KeyUsage', action: 'kms:Encrypt', pass: eq('kms:KeyUsage', 'ENCRYPT_DECRYPT'), fail: eq('kms:KeyUsage', 'SIGN_VERIFY'), op: 'Encrypt', request: encrypt() },
  { key: 'kms:KeyOrigin', action: 'kms:Encrypt', pass: eq('kms:KeyOrigin', 'AWS_KMS'), fail: eq('kms:KeyOrigin', 'EXTERNAL'), op: 'Encrypt', request: encrypt() },
  { key: 'kms:MultiRegion', action: 'kms:Encrypt', pass: { Bool: { 'kms:MultiRegion': 'false' } }, fail: { Bool: { 'kms:MultiRegion': 'true' } }, op: 'Encrypt', request: encrypt() },
  { key: 'kms:RequestAlias', action: 'kms:Encrypt', pass: eq('kms:RequestAlias', 'alias/app'), fail: eq('kms:RequestAlias', 'alias/other'), op: 'Encrypt', request: () => ({ KeyId: 'alias/app', Plaintext: utf8('x') }) },
  { key: 'kms:ResourceAliases', action: 'kms:Encrypt', pass: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/app' } }, fail: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/other' } }, op: 'Encrypt', request: encrypt() },
  { key: 'kms:BypassPolicyLockoutSafetyCheck', action: ['kms:PutKeyPolicy', 'kms:Encrypt'], pass: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } }, fail: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'false' } }, op: 'PutKeyPolicy', request: (k) => ({ KeyId: k.keyId, Policy: DOC.current, BypassPolicyLockoutSafetyCheck: true }) },
  { key: 'aws:PrincipalArn', action: 'kms:Encrypt', pass: { ArnEquals: { 'aws:PrincipalArn': ALICE.principalArn } }, fail: { ArnEquals: { 'aws:PrincipalArn': KEY_ADMIN } }, op: 'Encrypt', request: encrypt() },
  { key: 'aws:PrincipalAccount', action: 'kms:Encrypt', pass: eq('aws:PrincipalAccount', ACCOUNT), fail: eq('aws:PrincipalAccount', PARTNER), op: 'Encrypt', request: encrypt() },
  { key: 'aws:PrincipalType', action: 'kms:Encrypt', pass: eq('aws:PrincipalType', 'User'), fail: eq('aws:PrincipalType', 'AssumedRole'), op: 'Encrypt', request: encrypt() },
  { key: 'aws:ResourceTag/<key>', action: 'kms:Encrypt', pass: eq('aws:ResourceTag/team', 'pay'), fail: eq('aws:ResourceTag/team', 'ops'), op: 'Encrypt', request: encrypt() },
  { key: 'aws:RequestTag/<key>', action: 'kms:TagResource', pass: eq('aws:RequestTag/env', 'dev'), fail: eq('aws:RequestTag/env', 'prod'), op: 'TagResource', request: (k) => ({ KeyId: k.keyId, Tags: [{ TagKey: 'env', TagValue: 'dev' }] }) },
  { key: 'aws:TagKeys', action: 'kms:TagResource', pass: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, fail: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, op: 'TagResource', request: (k) => ({ KeyId: k.keyId, Tags: [{ TagKey: 'env', TagValue: 'dev' }] }) },
  { key: 'aws:CurrentTime', action: 'kms:Encrypt', pass: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, fail: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, op: 'Encrypt', request: encrypt() },
  { key: 'kms:ScheduleKeyDeletionPendingWindowInDays', action: 'kms:ScheduleKeyDeletion', pass: { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '14' } }, fail: { NumericGreaterThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': '21' } }, op: 'ScheduleKeyDeletion', request: (k) => ({ KeyId: k.keyId, PendingWindowInDays: 20 }) },
];

/** The policy text of the current case (the BypassPolicyLockoutSafetyCheck case re-puts it). */
const DOC = { current: '' };

async function keyWith(h: Harness, c: Case, condition: Record<string, Record<string, unknown>>) {
  const k = await h.createKey({ Tags: [{ TagKey: 'team', TagValue: 'pay' }] });
  await h.call('CreateAlias', { AliasName: 'alias/app', TargetKeyId: k.keyId });
  DOC.current = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:PutKeyPolicy', 'kms:DeleteAlias'], Resource: '*' },
      { Sid: 'Case', Effect: 'Allow', Principal: '*', Action: c.action, Resource: '*', Condition: condition },
    ],
  });
  await h.call('PutKeyPolicy', { KeyId: k.keyId, Policy: DOC.current });
  return k;
}

describe('condition keys through the service', () => {
  for (const c of CASES) {
    it(`${c.key}: allows when the condition matches, denies when it does not`, async () => {
      const h = await makeHarness();
      const good = await keyWith(h, c, c.pass);
      await h.call(c.op, c.request(good), c.caller ?? ALICE);
      await h.call('DeleteAlias', { AliasName: 'alias/app' });
      const bad = await keyWith(h, c, c.fail);
      const e = await h.fail(c.op, c.request(bad), c.caller ?? ALICE);
      expect(e.name).toBe('AccessDeniedException');
      const trace = h.repo.list('trailEvent').at(-1)!.authorization as { decisions: { keyPolicy: { statements: { sid?: string; summary: string }[] } }[] };
      const statement = trace.decisions.at(-1)!.keyPolicy.statements.find((s) => s.sid === 'Case')!;
      expect(statement.summary.toLowerCase()).toContain(c.key.split('<')[0]!.toLowerCase());
    });
  }

  it('aws:CurrentTime is the sandbox clock', async () => {
    const h = await makeHarness();
    const later = new Date(h.clock.t + 10 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const c: Case = { key: 'aws:CurrentTime', action: 'kms:Encrypt', pass: {}, fail: {}, op: 'Encrypt', request: encrypt() };
    const k = await keyWith(h, c, { DateGreaterThan: { 'aws:CurrentTime': later } });
    expect((await h.fail('Encrypt', c.request(k), ALICE)).name).toBe('AccessDeniedException');
    await h.service.advanceClock(11 * 86_400_000);
    await h.call('Encrypt', c.request(k), ALICE);
  });

  it('IAM conditions on CreateKey see the requested KeySpec, tags and origin', async () => {
    const h = await makeHarness();
    const bob = await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'user', name: 'bob' });
    await h.service.world.putIdentityPolicy(
      bob.arn,
      'TaggedKeysOnly',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['kms:CreateKey', 'kms:TagResource'], Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/owner': 'bob', 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } },
        ],
      }),
    );
    const BOB = { ...ALICE, principalArn: bob.arn };
    expect((await h.fail('CreateKey', {}, BOB)).name).toBe('AccessDeniedException');
    await h.call('CreateKey', { Tags: [{ TagKey: 'owner', TagValue: 'bob' }] }, BOB);
  });
});
