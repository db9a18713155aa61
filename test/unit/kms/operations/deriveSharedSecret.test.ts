/**
 * DeriveSharedSecret through the service (kms-semantics.md §2.1, §2.2, §4.1): ECDH on
 * KEY_AGREEMENT keys (P-256/384/521) checked against node:crypto's diffieHellman both ways,
 * two KMS keys agreeing with each other, peer keys on another curve or not DER SPKI, usage and
 * algorithm errors, DryRun, states, trail and replay.
 */
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { nobleBackend } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { toTrailRecord } from '../../../../src/trail';
import { makeHarness, type Harness } from '../harness';
import { allRecords, logOf } from '../logScenario';

const CURVES = { ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1' } as const;
const SECRET_BYTES = { ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66 } as const;
const der = (k: ReturnType<typeof createPublicKey>) => new Uint8Array(k.export({ format: 'der', type: 'spki' }));

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});

describe('DeriveSharedSecret', () => {
  for (const spec of Object.keys(CURVES) as (keyof typeof CURVES)[]) {
    it(`${spec}: the secret is node's ECDH of the peer's private key and the KMS public key`, async () => {
      const k = await h.createKey({ KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' });
      const peer = generateKeyPairSync('ec', { namedCurve: CURVES[spec] });
      const r = await h.call('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: der(peer.publicKey), GrantTokens: [] });
      const { $metadata: _, ...members } = r as Record<string, unknown>;
      expect(members).toEqual({ KeyId: k.arn, SharedSecret: expect.any(Uint8Array), KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
      expect((r.SharedSecret as Uint8Array).length).toBe(SECRET_BYTES[spec]);
      const kmsPublic = (await h.call('GetPublicKey', { KeyId: k.keyId })).PublicKey as Uint8Array;
      const offline = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: Buffer.from(kmsPublic), format: 'der', type: 'spki' }) });
      expect(Buffer.from(r.SharedSecret as Uint8Array)).toEqual(offline);
      // And with the KMS private key on node's side (material is PKCS#8).
      const [m] = h.repo.list('material').filter((x) => x.keyArn === k.arn);
      const mine = createPrivateKey({ key: Buffer.from(m!.material), format: 'der', type: 'pkcs8' });
      expect(diffieHellman({ privateKey: mine, publicKey: peer.publicKey })).toEqual(offline);
    });
  }

  it('two KMS keys agree on one secret (each with the other one public key)', async () => {
    const a = await h.createKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' });
    const b = await h.createKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'KEY_AGREEMENT' });
    const pa = (await h.call('GetPublicKey', { KeyId: a.keyId })).PublicKey;
    const pb = (await h.call('GetPublicKey', { KeyId: b.keyId })).PublicKey;
    const sa = await h.call('DeriveSharedSecret', { KeyId: a.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: pb });
    const sb = await h.call('DeriveSharedSecret', { KeyId: b.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: pa });
    expect(sa.SharedSecret).toEqual(sb.SharedSecret);
  });

  it('a peer key on another curve, of another type, or not DER SPKI: ValidationException', async () => {
    const k = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const message = 'PublicKey must be a DER-encoded X.509 SubjectPublicKeyInfo of a point on the curve of ECC_NIST_P256.';
    const peers = [
      der(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey),
      der(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey),
      der(generateKeyPairSync('ed25519').publicKey),
      new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' }).x!.length),
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
    ];
    for (const PublicKey of peers) {
      expect(await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey })).toEqual({ name: 'ValidationException', message });
    }
    // A point not on the curve (a valid SPKI with its last byte changed).
    const off = der(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
    off[off.length - 1]! ^= 1;
    expect((await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: off })).name).toBe('ValidationException');
  });

  it('usage, algorithm and request validation errors', async () => {
    const peer = der(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
    for (const [create, usage] of [[{}, 'ENCRYPT_DECRYPT'], [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, 'SIGN_VERIFY']] as const) {
      const k = await h.createKey(create);
      expect(await h.fail('DeriveSharedSecret', { KeyId: k.arn, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })).toEqual({
        name: 'InvalidKeyUsageException',
        message: `${k.arn} key usage is ${usage} which is not valid for DeriveSharedSecret.`,
      });
    }
    const k = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    expect((await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDHE', PublicKey: peer })).message).toBe(
      "1 validation error detected: Value 'ECDHE' at 'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [ECDH]",
    );
    expect((await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH' })).message).toBe(
      "1 validation error detected: Value null at 'publicKey' failed to satisfy constraint: Member must not be null",
    );
    expect((await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, Recipient: { AttestationDocument: new Uint8Array(4) } })).name).toBe(
      'UnsupportedOperationException',
    );
    expect((await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, DryRun: true })).name).toBe('DryRunOperationException');
    await h.call('DisableKey', { KeyId: k.keyId });
    expect(await h.fail('DeriveSharedSecret', { KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer })).toEqual({
      name: 'DisabledException',
      message: `${k.arn} is disabled.`,
    });
  });

  it('trail without the secret or keys; the log refers to the GetPublicKey output and replays identically', async () => {
    const hh = await makeHarness({ seed: 4 });
    const a = await hh.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const b = await hh.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const pb = (await hh.call('GetPublicKey', { KeyId: b.keyId })).PublicKey as Uint8Array;
    const s = (await hh.call('DeriveSharedSecret', { KeyId: a.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: pb })).SharedSecret as Uint8Array;
    const rec = hh.repo.list('trailEvent').map((t) => t.record).find((r) => r.eventName === 'DeriveSharedSecret')!;
    expect(rec.requestParameters).toEqual({ keyId: a.keyId, keyAgreementAlgorithm: 'ECDH' });
    const text = JSON.stringify(rec);
    expect(text).not.toContain(Buffer.from(s).toString('base64'));
    expect(text).not.toContain(Buffer.from(pb).toString('base64'));
    const log = logOf(hh.repo);
    const entry = log.find((e) => e.kind === 'call' && e.operation === 'DeriveSharedSecret');
    expect(entry?.kind === 'call' ? JSON.stringify(entry.request?.PublicKey) : '').toMatch(/^\{"\$output":\[\d+,"PublicKey"\]\}$/);
    const meta = hh.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason} ${r.detail}`);
    expect(allRecords(r.repository)).toEqual(allRecords(hh.repo));
  });
});
