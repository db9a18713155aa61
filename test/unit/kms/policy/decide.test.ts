/**
 * decide() on the examples of kms-semantics.md §6 and the default world of issue 3, with the
 * AccessDenied message tails AWS uses.
 */
import { describe, expect, it } from 'vitest';
import { decide, defaultKeyPolicy, LOCKOUT_MESSAGE, lockoutSafetyCheck, parsePolicyDocument, type GrantTrace, type NamedPolicy, type PolicyDocument } from '../../../../src/kms/policy';
import {
  ALICE,
  APP_ROLE,
  APP_ROLE_IAM,
  iam,
  KEY_ADMIN,
  KEY_ARN,
  keyPolicy,
  LEARNER,
  PARTNER,
  PARTNER_APP,
  PARTNER_APP_IAM,
  PARTNER_ROOT,
  req,
  ROOT,
  S3_SERVICE,
} from './fixtures';
import type { AuthzPrincipal } from '../../../../src/kms/policy';

const DEFAULT = (() => {
  const r = parsePolicyDocument(defaultKeyPolicy(LEARNER));
  if (!r.ok) throw new Error(r.reason);
  return r.value;
})();
const ROOT_STATEMENT = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LEARNER}:root` }, Action: 'kms:*', Resource: '*' };
const GRANT: GrantTrace = { grantId: 'g1', name: 'app-decrypt', applies: true, summary: 'grantee matches, Decrypt is a grant operation' };
const NO_GRANT: GrantTrace = { grantId: 'g2', name: null, applies: false, summary: 'grantee does not match' };

function run(
  who: AuthzPrincipal,
  action: string,
  keyPolicyDoc: PolicyDocument | null,
  identityPolicies: NamedPolicy[] = [],
  grants: GrantTrace[] = [],
  ctx: Record<string, string | string[]> = {},
) {
  return decide(req(who, action, ctx, keyPolicyDoc ? KEY_ARN : '*'), { keyPolicy: keyPolicyDoc, keyArn: keyPolicyDoc ? KEY_ARN : null, identityPolicies, grants });
}

describe('the default key policy delegates to IAM (§6.1)', () => {
  it('AppRole with its IAM policy may Encrypt (key policy + IAM)', () => {
    const d = run(APP_ROLE, 'kms:Encrypt', DEFAULT, [APP_ROLE_IAM]);
    expect(d).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy+iam', because: '' });
    expect(d.reason).toBe(
      `The key policy's statement "Enable IAM User Permissions" delegates kms:Encrypt to account ${LEARNER}'s IAM, and Statement[0] of identity policy "AppRoleKeyUse" allows it.`,
    );
    expect(d.keyPolicy).toMatchObject({ kind: 'key-policy', name: 'default', owner: KEY_ARN });
    expect(d.identityPolicies[0]).toMatchObject({ kind: 'identity-policy', name: 'AppRoleKeyUse', owner: APP_ROLE.arn });
  });
  it('…but not PutKeyPolicy: no identity-based policy allows it', () => {
    const d = run(APP_ROLE, 'kms:PutKeyPolicy', DEFAULT, [APP_ROLE_IAM]);
    expect(d).toMatchObject({ decision: 'ImplicitDeny', allowedBy: null, because: 'because no identity-based policy allows the kms:PutKeyPolicy action' });
  });
  it('alice has no KMS permissions', () => {
    expect(run(ALICE, 'kms:Decrypt', DEFAULT).because).toBe('because no identity-based policy allows the kms:Decrypt action');
  });
  it('the account root has every permission of its own IAM: the key policy alone lets it in', () => {
    expect(run(ROOT, 'kms:ScheduleKeyDeletion', DEFAULT)).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy' });
  });
});

describe('a key policy naming a role directly (§6.2 step 3)', () => {
  const doc = keyPolicy(ROOT_STATEMENT, { Sid: 'KeyUsers', Effect: 'Allow', Principal: { AWS: APP_ROLE.arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });
  it('needs no IAM policy', () => {
    const d = run(APP_ROLE, 'kms:Decrypt', doc);
    expect(d).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy' });
    expect(d.reason).toBe(`The key policy's statement "KeyUsers" allows kms:Decrypt to ${APP_ROLE.arn} directly; no IAM policy is needed.`);
  });
  it('an IAM Deny still wins', () => {
    const deny = iam('NoDecrypt', { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    expect(run(APP_ROLE, 'kms:Decrypt', doc, [deny])).toMatchObject({ decision: 'ExplicitDeny', because: 'with an explicit deny in an identity-based policy' });
  });
});

describe('Principal "*" (§6.1)', () => {
  it('without conditions it opens the key to every account, but a caller elsewhere still needs its own IAM', () => {
    const doc = keyPolicy({ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    expect(run(ALICE, 'kms:Decrypt', doc)).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy' });
    expect(run(PARTNER_APP, 'kms:Decrypt', doc)).toMatchObject({ decision: 'ImplicitDeny', because: 'because no identity-based policy allows the kms:Decrypt action' });
    expect(run(PARTNER_APP, 'kms:Decrypt', doc, [PARTNER_APP_IAM])).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy+iam' });
  });
  it('with kms:CallerAccount + kms:ViaService (the AWS managed key pattern)', () => {
    const doc = keyPolicy({
      Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'kms:CallerAccount': LEARNER, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
      Resource: '*',
    });
    const via = { 'kms:CallerAccount': LEARNER, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' };
    expect(run(ALICE, 'kms:Decrypt', doc, [], [], via).decision).toBe('Allow');
    const direct = run(ALICE, 'kms:Decrypt', doc, [], [], { 'kms:CallerAccount': LEARNER });
    expect(direct).toMatchObject({ decision: 'ImplicitDeny', because: 'because no resource-based policy allows the kms:Decrypt action' });
    expect(direct.keyPolicy!.statements[0]!.summary).toMatch(/condition kms:ViaService StringEquals ec2\.us-east-1\.amazonaws\.com failed: the call was direct \(kms:ViaService is absent\)$/);
    expect(run(PARTNER_APP, 'kms:Decrypt', doc, [PARTNER_APP_IAM], [], { 'kms:CallerAccount': PARTNER, 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' }).decision).toBe('ImplicitDeny');
  });
});

describe('cross-account needs both sides (§6.2)', () => {
  const admitsPartner = keyPolicy(ROOT_STATEMENT, { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' });
  it('key policy admits the account + PartnerApp\'s IAM allows → Allow', () => {
    const d = run(PARTNER_APP, 'kms:Decrypt', admitsPartner, [PARTNER_APP_IAM]);
    expect(d).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy+iam' });
    expect(d.reason).toBe(`Cross-account: the key policy's statement "Partner" admits ${PARTNER_APP.arn} (account ${PARTNER}), and Statement[0] of identity policy "PartnerKeyUse" allows it.`);
  });
  it('key policy only → denied by the identity side', () => {
    expect(run(PARTNER_APP, 'kms:Decrypt', admitsPartner)).toMatchObject({ decision: 'ImplicitDeny', because: 'because no identity-based policy allows the kms:Decrypt action' });
  });
  it('IAM only → denied by the resource side', () => {
    expect(run(PARTNER_APP, 'kms:Decrypt', DEFAULT, [PARTNER_APP_IAM])).toMatchObject({ decision: 'ImplicitDeny', because: 'because no resource-based policy allows the kms:Decrypt action' });
  });
  it('the partner root counts as its own IAM side', () => {
    expect(run(PARTNER_ROOT, 'kms:Decrypt', admitsPartner)).toMatchObject({ decision: 'Allow', allowedBy: 'key-policy+iam' });
  });
  it('a key policy naming PartnerApp directly still needs PartnerApp\'s IAM', () => {
    const named = keyPolicy({ Effect: 'Allow', Principal: { AWS: PARTNER_APP.arn }, Action: 'kms:Decrypt', Resource: '*' });
    expect(run(PARTNER_APP, 'kms:Decrypt', named).decision).toBe('ImplicitDeny');
    expect(run(PARTNER_APP, 'kms:Decrypt', named, [PARTNER_APP_IAM]).decision).toBe('Allow');
  });
  it('the key policy only allows what it lists', () => {
    const iamAll = iam('all', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    expect(run(PARTNER_APP, 'kms:Encrypt', admitsPartner, [iamAll]).because).toBe('because no resource-based policy allows the kms:Encrypt action');
  });
});

describe('removing the root statement removes IAM\'s say (§6.2 step 4)', () => {
  const withoutRoot = keyPolicy({ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: KEY_ADMIN.arn }, Action: 'kms:*', Resource: '*' });
  it('AppRole\'s IAM allow no longer counts', () => {
    const d = run(APP_ROLE, 'kms:Encrypt', withoutRoot, [APP_ROLE_IAM]);
    expect(d).toMatchObject({ decision: 'ImplicitDeny', because: 'because no resource-based policy allows the kms:Encrypt action' });
    expect(d.reason).toBe(
      `No statement of the key policy allows kms:Encrypt to ${APP_ROLE.arn} (an identity policy allows it, but IAM only counts when the key policy delegates to the account), and no grant applies.`,
    );
  });
  it('not even the account root gets in', () => {
    expect(run(ROOT, 'kms:PutKeyPolicy', withoutRoot).decision).toBe('ImplicitDeny');
  });
  it('IAM denies still apply', () => {
    const deny = iam('deny', { Effect: 'Deny', Action: 'kms:*', Resource: '*' });
    expect(run(KEY_ADMIN, 'kms:DescribeKey', withoutRoot, [deny]).decision).toBe('ExplicitDeny');
  });
});

describe('explicit deny and grants', () => {
  const doc = keyPolicy(ROOT_STATEMENT, {
    Sid: 'OnlySymmetric',
    Effect: 'Deny',
    Principal: { AWS: APP_ROLE.arn },
    Action: ['kms:Encrypt', 'kms:Decrypt'],
    Resource: '*',
    Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } },
  });
  it('a key-policy Deny wins over IAM and grants', () => {
    const d = run(APP_ROLE, 'kms:Decrypt', doc, [APP_ROLE_IAM], [GRANT], { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' });
    expect(d).toMatchObject({ decision: 'ExplicitDeny', allowedBy: null, because: 'with an explicit deny in a resource-based policy' });
    expect(d.reason).toBe(`The key policy's statement "OnlySymmetric" explicitly denies kms:Decrypt to ${APP_ROLE.arn}; an explicit deny overrides every allow, grants included.`);
    expect(run(APP_ROLE, 'kms:Decrypt', doc, [APP_ROLE_IAM], [GRANT], { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' }).decision).toBe('Allow');
  });
  it('a Deny on the account principal denies everyone in the account', () => {
    const d = keyPolicy(ROOT_STATEMENT, { Effect: 'Deny', Principal: { AWS: LEARNER }, Action: 'kms:Decrypt', Resource: '*' });
    expect(run(APP_ROLE, 'kms:Decrypt', d, [APP_ROLE_IAM]).decision).toBe('ExplicitDeny');
  });
  it('a grant allows on its own, also cross-account, and is reported', () => {
    const closed = keyPolicy({ Effect: 'Allow', Principal: { AWS: KEY_ADMIN.arn }, Action: 'kms:*', Resource: '*' });
    const d = run(ALICE, 'kms:Decrypt', closed, [], [NO_GRANT, GRANT]);
    expect(d).toMatchObject({ decision: 'Allow', allowedBy: 'grant', grants: [NO_GRANT, GRANT] });
    expect(d.reason).toBe(`Grant app-decrypt allows kms:Decrypt to ${ALICE.arn}: grantee matches, Decrypt is a grant operation.`);
    expect(run(PARTNER_APP, 'kms:Decrypt', closed, [], [GRANT]).allowedBy).toBe('grant');
    expect(run(ALICE, 'kms:Decrypt', closed, [], [NO_GRANT]).decision).toBe('ImplicitDeny');
  });
});

describe('operations without a key (IAM alone)', () => {
  it('CreateKey: root yes, KeyAdmin with a policy yes, alice no', () => {
    const admin = iam('KeyAdministration', { Effect: 'Allow', Action: ['kms:Create*', 'kms:Describe*'], Resource: '*' });
    expect(run(ROOT, 'kms:CreateKey', null)).toMatchObject({ decision: 'Allow', allowedBy: 'iam' });
    expect(run(KEY_ADMIN, 'kms:CreateKey', null, [admin])).toMatchObject({ decision: 'Allow', allowedBy: 'iam', keyPolicy: null });
    expect(run(ALICE, 'kms:CreateKey', null)).toMatchObject({ decision: 'ImplicitDeny', because: 'because no identity-based policy allows the kms:CreateKey action' });
  });
  it('an IAM Deny on kms:BypassPolicyLockoutSafetyCheck', () => {
    const p = iam('NoBypass', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' }, { Effect: 'Deny', Action: 'kms:CreateKey', Resource: '*', Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } } });
    expect(run(KEY_ADMIN, 'kms:CreateKey', null, [p], [], { 'kms:BypassPolicyLockoutSafetyCheck': 'true' }).decision).toBe('ExplicitDeny');
    expect(run(KEY_ADMIN, 'kms:CreateKey', null, [p], [], { 'kms:BypassPolicyLockoutSafetyCheck': 'false' }).decision).toBe('Allow');
  });
});

describe('service principals', () => {
  it('a key policy naming the service lets it in without IAM', () => {
    const doc = keyPolicy({ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'kms:GenerateDataKey', Resource: '*' });
    expect(decide({ ...req(S3_SERVICE, 'kms:GenerateDataKey'), resourceAccount: LEARNER }, { keyPolicy: doc, keyArn: KEY_ARN, identityPolicies: [], grants: [] }).decision).toBe('Allow');
  });
});

describe('the policy lockout safety check (§6.4)', () => {
  const base = { resource: KEY_ARN, resourceAccount: LEARNER, context: {} };
  it('passes for the default policy when the caller is the root or KeyAdmin with IAM rights', () => {
    expect(lockoutSafetyCheck(DEFAULT, { ...base, principal: ROOT }, KEY_ARN, []).decision).toBe('Allow');
    const admin = iam('KeyAdministration', { Effect: 'Allow', Action: 'kms:Put*', Resource: '*' });
    expect(lockoutSafetyCheck(DEFAULT, { ...base, principal: KEY_ADMIN }, KEY_ARN, [admin]).decision).toBe('Allow');
  });
  it('refuses a policy that leaves the caller unable to call PutKeyPolicy', () => {
    const users = keyPolicy({ Effect: 'Allow', Principal: { AWS: APP_ROLE.arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });
    const d = lockoutSafetyCheck(users, { ...base, principal: ROOT }, KEY_ARN, []);
    expect(d.decision).toBe('ImplicitDeny');
    expect(d.request.action).toBe('kms:PutKeyPolicy');
    expect(LOCKOUT_MESSAGE).toBe('The new key policy will not allow you to update the key policy in the future.');
  });
});

describe('AccessDenied message tails', () => {
  it('are exactly AWS\'s four forms', () => {
    const message = (d: ReturnType<typeof run>) => `User: ${d.request.principal.arn} is not authorized to perform: ${d.request.action} on resource: ${d.request.resource} ${d.because}`;
    expect(message(run(ALICE, 'kms:Decrypt', DEFAULT))).toBe(
      `User: ${ALICE.arn} is not authorized to perform: kms:Decrypt on resource: ${KEY_ARN} because no identity-based policy allows the kms:Decrypt action`,
    );
    const deny = keyPolicy(ROOT_STATEMENT, { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    expect(message(run(ALICE, 'kms:Decrypt', deny))).toMatch(/ with an explicit deny in a resource-based policy$/);
    expect(run(ALICE, 'kms:Decrypt', DEFAULT, [iam('d', { Effect: 'Deny', Action: '*', Resource: '*' })]).because).toBe('with an explicit deny in an identity-based policy');
    expect(run(PARTNER_APP, 'kms:Decrypt', DEFAULT, [PARTNER_APP_IAM]).because).toBe('because no resource-based policy allows the kms:Decrypt action');
  });
});
