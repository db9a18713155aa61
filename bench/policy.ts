/**
 * The authorization part of the benchmark (issue 3, "Benchmark"): evaluations/s of `decide()`
 * for one realistic request against a 10-statement key policy with conditions, one IAM identity
 * policy and 5 grant traces. Grant traces are precomputed, as the service hands them to decide()
 * (grants are evaluated by src/kms/policy/grants.ts). Policies are parsed once, outside the loop,
 * as the service keeps parsed ASTs; every iteration evaluates all 11 documents' statements,
 * builds the full trace (summaries included) and the decision.
 *
 * Run by bench/core.ts in both environments (Node and Chromium). Target: ≥ 200,000
 * evaluations/s in Node.
 * The issue's second figure, the share of an in-memory Encrypt spent authorizing (target ≤ 20%),
 * is measured in core.ts (`authorizeEncrypt`) on the ops bench's own sandbox and request.
 */
import { conditionContext, decide, parsePolicyDocument, type AuthzRequest, type DecisionInputs, type GrantTrace, type PolicyDocument } from '../src/kms/policy';

/** Target of the issue: decide() evaluations per second in Node. */
export const POLICY_EVALUATIONS_TARGET = 200_000;

const ACCOUNT = '111122223333';
const PARTNER = '444455556666';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/AppRole`;

function parse(doc: object, kind: 'key' | 'identity'): PolicyDocument {
  const r = parsePolicyDocument(JSON.stringify(doc), kind);
  if (!r.ok) throw new Error(`bench policy refused: ${r.reason}`);
  return r.value;
}

/** A console-style key policy grown to 10 statements, most of them with conditions. */
function keyPolicy(): PolicyDocument {
  const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
  return parse(
    {
      Version: '2012-10-17',
      Id: 'bench-key-policy',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: root, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'Allow access for Key Administrators',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin` },
          Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
          Resource: '*',
        },
        {
          Sid: 'Allow use of the key',
          Effect: 'Allow',
          Principal: { AWS: APP_ROLE },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['tenant', 'app'] }, StringEquals: { 'kms:CallerAccount': ACCOUNT } },
        },
        {
          Sid: 'Allow attachment of persistent resources',
          Effect: 'Allow',
          Principal: { AWS: APP_ROLE },
          Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
        {
          Sid: 'Allow access through S3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        },
        {
          Sid: 'Partner decrypt',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${PARTNER}:root` },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringLike: { 'kms:EncryptionContext:tenant': 'partner-*' } },
        },
        {
          Sid: 'Deny non-default algorithms',
          Effect: 'Deny',
          Principal: '*',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*'],
          Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } },
        },
        {
          Sid: 'Deny lockout bypass',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:PutKeyPolicy',
          Resource: '*',
          Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
        },
        {
          Sid: 'ABAC by project tag',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/Project': 'Alpha', 'aws:PrincipalAccount': ACCOUNT }, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } },
        },
        {
          Sid: 'Only during the project',
          Effect: 'Deny',
          Principal: '*',
          NotAction: ['kms:Describe*', 'kms:List*', 'kms:Get*'],
          Resource: '*',
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
        },
      ],
    },
    'key',
  );
}

/** AppRole's identity policy of the default world. */
function identityPolicy(): PolicyDocument {
  return parse(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'UseKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` },
        { Sid: 'NoAdmin', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'], Resource: '*' },
      ],
    },
    'identity',
  );
}

/** Five grant traces as grants.ts would return them for this request (none applies). */
function grants(): GrantTrace[] {
  return Array.from({ length: 5 }, (_, i) => ({
    grantId: `${i}`.repeat(64),
    name: `grant-${i}`,
    applies: false,
    summary: `grantee arn:aws:iam::${ACCOUNT}:role/Worker${i} is not the caller`,
  }));
}

/** The request and inputs of one evaluation: AppRole Encrypts with an encryption context. */
export function policyFixture(): { request: AuthzRequest; inputs: DecisionInputs } {
  const request: AuthzRequest = {
    action: 'kms:Encrypt',
    resource: KEY_ARN,
    resourceAccount: ACCOUNT,
    principal: { arn: APP_ROLE, accountId: ACCOUNT, type: 'AssumedRole' },
    context: conditionContext({
      'kms:CallerAccount': ACCOUNT,
      'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT',
      'kms:EncryptionContextKeys': ['tenant', 'app'],
      'kms:EncryptionContext:tenant': 'acme',
      'kms:EncryptionContext:app': 'billing',
      'kms:KeySpec': 'SYMMETRIC_DEFAULT',
      'kms:KeyUsage': 'ENCRYPT_DECRYPT',
      'kms:KeyOrigin': 'AWS_KMS',
      'kms:MultiRegion': 'false',
      'aws:PrincipalArn': APP_ROLE,
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalType': 'AssumedRole',
      'aws:ResourceTag/Project': 'Alpha',
      'aws:CurrentTime': '2026-01-15T12:00:00Z',
    }),
  };
  const inputs: DecisionInputs = { keyPolicy: keyPolicy(), keyArn: KEY_ARN, identityPolicies: [{ name: 'AppRoleKeyUse', document: identityPolicy() }], grants: grants() };
  const check = decide(request, inputs);
  if (check.decision !== 'Allow' || check.allowedBy !== 'key-policy') throw new Error(`bench fixture decided ${check.decision} (${check.reason})`);
  return { request, inputs };
}

/** Calls decide() on the fixture for at least `minMs`; returns evaluations per second. */
export function decidePerSecond(minMs: number): number {
  const { request, inputs } = policyFixture();
  let n = 0;
  let allowed = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let i = 0; i < 256; i++) if (decide(request, inputs).decision === 'Allow') allowed++;
    n += 256;
    t = performance.now();
  }
  if (allowed !== n) throw new Error('decide() changed its answer during the loop');
  return (n * 1000) / (t - t0);
}
