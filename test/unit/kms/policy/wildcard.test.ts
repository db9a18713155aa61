import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchesArn, matchesWildcard, splitArn, wildcardMatcher } from '../../../../src/kms/policy/wildcard';
import { oracleArnMatch, oracleGlob } from '../../../oracles/policyEvaluator';

describe('matchesWildcard', () => {
  it.each([
    ['kms:GenerateDataKey*', 'kms:GenerateDataKey', true],
    ['kms:GenerateDataKey*', 'kms:GenerateDataKeyPairWithoutPlaintext', true],
    ['kms:GenerateDataKey*', 'kms:Generate', false],
    ['kms:*', 'kms:Decrypt', true],
    ['*', '', true],
    ['kms:?ncrypt', 'kms:Encrypt', true],
    ['kms:?ncrypt', 'kms:Decrypt', false],
    ['kms:Re*crypt*', 'kms:ReEncryptFrom', true],
    ['a.b', 'aXb', false],
    ['(x)+[y]', '(x)+[y]', true],
    ['key/*', 'key/a/b:c', true],
    ['exact', 'Exact', false],
  ])('%s vs %s → %s', (p, v, want) => expect(matchesWildcard(p, v)).toBe(want));

  it('caches one matcher per pattern', () => {
    expect(wildcardMatcher('kms:Re*')).toBe(wildcardMatcher('kms:Re*'));
  });

  it('agrees with the recursive oracle', () => {
    const alphabet = fc.constantFrom('a', 'b', ':', '/', '.', '*', '?', 'é');
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '.', 'é'), maxLength: 8 });
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 6 }), text, (p, t) => matchesWildcard(p, t) === oracleGlob(p, t)), { numRuns: 500 });
  });
});

describe('ARN matching', () => {
  it('splits six parts, the resource keeps its colons', () => {
    expect(splitArn('arn:aws:kms:us-east-1:111122223333:key/x:y')).toEqual(['arn', 'aws', 'kms', 'us-east-1', '111122223333', 'key/x:y']);
    expect(splitArn('arn:aws:kms')).toBeNull();
  });
  it.each([
    ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:111122223333:key/abc', true],
    ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:eu-west-1:444455556666:key/abc', false],
    // a * stays inside its segment: the region * cannot swallow the account
    ['arn:aws:kms:*:key/*', 'arn:aws:kms:eu-west-1:111122223333:key/abc', false],
    ['arn:aws:kms:*:111122223333:alias/*', 'arn:aws:kms:us-east-1:111122223333:key/abc', false],
    ['arn:aws:iam::*:role/App*', 'arn:aws:iam::111122223333:role/AppRole', true],
    ['*', 'arn:aws:kms:us-east-1:111122223333:key/abc', false],
    ['arn:aws:kms:us-east-1:111122223333:key/abc', 'not-an-arn', false],
  ])('%s vs %s → %s', (p, v, want) => expect(matchesArn(p, v)).toBe(want));

  it('agrees with the oracle', () => {
    const seg = fc.constantFrom('', '*', 'aws', 'a*', '?ws', 'kms', '111122223333', '1111*');
    const res = fc.constantFrom('key/*', 'key/abc', 'key/a:b', '*', 'alias/x');
    const arn = fc.tuple(seg, seg, seg, seg, res).map((p) => ['arn', ...p].join(':'));
    fc.assert(fc.property(arn, arn, (p, t) => matchesArn(p, t) === oracleArnMatch(p, t)), { numRuns: 500 });
  });
});
