/**
 * Issue 7's lessons (10: multi-Region keys, 11: sign and verify offline) and the engine pieces
 * they brought (replay.test.ts already replays both solutions and every anti-solution):
 * - each anti-solution fails the goal or probe it is meant to trip, not some other one;
 * - lesson 10: the replica is a related key (same key id, eu-west-1), the outage goal really
 *   needs the replica (with the replica gone, or only in us-east-1, it fails), aliases match in
 *   their own Region, the prediction fires only for a Decrypt sent to eu-west-1;
 * - lesson 11: the manifest is over Sign's 4096-byte limit; the stored signature is DER ECDSA
 *   that node:crypto verifies over the manifest with GetPublicKey's SPKI; the engine's offline
 *   verification agrees with node:crypto both ways (and refuses tampering); `trailHas.request`
 *   matches requestParameters as logged (camelCase), never the message;
 * - loader: the new steps and matcher fields are validated with JSON paths.
 */
import { createPublicKey, createVerify, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { callerOf, findKeys, loadLesson, runAntiSolution, runSolution, startLesson, type Evaluation, type Lesson, type LessonSession } from '../../../src/lessons';
import { localVerify } from '../../../src/lessons/sandbox';
import { memoryFactory, mustLoad } from './lessonFiles';

const SEED = 11;

/** Ids of the goals and probes an evaluation leaves unmet. */
const unmet = (e: Evaluation) => [...e.goals, ...e.probes].filter((g) => !g.met).map((g) => g.id);

function antiIndex(lesson: Lesson, title: RegExp): number {
  const i = lesson.antiSolutions.findIndex((a) => title.test(a.title));
  if (i < 0) throw new Error(`no anti-solution ${title}`);
  return i;
}

function bytesIn(session: LessonSession, name: string): Uint8Array {
  const o = session.bucket.get(name);
  if (!o || o.kind !== 'value' || !(o.value instanceof Uint8Array)) throw new Error(`no bytes "${name}"`);
  return o.value;
}

describe('lesson 10 (multi-Region keys)', () => {
  const lesson = mustLoad('05-key-zoo/10-multi-region');

  it.each([
    [/without a Policy/, ['decrypted-in-eu', 'survives-outage']],
    [/single-Region key/, ['replica', 'decrypted-in-eu', 'survives-outage', 'alice-denied-eu', 'ordersapp-cannot-manage-eu']],
    [/Principal/, ['alice-denied-eu']],
    [/us-east-1 only/, ['replica', 'decrypted-in-eu', 'survives-outage', 'alice-denied-eu', 'ordersapp-cannot-manage-eu']],
    [/kms:\*/, ['ordersapp-cannot-manage-eu']],
  ])('anti-solution %s fails exactly %j', async (title, ids) => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, title), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(ids);
  });

  it('the replica is the related key in eu-west-1 (same mrk- id and material), with its own policy; the alias stays in us-east-1', async () => {
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const repo = session.repository;
    const [primary] = findKeys(repo, { alias: 'alias/orders' });
    const [replica] = findKeys(repo, { region: 'eu-west-1', multiRegion: true });
    expect(primary!.keyId).toMatch(/^mrk-/);
    expect(primary!.region).toBe('us-east-1');
    expect(replica!.keyId).toBe(primary!.keyId);
    expect(replica!.multiRegionKeyType).toBe('REPLICA');
    // An alias names the key of its own Region only (related keys share the key id).
    expect(findKeys(repo, { alias: 'alias/orders', region: 'eu-west-1' })).toEqual([]);
    expect(findKeys(repo, { alias: 'alias/orders' })).toEqual([primary]);
    const mat = (arn: string) => repo.list('material').filter((m) => m.keyArn === arn).map((m) => [m.keyMaterialId, Array.from(m.material)]);
    expect(mat(replica!.id)).toEqual(mat(primary!.id));
  });

  it('the outage goal needs the replica: in us-east-1 during the outage, or without the replica, order.enc does not decrypt', async () => {
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const { order } = session.params as { order: string };
    const base = { object: 'order.enc', as: 'role/OrdersApp', encryptionContext: { order } };
    const evalWith = async (m: object) => {
      const goals = [{ id: 'g', title: 'g', check: { storedDecrypts: m } }];
      const l: Lesson = { ...lesson, goals: goals as Lesson['goals'], probes: [] };
      // Same session state, other goals: reuse the session's repository and bucket through a clone.
      const clone = Object.assign(Object.create(Object.getPrototypeOf(session) as object) as LessonSession, session, { lesson: l });
      return (await clone.check())[0]!;
    };
    expect((await evalWith({ ...base, region: 'eu-west-1', outage: 'us-east-1' })).met).toBe(true);
    const down = await evalWith({ ...base, region: 'us-east-1', outage: 'us-east-1' });
    expect(down.met).toBe(false);
    expect(down.reason).toMatch(/while us-east-1 is down fails/);
    const noReplica = await evalWith({ ...base, region: 'eu-west-1', outage: 'eu-west-1' });
    expect(noReplica.met).toBe(false);
  });

  it('the prediction is asked only before a Decrypt sent to eu-west-1 while the replica is Enabled', async () => {
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory });
    const blob = bytesIn(session, 'order.enc');
    expect(session.pendingPrediction('Decrypt', { CiphertextBlob: blob }, 'eu-west-1')).toBeNull(); // no replica yet
    await session.runStep(lesson.solution[0]!); // ReplicateKey
    expect(session.pendingPrediction('Decrypt', { CiphertextBlob: blob }, 'eu-west-1')).toBeNull(); // Creating
    await session.runStep({ advanceSeconds: 10 });
    expect(session.pendingPrediction('Decrypt', { CiphertextBlob: blob }, 'us-east-1')).toBeNull();
    expect(session.pendingPrediction('Decrypt', { CiphertextBlob: blob }, 'eu-west-1')?.id).toBe('replica-policy');
  });

  it('a Decrypt in eu-west-1 while the replica is Creating fails with KMSInvalidStateException', async () => {
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory });
    await session.runStep(lesson.solution[0]!);
    const out = await session.call('Decrypt', { CiphertextBlob: bytesIn(session, 'order.enc'), EncryptionContext: { order: session.params.order } }, callerOf('root', 'eu-west-1'));
    expect(out.ok ? 'Allow' : out.error.name).toBe('KMSInvalidStateException');
  });
});

describe('lesson 11 (sign and verify offline)', () => {
  const lesson = mustLoad('05-key-zoo/11-sign-verify');

  it.each([
    [/instead of offline/, ['verified-offline', 'no-kms-verify']],
    [/to be sure/, ['no-kms-verify']],
    [/RAW \(over 4096/, ['signed-digest', 'signature-stored', 'verified-offline']],
    [/says MessageType RAW/, ['signed-digest', 'signature-stored', 'verified-offline']],
    [/RSA_2048/, ['signing-key', 'signed-digest', 'signature-stored']],
    [/symmetric key/, ['signing-key', 'encrypt-refused', 'signed-digest', 'signature-stored', 'verified-offline']],
  ])('anti-solution %s fails exactly %j', async (title, ids) => {
    const { evaluation } = await runAntiSolution(lesson, antiIndex(lesson, title), { seed: SEED, factory: memoryFactory });
    expect(unmet(evaluation)).toEqual(ids);
  });

  it('the manifest is over 4096 bytes; the signature is DER ECDSA that node:crypto verifies over the whole manifest with the GetPublicKey SPKI', async () => {
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const manifest = bytesIn(session, 'release-manifest.json');
    expect(manifest.length).toBeGreaterThan(4096);
    expect(new TextDecoder().decode(manifest)).toContain(session.params.release);
    const sig = bytesIn(session, 'release-manifest.json.sig');
    expect(sig[0]).toBe(0x30); // DER SEQUENCE { r, s }
    expect(sig.length).toBeGreaterThanOrEqual(8);
    expect(sig.length).toBeLessThanOrEqual(72);
    const out = await session.call('GetPublicKey', { KeyId: 'alias/release-signing' }, callerOf('root'));
    if (!out.ok) throw new Error(out.error.name);
    const spki = createPublicKey({ key: Buffer.from(out.response.PublicKey as Uint8Array), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(createVerify('SHA256').update(manifest).verify(spki, Buffer.from(sig))).toBe(true);
    const verification = session.bucket.get('release.verified');
    expect(verification).toMatchObject({ kind: 'verification', valid: true, algorithm: 'ECDSA_SHA_256', messageType: 'DIGEST', keySpec: 'ECC_NIST_P256' });
    // The signing was logged with its message type and algorithm; the message never reaches the trail.
    const signRecord = session.repository.list('trailEvent').find((r) => r.record.eventName === 'Sign')!.record;
    expect(signRecord.requestParameters).toMatchObject({ messageType: 'DIGEST', signingAlgorithm: 'ECDSA_SHA_256' });
    expect(signRecord.requestParameters).not.toHaveProperty('message');
  });

  it('ECDSA signatures are not deterministic: signing the same digest twice gives two different valid signatures', async () => {
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const root = callerOf('root');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytesIn(session, 'release-manifest.json') as BufferSource));
    const req = { KeyId: 'alias/release-signing', Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' };
    const a = await session.call('Sign', req, root);
    const b = await session.call('Sign', req, root);
    if (!a.ok || !b.ok) throw new Error('Sign failed');
    expect(Buffer.from(a.response.Signature as Uint8Array).equals(Buffer.from(b.response.Signature as Uint8Array))).toBe(false);
  });
});

describe('localVerify (the offline verification of verifyOffline and storedSignatureVerifies)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));

  it('node:crypto signatures verify (RAW and DIGEST), tampered ones do not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 6000 }), fc.nat(), async (message, flip) => {
        const sig = new Uint8Array(nodeSign('sha256', message, privateKey));
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', message));
        expect((await localVerify(spki, 'ECDSA_SHA_256', message, 'RAW', sig)).valid).toBe(true);
        expect(await localVerify(spki, 'ECDSA_SHA_256', digest, 'DIGEST', sig)).toEqual({ valid: true, keySpec: 'ECC_NIST_P256' });
        const bad = sig.slice();
        bad[flip % bad.length]! ^= 1 << flip % 8;
        expect((await localVerify(spki, 'ECDSA_SHA_256', digest, 'DIGEST', bad)).valid).toBe(false);
        // The digest taken as a RAW message is hashed again: not the signed value.
        expect((await localVerify(spki, 'ECDSA_SHA_256', digest, 'RAW', sig)).valid).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('garbage keys, wrong algorithms and wrong digest lengths are invalid, never a crash', async () => {
    const sig = new Uint8Array(nodeSign('sha256', Buffer.from('m'), privateKey));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', Buffer.from('m')));
    expect(await localVerify(new Uint8Array([1, 2, 3]), 'ECDSA_SHA_256', digest, 'DIGEST', sig)).toEqual({ valid: false, keySpec: null });
    expect((await localVerify(spki, 'ECDSA_SHA_384', digest, 'DIGEST', sig)).valid).toBe(false);
    expect((await localVerify(spki, 'RSASSA_PSS_SHA_256', digest, 'DIGEST', sig)).valid).toBe(false);
    expect((await localVerify(spki, 'ECDSA_SHA_256', digest.slice(1), 'DIGEST', sig)).valid).toBe(false);
  });
});

describe('loader: the issue-7 step kinds and matcher fields', () => {
  const base = (solution: unknown[], goals: unknown[] = [{ id: 'g', title: 't', check: { keyExists: { keySpec: 'ECC_NIST_P256' } } }], predictions: unknown[] = []) =>
    loadLesson({
      'index.md': '---\nid: x\ntitle: X\nsummary: s\npar: 3\n---\n## In real AWS\nx\n',
      'start.json': JSON.stringify({ setup: [] }),
      'goal.json': JSON.stringify({ goals, predictions }),
      'solution.json': JSON.stringify({ solution }),
    });

  it('accepts the new steps and matchers', () => {
    const r = base(
      [
        { advanceSeconds: 5 },
        { id: 'd', digest: { sha256: { $utf8: 'x', $repeat: 3 }, store: 'd.bin' } },
        { call: 'Decrypt', region: 'eu-west-1', request: {} },
        { verifyOffline: { publicKey: 'p', digest: '$ref:d.Digest', signature: 's', algorithm: 'ECDSA_SHA_256', store: 'v' } },
      ],
      [
        { id: 'a', title: 't', check: { trailHas: { eventName: 'Sign', region: 'eu-west-1', request: { messageType: 'DIGEST' } } } },
        { id: 'b', title: 't', check: { storedDecrypts: { object: 'o', region: 'eu-west-1', outage: 'us-east-1' } } },
        { id: 'c', title: 't', check: { storedSignatureVerifies: { object: 's', message: 'm', key: { alias: 'alias/k', region: 'us-east-1' }, algorithm: 'ECDSA_SHA_256' } } },
        { id: 'd', title: 't', check: { offlineVerified: { object: 'v' } } },
        { id: 'e', title: 't', check: { policyDenies: { key: { multiRegionKeyType: 'REPLICA' }, principal: 'user/alice', action: 'kms:Sign', region: 'eu-west-1' } } },
      ],
      [{ id: 'p', question: 'q', explanation: 'e', before: { operation: 'Decrypt', region: 'eu-west-1' }, options: [{ id: 'a', label: 'a', outcome: 'Allow' }, { id: 'b', label: 'b', outcome: 'AccessDeniedException' }] }],
    );
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('rejects malformed ones with their JSON paths', () => {
    const r = base(
      [
        { advanceSeconds: -1 },
        { digest: { store: 'x' } },
        { call: 'Decrypt', region: 'Europe', request: {} },
        { verifyOffline: { publicKey: 'p', message: 'm', digest: 'd', signature: 's', algorithm: 'ECDSA_SHA_256' } },
      ],
      [
        { id: 'a', title: 't', check: { keyExists: { keyId: 'mrk-1' } } },
        { id: 'b', title: 't', check: { keyExists: { multiRegion: 'yes', multiRegionKeyType: 'SECONDARY' } } },
        { id: 'c', title: 't', check: { storedSignatureVerifies: { object: 's', key: { alias: 'alias/k' } } } },
        { id: 'd', title: 't', check: { trailHas: { eventName: 'Sign', request: 'DIGEST' } } },
      ],
    );
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors).toEqual([
      'goal.json: goals[0].check.keyExists: a key matcher uses alias, tag, description, region, keySpec, keyUsage, multiRegion, multiRegionKeyType (never an id)',
      'goal.json: goals[1].check.keyExists.multiRegion: expected a boolean',
      'goal.json: goals[1].check.keyExists.multiRegionKeyType: expected "PRIMARY" or "REPLICA"',
      'goal.json: goals[2].check.storedSignatureVerifies.message: expected a non-empty string',
      'goal.json: goals[2].check.storedSignatureVerifies.algorithm: expected a non-empty string',
      'goal.json: goals[3].check.trailHas.request: expected an object (a subset of requestParameters, camelCase)',
      'solution.json: solution[0].advanceSeconds: expected a number ≥ 0',
      'solution.json: solution[1].digest: expected { sha256: <bytes>, store? }',
      'solution.json: solution[2].region: expected a Region, e.g. "eu-west-1"',
      'solution.json: solution[3].verifyOffline: expected exactly one of message (RAW) or digest (DIGEST)',
    ]);
  });
});
