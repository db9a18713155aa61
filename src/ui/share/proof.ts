/**
 * Proof links (issue 6): a finished lesson's sandbox as a share envelope with
 * `lesson: { id, params, proof: true }`, and the recipient's check. The recipient starts the same
 * lesson (its parameters from the link, the sandbox seed from the link), checks that the link's
 * log begins with exactly the lesson's setup, replays the learner's entries through the lesson
 * session, checks the log comes out the same, and only then evaluates the goals and hidden probes:
 * "verified" means every goal and probe holds on the replayed sandbox.
 *
 * Limits: lesson state outside KMS (the simulated bucket, local encryption) is not in the call log,
 * so goals about it cannot be verified from a link; predictions and hints are not part of a proof.
 */
import { OutputLog, type KmsService, type LogEntry } from '../../kms';
import { LESSON_EPOCH, startLesson, type GoalResult, type Lesson, type LessonSession, type SandboxFactory } from '../../lessons';
import { withoutInputs, type ShareEnvelope } from '../../share';
import { replayAttempt } from '../lessons/sandbox';
import { envelopeOf } from './envelope';
import { logEntries } from './history';

/** The outcome of checking a proof link. */
export type ProofCheck =
  | { readonly verified: true; readonly goals: readonly GoalResult[]; readonly learnerEntries: number }
  | { readonly verified: false; readonly reason: string; readonly goals?: readonly GoalResult[] };

/** The proof envelope of a lesson session (typed plaintexts left out). */
export function proofEnvelope(session: LessonSession, lessonId: string): ShareEnvelope<LogEntry> {
  return { ...envelopeOf(session.repository, { inputsIncluded: false }), lesson: { id: lessonId, params: { ...session.params }, proof: true } };
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `factory` with the link's seed, whose main sandbox records each successful call's outputs (so
 * the learner's `$output` references resolve as in `replayLog`).
 */
function recordingFactory(factory: SandboxFactory, seed: Uint8Array, outputs: OutputLog): SandboxFactory {
  return async (init) => {
    const made = await factory({ ...init, seed });
    if (init.records) return made;
    const { service, repository } = made;
    const call: KmsService['call'] = async (operation, request, caller) => {
      const out = await service.call(operation, request, caller);
      const seq = repository.list('logEntry').at(-1)?.entry.seq;
      if (seq !== undefined) outputs.record(seq, out);
      return out;
    };
    return { ...made, service: { ...service, call, now: () => service.now(), advanceClock: (ms) => service.advanceClock(ms), nextScheduledEventTime: () => service.nextScheduledEventTime(), subscribe: (l) => service.subscribe(l) } };
  };
}

/**
 * Checks a proof envelope against `lesson` (already loaded by its id). `factory` builds the lesson
 * sandboxes (the UI's `lessonFactory`); its seed is replaced by the link's. Never throws.
 */
export async function verifyProof(envelope: ShareEnvelope<LogEntry>, lesson: Lesson, factory: SandboxFactory): Promise<ProofCheck> {
  const info = envelope.lesson;
  if (!info?.proof) return { verified: false, reason: 'The link is not a lesson proof.' };
  if (info.id !== lesson.text.id) return { verified: false, reason: `The link is a proof of lesson "${info.id}", not of "${lesson.text.id}".` };
  if (envelope.start !== LESSON_EPOCH) return { verified: false, reason: "The link's sandbox does not start at the lesson's start time." };
  try {
    const outputs = new OutputLog();
    const seeded = recordingFactory(factory, hexBytes(envelope.seed), outputs);
    const params = Object.fromEntries(Object.entries(info.params ?? {}).map(([k, v]) => [k, String(v)]));
    const session = await startLesson(lesson, { seed: 0, factory: seeded, params });
    session.onCall(() => undefined);
    const setup = logEntries(session.repository);
    const redact = (log: readonly LogEntry[]) => (envelope.inputsIncluded ? log : withoutInputs(log));
    if (!same(redact(setup), envelope.log.slice(0, setup.length))) {
      return { verified: false, reason: "The link's log does not begin with this lesson's setup (another version of the lesson, or edited)." };
    }
    const learner = envelope.log.slice(setup.length);
    await replayAttempt(session, learner, outputs);
    if (!same(redact(logEntries(session.repository)), envelope.log)) {
      return { verified: false, reason: "Replaying the learner's calls did not give the link's log: some call came out differently." };
    }
    const evaluation = await session.evaluate();
    if (!evaluation.solved) {
      const unmet = evaluation.goals.filter((g) => !g.met).map((g) => g.title);
      const probes = evaluation.probes.filter((g) => !g.met).length;
      const what = [...unmet, ...(probes ? [`${probes} hidden ${probes === 1 ? 'check' : 'checks'}`] : [])];
      return { verified: false, reason: `Not every goal holds after the replay: ${what.join('; ')}.`, goals: evaluation.goals };
    }
    return { verified: true, goals: evaluation.goals, learnerEntries: learner.length };
  } catch (e) {
    return { verified: false, reason: `The proof could not be replayed (${e instanceof Error ? e.message : 'error'}).` };
  }
}
