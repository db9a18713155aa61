/**
 * Access-Analyzer-like findings of the key policy editor (src/ui/policy/findings.ts) over a real
 * sandbox (in-memory service): each check on a policy that should trigger it and on one that
 * should not, and the lockout finding compared with what PutKeyPolicy itself answers, for the
 * account root and for the KeyAdmin role (identity policy, tag conditions, explicit denies).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../src/kms';
import { defaultKeyPolicy } from '../../../src/kms/policy';
import { cannotEditReason, reviewPolicy } from '../../../src/ui/policy/findings';
import { buildFindingsContext } from '../../../src/ui/policy/findingsContext';
import { ACCOUNT, makeHarness, PARTNER, ROOT, type Harness } from '../kms/harness';

const KEY_ADMIN: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` };
const PARTNER_ROOT: CallerContext = { ...ROOT, principalArn: `arn:aws:iam::${PARTNER}:root`, accountId: PARTNER as CallerContext['accountId'] };
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const APP_DECRYPT = { Sid: 'AppDecrypt', Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: 'kms:Decrypt', Resource: '*' };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

let h: Harness;
let keyArn: string;

beforeEach(async () => {
  h = await makeHarness();
  keyArn = (await h.createKey()).arn;
  await h.call('TagResource', { KeyId: keyArn, Tags: [{ TagKey: 'team', TagValue: 'orders' }] });
});

function review(text: string, caller: CallerContext = ROOT) {
  return reviewPolicy(text, buildFindingsContext(h.repo, caller, keyArn, h.clock.now()));
}

function sources(text: string, caller: CallerContext = ROOT): string[] {
  return review(text, caller).findings.map((f) => `${f.level} ${f.source}`);
}

describe('policy findings', () => {
  it('the default key policy only reports that the editor can still change it', () => {
    const r = review(defaultKeyPolicy(ACCOUNT));
    expect(r.problems).toEqual([]);
    expect(r.findings.map((f) => `${f.level} ${f.source} ${f.statement}`)).toEqual(['info Lockout check 0']);
    expect(r.findings[0]!.message).toMatch(/can still change this policy/);
  });

  it('Principal "*" in an Allow without a Condition is an error; with a Condition it is not reported', () => {
    const text = policy(ROOT_STATEMENT, { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    const f = review(text).findings.find((x) => x.source === 'Public access')!;
    expect(f).toMatchObject({ level: 'error', statement: 1, sid: 'Everyone' });
    expect(text.slice(f.from, f.to)).toBe('"Principal": "*"');
    expect(sources(policy(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:Decrypt', Resource: '*' }))).toContain('error Public access');
    const narrowed = { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } };
    expect(sources(policy(ROOT_STATEMENT, narrowed))).not.toContain('error Public access');
    expect(sources(policy(ROOT_STATEMENT, { ...narrowed, Effect: 'Deny', Condition: undefined }))).not.toContain('error Public access');
  });

  it('no statement allowing the account root kms:* is a warning (a bare account id counts as the root)', () => {
    expect(sources(policy(ROOT_STATEMENT, APP_DECRYPT))).not.toContain('warning No root statement');
    expect(sources(policy({ ...ROOT_STATEMENT, Principal: { AWS: ACCOUNT } }))).not.toContain('warning No root statement');
    expect(sources(policy({ ...ROOT_STATEMENT, Action: 'kms:Decrypt' }))).toContain('warning No root statement');
    expect(sources(policy({ ...ROOT_STATEMENT, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))).toContain('warning No root statement');
    expect(sources(policy({ ...ROOT_STATEMENT, Principal: { AWS: `arn:aws:iam::${PARTNER}:root` } }))).toContain('warning No root statement');
  });

  it('kms:* to a non-root principal, NotPrincipal and NotAction with Allow are warnings', () => {
    const text = policy(ROOT_STATEMENT, { Sid: 'App', Effect: 'Allow', Principal: { AWS: APP_ROLE }, Action: ['kms:*'], Resource: '*' });
    const full = review(text).findings.find((f) => f.source === 'Full access')!;
    expect(full).toMatchObject({ level: 'warning', statement: 1, sid: 'App' });
    expect(full.message).toContain(APP_ROLE);
    expect(text.slice(full.from, full.to)).toMatch(/^"Action": \[/);
    expect(sources(policy(ROOT_STATEMENT, APP_DECRYPT))).not.toContain('warning Full access');
    expect(sources(policy(ROOT_STATEMENT, { Effect: 'Allow', NotPrincipal: { AWS: APP_ROLE }, Action: 'kms:Decrypt', Resource: '*' }))).toContain('warning NotPrincipal');
    expect(sources(policy(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: APP_ROLE }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' }))).toContain('warning NotAction');
    expect(sources(policy(ROOT_STATEMENT, { Effect: 'Deny', NotPrincipal: { AWS: ACCOUNT }, NotAction: 'kms:Decrypt', Resource: '*' }))).toEqual(['info Lockout check']);
  });

  it('a principal the sandbox does not have is an error, as PutKeyPolicy refuses it', async () => {
    const text = policy(ROOT_STATEMENT, { ...APP_DECRYPT, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Nobody` } });
    const f = review(text).findings.find((x) => x.source === 'Principals')!;
    expect(f).toMatchObject({ level: 'error', statement: 1 });
    expect(f.message).toContain('role/Nobody');
    const refused = await h.fail('PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: text });
    expect(refused).toEqual({ name: 'MalformedPolicyDocumentException', message: 'Policy contains a statement with one or more invalid principals.' });
  });

  it('a grammar error gives problems and no findings', () => {
    const r = review('{"Statement": [ { "Effect": "Maybe" } ]}');
    expect(r.problems.map((p) => p.source)).toEqual(['Policy grammar']);
    expect(r.findings).toEqual([]);
  });

  it('a caller from another account gets an info, not a lockout verdict', () => {
    expect(sources(defaultKeyPolicy(ACCOUNT), PARTNER_ROOT)).toEqual(['info Lockout check']);
    const unknown = { ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:user/ghost` };
    expect(review(defaultKeyPolicy(ACCOUNT), unknown).findings[0]!.message).toMatch(/not a principal of this sandbox/);
  });
});

describe('the lockout finding agrees with PutKeyPolicy', () => {
  const KEY_ADMIN_ARN = KEY_ADMIN.principalArn;
  const cases: [string, CallerContext, string][] = [
    ['root keeps the default policy', ROOT, defaultKeyPolicy(ACCOUNT)],
    ['root removes the root statement', ROOT, policy(APP_DECRYPT)],
    ['root denies itself PutKeyPolicy', ROOT, policy(ROOT_STATEMENT, { Sid: 'NoChanges', Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 'kms:PutKeyPolicy', Resource: '*' })],
    ['KeyAdmin through IAM delegation', KEY_ADMIN, defaultKeyPolicy(ACCOUNT)],
    ['KeyAdmin named directly', KEY_ADMIN, policy({ Effect: 'Allow', Principal: { AWS: KEY_ADMIN_ARN }, Action: 'kms:PutKeyPolicy', Resource: '*' })],
    ['KeyAdmin with only AppRole left', KEY_ADMIN, policy(APP_DECRYPT)],
    ['KeyAdmin under a matching resource tag', KEY_ADMIN, policy({ ...ROOT_STATEMENT, Condition: { StringEquals: { 'aws:ResourceTag/team': 'orders' } } })],
    ['KeyAdmin under another resource tag', KEY_ADMIN, policy({ ...ROOT_STATEMENT, Condition: { StringEquals: { 'aws:ResourceTag/team': 'billing' } } })],
    ['KeyAdmin as an AssumedRole', KEY_ADMIN, policy({ ...ROOT_STATEMENT, Condition: { StringEquals: { 'aws:PrincipalType': 'AssumedRole' } } })],
    ['KeyAdmin denied by NotPrincipal', KEY_ADMIN, policy(ROOT_STATEMENT, { Effect: 'Deny', NotPrincipal: { AWS: APP_ROLE }, Action: 'kms:Put*', Resource: '*' })],
  ];

  for (const [title, caller, text] of cases) {
    it(title, async () => {
      const predicted = review(text, caller).findings.find((f) => f.source === 'Lockout');
      let refusal: string | null = null;
      try {
        await h.call('PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: text }, caller);
      } catch (e) {
        refusal = `${(e as Error).name}: ${(e as Error).message}`;
      }
      if (predicted) {
        expect(predicted.level).toBe('error');
        expect(refusal).toBe('MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.');
      } else {
        expect(refusal).toBeNull();
      }
    });
  }

  it('an explicit deny points at the denying statement', () => {
    const text = policy(ROOT_STATEMENT, { Sid: 'NoChanges', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' });
    const f = review(text).findings.find((x) => x.source === 'Lockout')!;
    expect(f).toMatchObject({ statement: 1, sid: 'NoChanges' });
    expect(f.message).toMatch(/explicitly denies/);
  });
});

describe('cannotEditReason', () => {
  it('says why the acting principal cannot save under the stored policy, as PutKeyPolicy answers', async () => {
    const appRole: CallerContext = { ...ROOT, principalArn: APP_ROLE };
    const stored = defaultKeyPolicy(ACCOUNT);
    const ctx = (caller: CallerContext) => buildFindingsContext(h.repo, caller, keyArn, h.clock.now());
    expect(ctx(ROOT).storedPolicy).toBe(stored);
    expect(cannotEditReason(ctx(ROOT))).toBeNull();
    expect(cannotEditReason(ctx(KEY_ADMIN))).toBeNull();
    expect(cannotEditReason(ctx(appRole))).toMatch(/no identity policy of arn:aws:iam::111122223333:role\/AppRole allows it/);
    expect((await h.fail('PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: stored }, appRole)).name).toBe('AccessDeniedException');
    expect(cannotEditReason(ctx(PARTNER_ROOT))).toMatch(/different AWS account/);
    expect((await h.fail('PutKeyPolicy', { KeyId: keyArn, PolicyName: 'default', Policy: stored }, PARTNER_ROOT)).name).toBe('AccessDeniedException');
    expect(cannotEditReason({ ...ctx(ROOT), storedPolicy: 'not json' })).toMatch(/No statement of the key policy allows kms:PutKeyPolicy/);
  });

  it('replaces the lockout verdict when the caller cannot call PutKeyPolicy at all', () => {
    const appRole: CallerContext = { ...ROOT, principalArn: APP_ROLE };
    const r = review(policy(APP_DECRYPT), appRole);
    expect(r.findings.map((f) => `${f.level} ${f.source}`)).toEqual(['warning No root statement', 'info Lockout check']);
    expect(r.findings[1]!.message).toMatch(/cannot change the stored policy: .*AccessDeniedException, before the lockout check/);
  });
});
