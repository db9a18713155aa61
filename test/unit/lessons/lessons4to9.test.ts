/**
 * Lesson-specific assertions for lessons 4–9 that the closed goal vocabulary cannot express
 * (replay.test.ts already replays every solution and anti-solution):
 * - lesson 5: while the grant exists it has the right shape, is not in effect without its token
 *   until it propagates, and refuses another tenant's context (the "while the grant exists" probes);
 * - lesson 6: the rotated key has two material versions, the new ciphertext uses the newest
 *   material and the old one the original, under the same key;
 * - lesson 7: every migrated blob names the new key;
 * - lesson 9: the start trail slice ends with the three failures of the ticket.
 */
import { describe, expect, it } from 'vitest';
import { askPolicy, findKeys, LESSON_EPOCH, runSolution, seedBytes, startLesson, type LessonSession } from '../../../src/lessons';
import { decodeCiphertextBlob } from '../../../src/kms/crypto';
import { memoryFactory, mustLoad } from './lessonFiles';

const SEED = 7;

/** A goal scope over a running session (what the engine builds privately for its probes). */
function scopeOf(session: LessonSession, seed: number) {
  return {
    repository: session.repository,
    factory: memoryFactory,
    seed: seedBytes(seed),
    epoch: LESSON_EPOCH,
    startSeq: 0,
    startTime: LESSON_EPOCH,
    bucket: session.bucket,
    dataKeys: [],
  };
}

function blobOf(session: LessonSession, name: string): Uint8Array {
  const obj = session.bucket.get(name);
  if (!obj || obj.kind !== 'value' || !(obj.value instanceof Uint8Array)) throw new Error(`no ciphertext "${name}"`);
  return obj.value;
}

function decoded(blob: Uint8Array) {
  const d = decodeCiphertextBlob(blob);
  if (!d.ok) throw new Error(`undecodable ciphertext: ${d.reason}`);
  return d.value;
}

describe('lesson 5 (grants): while the grant exists', () => {
  const lesson = mustLoad('02-access/05-grants');

  it('it is Decrypt-only with the tenant constraint, needs its token before propagating, and refuses another tenant', async () => {
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory });
    const { tenant, otherTenant } = session.params as { tenant: string; otherTenant: string };
    await session.runStep(lesson.solution[0]!); // CreateGrant
    const grants = session.repository.list('grant');
    expect(grants).toHaveLength(1);
    expect(grants[0]!.operations).toEqual(['Decrypt']);
    expect(grants[0]!.constraints).toEqual({ encryptionContextSubset: { tenant } });
    expect(grants[0]!.retiringPrincipal).toBe('arn:aws:iam::111122223333:role/AppRole');

    const scope = scopeOf(session, SEED);
    const q = { key: { alias: 'alias/orders' }, principal: 'role/AppRole', action: 'kms:Decrypt' };
    expect((await askPolicy(scope, { ...q, encryptionContext: { tenant } })).decision).toBe('Deny'); // not propagated yet
    expect((await askPolicy(scope, { ...q, encryptionContext: { tenant }, settled: true })).decision).toBe('Allow');
    expect((await askPolicy(scope, { ...q, encryptionContext: { tenant: otherTenant }, settled: true })).decision).toBe('Deny');
    expect((await askPolicy(scope, { ...q, action: 'kms:Encrypt', encryptionContext: { tenant }, settled: true })).decision).toBe('Deny');
  });

  it('after the reference solution the grant is gone', async () => {
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    expect(session.repository.list('grant')).toEqual([]);
  });
});

describe('lesson 6 (automatic rotation)', () => {
  it('two material versions; the new ciphertext uses the newest, the old one the original, same key', async () => {
    const lesson = mustLoad('03-lifecycle/06-automatic-rotation');
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const [key] = findKeys(session.repository, { alias: 'alias/customer-records' });
    const materials = session.repository
      .list('material')
      .filter((m) => m.keyArn === key!.id)
      .sort((a, b) => a.version - b.version);
    expect(materials.length).toBeGreaterThanOrEqual(2);
    const oldBlob = decoded(blobOf(session, 'old-record.enc'));
    const newBlob = decoded(blobOf(session, 'new-record.enc'));
    expect(oldBlob.keyArn).toBe(key!.id);
    expect(newBlob.keyArn).toBe(key!.id);
    expect(oldBlob.keyMaterialId).toBe(materials[0]!.keyMaterialId);
    expect(newBlob.keyMaterialId).toBe(materials.at(-1)!.keyMaterialId);
  });
});

describe('lesson 7 (ReEncrypt)', () => {
  it('every stored blob names the new key; the old key is Disabled', async () => {
    const lesson = mustLoad('03-lifecycle/07-reencrypt');
    const { session } = await runSolution(lesson, { seed: SEED, factory: memoryFactory });
    const [current] = findKeys(session.repository, { alias: 'alias/documents' });
    const [old] = findKeys(session.repository, { description: 'Documents key (2023)' });
    expect(current!.id).not.toBe(old!.id);
    expect(old!.keyState).toBe('Disabled');
    for (const name of ['doc-1.enc', 'doc-2.enc', 'doc-3.enc']) expect(decoded(blobOf(session, name)).keyArn).toBe(current!.id);
  });
});

describe('lesson 9 (detective)', () => {
  it('the start trail ends with the ticket\'s four failures, one per error class', async () => {
    const lesson = mustLoad('04-capstone/09-detective');
    const session = await startLesson(lesson, { seed: SEED, factory: memoryFactory });
    const trail = [...session.repository.list('trailEvent')].sort((a, b) => a.seq - b.seq).slice(-4);
    expect(trail.map((t) => [t.record.eventName, t.record.errorCode])).toEqual([
      ['Decrypt', 'InvalidCiphertextException'],
      ['Decrypt', 'AccessDeniedException'],
      ['Decrypt', 'KMSInvalidStateException'],
      ['Decrypt', 'ThrottlingException'],
    ]);
  });
});
