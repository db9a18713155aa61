import { describe, expect, it } from 'vitest';
import { KEY_SPECS, KEY_USAGES, type KeySpec } from '../../../src/kms';
import {
  createKeyPlan,
  DEFAULT_CREATE_KEY,
  KEY_SPEC_CHOICES,
  ORIGIN_CHOICES,
  parseTagLines,
  usagesFor,
} from '../../../src/ui/keys/createKeyForm';
import { normalizeAlias } from '../../../src/ui/keys/alias';
import { KEY_USAGE_EXPLANATIONS } from '../../../src/ui/keys/keyUsage';
import { makeHarness } from '../kms/harness';

describe('create-key form → requests', () => {
  it('sends the defaults as a symmetric encryption key, with no optional members', () => {
    expect(createKeyPlan(DEFAULT_CREATE_KEY)).toEqual({
      ok: true,
      value: { createKey: { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }, aliasName: null },
    });
  });

  it('adds description, tags and the alias (prefixed) when given', () => {
    const plan = createKeyPlan({ ...DEFAULT_CREATE_KEY, description: 'Invoices', tagsText: 'team=billing\n\nenv = prod\ncost-center', alias: 'invoices' });
    expect(plan).toEqual({
      ok: true,
      value: {
        createKey: {
          KeySpec: 'SYMMETRIC_DEFAULT',
          KeyUsage: 'ENCRYPT_DECRYPT',
          Description: 'Invoices',
          Tags: [
            { TagKey: 'team', TagValue: 'billing' },
            { TagKey: 'env', TagValue: 'prod' },
            { TagKey: 'cost-center', TagValue: '' },
          ],
        },
        aliasName: 'alias/invoices',
      },
    });
  });

  it('shows messages for malformed tags and an empty alias name', () => {
    expect(createKeyPlan({ ...DEFAULT_CREATE_KEY, tagsText: '=x', alias: 'alias/' })).toEqual({
      ok: false,
      errors: { tags: '"=x" has no tag key: write key=value.', alias: 'Type a name after alias/, or leave the alias empty.' },
    });
    expect(parseTagLines('a=1\na=2')).toEqual({ ok: false, reason: 'The tag key "a" appears twice.' });
    expect(parseTagLines('k=a=b')).toEqual({ ok: true, value: [{ TagKey: 'k', TagValue: 'a=b' }] });
  });

  it('normalizes aliases', () => {
    expect(normalizeAlias(' orders ')).toBe('alias/orders');
    expect(normalizeAlias('alias/orders')).toBe('alias/orders');
    expect(normalizeAlias('')).toBe('');
  });

  it('sends unsupported choices as set, so the service answers them', () => {
    const plan = createKeyPlan({ ...DEFAULT_CREATE_KEY, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL', multiRegion: true });
    expect(plan.ok && plan.value.createKey).toEqual({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL', MultiRegion: true });
  });
});

describe('choices and explanations (kms-semantics.md §4.1)', () => {
  it('offers valid enum values, each usage explained, and usages per spec as AWS allows', () => {
    for (const c of KEY_SPEC_CHOICES) expect(KEY_SPECS).toContain(c.value);
    for (const u of KEY_USAGES) expect(KEY_USAGE_EXPLANATIONS[u]).toBeTruthy();
    expect(usagesFor('SYMMETRIC_DEFAULT')).toEqual(['ENCRYPT_DECRYPT']);
    expect(usagesFor('HMAC_384')).toEqual(['GENERATE_VERIFY_MAC']);
    expect(usagesFor('RSA_4096')).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY']);
    expect(usagesFor('ECC_NIST_P384')).toEqual(['SIGN_VERIFY', 'KEY_AGREEMENT']);
    expect(usagesFor('ECC_SECG_P256K1')).toEqual(['SIGN_VERIFY']);
    expect(usagesFor('ML_KEM_768')).toEqual(['ENCAPSULATE_DECAPSULATE']);
    expect(usagesFor('SM2')).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT']);
  });

  // The form enables exactly what the service supports today: enabled choices succeed, disabled ones fail with the reason given.
  it('enables the choices the service accepts and disables those it refuses', async () => {
    const h = await makeHarness();
    for (const c of KEY_SPEC_CHOICES) {
      const spec: KeySpec = c.value;
      const req = { KeySpec: spec, KeyUsage: usagesFor(spec)[0] };
      if (c.unsupported === null) await expect(h.call('CreateKey', req)).resolves.toBeTruthy();
      else expect((await h.fail('CreateKey', req)).name).toBe('UnsupportedOperationException');
    }
    for (const c of ORIGIN_CHOICES) {
      const req = { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: c.value };
      if (c.unsupported === null) await expect(h.call('CreateKey', req)).resolves.toBeTruthy();
      else expect((await h.fail('CreateKey', req)).name).toBe('UnsupportedOperationException');
    }
    expect((await h.fail('CreateKey', { MultiRegion: true })).name).toBe('UnsupportedOperationException');
  });
});
