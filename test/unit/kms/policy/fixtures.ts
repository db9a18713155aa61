/**
 * Shared fixtures of the policy tests: the default world's principals (issue 3), a key in the
 * learner's account, and helpers that parse policies and build requests.
 */
import { conditionContext, parsePolicyDocument, type AuthzPrincipal, type AuthzRequest, type NamedPolicy, type PolicyDocument } from '../../../../src/kms/policy';

export const LEARNER = '111122223333';
export const PARTNER = '444455556666';
export const KEY_ARN = `arn:aws:kms:us-east-1:${LEARNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const ROOT: AuthzPrincipal = { arn: `arn:aws:iam::${LEARNER}:root`, accountId: LEARNER, type: 'Account' };
export const KEY_ADMIN: AuthzPrincipal = { arn: `arn:aws:iam::${LEARNER}:role/KeyAdmin`, accountId: LEARNER, type: 'AssumedRole' };
export const APP_ROLE: AuthzPrincipal = { arn: `arn:aws:iam::${LEARNER}:role/AppRole`, accountId: LEARNER, type: 'AssumedRole' };
export const ALICE: AuthzPrincipal = { arn: `arn:aws:iam::${LEARNER}:user/alice`, accountId: LEARNER, type: 'User' };
export const PARTNER_ROOT: AuthzPrincipal = { arn: `arn:aws:iam::${PARTNER}:root`, accountId: PARTNER, type: 'Account' };
export const PARTNER_APP: AuthzPrincipal = { arn: `arn:aws:iam::${PARTNER}:role/PartnerApp`, accountId: PARTNER, type: 'AssumedRole' };
export const S3_SERVICE: AuthzPrincipal = { arn: 's3.amazonaws.com', accountId: '', type: 'AWSService' };

/** Parses a policy given as an object, failing the test on a refusal. */
export function policy(doc: object, kind: 'key' | 'identity' = 'key'): PolicyDocument {
  const r = parsePolicyDocument(JSON.stringify(doc), kind);
  if (!r.ok) throw new Error(`fixture policy refused: ${r.reason}`);
  return r.value;
}

/** A key policy from statements. */
export function keyPolicy(...Statement: object[]): PolicyDocument {
  return policy({ Version: '2012-10-17', Statement }, 'key');
}

/** A named identity policy from statements. */
export function iam(name: string, ...Statement: object[]): NamedPolicy {
  return { name, document: policy({ Version: '2012-10-17', Statement }, 'identity') };
}

/** A request on KEY_ARN (its account is the learner's). */
export function req(principal: AuthzPrincipal, action: string, context: Record<string, string | string[] | undefined> = {}, resource = KEY_ARN): AuthzRequest {
  return { action, resource, resourceAccount: resource === '*' ? principal.accountId : LEARNER, principal, context: conditionContext(context) };
}

/** AppRole's identity policy of the default world. */
export const APP_ROLE_IAM = iam('AppRoleKeyUse', {
  Effect: 'Allow',
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
  Resource: `arn:aws:kms:*:${LEARNER}:key/*`,
});
/** PartnerApp's identity policy of the default world. */
export const PARTNER_APP_IAM = iam('PartnerKeyUse', {
  Effect: 'Allow',
  Action: ['kms:Decrypt', 'kms:DescribeKey'],
  Resource: `arn:aws:kms:*:${LEARNER}:key/*`,
});
