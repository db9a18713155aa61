import { describe, expect, it } from 'vitest';
import { constraintSummary, createGrantRequest, parseContextPairs, type GrantFormInput } from '../../../src/ui/keys/grantForm';
import { buildKeyDetail } from '../../../src/ui/view';
import type { KeyArn } from '../../../src/kms';
import { ACCOUNT, makeHarness } from '../kms/harness';

const BASE: GrantFormInput = {
  keyId: 'arn:aws:kms:us-east-1:111122223333:key/k1',
  granteePrincipal: ' arn:aws:iam::111122223333:user/alice ',
  operations: ['Decrypt'],
  constraintKind: 'none',
  constraintText: '',
  retiringPrincipal: '',
  name: '',
};

describe('encryption context pairs as typed', () => {
  it('reads key=value lines or commas, and JSON objects of strings', () => {
    expect(parseContextPairs('purpose=orders\ntenant = a')).toEqual({ ok: true, value: { purpose: 'orders', tenant: 'a' } });
    expect(parseContextPairs('purpose=orders, tenant=a')).toEqual({ ok: true, value: { purpose: 'orders', tenant: 'a' } });
    expect(parseContextPairs('url=https://x?a=b')).toEqual({ ok: true, value: { url: 'https://x?a=b' } });
    expect(parseContextPairs('{"purpose":"orders"}')).toEqual({ ok: true, value: { purpose: 'orders' } });
    expect(parseContextPairs('  ')).toEqual({ ok: true, value: {} });
  });

  it('says what is wrong otherwise', () => {
    expect(parseContextPairs('purpose')).toEqual({ ok: false, reason: '"purpose" is not a key=value pair.' });
    expect(parseContextPairs('=x')).toMatchObject({ ok: false });
    expect(parseContextPairs('a=1\na=2')).toEqual({ ok: false, reason: 'The key "a" appears twice.' });
    expect(parseContextPairs('{"a":1}')).toMatchObject({ ok: false, reason: expect.stringMatching(/values are strings/) });
    expect(parseContextPairs('{oops')).toMatchObject({ ok: false, reason: expect.stringMatching(/Not valid JSON/) });
  });
});

describe('grant form → CreateGrant request', () => {
  it('maps the fields to AWS member names, trimming and leaving out empty optional ones', () => {
    expect(createGrantRequest(BASE)).toEqual({
      ok: true,
      value: { KeyId: BASE.keyId, GranteePrincipal: 'arn:aws:iam::111122223333:user/alice', Operations: ['Decrypt'] },
    });
    const full = createGrantRequest({
      ...BASE,
      operations: ['Decrypt', 'RetireGrant'],
      constraintKind: 'EncryptionContextSubset',
      constraintText: 'purpose=orders',
      retiringPrincipal: 'arn:aws:iam::111122223333:root',
      name: ' orders-decrypt ',
    });
    expect(full).toEqual({
      ok: true,
      value: {
        KeyId: BASE.keyId,
        GranteePrincipal: 'arn:aws:iam::111122223333:user/alice',
        Operations: ['Decrypt', 'RetireGrant'],
        Constraints: { EncryptionContextSubset: { purpose: 'orders' } },
        RetiringPrincipal: 'arn:aws:iam::111122223333:root',
        Name: 'orders-decrypt',
      },
    });
    const equals = createGrantRequest({ ...BASE, constraintKind: 'EncryptionContextEquals', constraintText: '{"a":"1"}' });
    expect(equals.ok && equals.value.Constraints).toEqual({ EncryptionContextEquals: { a: '1' } });
  });

  it('lists the form messages instead of a request', () => {
    expect(createGrantRequest({ ...BASE, granteePrincipal: ' ', operations: [] })).toEqual({
      ok: false,
      errors: { granteePrincipal: 'Choose or type the grantee principal ARN.', operations: 'Choose at least one operation the grant allows.' },
    });
    expect(createGrantRequest({ ...BASE, constraintKind: 'EncryptionContextEquals', constraintText: '' })).toEqual({
      ok: false,
      errors: { constraints: 'Type at least one encryption context pair for EncryptionContextEquals, or choose no constraint.' },
    });
    expect(createGrantRequest({ ...BASE, constraintKind: 'EncryptionContextSubset', constraintText: 'nope' })).toMatchObject({ ok: false, errors: { constraints: expect.any(String) } });
  });

  it('ignores constraint text when no constraint is chosen', () => {
    const r = createGrantRequest({ ...BASE, constraintText: 'purpose=orders' });
    expect(r.ok && 'Constraints' in r.value).toBe(false);
  });

  it('makes requests the service accepts, and the read model shows the grant as ListGrants does', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey();
    const built = createGrantRequest({
      ...BASE,
      keyId: arn,
      granteePrincipal: `arn:aws:iam::${ACCOUNT}:user/alice`,
      constraintKind: 'EncryptionContextSubset',
      constraintText: 'purpose=orders',
      name: 'orders-decrypt',
    });
    if (!built.ok) throw new Error('form rejected');
    const res = await h.call('CreateGrant', built.value);
    expect(typeof res.GrantToken).toBe('string');
    const listed = (await h.call('ListGrants', { KeyId: arn })).Grants as Record<string, unknown>[];
    const detail = buildKeyDetail(h.repo, arn as KeyArn)!;
    expect(detail.grants).toHaveLength(1);
    const g = detail.grants[0]!;
    expect(g).toMatchObject({
      GrantId: res.GrantId,
      Name: listed[0]!.Name,
      GranteePrincipal: listed[0]!.GranteePrincipal,
      IssuingAccount: listed[0]!.IssuingAccount,
      Operations: listed[0]!.Operations,
      Constraints: listed[0]!.Constraints,
      CreationDate: (listed[0]!.CreationDate as Date).getTime(),
    });
    expect(constraintSummary(g.Constraints)).toBe('EncryptionContextSubset: purpose=orders');
    expect(constraintSummary(null)).toBe('none');
  });
});
