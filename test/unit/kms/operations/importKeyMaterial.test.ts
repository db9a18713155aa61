/**
 * Imported key material (§1.2, §1.5 footnotes 8–9, §2.2): full flows through the service with
 * material wrapped offline by node:crypto (RSA-OAEP SHA-1/SHA-256) and RFC 5649 (crypto/keys
 * aesKeyWrapPad) exactly as AWS documents the wrapping algorithms; every error of the flow;
 * expiry on the sandbox clock; re-import rules; replay of the log.
 */
import { constants, createHash, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webCryptoBackend } from '../../../../src/kms';
import { replayLog } from '../../../../src/kms/replay';
import { aesKeyWrapPad } from '../../../../src/kms/crypto/keys';
import { validateRecord } from '../../../../src/kms/store/schema/records';
import { toTrailRecord } from '../../../../src/trail';
import { makeHarness, seedOf, T0, text, utf8, type Harness } from '../harness';
import { allRecords, logOf } from '../logScenario';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Wrapping = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';

/** Wraps `material` with the DER SPKI `publicKey` as the AWS developer guide describes each algorithm. */
function wrap(publicKey: Uint8Array, algorithm: Wrapping, material: Uint8Array): Uint8Array {
  const key = { key: Buffer.from(publicKey), format: 'der' as const, type: 'spki' as const };
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Uint8Array) => new Uint8Array(publicEncrypt({ ...key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data));
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  const aes = new Uint8Array(randomBytes(32));
  const head = oaep(aes);
  const tail = aesKeyWrapPad(aes, material);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

interface Params {
  ImportToken: Uint8Array;
  PublicKey: Uint8Array;
  ParametersValidTo: Date;
  KeyId: string;
}

async function params(h: Harness, keyId: string, WrappingAlgorithm: Wrapping = 'RSAES_OAEP_SHA_256', WrappingKeySpec = 'RSA_2048'): Promise<Params> {
  return (await h.call('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm, WrappingKeySpec })) as unknown as Params;
}

/** GetParametersForImport + wrap + ImportKeyMaterial (does not expire unless told). */
async function importInto(h: Harness, keyId: string, material: Uint8Array, algorithm: Wrapping = 'RSAES_OAEP_SHA_256', extra: Record<string, unknown> = {}) {
  const p = await params(h, keyId, algorithm);
  return h.call('ImportKeyMaterial', {
    KeyId: keyId,
    ImportToken: p.ImportToken,
    EncryptedKeyMaterial: wrap(p.PublicKey, algorithm, material),
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    ...extra,
  });
}

const state = async (h: Harness, keyId: string) => ((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>);
const material32 = (fill: number) => new Uint8Array(32).fill(fill);

describe('GetParametersForImport', () => {
  it('returns a DER RSA public key of the spec, an import token and a 24-hour validity', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
    expect((await state(h, keyId)).KeyState).toBe('PendingImport');
    for (const [spec, bits] of [['RSA_2048', 2048], ['RSA_3072', 3072], ['RSA_4096', 4096]] as const) {
      const p = await params(h, keyId, 'RSA_AES_KEY_WRAP_SHA_256', spec);
      expect(p.KeyId).toBe(arn);
      expect(p.ParametersValidTo).toEqual(new Date(T0 + DAY));
      expect(p.ImportToken.length).toBeGreaterThan(16);
      const pub = createPublicKey({ key: Buffer.from(p.PublicKey), format: 'der', type: 'spki' });
      expect(pub.asymmetricKeyDetails?.modulusLength).toBe(bits);
    }
    const trail = h.repo.list('trailEvent').map((t) => t.record).filter((r) => r.eventName === 'GetParametersForImport');
    expect(trail).toHaveLength(3);
    expect(JSON.stringify(trail)).not.toMatch(/publicKey|importToken/i);
  }, 30_000);

  it('refuses keys without EXTERNAL origin, deprecated and China-only algorithms, and combinations AWS refuses', async () => {
    const h = await makeHarness();
    const { keyId: kmsKey, arn } = await h.createKey();
    expect(await h.fail('GetParametersForImport', { KeyId: kmsKey, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })).toEqual({
      name: 'UnsupportedOperationException',
      message: `${arn} origin is AWS_KMS which is not valid for this operation.`,
    });
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    const fail = (WrappingAlgorithm: string, WrappingKeySpec: string, id = keyId) => h.fail('GetParametersForImport', { KeyId: id, WrappingAlgorithm, WrappingKeySpec });
    expect((await fail('RSAES_PKCS1_V1_5', 'RSA_2048')).name).toBe('ValidationException');
    expect((await fail('SM2PKE', 'SM2')).name).toBe('UnsupportedOperationException');
    expect((await fail('RSAES_OAEP_SHA_256', 'SM2')).name).toBe('UnsupportedOperationException');
    expect((await fail('RSAES_OAEP_SHA_512', 'RSA_2048')).name).toBe('ValidationException');
    expect((await fail('RSAES_OAEP_SHA_256', 'RSA_1024')).name).toBe('ValidationException');
    expect((await h.fail('GetParametersForImport', { KeyId: keyId })).name).toBe('ValidationException');
    const rsa = await h.createKey({ Origin: 'EXTERNAL', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    expect((await fail('RSAES_OAEP_SHA_256', 'RSA_4096', rsa.keyId)).message).toMatch(/RSA_AES_KEY_WRAP/);
    const p521 = await h.createKey({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P521', KeyUsage: 'SIGN_VERIFY' });
    expect((await fail('RSAES_OAEP_SHA_1', 'RSA_2048', p521.keyId)).name).toBe('ValidationException');
    await params(h, p521.keyId, 'RSAES_OAEP_SHA_256', 'RSA_3072');
  });

  it('is refused for an EXTERNAL key pending deletion (footnote 8)', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId });
    expect(await h.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })).toEqual({
      name: 'KMSInvalidStateException',
      message: `${arn} is pending deletion.`,
    });
  });
});

describe('ImportKeyMaterial: symmetric keys', () => {
  for (const algorithm of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const) {
    it(`imports 256-bit material wrapped with ${algorithm}; the key encrypts and decrypts`, async () => {
      const h = await makeHarness();
      const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
      const r = await importInto(h, keyId, material32(7), algorithm);
      expect(r.KeyId).toBe(arn);
      expect(r.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
      const meta = await state(h, keyId);
      expect(meta).toMatchObject({ KeyState: 'Enabled', Enabled: true, Origin: 'EXTERNAL', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: r.KeyMaterialId });
      expect(meta.ValidTo).toBeUndefined();
      const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('imported') });
      const dec = await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
      expect(text(dec.Plaintext)).toBe('imported');
      expect(dec.KeyMaterialId).toBe(r.KeyMaterialId);
    });
  }

  it('the KeyMaterialId is a function of the key id and the material', async () => {
    const h = await makeHarness();
    const a = await h.createKey({ Origin: 'EXTERNAL' });
    const b = await h.createKey({ Origin: 'EXTERNAL' });
    const ida = (await importInto(h, a.keyId, material32(1))).KeyMaterialId;
    const idb = (await importInto(h, b.keyId, material32(1))).KeyMaterialId;
    expect(ida).not.toBe(idb);
    const label = Buffer.from(`kms-playground imported key material v1\0${a.keyId}\0`);
    expect(ida).toBe(createHash('sha256').update(label).update(material32(1)).digest('hex'));
  });

  it('wrong material size is IncorrectKeyMaterialException; garbage and foreign wrapping are InvalidCiphertextException', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    const p = await params(h, keyId);
    const req = (EncryptedKeyMaterial: Uint8Array) => ({ KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect((await h.fail('ImportKeyMaterial', req(wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', new Uint8Array(16))))).name).toBe('IncorrectKeyMaterialException');
    expect(await h.fail('ImportKeyMaterial', req(new Uint8Array(256).fill(3)))).toEqual({ name: 'InvalidCiphertextException', message: '' });
    // Wrapped with SHA-1 although the parameters say SHA-256.
    expect((await h.fail('ImportKeyMaterial', req(wrap(p.PublicKey, 'RSAES_OAEP_SHA_1', material32(1))))).name).toBe('InvalidCiphertextException');
    // Wrapped with another RSA key.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' });
    expect((await h.fail('ImportKeyMaterial', req(wrap(other, 'RSAES_OAEP_SHA_256', material32(1))))).name).toBe('InvalidCiphertextException');
    expect((await state(h, keyId)).KeyState).toBe('PendingImport');
  });

  it('RSA_AES_KEY_WRAP: a tampered AES-wrapped part is InvalidCiphertextException', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    const p = await params(h, keyId, 'RSA_AES_KEY_WRAP_SHA_256');
    const wrapped = wrap(p.PublicKey, 'RSA_AES_KEY_WRAP_SHA_256', material32(9));
    wrapped[wrapped.length - 1]! ^= 1;
    const short = wrapped.slice(0, 256);
    for (const EncryptedKeyMaterial of [wrapped, short]) {
      const e = await h.fail('ImportKeyMaterial', { KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      expect(e.name).toBe('InvalidCiphertextException');
    }
  });

  it('import tokens: expired after 24 hours, another key\'s token, unknown token', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    const other = await h.createKey({ Origin: 'EXTERNAL' });
    const p = await params(h, keyId);
    const po = await params(h, other.keyId);
    const wrapped = wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', material32(1));
    const req = (ImportToken: Uint8Array) => ({ KeyId: keyId, ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect((await h.fail('ImportKeyMaterial', req(po.ImportToken))).name).toBe('InvalidImportTokenException');
    expect((await h.fail('ImportKeyMaterial', req(new Uint8Array(64).fill(1)))).name).toBe('InvalidImportTokenException');
    await h.service.advanceClock(DAY + 1);
    expect((await h.fail('ImportKeyMaterial', req(p.ImportToken))).name).toBe('ExpiredImportTokenException');
  });

  it('expiration model: ValidTo required by default, refused with DOES_NOT_EXPIRE, future and ≤ 365 days', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    const p = await params(h, keyId);
    const base = { KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', material32(1)) };
    const fails = [
      {},
      { ExpirationModel: 'KEY_MATERIAL_EXPIRES' },
      { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(T0 + DAY) },
      { ValidTo: new Date(T0 - 1) },
      { ValidTo: new Date(T0 + 366 * DAY) },
      { ExpirationModel: 'NEVER' },
    ];
    for (const extra of fails) expect((await h.fail('ImportKeyMaterial', { ...base, ...extra })).name).toBe('ValidationException');
    await h.call('ImportKeyMaterial', { ...base, ValidTo: new Date(T0 + 365 * DAY) });
    expect(await state(h, keyId)).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(T0 + 365 * DAY) });
  });

  it('expires on the sandbox clock: material deleted, PendingImport, a DeleteExpiredKeyMaterial service event; same material re-imports', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
    await importInto(h, keyId, material32(5), 'RSAES_OAEP_SHA_256', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(T0 + 2 * DAY) });
    const old = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('before expiry') });
    expect(h.service.nextScheduledEventTime()).toBe(T0 + 2 * DAY);
    const adv = await h.service.advanceClock(3 * DAY);
    expect(adv.events.map((e) => (e.kind === 'service' ? e.eventName : ''))).toEqual(['DeleteExpiredKeyMaterial']);
    const ev = h.repo.list('trailEvent').map((t) => t.record).find((r) => r.eventName === 'DeleteExpiredKeyMaterial');
    expect(ev).toMatchObject({ eventType: 'AwsServiceEvent', eventTime: new Date(T0 + 2 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    const meta = await state(h, keyId);
    expect(meta).toMatchObject({ KeyState: 'PendingImport', Enabled: false });
    expect(meta.ValidTo).toBeUndefined();
    expect(h.repo.list('material').filter((m) => m.keyArn === arn)).toEqual([]);
    expect(await h.fail('Encrypt', { KeyId: keyId, Plaintext: utf8('x') })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is pending import.` });
    expect((await h.fail('Decrypt', { CiphertextBlob: old.CiphertextBlob })).name).toBe('KMSInvalidStateException');
    await importInto(h, keyId, material32(5));
    expect(text((await h.call('Decrypt', { CiphertextBlob: old.CiphertextBlob })).Plaintext)).toBe('before expiry');
  });

  it('expiry of a key pending deletion deletes the material but keeps the state', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    await importInto(h, keyId, material32(5), 'RSAES_OAEP_SHA_256', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(T0 + DAY) });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    await h.service.advanceClock(2 * DAY);
    expect((await state(h, keyId)).KeyState).toBe('PendingDeletion');
    expect(h.repo.list('material')).toEqual([]);
  });

  it('DeleteImportedKeyMaterial: PendingImport, same material re-imports, different material is IncorrectKeyMaterialException', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
    const { KeyMaterialId } = await importInto(h, keyId, material32(1));
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('kept') });
    expect(await h.call('DeleteImportedKeyMaterial', { KeyId: keyId })).toEqual({ KeyId: arn, KeyMaterialId });
    expect(await state(h, keyId)).toMatchObject({ KeyState: 'PendingImport', CurrentKeyMaterialId: KeyMaterialId });
    // No effect in PendingImport.
    expect(await h.call('DeleteImportedKeyMaterial', { KeyId: keyId })).toEqual({ KeyId: arn, KeyMaterialId });
    const p = await params(h, keyId);
    const e = await h.fail('ImportKeyMaterial', { KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', material32(2)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect(e.name).toBe('IncorrectKeyMaterialException');
    await h.call('ImportKeyMaterial', { KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', material32(1)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', KeyMaterialId });
    expect(text((await h.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob })).Plaintext)).toBe('kept');
  });

  it('re-import into an enabled or disabled key keeps its state; NEW_KEY_MATERIAL rules', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    const p = await params(h, keyId);
    const req = (m: Uint8Array, extra: Record<string, unknown> = {}) => ({ KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', m), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ...extra });
    expect((await h.fail('ImportKeyMaterial', req(material32(1), { ImportType: 'EXISTING_KEY_MATERIAL' }))).name).toBe('IncorrectKeyMaterialException');
    await h.call('ImportKeyMaterial', req(material32(1), { ImportType: 'NEW_KEY_MATERIAL' }));
    await h.call('DisableKey', { KeyId: keyId });
    await h.call('ImportKeyMaterial', req(material32(1), { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(T0 + DAY) }));
    expect(await state(h, keyId)).toMatchObject({ KeyState: 'Disabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
    expect((await h.fail('ImportKeyMaterial', req(material32(1), { ImportType: 'NEW_KEY_MATERIAL' }))).name).toBe('IncorrectKeyMaterialException');
    expect((await h.fail('ImportKeyMaterial', req(material32(2), { ImportType: 'NEW_KEY_MATERIAL' }))).name).toBe('UnsupportedOperationException');
    expect((await h.fail('ImportKeyMaterial', req(material32(1), { KeyMaterialId: 'a'.repeat(64) }))).name).toBe('IncorrectKeyMaterialException');
  });

  it('refuses non-EXTERNAL keys and keys pending deletion', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    const ext = await h.createKey({ Origin: 'EXTERNAL' });
    const p = await params(h, ext.keyId);
    const body = { ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', material32(1)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
    expect(await h.fail('ImportKeyMaterial', { KeyId: keyId, ...body })).toEqual({ name: 'UnsupportedOperationException', message: `${arn} origin is AWS_KMS which is not valid for this operation.` });
    expect((await h.fail('DeleteImportedKeyMaterial', { KeyId: keyId })).name).toBe('UnsupportedOperationException');
    await h.call('ScheduleKeyDeletion', { KeyId: ext.keyId });
    expect(await h.fail('ImportKeyMaterial', { KeyId: ext.keyId, ...body })).toEqual({ name: 'KMSInvalidStateException', message: `${ext.arn} is pending deletion.` });
  });
});

describe('ImportKeyMaterial: HMAC and asymmetric keys', () => {
  it('HMAC: the spec\'s allowed lengths (32–64 bytes for HMAC_256); the key holds exactly the imported bytes', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const p = await params(h, keyId);
    const req = (m: Uint8Array) => ({ KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', m), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect((await h.fail('ImportKeyMaterial', req(new Uint8Array(31).fill(1)))).name).toBe('IncorrectKeyMaterialException');
    expect((await h.fail('ImportKeyMaterial', req(new Uint8Array(65).fill(1)))).name).toBe('IncorrectKeyMaterialException');
    expect((await h.fail('ImportKeyMaterial', { ...req(new Uint8Array(40).fill(1)), ImportType: 'NEW_KEY_MATERIAL' })).name).toBe('ValidationException');
    const key = new Uint8Array(40).fill(4);
    await h.call('ImportKeyMaterial', req(key));
    expect((await state(h, keyId)).KeyState).toBe('Enabled');
    expect(h.repo.list('material').map((m) => Buffer.from(m.material))).toEqual([Buffer.from(key)]);
  });

  it('asymmetric: a DER PKCS#8 private key of the key spec (RSA needs RSA_AES_KEY_WRAP); anything else is IncorrectKeyMaterialException', async () => {
    const h = await makeHarness();
    const ec = await h.createKey({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const p = await params(h, ec.keyId);
    const req = (m: Uint8Array) => ({ KeyId: ec.keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', m), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    expect((await h.fail('ImportKeyMaterial', req(p384))).name).toBe('IncorrectKeyMaterialException');
    expect((await h.fail('ImportKeyMaterial', req(material32(1)))).name).toBe('IncorrectKeyMaterialException');
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await h.call('ImportKeyMaterial', req(pair.privateKey.export({ format: 'der', type: 'pkcs8' })));
    expect((await state(h, ec.keyId)).KeyState).toBe('Enabled');
    const rsa = await h.createKey({ Origin: 'EXTERNAL', KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    const pr = await params(h, rsa.keyId, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072');
    const rsaPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await h.call('ImportKeyMaterial', {
      KeyId: rsa.keyId,
      ImportToken: pr.ImportToken,
      EncryptedKeyMaterial: wrap(pr.PublicKey, 'RSA_AES_KEY_WRAP_SHA_256', rsaPair.privateKey.export({ format: 'der', type: 'pkcs8' })),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    });
    expect((await state(h, rsa.keyId)).KeyState).toBe('Enabled');
    const stored = h.repo.list('material').find((m) => m.keyArn === rsa.arn)!;
    expect(Buffer.from(stored.material)).toEqual(rsaPair.privateKey.export({ format: 'der', type: 'pkcs8' }));
  }, 30_000);
});

describe('replay', () => {
  it('replaying the log rebuilds the sandbox: the wrapping key pair is a recorded output', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey({ Origin: 'EXTERNAL' });
    await importInto(h, keyId, material32(3), 'RSA_AES_KEY_WRAP_SHA_256', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(T0 + DAY) });
    await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('replayed') });
    await h.service.advanceClock(2 * DAY);
    await h.call('DeleteImportedKeyMaterial', { KeyId: keyId });
    const entries = logOf(h.repo);
    const gp = entries.find((e) => e.kind === 'call' && e.operation === 'GetParametersForImport');
    expect(gp && gp.kind === 'call' ? Object.keys(gp.recorded ?? {}) : []).toEqual(['wrappingPrivateKey']);
    const r = await replayLog(entries, { seed: seedOf(1), startTime: T0, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
    expect(allRecords(r.repository)).toEqual(allRecords(h.repo));
    // Every record the flow wrote passes the store's validators (what Dexie loads and share links check).
    const records = allRecords(h.repo);
    expect(records.some((x) => x.typeName === 'importParameters')).toBe(true);
    for (const rec of records) expect(validateRecord(rec).ok, `${rec.typeName} ${rec.id}`).toBe(true);
  }, 30_000);
});

describe('condition keys', () => {
  it('kms:WrappingAlgorithm and kms:ExpirationModel reach the key policy', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
    const root = 'arn:aws:iam::111122223333:root';
    await h.call('PutKeyPolicy', {
      KeyId: keyId,
      PolicyName: 'default',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Principal: { AWS: root }, Action: 'kms:GetParametersForImport', Resource: '*', Condition: { StringEquals: { 'kms:WrappingAlgorithm': 'RSAES_OAEP_SHA_1' } } },
          { Effect: 'Deny', Principal: { AWS: root }, Action: 'kms:ImportKeyMaterial', Resource: '*', Condition: { StringEquals: { 'kms:ExpirationModel': 'KEY_MATERIAL_DOES_NOT_EXPIRE' } } },
        ],
      }),
    });
    expect((await h.fail('GetParametersForImport', { KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: 'RSA_2048' })).name).toBe('AccessDeniedException');
    const p = await params(h, keyId);
    const body = { KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrap(p.PublicKey, 'RSAES_OAEP_SHA_256', material32(1)) };
    expect((await h.fail('ImportKeyMaterial', { ...body, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })).name).toBe('AccessDeniedException');
    expect((await h.call('ImportKeyMaterial', { ...body, ValidTo: new Date(T0 + DAY) })).KeyId).toBe(arn);
  });
});
