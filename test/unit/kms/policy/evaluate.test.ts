import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type AuthzPrincipal, type PolicyDocument } from '../../../../src/kms/policy';
import { ALICE, APP_ROLE, iam, KEY_ARN, keyPolicy, LEARNER, PARTNER, PARTNER_APP, PARTNER_ROOT, req, ROOT, S3_SERVICE } from './fixtures';

const keyOpts = { kind: 'key-policy' as const, name: 'default', owner: KEY_ARN, keyArn: KEY_ARN };
const one = (doc: PolicyDocument, principal: AuthzPrincipal, action: string, ctx: Record<string, string | string[] | undefined> = {}) =>
  evaluatePolicy(doc, req(principal, action, ctx), keyOpts).statements[0]!;

describe('Action / NotAction', () => {
  const doc = keyPolicy({ Sid: 'Use', Effect: 'Allow', Principal: '*', Action: ['kms:GenerateDataKey*', 'kms:ReEncrypt*', 'KMS:decrypt'], Resource: '*' });
  it.each([
    ['kms:GenerateDataKey', true],
    ['kms:GenerateDataKeyPairWithoutPlaintext', true],
    ['kms:ReEncryptFrom', true],
    ['kms:ReEncryptTo', true],
    ['kms:Decrypt', true],
    ['kms:Encrypt', false],
  ])('%s → %s (wildcards, case-insensitive)', (action, want) => expect(one(doc, APP_ROLE, action).actionMatched).toBe(want));
  it('kms:* and * match everything', () => {
    expect(one(keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }), APP_ROLE, 'kms:ScheduleKeyDeletion').applies).toBe(true);
    expect(one(keyPolicy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), APP_ROLE, 'kms:ScheduleKeyDeletion').applies).toBe(true);
  });
  it('NotAction matches what it does not list', () => {
    const d = keyPolicy({ Effect: 'Deny', Principal: '*', NotAction: ['kms:Describe*', 'kms:List*'], Resource: '*' });
    expect(one(d, APP_ROLE, 'kms:DescribeKey').actionMatched).toBe(false);
    expect(one(d, APP_ROLE, 'kms:DescribeKey').summary).toBe('Statement[0]: kms:DescribeKey is excluded by NotAction, principal matched ("*" names everyone)');
    expect(one(d, APP_ROLE, 'kms:Decrypt').applies).toBe(true);
  });
  it('a statement without Action has no effect', () => {
    const t = one(keyPolicy({ Effect: 'Allow', Principal: '*', Resource: '*' }), APP_ROLE, 'kms:Decrypt');
    expect(t).toMatchObject({ actionMatched: false, applies: false });
    expect(t.summary).toMatch(/no Action element \(the statement has no effect\)/);
  });
});

describe('Resource', () => {
  it('key policy: * is this key; the key ARN matches; another key does not; no Resource has no effect', () => {
    const t = (Resource?: string | string[]) => one(keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', ...(Resource ? { Resource } : {}) }), APP_ROLE, 'kms:Decrypt');
    expect(t('*').resourceMatched).toBe(true);
    expect(t(KEY_ARN).resourceMatched).toBe(true);
    expect(t(`arn:aws:kms:us-east-1:${LEARNER}:key/other`).resourceMatched).toBe(false);
    expect(t().resourceMatched).toBe(false);
  });
  it('identity policy: ARN wildcards on the request resource; * matches the no-resource operations', () => {
    const p = iam('p', { Effect: 'Allow', Action: 'kms:*', Resource: `arn:aws:kms:*:${LEARNER}:key/*` }).document;
    const opts = { kind: 'identity-policy' as const, name: 'p', owner: APP_ROLE.arn };
    expect(evaluatePolicy(p, req(APP_ROLE, 'kms:Decrypt'), opts).statements[0]!.applies).toBe(true);
    expect(evaluatePolicy(p, req(APP_ROLE, 'kms:Decrypt', {}, `arn:aws:kms:eu-west-1:${PARTNER}:key/x`), opts).statements[0]!.resourceMatched).toBe(false);
    expect(evaluatePolicy(p, req(APP_ROLE, 'kms:CreateKey', {}, '*'), opts).statements[0]!.resourceMatched).toBe(false);
    const star = iam('s', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' }).document;
    expect(evaluatePolicy(star, req(APP_ROLE, 'kms:CreateKey', {}, '*'), opts).statements[0]!.applies).toBe(true);
    const notRes = iam('n', { Effect: 'Deny', Action: 'kms:*', NotResource: `arn:aws:kms:*:${LEARNER}:key/*` }).document;
    expect(evaluatePolicy(notRes, req(APP_ROLE, 'kms:Decrypt'), opts).statements[0]!.applies).toBe(false);
    expect(evaluatePolicy(notRes, req(APP_ROLE, 'kms:Decrypt', {}, `arn:aws:kms:eu-west-1:${PARTNER}:key/x`), opts).statements[0]!.applies).toBe(true);
  });
  it('identity policies match on their own identity (principalMatch direct)', () => {
    const p = iam('p', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }).document;
    const t = evaluatePolicy(p, req(ALICE, 'kms:Decrypt'), { kind: 'identity-policy', name: 'p', owner: ALICE.arn });
    expect(t).toMatchObject({ kind: 'identity-policy', name: 'p', owner: ALICE.arn });
    expect(t.statements[0]!.principalMatch).toBe('direct');
  });
});

describe('Principal', () => {
  const by = (Principal: unknown, who: AuthzPrincipal) => one(keyPolicy({ Effect: 'Allow', Principal, Action: 'kms:*', Resource: '*' }), who, 'kms:Decrypt').principalMatch;
  it('* and {AWS: *} match everyone directly', () => {
    for (const who of [APP_ROLE, PARTNER_APP, ROOT, S3_SERVICE]) {
      expect(by('*', who)).toBe('direct');
      expect(by({ AWS: '*' }, who)).toBe('direct');
    }
  });
  it('the caller\'s own ARN matches directly; another principal does not', () => {
    expect(by({ AWS: APP_ROLE.arn }, APP_ROLE)).toBe('direct');
    expect(by({ AWS: APP_ROLE.arn }, ALICE)).toBeNull();
  });
  it('the account (root ARN or bare id) delegates to IAM, except for that account\'s root itself', () => {
    expect(by({ AWS: `arn:aws:iam::${LEARNER}:root` }, APP_ROLE)).toBe('account');
    expect(by({ AWS: LEARNER }, ALICE)).toBe('account');
    expect(by({ AWS: `arn:aws:iam::${LEARNER}:root` }, ROOT)).toBe('direct');
    expect(by({ AWS: LEARNER }, ROOT)).toBe('direct');
    expect(by({ AWS: `arn:aws:iam::${LEARNER}:root` }, PARTNER_APP)).toBeNull();
    expect(by({ AWS: PARTNER }, PARTNER_APP)).toBe('account');
    expect(by({ AWS: PARTNER }, PARTNER_ROOT)).toBe('direct');
  });
  it('direct wins when a list names the caller and its account', () => {
    expect(by({ AWS: [`arn:aws:iam::${LEARNER}:root`, APP_ROLE.arn] }, APP_ROLE)).toBe('direct');
  });
  it('an assumed-role session matches its role', () => {
    const session: AuthzPrincipal = { arn: `arn:aws:sts::${LEARNER}:assumed-role/AppRole/build-42`, accountId: LEARNER, type: 'AssumedRole' };
    expect(by({ AWS: APP_ROLE.arn }, session)).toBe('direct');
  });
  it('service principals match only that service', () => {
    expect(by({ Service: 's3.amazonaws.com' }, S3_SERVICE)).toBe('direct');
    expect(by({ Service: 'logs.amazonaws.com' }, S3_SERVICE)).toBeNull();
    expect(by({ Service: 's3.amazonaws.com' }, APP_ROLE)).toBeNull();
    expect(by({ AWS: `arn:aws:iam::${LEARNER}:root` }, S3_SERVICE)).toBeNull();
  });
  it('NotPrincipal applies to everyone it does not name (naming the account names its principals)', () => {
    const not = (NotPrincipal: unknown, who: AuthzPrincipal) => one(keyPolicy({ Effect: 'Deny', NotPrincipal, Action: 'kms:*', Resource: '*' }), who, 'kms:Decrypt');
    expect(not({ AWS: KEY_ADMIN_ARN }, APP_ROLE).principalMatch).toBe('direct');
    expect(not({ AWS: APP_ROLE.arn }, APP_ROLE).principalMatch).toBeNull();
    expect(not({ AWS: APP_ROLE.arn }, APP_ROLE).summary).toMatch(/excluded by NotPrincipal/);
    expect(not({ AWS: LEARNER }, ALICE).principalMatch).toBeNull();
    expect(not({ AWS: LEARNER }, PARTNER_APP).principalMatch).toBe('direct');
  });
});
const KEY_ADMIN_ARN = `arn:aws:iam::${LEARNER}:role/KeyAdmin`;

describe('summaries (the "why" panel)', () => {
  it('reads as the issue describes', () => {
    const doc = keyPolicy({
      Sid: 'KeyUsers',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${LEARNER}:root` },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
    const t = one(doc, APP_ROLE, 'kms:Decrypt');
    expect(t.summary).toBe(
      'statement "KeyUsers": action matched, principal matched (account 111122223333 delegates to IAM), condition kms:ViaService StringEquals s3.us-east-1.amazonaws.com failed: the call was direct (kms:ViaService is absent)',
    );
    expect(t).toMatchObject({ sid: 'KeyUsers', effect: 'Allow', actionMatched: true, resourceMatched: true, principalMatch: 'account', conditionsPassed: false, applies: false });
    const ok = one(doc, APP_ROLE, 'kms:Decrypt', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
    expect(ok.summary).toBe('statement "KeyUsers": action matched, principal matched (account 111122223333 delegates to IAM), its condition passed — applies (allows kms:Decrypt)');
  });
  it('names unnamed statements by index and skips conditions when the statement cannot apply', () => {
    const doc = keyPolicy(
      { Effect: 'Allow', Principal: { AWS: APP_ROLE.arn }, Action: 'kms:Encrypt', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { Effect: 'Allow', Principal: { AWS: APP_ROLE.arn }, Action: 'kms:Encrypt', Resource: '*' },
    );
    const [a, b] = evaluatePolicy(doc, req(ALICE, 'kms:Decrypt'), keyOpts).statements;
    expect(a!.summary).toBe(`Statement[0]: kms:Decrypt is not in Action, principal ${ALICE.arn} is not named`);
    expect(a!.conditions).toEqual([]);
    expect(b!.index).toBe(1);
  });
  it('traces are JSON-safe', () => {
    const doc = keyPolicy({ Sid: 'x', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': LEARNER } } });
    const t = evaluatePolicy(doc, req(APP_ROLE, 'kms:Decrypt', { 'kms:CallerAccount': LEARNER }), keyOpts);
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    expect(structuredClone(t)).toEqual(t);
  });
});

/**
 * Every condition key of the issue in a key-policy statement: the statement applies for the
 * passing request and not for the failing one. The engine reads the context; what matters here
 * is the spelling and the value shape the service must fill (lists for multi-valued keys).
 */
describe('every condition key of issue 3', () => {
  type Ctx = Record<string, string | string[] | undefined>;
  const KEYS: [operator: string, key: string, value: string | string[], pass: Ctx, fail: Ctx][] = [
    ['StringEquals', 'kms:ViaService', 's3.us-east-1.amazonaws.com', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, {}],
    ['StringEquals', 'kms:CallerAccount', LEARNER, { 'kms:CallerAccount': LEARNER }, { 'kms:CallerAccount': PARTNER }],
    ['StringEquals', 'kms:EncryptionContext:AppName', 'ExampleApp', { 'kms:EncryptionContext:appname': 'ExampleApp' }, { 'kms:EncryptionContext:AppName': 'Other' }],
    ['ForAllValues:StringEquals', 'kms:EncryptionContextKeys', ['AppName', 'Stage'], { 'kms:EncryptionContextKeys': ['Stage', 'AppName'] }, { 'kms:EncryptionContextKeys': ['AppName', 'Tenant'] }],
    ['StringEquals', 'kms:EncryptionAlgorithm', 'SYMMETRIC_DEFAULT', { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' }, { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' }],
    ['Bool', 'kms:GrantIsForAWSResource', 'true', { 'kms:GrantIsForAWSResource': 'true' }, { 'kms:GrantIsForAWSResource': 'false' }],
    ['ForAllValues:StringEquals', 'kms:GrantOperations', ['Decrypt', 'RetireGrant'], { 'kms:GrantOperations': ['Decrypt'] }, { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] }],
    ['StringEquals', 'kms:GranteePrincipal', APP_ROLE.arn, { 'kms:GranteePrincipal': APP_ROLE.arn }, { 'kms:GranteePrincipal': ALICE.arn }],
    ['StringLike', 'kms:RetiringPrincipal', `arn:aws:iam::${LEARNER}:role/*`, { 'kms:RetiringPrincipal': APP_ROLE.arn }, { 'kms:RetiringPrincipal': ALICE.arn }],
    ['StringEquals', 'kms:GrantConstraintType', 'EncryptionContextSubset', { 'kms:GrantConstraintType': 'EncryptionContextSubset' }, { 'kms:GrantConstraintType': 'EncryptionContextEquals' }],
    ['StringEquals', 'kms:KeySpec', 'SYMMETRIC_DEFAULT', { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' }, { 'kms:KeySpec': 'RSA_2048' }],
    ['StringEquals', 'kms:KeyUsage', 'ENCRYPT_DECRYPT', { 'kms:KeyUsage': 'ENCRYPT_DECRYPT' }, { 'kms:KeyUsage': 'SIGN_VERIFY' }],
    ['StringEquals', 'kms:KeyOrigin', 'AWS_KMS', { 'kms:KeyOrigin': 'AWS_KMS' }, { 'kms:KeyOrigin': 'EXTERNAL' }],
    ['Bool', 'kms:MultiRegion', 'false', { 'kms:MultiRegion': 'false' }, { 'kms:MultiRegion': 'true' }],
    ['StringEquals', 'kms:RequestAlias', 'alias/app', { 'kms:RequestAlias': 'alias/app' }, {}],
    ['ForAnyValue:StringLike', 'kms:ResourceAliases', 'alias/finance-*', { 'kms:ResourceAliases': ['alias/app', 'alias/finance-eu'] }, { 'kms:ResourceAliases': ['alias/app'] }],
    ['Bool', 'kms:BypassPolicyLockoutSafetyCheck', 'false', { 'kms:BypassPolicyLockoutSafetyCheck': 'false' }, { 'kms:BypassPolicyLockoutSafetyCheck': 'true' }],
    ['ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${LEARNER}:role/App*`, { 'aws:PrincipalArn': APP_ROLE.arn }, { 'aws:PrincipalArn': ALICE.arn }],
    ['StringEquals', 'aws:PrincipalAccount', LEARNER, { 'aws:PrincipalAccount': LEARNER }, { 'aws:PrincipalAccount': PARTNER }],
    ['StringEquals', 'aws:PrincipalType', 'AssumedRole', { 'aws:PrincipalType': 'AssumedRole' }, { 'aws:PrincipalType': 'User' }],
    ['StringEquals', 'aws:ResourceTag/Project', 'Alpha', { 'aws:ResourceTag/Project': 'Alpha' }, {}],
    ['StringEquals', 'aws:RequestTag/Owner', 'alice', { 'aws:RequestTag/Owner': 'alice' }, { 'aws:RequestTag/Owner': 'bob' }],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['Owner', 'Project'], { 'aws:TagKeys': ['Owner'] }, { 'aws:TagKeys': ['Owner', 'CostCenter'] }],
    ['DateLessThan', 'aws:CurrentTime', '2026-06-01T00:00:00Z', { 'aws:CurrentTime': '2026-01-15T12:00:00Z' }, { 'aws:CurrentTime': '2026-07-01T00:00:00Z' }],
  ];
  it.each(KEYS)('%s %s', (operator, key, value, pass, fail) => {
    const doc = keyPolicy({ Sid: 'K', Effect: 'Allow', Principal: { AWS: APP_ROLE.arn }, Action: 'kms:*', Resource: '*', Condition: { [operator]: { [key]: value } } });
    expect(one(doc, APP_ROLE, 'kms:Decrypt', pass).applies).toBe(true);
    const failed = one(doc, APP_ROLE, 'kms:Decrypt', fail);
    expect(failed.applies).toBe(false);
    expect(failed.conditions[0]!.key).toBe(key);
  });
});
