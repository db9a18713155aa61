/**
 * Validation of the IAM tab's forms (issue 5) as the user types: a new account (12-digit id,
 * name), a new principal (user or role, IAM name), and an identity policy (name, JSON checked
 * by the service's own policy parser, so the form and the service refuse the same documents).
 * The service validates again on save; these checks only give the reason earlier.
 */
import { parsePolicyDocument } from '../../kms';

/** A form's verdict: ok, or the first problem in words. */
export type Check = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Check = { ok: true };
const fail = (reason: string): Check => ({ ok: false, reason });

const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

/** A new account: 12 digits not yet used; a name of at most 64 characters (empty: the id is used). */
export function checkAccountForm(accountId: string, name: string, existing: readonly string[]): Check {
  const id = accountId.trim();
  if (id === '') return fail('Enter a 12-digit account id.');
  if (!/^\d{12}$/.test(id)) return fail(`An account id is exactly 12 digits (got ${id.length} character${id.length === 1 ? '' : 's'}${/\D/.test(id) ? ', not all digits' : ''}).`);
  if (existing.includes(id)) return fail(`Account ${id} already exists in this sandbox.`);
  if (name.trim().length > 64) return fail('The account name is at most 64 characters.');
  return OK;
}

/** A new IAM user or role of an account: IAM's name rule, and no principal of that kind and name yet. */
export function checkPrincipalForm(kind: string, name: string, accountId: string, existingArns: readonly string[]): Check {
  if (kind !== 'user' && kind !== 'role') return fail('A principal is a user or a role.');
  const n = name.trim();
  if (n === '') return fail(`Enter the ${kind} name.`);
  if (!IAM_NAME.test(n)) return fail(`An IAM ${kind} name is 1–64 letters, digits and + = , . @ _ - (no spaces or slashes).`);
  const arn = `arn:aws:iam::${accountId}:${kind}/${n}`;
  if (existingArns.includes(arn)) return fail(`${arn} already exists.`);
  return OK;
}

/** An inline policy name: 1–128 of letters, digits and + = , . @ _ -. */
export function checkPolicyName(name: string): Check {
  if (name.trim() === '') return fail('Enter a policy name.');
  if (!POLICY_NAME.test(name.trim())) return fail('A policy name is 1–128 letters, digits and + = , . @ _ - (no spaces).');
  return OK;
}

/** An identity policy document, checked by the kms policy parser (the reason is the parser's). */
export function checkIdentityPolicy(text: string): Check {
  if (text.trim() === '') return fail('The policy document is empty.');
  const parsed = parsePolicyDocument(text, 'identity');
  return parsed.ok ? OK : fail(parsed.reason);
}

/** A starting point for a new identity policy: kms:Encrypt and kms:Decrypt on `resource`. */
export function policyTemplate(resource: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Sid: 'UseOneKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: resource }],
    },
    null,
    2,
  );
}
