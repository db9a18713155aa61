/**
 * GetPublicKey through the service (kms-semantics.md §2.1, §2.2, §4.1): DER SubjectPublicKeyInfo
 * that node:crypto and WebCrypto import, the members of §2.1 for every asymmetric spec × usage,
 * UnsupportedOperationException for symmetric and HMAC keys, states and grants.
 */
import { createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../../src/kms';
import { KEY_SPEC_USAGES } from '../../../../src/kms/keySpecs';
import type { KeySpec, KeyUsage } from '../../../../src/kms/model';
import { specOfPublicKey } from '../../../../src/kms/crypto/keys/index';
import { ACCOUNT, REGION, makeHarness, type Harness } from '../harness';

const PAIRS: [KeySpec, KeyUsage][] = (Object.keys(KEY_SPEC_USAGES) as KeySpec[])
  .filter((s) => s !== 'SM2' && s !== 'SYMMETRIC_DEFAULT' && !s.startsWith('HMAC_'))
  .flatMap((s) => (Object.keys(KEY_SPEC_USAGES[s]) as KeyUsage[]).map((u): [KeySpec, KeyUsage] => [s, u]));

/** WebCrypto import parameters where WebCrypto has the algorithm (not secp256k1, ML-*). */
function webCryptoAlg(spec: string, usage: string): RsaHashedImportParams | EcKeyImportParams | { name: string } | null {
  if (spec.startsWith('RSA_')) return { name: usage === 'SIGN_VERIFY' ? 'RSA-PSS' : 'RSA-OAEP', hash: 'SHA-256' };
  const curve = { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521' }[spec];
  if (curve) return { name: usage === 'SIGN_VERIFY' ? 'ECDSA' : 'ECDH', namedCurve: curve };
  if (spec === 'ECC_NIST_EDWARDS25519') return { name: 'Ed25519' };
  return null;
}

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});

describe('GetPublicKey', () => {
  for (const [spec, usage] of PAIRS) {
    it(`${spec} ${usage}: DER SPKI that node and WebCrypto import, with the §2.1 members`, async () => {
      const k = await h.createKey({ KeySpec: spec, KeyUsage: usage });
      const r = await h.call('GetPublicKey', { KeyId: k.keyId, GrantTokens: [] });
      const algs = KEY_SPEC_USAGES[spec][usage]!;
      const cmk = /^(ML_|ECC_NIST_EDWARDS)/.test(spec) ? {} : { CustomerMasterKeySpec: spec };
      const { $metadata: _, ...members } = r as Record<string, unknown>;
      expect(members).toEqual({ KeyId: k.arn, PublicKey: expect.any(Uint8Array), ...cmk, KeySpec: spec, KeyUsage: usage, ...algs });
      const spki = r.PublicKey as Uint8Array;
      expect(spki[0]).toBe(0x30);
      expect(specOfPublicKey(spki)).toBe(spec);
      if (!spec.startsWith('ML_')) {
        const node = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
        expect(Buffer.from(node.export({ format: 'der', type: 'spki' }))).toEqual(Buffer.from(spki));
      }
      const wc = webCryptoAlg(spec, usage);
      if (wc) {
        const usages: ('verify' | 'encrypt')[] = usage === 'SIGN_VERIFY' ? ['verify'] : usage === 'ENCRYPT_DECRYPT' ? ['encrypt'] : [];
        const imported = await crypto.subtle.importKey('spki', new Uint8Array(spki), wc, true, usages);
        expect(imported.type).toBe('public');
      }
    }, 30_000);
  }

  it('symmetric and HMAC keys: UnsupportedOperationException', async () => {
    for (const create of [{}, { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' }]) {
      const k = await h.createKey(create);
      expect(await h.fail('GetPublicKey', { KeyId: k.arn })).toEqual({
        name: 'UnsupportedOperationException',
        message: 'GetPublicKey is not supported for symmetric keys.',
      });
    }
  });

  it('validates KeyId, finds aliases, refuses unknown keys and keys pending deletion', async () => {
    expect((await h.fail('GetPublicKey', {})).message).toBe("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    expect((await h.fail('GetPublicKey', { KeyId: 'alias/none' })).name).toBe('NotFoundException');
    const k = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await h.call('CreateAlias', { AliasName: 'alias/pub', TargetKeyId: k.keyId });
    const viaAlias = await h.call('GetPublicKey', { KeyId: 'alias/pub' });
    expect(viaAlias.KeyId).toBe(k.arn);
    // The same public key every time (it is the key's, not a new one).
    expect(viaAlias.PublicKey).toEqual((await h.call('GetPublicKey', { KeyId: k.arn })).PublicKey);
    await h.call('ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: 7 });
    expect((await h.fail('GetPublicKey', { KeyId: k.keyId })).name).toBe('KMSInvalidStateException');
  });

  it('a grant for GetPublicKey lets its grantee read the public key', async () => {
    const APP: CallerContext = { principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`, accountId: ACCOUNT as CallerContext['accountId'], region: REGION as CallerContext['region'] };
    const k = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    expect((await h.fail('GetPublicKey', { KeyId: k.arn }, APP)).name).toBe('AccessDeniedException');
    const g = await h.call('CreateGrant', { KeyId: k.keyId, GranteePrincipal: APP.principalArn, Operations: ['GetPublicKey'] });
    expect((await h.call('GetPublicKey', { KeyId: k.arn, GrantTokens: [g.GrantToken] }, APP)).KeyUsage).toBe('KEY_AGREEMENT');
  });
});
