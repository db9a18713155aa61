/**
 * The IAM tab's form checks (issue 5): account ids, IAM names, policy names and identity policy
 * documents, with the refusal in words; the document check agrees with the service's parser.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicyDocument } from '../../../src/kms';
import { checkAccountForm, checkIdentityPolicy, checkPolicyName, checkPrincipalForm, policyTemplate } from '../../../src/ui/identity/forms';

const reason = (c: { ok: boolean; reason?: string }) => (c.ok ? null : c.reason);

describe('new account', () => {
  it('takes 12 digits not in use', () => {
    expect(checkAccountForm('777788889999', 'Audit', ['111122223333']).ok).toBe(true);
    expect(checkAccountForm(' 777788889999 ', '', []).ok).toBe(true);
  });
  it('explains what is wrong', () => {
    expect(reason(checkAccountForm('', 'x', []))).toBe('Enter a 12-digit account id.');
    expect(reason(checkAccountForm('12345', 'x', []))).toMatch(/exactly 12 digits \(got 5 characters\)/);
    expect(reason(checkAccountForm('12345678901a', 'x', []))).toMatch(/not all digits/);
    expect(reason(checkAccountForm('111122223333', 'x', ['111122223333']))).toMatch(/already exists/);
    expect(reason(checkAccountForm('777788889999', 'n'.repeat(65), []))).toMatch(/at most 64/);
  });
});

describe('new principal', () => {
  const existing = ['arn:aws:iam::111122223333:user/alice'];
  it('takes a user or role with an IAM name', () => {
    expect(checkPrincipalForm('user', 'bob', '111122223333', existing).ok).toBe(true);
    expect(checkPrincipalForm('role', 'Deploy+CI=1,a.b@c_d-e', '111122223333', existing).ok).toBe(true);
    // The same name as a role is another principal.
    expect(checkPrincipalForm('role', 'alice', '111122223333', existing).ok).toBe(true);
  });
  it('explains what is wrong', () => {
    expect(reason(checkPrincipalForm('group', 'x', '111122223333', []))).toBe('A principal is a user or a role.');
    expect(reason(checkPrincipalForm('user', '  ', '111122223333', []))).toBe('Enter the user name.');
    expect(reason(checkPrincipalForm('user', 'has space', '111122223333', []))).toMatch(/1–64 letters/);
    expect(reason(checkPrincipalForm('role', 'a/b', '111122223333', []))).toMatch(/no spaces or slashes/);
    expect(reason(checkPrincipalForm('user', 'x'.repeat(65), '111122223333', []))).toMatch(/1–64/);
    expect(reason(checkPrincipalForm('user', 'alice', '111122223333', existing))).toBe('arn:aws:iam::111122223333:user/alice already exists.');
  });
});

describe('identity policy', () => {
  it('checks the policy name', () => {
    expect(checkPolicyName('UseOneKey').ok).toBe(true);
    expect(reason(checkPolicyName(''))).toBe('Enter a policy name.');
    expect(reason(checkPolicyName('two words'))).toMatch(/no spaces/);
  });

  it('accepts the template and refuses what the service refuses, with the parser reason', () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(checkIdentityPolicy(policyTemplate(arn)).ok).toBe(true);
    expect(JSON.parse(policyTemplate(arn)).Statement[0].Resource).toBe(arn);
    const bad = [
      '',
      '{',
      '[]',
      '{"Version":"2012-10-17","Statement":[]}',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"kms:Encrypt","Resource":"*"}]}',
      '{"Version":"2012-10-17","Statemant":[]}',
    ];
    for (const text of bad) {
      const c = checkIdentityPolicy(text);
      expect(c.ok, text).toBe(false);
      const parsed = parsePolicyDocument(text, 'identity');
      if (text !== '' && !parsed.ok) expect(reason(c)).toBe(parsed.reason);
    }
    expect(reason(checkIdentityPolicy('{'))).toMatch(/not valid JSON/);
  });

  it('refuses a Principal element, as IAM does for identity policies', () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}]}';
    expect(checkIdentityPolicy(text).ok).toBe(parsePolicyDocument(text, 'identity').ok);
  });
});
