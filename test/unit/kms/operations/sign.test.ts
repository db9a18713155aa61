/**
 * Sign and Verify through the service (kms-semantics.md §2.2, §4): every SIGN_VERIFY spec × signing
 * algorithm, RAW and DIGEST (EXTERNAL_MU for ML-DSA), checked OFFLINE against node:crypto (noble for
 * Ed25519ph and ML-DSA, which Node 20 lacks) with the public key from GetPublicKey, and the reverse
 * (node signs with the key's private key, KMS Verify accepts); tampering, every error with its
 * message, DryRun, key states, grants, the CloudTrail record and a replay of the log.
 */
import { constants, createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { nobleBackend, type CallerContext } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { KEY_SPEC_USAGES } from '../../../../src/kms/keySpecs';
import type { KeySpec } from '../../../../src/kms/model';
import { publicKeyBytes } from '../../../../src/kms/crypto/keys/index';
import { toTrailRecord } from '../../../../src/trail';
import { ACCOUNT, PARTNER, REGION, callerIn, makeHarness, utf8, type Harness } from '../harness';
import { allRecords, logOf } from '../logScenario';

const SIGN_SPECS = (Object.keys(KEY_SPEC_USAGES) as KeySpec[]).filter((s) => s !== 'SM2' && KEY_SPEC_USAGES[s].SIGN_VERIFY);
const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const hashOf = (alg: string) => HASH[alg.slice(-3)]!;
const digest = (alg: string, m: Uint8Array) => new Uint8Array(createHash(hashOf(alg)).update(m).digest());
const DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } as const;

function spkiKey(spki: Uint8Array) {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

/** Offline verification with node:crypto (noble where node has no such algorithm). */
function offlineVerify(spec: string, alg: string, spki: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  if (alg === 'ED25519_PH_SHA_512') return ed25519ph.verify(sig, message, publicKeyBytes(spki)!);
  if (alg === 'ML_DSA_SHAKE_256') return DSA[spec as keyof typeof DSA].verify(sig, message, publicKeyBytes(spki)!);
  if (alg === 'ED25519_SHA_512') return nodeVerify(null, message, spkiKey(spki), sig);
  if (alg.startsWith('RSASSA_PSS')) {
    return nodeVerify(hashOf(alg), message, { key: spkiKey(spki), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 }, sig);
  }
  return nodeVerify(hashOf(alg), message, spkiKey(spki), sig);
}

/** A node signature with the key's own private key (PKCS#8 from the store), or null where node cannot. */
function nodeSignature(spec: string, alg: string, pkcs8: Uint8Array, message: Uint8Array): Uint8Array | null {
  if (spec.startsWith('ML_DSA')) return null;
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  if (alg === 'ED25519_PH_SHA_512') {
    const seed = key.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    return ed25519ph.sign(message, new Uint8Array(seed));
  }
  if (alg === 'ED25519_SHA_512') return new Uint8Array(nodeSign(null, message, key));
  if (alg.startsWith('RSASSA_PSS')) {
    return new Uint8Array(nodeSign(hashOf(alg), message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 }));
  }
  return new Uint8Array(nodeSign(hashOf(alg), message, key));
}

/** FIPS 204 μ of `message` under an ML-DSA public key with an empty context (pure ML-DSA). */
function externalMu(pub: Uint8Array, message: Uint8Array): Uint8Array {
  const tr = shake256(pub, { dkLen: 64 });
  return shake256(new Uint8Array([...tr, 0, 0, ...message]), { dkLen: 64 });
}

let h: Harness;
const keys = new Map<string, { keyId: string; arn: string; spki: Uint8Array; pkcs8: Uint8Array }>();

beforeAll(async () => {
  h = await makeHarness();
  for (const spec of SIGN_SPECS) {
    const k = await h.createKey({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
    const pub = await h.call('GetPublicKey', { KeyId: k.keyId });
    const [material] = h.repo.list('material').filter((m) => m.keyArn === k.arn);
    keys.set(spec, { ...k, spki: pub.PublicKey as Uint8Array, pkcs8: material!.material });
  }
}, 60_000);

const MESSAGE = utf8('release manifest v1.2.3: sha256 of every artifact');

describe('Sign and Verify for every spec × algorithm', () => {
  for (const spec of SIGN_SPECS) {
    for (const alg of KEY_SPEC_USAGES[spec].SIGN_VERIFY!.SigningAlgorithms!) {
      it(`${spec} ${alg}: KMS signs, node verifies offline; node signs, KMS verifies; tampering fails`, async () => {
        const k = keys.get(spec)!;
        const isPh = alg === 'ED25519_PH_SHA_512';
        const isDsa = alg === 'ML_DSA_SHAKE_256';
        // RAW (Ed25519ph only takes DIGEST: the SHA-512 of the message).
        const req = isPh
          ? { KeyId: k.keyId, Message: digest(alg, MESSAGE), MessageType: 'DIGEST', SigningAlgorithm: alg }
          : { KeyId: k.keyId, Message: MESSAGE, SigningAlgorithm: alg };
        const s = await h.call('Sign', req);
        expect(s).toMatchObject({ KeyId: k.arn, SigningAlgorithm: alg });
        expect(Object.keys(s).filter((m) => m !== '$metadata').sort()).toEqual(['KeyId', 'Signature', 'SigningAlgorithm']);
        const sig = s.Signature as Uint8Array;
        expect(offlineVerify(spec, alg, k.spki, MESSAGE, sig)).toBe(true);
        if (alg.startsWith('ECDSA')) expect(sig[0]).toBe(0x30); // DER SEQUENCE { r, s }
        if (alg.startsWith('RSASSA')) expect(sig.length).toBe(Number(spec.slice(4)) / 8);
        expect(await h.call('Verify', { ...req, Signature: sig })).toMatchObject({ KeyId: k.arn, SignatureValid: true, SigningAlgorithm: alg });

        // DIGEST (EXTERNAL_MU for ML-DSA): the same signature verifies offline over the message.
        if (!isPh) {
          const pre = isDsa
            ? { Message: externalMu(publicKeyBytes(k.spki)!, MESSAGE), MessageType: 'EXTERNAL_MU' }
            : { Message: digest(alg, MESSAGE), MessageType: 'DIGEST' };
          if (!alg.startsWith('ED25519')) {
            const d = await h.call('Sign', { KeyId: k.keyId, SigningAlgorithm: alg, ...pre });
            expect(offlineVerify(spec, alg, k.spki, MESSAGE, d.Signature as Uint8Array)).toBe(true);
            // Verify may use the other message type, as long as it says whether Message is hashed.
            await h.call('Verify', { KeyId: k.keyId, SigningAlgorithm: alg, Message: MESSAGE, Signature: d.Signature });
            await h.call('Verify', { KeyId: k.keyId, SigningAlgorithm: alg, ...pre, Signature: sig });
          }
        }

        // Reverse: node signs with the key's private key, KMS accepts.
        const mine = nodeSignature(spec, alg, k.pkcs8, MESSAGE);
        if (mine) await h.call('Verify', { ...req, Signature: mine });

        // Tampering: a flipped signature bit, another message.
        const bad = sig.slice();
        bad[bad.length >> 1]! ^= 0x01;
        expect(await h.fail('Verify', { ...req, Signature: bad })).toEqual({ name: 'KMSInvalidSignatureException', message: '' });
        const other = isPh ? digest(alg, utf8('another manifest')) : utf8('another manifest');
        expect((await h.fail('Verify', { ...req, Message: other, Signature: sig })).name).toBe('KMSInvalidSignatureException');
      }, 30_000);
    }
  }

  it('RSA: a PKCS#1 v1.5 signature does not verify as PSS (another algorithm of the same key)', async () => {
    const k = keys.get('RSA_2048')!;
    const s = await h.call('Sign', { KeyId: k.keyId, Message: MESSAGE, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
    expect((await h.fail('Verify', { KeyId: k.keyId, Message: MESSAGE, Signature: s.Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).name).toBe(
      'KMSInvalidSignatureException',
    );
  });

  it('fast-check: verify(sign(m)) holds and any single-bit flip of the signature fails (ECC_NIST_P256)', async () => {
    const k = keys.get('ECC_NIST_P256')!;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), async (m, bit) => {
        const s = (await h.call('Sign', { KeyId: k.keyId, Message: m, SigningAlgorithm: 'ECDSA_SHA_256' })).Signature as Uint8Array;
        await h.call('Verify', { KeyId: k.keyId, Message: m, Signature: s, SigningAlgorithm: 'ECDSA_SHA_256' });
        const t = s.slice();
        t[(bit >> 3) % t.length]! ^= 1 << (bit & 7);
        expect((await h.fail('Verify', { KeyId: k.keyId, Message: m, Signature: t, SigningAlgorithm: 'ECDSA_SHA_256' })).name).toBe('KMSInvalidSignatureException');
      }),
      { numRuns: 25 },
    );
  });
});

describe('Sign and Verify errors (AWS messages)', () => {
  it('refuses keys whose usage is not SIGN_VERIFY with InvalidKeyUsageException', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'ENCRYPT_DECRYPT'],
      [{ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, 'GENERATE_VERIFY_MAC'],
      [{ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, 'ENCRYPT_DECRYPT'],
      [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }, 'KEY_AGREEMENT'],
      [{ KeySpec: 'ML_KEM_512', KeyUsage: 'ENCAPSULATE_DECAPSULATE' }, 'ENCAPSULATE_DECAPSULATE'],
    ];
    for (const [create, usage] of cases) {
      const k = await h.createKey(create);
      for (const op of ['Sign', 'Verify']) {
        expect(await h.fail(op, { KeyId: k.arn, Message: MESSAGE, Signature: new Uint8Array(64), SigningAlgorithm: 'ECDSA_SHA_256' })).toEqual({
          name: 'InvalidKeyUsageException',
          message: `${k.arn} key usage is ${usage} which is not valid for ${op}.`,
        });
      }
    }
  }, 30_000);

  it('refuses an algorithm the key spec does not offer, before the digest length', async () => {
    const p256 = keys.get('ECC_NIST_P256')!;
    const rsa = keys.get('RSA_2048')!;
    const incompatible = (alg: string, spec: string) => ({ name: 'InvalidKeyUsageException', message: `Algorithm ${alg} is incompatible with key spec ${spec}.` });
    expect(await h.fail('Sign', { KeyId: p256.keyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_384' })).toEqual(incompatible('ECDSA_SHA_384', 'ECC_NIST_P256'));
    expect(await h.fail('Verify', { KeyId: p256.keyId, Message: MESSAGE, Signature: new Uint8Array(8), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).toEqual(
      incompatible('RSASSA_PSS_SHA_256', 'ECC_NIST_P256'),
    );
    expect(await h.fail('Sign', { KeyId: rsa.keyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })).toEqual(incompatible('ECDSA_SHA_256', 'RSA_2048'));
    // SYMMETRIC_DEFAULT is not in the model's enum, yet AWS answers it with the key spec error.
    expect(await h.fail('Sign', { KeyId: rsa.keyId, Message: MESSAGE, SigningAlgorithm: 'SYMMETRIC_DEFAULT' })).toEqual(incompatible('SYMMETRIC_DEFAULT', 'RSA_2048'));
    expect(await h.fail('Sign', { KeyId: p256.keyId, Message: new Uint8Array(20), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_384' })).toEqual(
      incompatible('ECDSA_SHA_384', 'ECC_NIST_P256'),
    );
    expect(await h.fail('Sign', { KeyId: keys.get('ML_DSA_44')!.keyId, Message: MESSAGE, SigningAlgorithm: 'ED25519_SHA_512' })).toEqual(
      incompatible('ED25519_SHA_512', 'ML_DSA_44'),
    );
  });

  it('validates the request with the model messages', async () => {
    const rsa = keys.get('RSA_2048')!;
    expect(await h.fail('Sign', { KeyId: rsa.keyId, Message: MESSAGE, SigningAlgorithm: 'FOO' })).toEqual({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'FOO' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_384, RSASSA_PSS_SHA_512, RSASSA_PKCS1_V1_5_SHA_256, RSASSA_PKCS1_V1_5_SHA_384, RSASSA_PKCS1_V1_5_SHA_512, ECDSA_SHA_256, ECDSA_SHA_384, ECDSA_SHA_512, ED25519_SHA_512, ED25519_PH_SHA_512, SM2DSA, ML_DSA_SHAKE_256]",
    });
    expect((await h.fail('Sign', { KeyId: rsa.keyId, Message: MESSAGE, SigningAlgorithm: 'RSAES_OAEP_SHA_256' })).message).toMatch(
      /^1 validation error detected: Value 'RSAES_OAEP_SHA_256' at 'signingAlgorithm'/,
    );
    for (const op of ['Sign', 'Verify']) {
      expect(await h.fail(op, { KeyId: rsa.keyId, Message: MESSAGE, Signature: new Uint8Array(8) })).toEqual({
        name: 'ValidationException',
        message: "1 validation error detected: Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null",
      });
    }
    expect((await h.fail('Sign', { KeyId: rsa.keyId, Message: new Uint8Array(0), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).message).toBe(
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await h.fail('Sign', { KeyId: rsa.keyId, Message: new Uint8Array(4097), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).message).toBe(
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    await h.call('Sign', { KeyId: rsa.keyId, Message: new Uint8Array(4096), SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
    expect((await h.fail('Verify', { KeyId: rsa.keyId, Message: MESSAGE, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).message).toBe(
      "1 validation error detected: Value null at 'signature' failed to satisfy constraint: Member must not be null",
    );
    expect((await h.fail('Sign', { KeyId: rsa.keyId, Message: MESSAGE, MessageType: 'HASHED', SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).name).toBe('ValidationException');
  });

  it('DIGEST must have the algorithm digest length; message types the algorithm does not take are refused', async () => {
    const cases: [string, string, number][] = [
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 20],
      ['ECC_NIST_P256', 'ECDSA_SHA_256', 48],
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 20],
      ['RSA_2048', 'RSASSA_PSS_SHA_384', 32],
      ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_384', 64],
      ['ECC_NIST_P521', 'ECDSA_SHA_512', 32],
      ['ECC_NIST_EDWARDS25519', 'ED25519_PH_SHA_512', 20],
    ];
    for (const [spec, alg, n] of cases) {
      for (const op of ['Sign', 'Verify']) {
        expect(await h.fail(op, { KeyId: keys.get(spec)!.keyId, Message: new Uint8Array(n), MessageType: 'DIGEST', Signature: new Uint8Array(64), SigningAlgorithm: alg })).toEqual({
          name: 'ValidationException',
          message: `Digest is invalid length for algorithm ${alg}.`,
        });
      }
    }
    const ed = keys.get('ECC_NIST_EDWARDS25519')!.keyId;
    expect(await h.fail('Sign', { KeyId: ed, Message: new Uint8Array(64), MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512' })).toEqual({
      name: 'ValidationException',
      message: 'Message type DIGEST is incompatible with algorithm ED25519_SHA_512.',
    });
    expect(await h.fail('Sign', { KeyId: ed, Message: MESSAGE, SigningAlgorithm: 'ED25519_PH_SHA_512' })).toEqual({
      name: 'ValidationException',
      message: 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.',
    });
    expect(await h.fail('Sign', { KeyId: keys.get('ML_DSA_65')!.keyId, Message: new Uint8Array(32), MessageType: 'DIGEST', SigningAlgorithm: 'ML_DSA_SHAKE_256' })).toEqual({
      name: 'ValidationException',
      message: 'Message type DIGEST is incompatible with key spec ML_DSA_65.',
    });
    expect((await h.fail('Sign', { KeyId: keys.get('ML_DSA_65')!.keyId, Message: new Uint8Array(32), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' })).name).toBe(
      'ValidationException',
    );
    expect(await h.fail('Sign', { KeyId: keys.get('ECC_NIST_P256')!.keyId, Message: new Uint8Array(64), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ECDSA_SHA_256' })).toEqual({
      name: 'ValidationException',
      message: 'Message type EXTERNAL_MU is incompatible with algorithm ECDSA_SHA_256.',
    });
  });

  it('NotFound for an unknown key; the alias and key ARN forms work', async () => {
    expect((await h.fail('Sign', { KeyId: '00000000-0000-0000-0000-000000000000', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })).name).toBe('NotFoundException');
    const k = keys.get('ECC_NIST_P256')!;
    await h.call('CreateAlias', { AliasName: 'alias/release-signing', TargetKeyId: k.keyId });
    const s = await h.call('Sign', { KeyId: 'alias/release-signing', Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(s.KeyId).toBe(k.arn);
    await h.call('Verify', { KeyId: k.arn, Message: MESSAGE, Signature: s.Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
  });
});

describe('DryRun, key states, grants, trail and replay', () => {
  it('DryRun answers DryRunOperationException after every check, and signs nothing', async () => {
    const k = keys.get('ECC_NIST_P256')!;
    const dry = { KeyId: k.keyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true };
    expect((await h.fail('Sign', dry)).name).toBe('DryRunOperationException');
    expect((await h.fail('Verify', { ...dry, Signature: new Uint8Array(70) })).name).toBe('DryRunOperationException');
    // Checks still run first.
    expect((await h.fail('Sign', { ...dry, SigningAlgorithm: 'ECDSA_SHA_384' })).name).toBe('InvalidKeyUsageException');
  });

  it('a disabled key and a key pending deletion refuse Sign and Verify as §1.5 says', async () => {
    const hh = await makeHarness({ seed: 7 });
    const k = await hh.createKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' });
    const req = { KeyId: k.keyId, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_384' };
    const sig = (await hh.call('Sign', req)).Signature;
    await hh.call('DisableKey', { KeyId: k.keyId });
    expect(await hh.fail('Sign', req)).toEqual({ name: 'DisabledException', message: `${k.arn} is disabled.` });
    expect((await hh.fail('Verify', { ...req, Signature: sig })).name).toBe('DisabledException');
    expect((await hh.fail('GetPublicKey', { KeyId: k.keyId })).name).toBe('DisabledException');
    await hh.call('EnableKey', { KeyId: k.keyId });
    await hh.call('ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: 7 });
    const pending = await hh.fail('Sign', req);
    expect(pending.name).toBe('KMSInvalidStateException');
    expect(pending.message).toMatch(new RegExp(`^${k.arn} is pending deletion`));
    expect((await hh.fail('Verify', { ...req, Signature: sig })).name).toBe('KMSInvalidStateException');
  });

  it('a grant for Sign lets its grantee sign (and not verify); without it, AccessDenied', async () => {
    const hh = await makeHarness({ seed: 8 });
    const APP: CallerContext = { principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`, accountId: ACCOUNT as CallerContext['accountId'], region: REGION as CallerContext['region'] };
    const k = await hh.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const req = { KeyId: k.arn, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' };
    expect((await hh.fail('Sign', req, APP)).name).toBe('AccessDeniedException');
    const g = await hh.call('CreateGrant', { KeyId: k.keyId, GranteePrincipal: APP.principalArn, Operations: ['Sign'] });
    const s = await hh.call('Sign', { ...req, GrantTokens: [g.GrantToken] }, APP);
    expect(s.KeyId).toBe(k.arn);
    expect((await hh.fail('Verify', { ...req, Signature: s.Signature, GrantTokens: [g.GrantToken] }, APP)).name).toBe('AccessDeniedException');
    await hh.call('Verify', { ...req, Signature: s.Signature });
  });

  it('another account signs by key ARN once the key policy lets it (never by bare id)', async () => {
    const hh = await makeHarness({ seed: 11 });
    const k = await hh.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const partner = callerIn(PARTNER);
    const req = { KeyId: k.arn, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' };
    expect((await hh.fail('Sign', req, partner)).name).toBe('AccessDeniedException');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'PartnerSigns', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: ['kms:Sign', 'kms:GetPublicKey'], Resource: '*' },
      ],
    };
    await hh.call('PutKeyPolicy', { KeyId: k.keyId, PolicyName: 'default', Policy: JSON.stringify(policy) });
    const s = await hh.call('Sign', req, partner);
    expect(s.KeyId).toBe(k.arn);
    const spki = (await hh.call('GetPublicKey', { KeyId: k.arn }, partner)).PublicKey as Uint8Array;
    expect(offlineVerify('ECC_NIST_P256', 'ECDSA_SHA_256', spki, MESSAGE, s.Signature as Uint8Array)).toBe(true);
    expect((await hh.fail('Verify', { ...req, Signature: s.Signature }, partner)).name).toBe('AccessDeniedException');
    expect((await hh.fail('Sign', { ...req, KeyId: k.keyId }, partner)).name).toBe('NotFoundException');
  });

  it('the CloudTrail record of Sign never contains the message or the signature', async () => {
    const hh = await makeHarness({ seed: 9 });
    const k = await hh.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const secret = utf8('top secret manifest 0123456789abcdef');
    const s = await hh.call('Sign', { KeyId: k.keyId, Message: secret, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    const rec = hh.repo.list('trailEvent').map((t) => t.record).find((r) => r.eventName === 'Sign')!;
    expect(rec.requestParameters).toEqual({ keyId: k.keyId, messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_256' });
    expect(rec.responseElements).toBeNull();
    const text = JSON.stringify(rec);
    for (const b of [secret, s.Signature as Uint8Array]) {
      expect(text).not.toContain(Buffer.from(b).toString('base64'));
      expect(text).not.toContain(Buffer.from(b).toString('hex'));
    }
    expect(text).not.toContain('top secret');
  });

  it('a replay of the log rebuilds the same sandbox after Sign, Verify and GenerateMac; Verify logs the signature as a reference', async () => {
    const hh = await makeHarness({ seed: 10 });
    const ec = await hh.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const rsa = await hh.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const mac = await hh.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    for (const [k, alg] of [[ec, 'ECDSA_SHA_256'], [rsa, 'RSASSA_PSS_SHA_256']] as const) {
      const s = await hh.call('Sign', { KeyId: k.keyId, Message: MESSAGE, SigningAlgorithm: alg });
      await hh.call('Verify', { KeyId: k.keyId, Message: MESSAGE, Signature: s.Signature, SigningAlgorithm: alg });
      await hh.fail('Verify', { KeyId: k.keyId, Message: utf8('x'), Signature: s.Signature, SigningAlgorithm: alg });
    }
    const m = await hh.call('GenerateMac', { KeyId: mac.keyId, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' });
    await hh.call('VerifyMac', { KeyId: mac.keyId, Message: MESSAGE, Mac: m.Mac, MacAlgorithm: 'HMAC_SHA_256' });
    const log = logOf(hh.repo);
    const verifies = log.filter((e) => e.kind === 'call' && e.operation === 'Verify');
    expect(verifies.map((e) => (e.kind === 'call' ? JSON.stringify(e.request?.Signature) : ''))).toEqual(
      verifies.map(() => expect.stringMatching(/^\{"\$output":\[\d+,"Signature"\]\}$/)),
    );
    const meta = hh.repo.get('meta', 'sandbox')!;
    const r = await replayLog(log, { seed: meta.seed, startTime: meta.createdAt, crypto: nobleBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason} ${r.detail}`);
    expect(allRecords(r.repository)).toEqual(allRecords(hh.repo));
  }, 30_000);
});
