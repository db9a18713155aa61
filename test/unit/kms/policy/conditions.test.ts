/**
 * Every condition operator: a passing and a failing request value, the absent key (plain,
 * IfExists, negated), the set qualifiers on absent, empty, one and several values, and Null.
 */
import { describe, expect, it } from 'vitest';
import { compileCondition, conditionContext, evaluateCondition, parseOperator } from '../../../../src/kms/policy/conditions';
import { oracleCondition } from '../../../oracles/policyEvaluator';

type Ctx = Record<string, string | string[] | undefined>;

function check(operator: string, key: string, values: string[], ctx: Ctx): boolean {
  const context = conditionContext(ctx);
  const got = evaluateCondition(compileCondition(operator, key, values), context);
  // Every case is also a check of the oracle against the engine.
  expect(oracleCondition(operator, key, values, context)).toBe(got.passed);
  return got.passed;
}

/** [operator, policy values, passing request value, failing request value] */
const CASES: [string, string[], string, string][] = [
  ['StringEquals', ['s3.us-east-1.amazonaws.com'], 's3.us-east-1.amazonaws.com', 'S3.us-east-1.amazonaws.com'],
  ['StringNotEquals', ['SYMMETRIC_DEFAULT'], 'RSAES_OAEP_SHA_256', 'SYMMETRIC_DEFAULT'],
  ['StringEqualsIgnoreCase', ['ExampleApp'], 'exampleapp', 'OtherApp'],
  ['StringNotEqualsIgnoreCase', ['ExampleApp'], 'OtherApp', 'EXAMPLEAPP'],
  ['StringLike', ['ec2.*.amazonaws.com', 'rds.??-west-2.amazonaws.com'], 'rds.us-west-2.amazonaws.com', 'rds.usa-west-2.amazonaws.com'],
  ['StringNotLike', ['tenant-*'], 'shared', 'tenant-42'],
  ['ArnEquals', ['arn:aws:iam::111122223333:role/*'], 'arn:aws:iam::111122223333:role/AppRole', 'arn:aws:iam::111122223333:user/alice'],
  ['ArnLike', ['arn:aws:iam::*:role/App?ole'], 'arn:aws:iam::444455556666:role/AppRole', 'arn:aws:iam::444455556666:role/AppRoles'],
  ['ArnNotEquals', ['arn:aws:iam::111122223333:role/KeyAdmin'], 'arn:aws:iam::111122223333:role/AppRole', 'arn:aws:iam::111122223333:role/KeyAdmin'],
  ['ArnNotLike', ['arn:aws:iam::111122223333:*'], 'arn:aws:iam::444455556666:root', 'arn:aws:iam::111122223333:root'],
  ['Bool', ['true'], 'true', 'false'],
  ['NumericEquals', ['7'], '7.0', '8'],
  ['NumericNotEquals', ['7'], '8', '7'],
  ['NumericLessThan', ['30'], '7', '30'],
  ['NumericLessThanEquals', ['30'], '30', '31'],
  ['NumericGreaterThan', ['7'], '8', '7'],
  ['NumericGreaterThanEquals', ['7'], '7', '6.5'],
  ['DateEquals', ['2026-01-15T12:00:00Z'], '1768478400', '2026-01-15T12:00:01Z'],
  ['DateNotEquals', ['2026-01-15T12:00:00Z'], '2026-01-16T12:00:00Z', '2026-01-15T12:00:00.000Z'],
  ['DateLessThan', ['2026-06-01T00:00:00Z'], '2026-01-15T12:00:00Z', '2026-06-01T00:00:00Z'],
  ['DateLessThanEquals', ['2026-06-01T00:00:00Z'], '2026-06-01T00:00:00Z', '2026-06-01T00:00:01Z'],
  ['DateGreaterThan', ['1767225600'], '2026-01-15T12:00:00Z', '2025-12-31T23:59:59Z'],
  ['DateGreaterThanEquals', ['2026-01-01'], '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z'],
  ['IpAddress', ['203.0.113.0/24'], '203.0.113.77', '203.0.114.1'],
  ['NotIpAddress', ['203.0.113.0/24'], '10.0.0.1', '203.0.113.1'],
  ['BinaryEquals', ['QmluYXJ5'], 'QmluYXJ5', 'QmluYXJ6'],
];

describe('every operator', () => {
  describe.each(CASES)('%s', (operator, values, pass, fail) => {
    const negated = parseOperator(operator).base!.negated;
    it('passes and fails on a present key', () => {
      expect(check(operator, 'k:Key', values, { 'k:key': pass })).toBe(true);
      expect(check(operator, 'k:Key', values, { 'k:key': fail })).toBe(false);
    });
    it(`absent key: ${negated ? 'passes (negated operator)' : 'fails'}`, () => {
      expect(check(operator, 'k:Key', values, {})).toBe(negated);
    });
    it('…IfExists: passes when absent, otherwise like the operator', () => {
      expect(check(`${operator}IfExists`, 'k:Key', values, {})).toBe(true);
      expect(check(`${operator}IfExists`, 'k:Key', values, { 'k:key': pass })).toBe(true);
      expect(check(`${operator}IfExists`, 'k:Key', values, { 'k:key': fail })).toBe(false);
    });
    it('ForAnyValue: absent/empty fail, one passing value suffices', () => {
      expect(check(`ForAnyValue:${operator}`, 'k:Key', values, {})).toBe(false);
      expect(check(`ForAnyValue:${operator}`, 'k:Key', values, { 'k:key': [] })).toBe(false);
      expect(check(`ForAnyValue:${operator}IfExists`, 'k:Key', values, {})).toBe(false);
      expect(check(`ForAnyValue:${operator}`, 'k:Key', values, { 'k:key': [fail, pass] })).toBe(true);
      expect(check(`ForAnyValue:${operator}`, 'k:Key', values, { 'k:key': [fail, fail] })).toBe(false);
    });
    it('ForAllValues: absent/empty pass, every value must pass', () => {
      expect(check(`ForAllValues:${operator}`, 'k:Key', values, {})).toBe(true);
      expect(check(`ForAllValues:${operator}`, 'k:Key', values, { 'k:key': [] })).toBe(true);
      expect(check(`ForAllValues:${operator}`, 'k:Key', values, { 'k:key': [pass, pass] })).toBe(true);
      expect(check(`ForAllValues:${operator}`, 'k:Key', values, { 'k:key': [pass, fail] })).toBe(false);
    });
  });
});

describe('Null', () => {
  it('"true" requires the key to be absent, "false" present', () => {
    expect(check('Null', 'kms:EncryptionContextKeys', ['true'], {})).toBe(true);
    expect(check('Null', 'kms:EncryptionContextKeys', ['true'], { 'kms:EncryptionContextKeys': ['a'] })).toBe(false);
    expect(check('Null', 'kms:EncryptionContextKeys', ['false'], { 'kms:EncryptionContextKeys': ['a'] })).toBe(true);
    expect(check('Null', 'kms:EncryptionContextKeys', ['false'], {})).toBe(false);
    expect(check('Null', 'kms:EncryptionContextKeys', ['false'], { 'kms:EncryptionContextKeys': [] })).toBe(false);
  });
  it('is not an IfExists or set operator', () => {
    expect(parseOperator('NullIfExists').base).toBeNull();
    expect(parseOperator('ForAnyValue:Null').base).toBeNull();
  });
});

describe('combination and naming', () => {
  it('policy values OR together; a negated operator needs the value to match none', () => {
    expect(check('StringEquals', 'kms:EncryptionContext:Stage', ['Restricted', 'Production'], { 'kms:EncryptionContext:Stage': 'Production' })).toBe(true);
    expect(check('StringNotEquals', 'kms:EncryptionContext:Stage', ['Restricted', 'Production'], { 'kms:EncryptionContext:Stage': 'Production' })).toBe(false);
    expect(check('StringNotEquals', 'kms:EncryptionContext:Stage', ['Restricted', 'Production'], { 'kms:EncryptionContext:Stage': 'Test' })).toBe(true);
  });
  it('key names are case-insensitive, the context-key part included; values are not', () => {
    expect(check('StringEquals', 'KMS:EncryptionContext:APPNAME', ['ExampleApp'], { 'kms:encryptioncontext:AppName': 'ExampleApp' })).toBe(true);
    expect(check('StringEquals', 'kms:EncryptionContext:AppName', ['ExampleApp'], { 'kms:EncryptionContext:AppName': 'exampleapp' })).toBe(false);
  });
  it('without a qualifier, several request values: positive = any matches, negated = none matches', () => {
    expect(check('StringEquals', 'aws:TagKeys', ['Owner'], { 'aws:TagKeys': ['Dept', 'Owner'] })).toBe(true);
    expect(check('StringNotEquals', 'aws:TagKeys', ['Owner'], { 'aws:TagKeys': ['Dept', 'Owner'] })).toBe(false);
  });
  it('unreadable policy values match nothing', () => {
    expect(check('NumericEquals', 'k', ['seven'], { k: '7' })).toBe(false);
    expect(check('DateEquals', 'k', ['yesterday'], { k: '2026-01-01T00:00:00Z' })).toBe(false);
    expect(check('Bool', 'k', ['yes'], { k: 'true' })).toBe(false);
    expect(check('ArnLike', 'k', ['*'], { k: 'arn:aws:iam::111122223333:root' })).toBe(false);
  });
  it('an unknown operator fails closed and says so', () => {
    const t = evaluateCondition(compileCondition('StringEqualz', 'k', ['v']), conditionContext({ k: 'v' }));
    expect(t.passed).toBe(false);
    expect(t.explanation).toMatch(/unknown condition operator "StringEqualz".*fails closed/);
    expect(evaluateCondition(compileCondition('ForSomeValues:StringEquals', 'k', ['v']), conditionContext({ k: 'v' })).passed).toBe(false);
  });
  it('operator names are case-insensitive', () => {
    expect(check('forallvalues:stringequalsIFEXISTS', 'k', ['a'], { k: ['a'] })).toBe(true);
  });
});

describe('explanations', () => {
  const explain = (operator: string, key: string, values: string[], ctx: Ctx) => evaluateCondition(compileCondition(operator, key, values), conditionContext(ctx));
  it('kms:ViaService absent: the call was direct', () => {
    const t = explain('StringEquals', 'kms:ViaService', ['s3.us-east-1.amazonaws.com'], {});
    expect(t).toMatchObject({ passed: false, requestValues: null, explanation: 'the call was direct (kms:ViaService is absent)' });
  });
  it('says what the request had', () => {
    expect(explain('StringEquals', 'kms:CallerAccount', ['111122223333'], { 'kms:CallerAccount': '444455556666' }).explanation).toBe(
      'kms:CallerAccount is "444455556666", which does not match',
    );
    expect(explain('ForAllValues:StringEquals', 'kms:EncryptionContextKeys', ['AppName'], { 'kms:EncryptionContextKeys': ['AppName', 'Extra'] }).explanation).toMatch(
      /"Extra" matches none of the listed values \(ForAllValues needs every value to pass\)/,
    );
    expect(explain('StringNotEqualsIfExists', 'kms:ViaService', ['x'], {}).explanation).toMatch(/passes when the key is absent/);
    expect(explain('Null', 'kms:GranteePrincipal', ['false'], { 'kms:GranteePrincipal': 'arn:aws:iam::111122223333:role/AppRole' }).explanation).toBe(
      'kms:GranteePrincipal is present ("arn:aws:iam::111122223333:role/AppRole")',
    );
  });
});

describe('conditionContext', () => {
  it('lower-cases names, wraps single values, drops undefined, merges names that differ by case', () => {
    expect(conditionContext({ 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:App': 'a', 'kms:EncryptionContext:app': 'b', 'aws:TagKeys': ['x', 'y'], gone: undefined })).toEqual({
      'kms:viaservice': ['s3.us-east-1.amazonaws.com'],
      'kms:encryptioncontext:app': ['a', 'b'],
      'aws:tagkeys': ['x', 'y'],
    });
  });
});
