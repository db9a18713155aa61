/**
 * The page's bucket actions (src/ui/lessons/bucket.ts) on lesson 11, the way a learner does them
 * in the Lessons tab: KMS calls through the session, the application's steps (SHA-256 of the
 * manifest, store the Signature the CLI printed, verify offline with GetPublicKey's base64 or PEM)
 * through the bucket helpers. Every goal and probe is met without a reference step; parsing of
 * typed bytes is strict (never a crash, a message instead).
 */
import { describe, expect, it } from 'vitest';
import { callerOf, startLesson, type LocalStepRecord } from '../../../src/lessons';
import { encodeBase64, type LogEntry } from '../../../src/kms';
import { bucketRows, checkObjectName, digestObject, jsonSafeStep, objectBytes, parseBytes, storeObject, verifyObjectOffline } from '../../../src/ui/lessons/bucket';
import { memoryFactory, mustLoad } from './lessonFiles';

describe('parseBytes', () => {
  it('reads base64, hex and PEM; refuses the rest with a message', () => {
    expect(parseBytes('AAECAw==')).toEqual({ ok: true, bytes: new Uint8Array([0, 1, 2, 3]), format: 'base64' });
    // Only hex digits, even count: read as hex (documented), even though it is also base64.
    expect(parseBytes('AAEC')).toEqual({ ok: true, bytes: new Uint8Array([0xaa, 0xec]), format: 'hex' });
    expect(parseBytes('0x00ff')).toEqual({ ok: true, bytes: new Uint8Array([0, 255]), format: 'hex' });
    expect(parseBytes('00ff10')).toEqual({ ok: true, bytes: new Uint8Array([0, 255, 16]), format: 'hex' });
    expect(parseBytes('-----BEGIN PUBLIC KEY-----\nAAEC\n-----END PUBLIC KEY-----')).toEqual({ ok: true, bytes: new Uint8Array([0, 1, 2]), format: 'pem' });
    expect(parseBytes('')).toMatchObject({ ok: false });
    expect(parseBytes('not base64!')).toMatchObject({ ok: false });
    expect(parseBytes('-----BEGIN PUBLIC KEY-----\n@@\n-----END PUBLIC KEY-----')).toMatchObject({ ok: false });
    expect(checkObjectName('')).not.toBeNull();
    expect(checkObjectName('release.verified')).toBeNull();
    expect(checkObjectName('a b')).not.toBeNull();
  });
});

describe('lesson 11 done the way the page does it', () => {
  it('meets every goal and probe, and the bucket rows show what was stored', async () => {
    const lesson = mustLoad('05-key-zoo/11-sign-verify');
    const session = await startLesson(lesson, { seed: 5, factory: memoryFactory });
    session.onCall(({ prediction }) => (prediction ? 'invalid-usage' : undefined));
    const root = callerOf('root');
    const ok = async (op: string, req: Record<string, unknown>) => {
      const out = await session.call(op, req, root);
      if (!out.ok) throw new Error(`${op}: ${out.error.name}`);
      return out.response;
    };
    const key = (await ok('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })) as { KeyMetadata: { KeyId: string } };
    await ok('CreateAlias', { AliasName: 'alias/release-signing', TargetKeyId: key.KeyMetadata.KeyId });
    const digest = await digestObject(session, 'release-manifest.json', 'manifest.sha256');
    expect(digest).toHaveLength(32);
    const signed = await ok('Sign', { KeyId: 'alias/release-signing', Message: objectBytes(session, 'manifest.sha256'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    // The learner copies the CLI's base64 Signature into "Store bytes".
    const sig = parseBytes(encodeBase64(signed.Signature as Uint8Array));
    if (!sig.ok) throw new Error(sig.message);
    await storeObject(session, 'release-manifest.json.sig', sig.bytes);
    const pk = await ok('GetPublicKey', { KeyId: 'alias/release-signing' });
    const pem = `-----BEGIN PUBLIC KEY-----\n${encodeBase64(pk.PublicKey as Uint8Array).replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----`;
    const pub = parseBytes(pem);
    if (!pub.ok) throw new Error(pub.message);
    // Wrong message type first: the digest taken as a RAW message does not verify.
    expect(await verifyObjectOffline(session, { publicKey: pub.bytes, signature: 'release-manifest.json.sig', data: 'manifest.sha256', messageType: 'RAW', algorithm: 'ECDSA_SHA_256', store: 'release.verified' })).toBe(false);
    expect(await verifyObjectOffline(session, { publicKey: pub.bytes, signature: 'release-manifest.json.sig', data: 'manifest.sha256', messageType: 'DIGEST', algorithm: 'ECDSA_SHA_256', store: 'release.verified' })).toBe(true);
    const enc = await session.call('Encrypt', { KeyId: 'alias/release-signing', Plaintext: new TextEncoder().encode('notes') }, root);
    expect(enc.ok ? 'Allow' : enc.error.name).toBe('InvalidKeyUsageException');

    const evaluation = await session.evaluate();
    expect([...evaluation.goals, ...evaluation.probes].filter((g) => !g.met).map((g) => `${g.id}: ${g.reason}`)).toEqual([]);
    expect(session.callCount).toBe(5);
    const rows = bucketRows(session.bucket);
    expect(rows.map((r) => [r.name, r.kind])).toEqual([
      ['manifest.sha256', 'bytes'],
      ['release-manifest.json', 'text'],
      ['release-manifest.json.sig', 'bytes'],
      ['release.verified', 'verification'],
    ]);
    expect(rows.find((r) => r.name === 'release.verified')!.summary).toMatch(/^offline verification: valid \(ECDSA_SHA_256, DIGEST, ECC_NIST_P256\)$/);
  });

  it('bad input from the page is an error message, not a crash', async () => {
    const lesson = mustLoad('05-key-zoo/11-sign-verify');
    const session = await startLesson(lesson, { seed: 5, factory: memoryFactory });
    await expect(digestObject(session, 'nothing', 'x')).rejects.toThrow('"nothing" holds no bytes.');
    await expect(verifyObjectOffline(session, { publicKey: new Uint8Array(3), signature: 'missing', data: 'release-manifest.json', messageType: 'RAW', algorithm: 'ECDSA_SHA_256', store: 'v' })).rejects.toThrow('holds no signature bytes');
    await storeObject(session, 'junk.sig', new Uint8Array([1, 2, 3]));
    expect(await verifyObjectOffline(session, { publicKey: new Uint8Array(3), signature: 'junk.sig', data: 'release-manifest.json', messageType: 'RAW', algorithm: 'ECDSA_SHA_256', store: 'v' })).toBe(false);
  });
});

describe('a saved attempt keeps the storage actions', () => {
  it('replaying the call log with the saved local steps in place gives the same bucket and a solved lesson 11', async () => {
    const { attemptEntries, lastLogSeq, lessonFactory, replayAttempt } = await import('../../../src/ui/lessons/sandbox');
    const lesson = mustLoad('05-key-zoo/11-sign-verify');
    const first = lessonFactory();
    const a = await startLesson(lesson, { seed: 9, factory: first.factory });
    a.onCall(({ prediction }) => (prediction ? 'invalid-usage' : undefined));
    const startSeq = lastLogSeq(a);
    const root = callerOf('root');
    const call = async (op: string, req: Record<string, unknown>) => {
      const out = await a.call(op, req, root);
      return out.ok ? out.response : {};
    };
    const key = (await call('CreateKey', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })) as { KeyMetadata: { KeyId: string } };
    await call('CreateAlias', { AliasName: 'alias/release-signing', TargetKeyId: key.KeyMetadata.KeyId });
    await digestObject(a, 'release-manifest.json', 'manifest.sha256');
    const signed = await call('Sign', { KeyId: 'alias/release-signing', Message: objectBytes(a, 'manifest.sha256'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    await storeObject(a, 'release-manifest.json.sig', signed.Signature as Uint8Array);
    const pk = await call('GetPublicKey', { KeyId: 'alias/release-signing' });
    await verifyObjectOffline(a, { publicKey: pk.PublicKey as Uint8Array, signature: 'release-manifest.json.sig', data: 'manifest.sha256', messageType: 'DIGEST', algorithm: 'ECDSA_SHA_256', store: 'release.verified' });
    await call('Encrypt', { KeyId: 'alias/release-signing', Plaintext: new TextEncoder().encode('notes') });
    expect((await a.evaluate()).solved).toBe(true);
    expect(a.localSteps.map((l) => Object.keys(l.step)[0])).toEqual(['digest', 'store', 'verifyOffline']);

    // What the controller saves, through JSON as progress.ts does (bytes as {"$base64"}).
    const saved = JSON.parse(JSON.stringify({ entries: attemptEntries(a, startSeq), locals: a.localSteps.map(jsonSafeStep) })) as { entries: LogEntry[]; locals: LocalStepRecord[] };
    const second = lessonFactory();
    const b = await startLesson(lesson, { seed: 9, factory: second.factory });
    b.onCall(({ prediction }) => (prediction ? 'invalid-usage' : undefined));
    await replayAttempt(b, saved.entries, second.outputs, saved.locals);
    expect(bucketRows(b.bucket)).toEqual(bucketRows(a.bucket));
    expect((await b.evaluate()).solved).toBe(true);
    expect(b.callCount).toBe(a.callCount);
  });
});
