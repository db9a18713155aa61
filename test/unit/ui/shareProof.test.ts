/**
 * Proof links (issue 6): a solved lesson's sandbox through a link and back is "verified" (goals
 * and hidden probes hold on the replay); an anti-solution, a cut or edited log, or another lesson
 * are not. Lessons whose goals are all KMS state (key policy lockout, scheduled deletion).
 */
import { describe, expect, test } from 'vitest';
import type { LogEntry } from '../../../src/kms';
import { loadLesson, runAntiSolution, runSolution, type Lesson } from '../../../src/lessons';
import { decodeShare, encodeShare, type ShareEnvelope } from '../../../src/share';
import { proofEnvelope, verifyProof } from '../../../src/ui/share/proof';
import { lessonFiles, memoryFactory } from '../lessons/lessonFiles';

const LOCKOUT = '02-access/03-key-policy-lockout';
const DELETION = '03-lifecycle/08-scheduled-deletion';

function mustLoad(path: string): Lesson {
  const r = loadLesson(lessonFiles(path), path);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.lesson;
}

/** The envelope as the recipient decodes it from the link. */
async function throughLink(env: ShareEnvelope<LogEntry>): Promise<ShareEnvelope<LogEntry>> {
  const enc = await encodeShare(env);
  if (!enc.ok) throw new Error(enc.message);
  const dec = await decodeShare(enc.fragment);
  if (!dec.ok) throw new Error(dec.message);
  return dec.envelope;
}

describe('proof links', () => {
  for (const path of [LOCKOUT, DELETION]) {
    test(`${path}: the reference solution is verified through a link`, async () => {
      const lesson = mustLoad(path);
      const { session, evaluation } = await runSolution(lesson, { seed: 21, factory: memoryFactory });
      expect(evaluation.solved).toBe(true);
      const env = await throughLink(proofEnvelope(session, lesson.text.id));
      expect(env.lesson).toMatchObject({ id: lesson.text.id, proof: true });
      const r = await verifyProof(env, lesson, memoryFactory);
      expect(r.verified ? "ok" : r.reason).toBe("ok");
    });
  }

  test('an anti-solution is not verified, and says which goals fail', async () => {
    const lesson = mustLoad(LOCKOUT);
    const { session, evaluation } = await runAntiSolution(lesson, 0, { seed: 21, factory: memoryFactory });
    expect(evaluation.solved).toBe(false);
    const r = await verifyProof(await throughLink(proofEnvelope(session, lesson.text.id)), lesson, memoryFactory);
    expect(r.verified).toBe(false);
    if (!r.verified) expect(r.reason).toMatch(/Not every goal holds/);
  });

  test('a cut log, an edited outcome or another lesson are not verified', async () => {
    const lesson = mustLoad(LOCKOUT);
    const { session } = await runSolution(lesson, { seed: 21, factory: memoryFactory });
    const env = proofEnvelope(session, lesson.text.id);
    const cut = { ...env, log: env.log.slice(0, -1) };
    expect((await verifyProof(cut, lesson, memoryFactory)).verified).toBe(false);
    const last = env.log.length - 1;
    const edited = { ...env, log: env.log.map((e, i) => (i === last && e.kind === 'call' ? { ...e, outcome: e.outcome.ok ? { ok: false as const, error: 'AccessDeniedException' } : { ok: true as const } } : e)) };
    const r = await verifyProof(edited, lesson, memoryFactory);
    expect(r.verified).toBe(false);
    const other = mustLoad(DELETION);
    expect(await verifyProof(env, other, memoryFactory)).toMatchObject({ verified: false, reason: expect.stringContaining('not of') });
    const { lesson: _drop, ...plain } = env;
    void _drop;
    expect(await verifyProof(plain, lesson, memoryFactory)).toMatchObject({ verified: false, reason: 'The link is not a lesson proof.' });
  });
});
