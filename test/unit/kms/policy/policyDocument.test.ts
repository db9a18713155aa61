import { describe, expect, it } from 'vitest';
import {
  defaultKeyPolicy,
  INVALID_PRINCIPALS_MESSAGE,
  parsePolicyDocument,
  policyPrincipals,
  unknownPrincipals,
} from '../../../../src/kms/policy';
import { keyPolicy, LEARNER, PARTNER } from './fixtures';

const reason = (doc: object, kind: 'key' | 'identity' = 'key') => {
  const r = parsePolicyDocument(JSON.stringify(doc), kind);
  return r.ok ? null : r.reason;
};
const statement = (s: object) => ({ Version: '2012-10-17', Statement: [s] });

describe('parsePolicyDocument: key policies', () => {
  it('accepts the default key policy (word for word, §6.1)', () => {
    const r = parsePolicyDocument(defaultKeyPolicy(LEARNER));
    expect(r).toEqual({
      ok: true,
      value: {
        Version: '2012-10-17',
        Id: 'key-default-1',
        Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${LEARNER}:root`] }, Action: ['kms:*'], Resource: ['*'] }],
      },
    });
  });
  it('keeps the existing reasons', () => {
    expect(reason(statement({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }))).toBe(
      'Statement[0] must have exactly one of Principal or NotPrincipal (a key policy names who it applies to)',
    );
    expect(reason({ Statement: [] })).toBe('The policy must contain at least one statement.');
    expect(reason(statement({ Effect: 'Maybe', Principal: '*' }))).toBe('Statement[0].Effect must be "Allow" or "Deny"');
    expect(parsePolicyDocument('{').ok).toBe(false);
  });
  it('accepts a statement without Action or Resource (it has no effect, §6.1)', () => {
    expect(reason(statement({ Effect: 'Allow', Principal: '*' }))).toBeNull();
  });
  it('refuses unknown condition operators', () => {
    expect(reason(statement({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEqualz: { 'kms:ViaService': 'x' } } }))).toBe(
      'Statement[0].Condition uses an unknown condition operator "StringEqualz"',
    );
  });
  it('refuses ForAllValues on kms:EncryptionContext:<key> and aws:RequestTag/<key> as KMS does', () => {
    expect(
      reason(statement({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:Department': 'IT' } } })),
    ).toMatch(/^OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context/);
    expect(reason(statement({ Effect: 'Allow', Principal: '*', Action: 'kms:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:RequestTag/Owner': 'me' } } }))).toMatch(
      /without the specified tag or with an unspecified tag\. To fix, remove ForAllValues\.$/,
    );
    // ForAnyValue is only discouraged, and ForAllValues on the multi-valued kms:EncryptionContextKeys is fine.
    expect(reason(statement({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } } }))).toBeNull();
  });
});

describe('parsePolicyDocument: identity policies', () => {
  const ok = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:*:${LEARNER}:key/*` };
  it('accepts an IAM policy', () => {
    expect(reason(statement(ok), 'identity')).toBeNull();
    expect(reason(statement({ ...ok, Resource: '*' }), 'identity')).toBeNull();
  });
  it('refuses Principal and NotPrincipal', () => {
    expect(reason(statement({ ...ok, Principal: '*' }), 'identity')).toBe(
      'Statement[0] has a Principal element, which an identity policy cannot have (it applies to the identity it is attached to)',
    );
    expect(reason(statement({ ...ok, NotPrincipal: { AWS: '*' } }), 'identity')).toMatch(/^Statement\[0\] has a NotPrincipal element/);
  });
  it('requires Action and Resource, resources being * or ARNs', () => {
    expect(reason(statement({ Effect: 'Allow', Resource: '*' }), 'identity')).toBe('Statement[0] must have an Action or NotAction element');
    expect(reason(statement({ Effect: 'Allow', Action: 'kms:*' }), 'identity')).toBe('Statement[0] must have a Resource or NotResource element');
    expect(reason(statement({ ...ok, Resource: 'key/1234' }), 'identity')).toBe(
      'Statement[0].Resource "key/1234" is not "*" or an ARN such as arn:aws:kms:us-east-1:111122223333:key/*',
    );
  });
});

describe('principals of a key policy', () => {
  const doc = keyPolicy(
    { Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${LEARNER}:root`, PARTNER, `arn:aws:iam::${LEARNER}:role/AppRole`] }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: 'kms:Encrypt', Resource: '*' },
    { Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${LEARNER}:user/ghost` }, Action: 'kms:Decrypt', Resource: '*' },
    { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
  );
  it('lists every named principal in document order', () => {
    expect(policyPrincipals(doc)).toEqual([
      { statement: 0, element: 'Principal', type: 'AWS', value: `arn:aws:iam::${LEARNER}:root` },
      { statement: 0, element: 'Principal', type: 'AWS', value: PARTNER },
      { statement: 0, element: 'Principal', type: 'AWS', value: `arn:aws:iam::${LEARNER}:role/AppRole` },
      { statement: 1, element: 'Principal', type: 'Service', value: 'logs.us-east-1.amazonaws.com' },
      { statement: 2, element: 'NotPrincipal', type: 'AWS', value: `arn:aws:iam::${LEARNER}:user/ghost` },
      { statement: 3, element: 'Principal', type: '*', value: '*' },
    ]);
  });
  it('finds the ones that do not exist', () => {
    const world = new Set([`arn:aws:iam::${LEARNER}:root`, `arn:aws:iam::${PARTNER}:root`, `arn:aws:iam::${LEARNER}:role/AppRole`]);
    expect(unknownPrincipals(doc, (arn) => world.has(arn))).toEqual([`arn:aws:iam::${LEARNER}:user/ghost`]);
    expect(unknownPrincipals(doc, () => false)).toEqual([`arn:aws:iam::${LEARNER}:root`, PARTNER, `arn:aws:iam::${LEARNER}:role/AppRole`, `arn:aws:iam::${LEARNER}:user/ghost`]);
  });
  it('refuses groups, wildcards inside ARNs, malformed values and non-AWS services', () => {
    const bad = keyPolicy({
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${LEARNER}:group/Admins`, 'arn:aws:iam::*:root', 'alice', `arn:aws:iam::${LEARNER}:role/*`], Service: ['example.com'] },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(unknownPrincipals(bad, () => true)).toEqual([`arn:aws:iam::${LEARNER}:group/Admins`, 'arn:aws:iam::*:root', 'alice', `arn:aws:iam::${LEARNER}:role/*`, 'example.com']);
  });
  it('checks an assumed-role session through its role', () => {
    const s = keyPolicy({ Effect: 'Allow', Principal: { AWS: `arn:aws:sts::${LEARNER}:assumed-role/AppRole/session-1` }, Action: 'kms:*', Resource: '*' });
    expect(unknownPrincipals(s, (arn) => arn === `arn:aws:iam::${LEARNER}:role/AppRole`)).toEqual([]);
  });
  it('exports the AWS message for the caller to throw', () => {
    expect(INVALID_PRINCIPALS_MESSAGE).toBe('Policy contains a statement with one or more invalid principals.');
  });
});
