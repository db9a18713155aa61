import { describe, expect, it } from 'vitest';
import { KEY_SPECS, KEY_USAGES, type CustomKeyStoreRecord, type KeySpec, type Origin } from '../../../src/kms';
import {
  createKeyPlan,
  creatingMessage,
  DEFAULT_CREATE_KEY,
  keySpecChoices,
  multiRegionProblem,
  normalizeInput,
  originChoices,
  parseTagLines,
  storeChoices,
  storesFor,
  usageChoices,
  usagesFor,
  type FormContext,
} from '../../../src/ui/keys/createKeyForm';
import { normalizeAlias } from '../../../src/ui/keys/alias';
import { KEY_USAGE_EXPLANATIONS } from '../../../src/ui/keys/keyUsage';
import { ACCOUNT, makeHarness, REGION, ROOT } from '../kms/harness';

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

  it('shows messages for malformed tags, an empty alias name, a missing store or XksKeyId', () => {
    expect(createKeyPlan({ ...DEFAULT_CREATE_KEY, tagsText: '=x', alias: 'alias/' })).toEqual({
      ok: false,
      errors: { tags: '"=x" has no tag key: write key=value.', alias: 'Type a name after alias/, or leave the alias empty.' },
    });
    expect(parseTagLines('a=1\na=2')).toEqual({ ok: false, reason: 'The tag key "a" appears twice.' });
    expect(parseTagLines('k=a=b')).toEqual({ ok: true, value: [{ TagKey: 'k', TagValue: 'a=b' }] });
    const xks = createKeyPlan({ ...DEFAULT_CREATE_KEY, origin: 'EXTERNAL_KEY_STORE' });
    expect(xks.ok ? null : Object.keys(xks.errors)).toEqual(['store', 'xks']);
  });

  it('normalizes aliases', () => {
    expect(normalizeAlias(' orders ')).toBe('alias/orders');
    expect(normalizeAlias('alias/orders')).toBe('alias/orders');
    expect(normalizeAlias('')).toBe('');
  });

  it('sends the origin, store, XksKeyId and MultiRegion members as AWS names them', () => {
    const plan = createKeyPlan({ ...DEFAULT_CREATE_KEY, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL', multiRegion: true });
    expect(plan.ok && plan.value.createKey).toEqual({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL', MultiRegion: true });
    const xks = createKeyPlan({ ...DEFAULT_CREATE_KEY, origin: 'EXTERNAL_KEY_STORE', customKeyStoreId: 'cks-1234567890abcdef0', xksKeyId: ' k1 ' });
    expect(xks.ok && xks.value.createKey).toEqual({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'EXTERNAL_KEY_STORE',
      CustomKeyStoreId: 'cks-1234567890abcdef0',
      XksKeyId: 'k1',
    });
  });

  it('says what runs while CreateKey works (RSA key pairs take seconds)', () => {
    expect(creatingMessage({ keySpec: 'RSA_4096', origin: 'AWS_KMS' })).toBe('Generating an RSA_4096 key pair…');
    expect(creatingMessage({ keySpec: 'ECC_NIST_P256', origin: 'AWS_KMS' })).toBe('Generating an ECC_NIST_P256 key pair…');
    expect(creatingMessage({ keySpec: 'HMAC_256', origin: 'AWS_KMS' })).toBe('Creating a HMAC_256 key…');
    expect(creatingMessage({ keySpec: 'RSA_4096', origin: 'EXTERNAL' })).toMatch(/no material until you import it/);
  });
});

const STORE = (over: Partial<CustomKeyStoreRecord>): CustomKeyStoreRecord =>
  ({
    typeName: 'customKeyStore',
    id: 'cks-00000000000000001',
    accountId: ACCOUNT,
    region: REGION,
    name: 'hsm',
    customKeyStoreType: 'AWS_CLOUDHSM',
    connectionState: 'CONNECTED',
    connectionErrorCode: null,
    creationDate: 0,
    cloudHsmClusterId: 'cluster-1234567890a',
    trustAnchorCertificate: 'x',
    xksProxyConfiguration: null,
    ...over,
  }) as CustomKeyStoreRecord;

describe('choices and explanations (kms-semantics.md §1.5, §4.1)', () => {
  const noStores: FormContext = { region: REGION, stores: [] };

  it('lists every KeySpec once, grouped, each usage explained with its algorithms', () => {
    expect(keySpecChoices(REGION).map((c) => c.value).sort()).toEqual([...KEY_SPECS].sort());
    for (const u of KEY_USAGES) expect(KEY_USAGE_EXPLANATIONS[u]).toBeTruthy();
    expect(usagesFor('SYMMETRIC_DEFAULT')).toEqual(['ENCRYPT_DECRYPT']);
    expect(usagesFor('HMAC_384')).toEqual(['GENERATE_VERIFY_MAC']);
    expect(usagesFor('RSA_4096')).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY']);
    expect(usagesFor('ECC_NIST_P384')).toEqual(['SIGN_VERIFY', 'KEY_AGREEMENT']);
    expect(usagesFor('ECC_SECG_P256K1')).toEqual(['SIGN_VERIFY']);
    expect(usagesFor('ML_KEM_768')).toEqual(['ENCAPSULATE_DECAPSULATE']);
    expect(usagesFor('SM2')).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT']);
    expect(usageChoices('RSA_2048')[0]!.explanation).toMatch(/Algorithms: RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256\.$/);
    expect(usageChoices('ECC_NIST_EDWARDS25519')[0]!.explanation).toMatch(/ED25519_SHA_512, ED25519_PH_SHA_512/);
    expect(keySpecChoices(REGION).find((c) => c.value === 'SM2')!.unsupported).toMatch(/China Regions/);
    expect(keySpecChoices('cn-north-1').find((c) => c.value === 'SM2')!.unsupported).toMatch(/no SM2\/SM3 crypto/);
  });

  it('offers custom key store origins only for symmetric, single-Region keys with a connected store of their type', () => {
    const ctx: FormContext = { region: REGION, stores: storesFor([STORE({}), STORE({ id: 'cks-2', name: 'xks', customKeyStoreType: 'EXTERNAL_KEY_STORE', connectionState: 'DISCONNECTED' }), STORE({ id: 'cks-3', region: 'eu-west-1' as CustomKeyStoreRecord['region'] })], { accountId: ACCOUNT, region: REGION }) };
    expect(ctx.stores.map((s) => s.id)).toEqual(['cks-00000000000000001', 'cks-2']);
    const off = (spec: KeySpec, mr: boolean) => Object.fromEntries(originChoices({ keySpec: spec, multiRegion: mr }, ctx).map((o) => [o.value, o.unsupported]));
    expect(off('SYMMETRIC_DEFAULT', false)).toMatchObject({ AWS_KMS: null, EXTERNAL: null, AWS_CLOUDHSM: null, EXTERNAL_KEY_STORE: expect.stringMatching(/No connected external key store/) });
    expect(off('RSA_2048', false).AWS_CLOUDHSM).toMatch(/SYMMETRIC_DEFAULT keys only/);
    expect(off('SYMMETRIC_DEFAULT', true).AWS_CLOUDHSM).toMatch(/multi-Region/);
    expect(storeChoices('EXTERNAL_KEY_STORE', ctx)[0]!.unsupported).toMatch(/^DISCONNECTED/);
    expect(multiRegionProblem('AWS_CLOUDHSM')).toMatch(/cannot be multi-Region/);
    // A change that rules a choice out falls back to a possible one.
    const n = normalizeInput({ ...DEFAULT_CREATE_KEY, origin: 'AWS_CLOUDHSM', keySpec: 'HMAC_256', keyUsage: 'ENCRYPT_DECRYPT' }, ctx);
    expect([n.origin, n.keyUsage, n.customKeyStoreId]).toEqual(['AWS_KMS', 'GENERATE_VERIFY_MAC', '']);
    expect(normalizeInput({ ...DEFAULT_CREATE_KEY, origin: 'AWS_CLOUDHSM' }, ctx).customKeyStoreId).toBe('cks-00000000000000001');
    expect(originChoices(DEFAULT_CREATE_KEY, noStores).find((o) => o.value === 'AWS_CLOUDHSM')!.unsupported).toMatch(/create and connect one/);
  });

  // Every combination the form enables is accepted by CreateKey; every one it disables is refused.
  it('enables exactly the combinations CreateKey accepts', { timeout: 120_000 }, async () => {
    const h = await makeHarness();
    const counts = { accepted: 0, refused: 0 };
    // The sandbox's Regions are all outside China (SANDBOX_REGIONS), the only place the form is used.
    for (const [region, caller] of [[REGION, undefined]] as const) {
      const ctx: FormContext = { region, stores: [] };
      for (const spec of keySpecChoices(region)) {
        for (const usage of usageChoices(spec.value)) {
          for (const multiRegion of [false, true]) {
            for (const origin of originChoices({ keySpec: spec.value, multiRegion }, ctx)) {
              const input = { ...DEFAULT_CREATE_KEY, keySpec: spec.value, keyUsage: usage.value, origin: origin.value as Origin, multiRegion };
              const enabled = spec.unsupported === null && origin.unsupported === null && (!multiRegion || multiRegionProblem(origin.value) === null);
              const plan = createKeyPlan(input);
              const req = plan.ok ? plan.value.createKey : { KeySpec: spec.value, KeyUsage: usage.value, Origin: origin.value, ...(multiRegion ? { MultiRegion: true } : {}) };
              const label = JSON.stringify(req);
              if (enabled) {
                const res = await h.call('CreateKey', req, caller);
                expect((res.KeyMetadata as { KeySpec: string }).KeySpec, label).toBe(spec.value);
                counts.accepted++;
              } else {
                const err = await h.fail('CreateKey', req, caller);
                expect(err.name, label).toMatch(/Exception$/);
                counts.refused++;
              }
            }
          }
        }
      }
    }
    // SM2 is refused outside China; with no store, the custom-store origins are refused.
    // 25 (spec, usage) pairs × {AWS_KMS, EXTERNAL} × {single, multi-Region}; refused: the 2 store origins of each, and SM2's 3 usages × 4 origins × 2.
    expect(counts).toEqual({ accepted: 100, refused: 100 + 24 });
  });

  // With stores: the custom-store origins are enabled exactly where CreateKey accepts them (symmetric, single-Region, connected store).
  it('enables the custom key store origins exactly where CreateKey accepts them', { timeout: 60_000 }, async () => {
    const h = await makeHarness();
    const hsm = { CustomKeyStoreName: 'hsm', CloudHsmClusterId: 'cluster-234abcdefgh', TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFAKE\n-----END CERTIFICATE-----\n', KeyStorePassword: 'kmsuser-S3cret!' };
    const hsmId = (await h.call('CreateCustomKeyStore', hsm)).CustomKeyStoreId as string;
    const idle = (await h.call('CreateCustomKeyStore', { ...hsm, CustomKeyStoreName: 'idle', CloudHsmClusterId: 'cluster-234567abcdefg' })).CustomKeyStoreId as string;
    const xksId = (
      await h.call('CreateCustomKeyStore', {
        CustomKeyStoreName: 'xks',
        CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
        XksProxyUriEndpoint: 'https://myproxy.xks.example.com',
        XksProxyUriPath: '/example-prefix/kms/xks/v1',
        XksProxyConnectivity: 'PUBLIC_ENDPOINT',
        XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8=' },
      })
    ).CustomKeyStoreId as string;
    for (const id of [hsmId, xksId]) await h.call('ConnectCustomKeyStore', { CustomKeyStoreId: id });
    const ctx: FormContext = { region: REGION, stores: storesFor(h.repo.list('customKeyStore'), ROOT) };
    expect(storeChoices('AWS_CLOUDHSM', ctx).map((c) => [c.value, c.unsupported === null])).toEqual([[hsmId, true], [idle, false]]);
    const counts = { accepted: 0, refused: 0 };
    let n = 0;
    for (const spec of keySpecChoices(REGION).filter((c) => c.unsupported === null)) {
      const usage = usageChoices(spec.value)[0]!.value;
      for (const multiRegion of [false, true]) {
        for (const origin of originChoices({ keySpec: spec.value, multiRegion }, ctx).filter((o) => o.value === 'AWS_CLOUDHSM' || o.value === 'EXTERNAL_KEY_STORE')) {
          const enabled = origin.unsupported === null && (!multiRegion || multiRegionProblem(origin.value) === null);
          const storeId = origin.value === 'AWS_CLOUDHSM' ? hsmId : xksId;
          const plan = createKeyPlan({ ...DEFAULT_CREATE_KEY, keySpec: spec.value, keyUsage: usage, origin: origin.value, multiRegion, customKeyStoreId: storeId, xksKeyId: `xks-key-${++n}` });
          if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
          const label = JSON.stringify(plan.value.createKey);
          if (enabled) {
            expect((await h.call('CreateKey', plan.value.createKey)).KeyMetadata, label).toMatchObject({ CustomKeyStoreId: storeId });
            counts.accepted++;
          } else {
            expect((await h.fail('CreateKey', plan.value.createKey)).name, label).toMatch(/Exception$/);
            counts.refused++;
          }
        }
      }
    }
    // Only SYMMETRIC_DEFAULT, single-Region, in each connected store; a disconnected store (disabled in the picker) is refused too.
    expect(counts).toEqual({ accepted: 2, refused: 19 * 2 * 2 - 2 });
    const viaIdle = createKeyPlan({ ...DEFAULT_CREATE_KEY, origin: 'AWS_CLOUDHSM', customKeyStoreId: idle });
    expect((await h.fail('CreateKey', viaIdle.ok ? viaIdle.value.createKey : {})).name).toBe('CustomKeyStoreInvalidStateException');
  });
});
