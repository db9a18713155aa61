/**
 * A lesson attempt's sandbox for the UI (issue 6): an in-memory KMS service with the lesson's
 * fixed clock and seed (the engine's `SandboxFactory`), and the service the workspace uses while
 * the lesson is open, whose `call` goes through `LessonSession.call` (predictions, par) and
 * rejects with the very KmsError the service raised.
 */
import { createKmsService, createSeededRandom, decodeLogRequest, type LogEntry, isKmsError, kmsError, OutputLog, webCryptoBackend, type AwsShape, type KmsErrorName, type KmsService } from '../../kms';
import { applyWorldEdit } from '../../kms/replay';
import { createMemoryRepository } from '../../kms/store';
import type { LessonSession, LocalStepRecord, SandboxFactory } from '../../lessons';
import { toTrailRecord } from '../../trail';

/**
 * The factory plus the last KmsError the attempt's own service raised (copies are not watched),
 * and the outputs of the attempt's calls (setup included) by log seq: a saved attempt's log refers
 * to earlier outputs (`{ "$output": [seq, "CiphertextBlob"] }`, src/kms/log.ts), resolved from it.
 */
export function lessonFactory(): { factory: SandboxFactory; lastError: () => unknown; outputs: OutputLog } {
  let last: unknown = null;
  const outputs = new OutputLog();
  const factory: SandboxFactory = async ({ seed, now, records }) => {
    const repository = createMemoryRepository(records ?? []);
    const service = await createKmsService({ repository, clock: { now: () => now }, random: createSeededRandom(seed), crypto: webCryptoBackend, recordTrail: toTrailRecord });
    if (records) return { service, repository };
    const watched: KmsService = {
      call: async (operation, request, caller) => {
        try {
          const response = await service.call(operation, request, caller);
          const seq = repository.list('logEntry').at(-1)?.entry.seq;
          if (seq !== undefined) outputs.record(seq, response);
          return response;
        } catch (e) {
          last = e;
          throw e;
        }
      },
      now: () => service.now(),
      advanceClock: (ms) => service.advanceClock(ms),
      nextScheduledEventTime: () => service.nextScheduledEventTime(),
      subscribe: (l) => service.subscribe(l),
      world: service.world,
    };
    return { service: watched, repository };
  };
  return { factory, lastError: () => last, outputs };
}

/** The service the workspace uses during the lesson: learner calls go through the session. */
export function learnerService(session: LessonSession, lastError: () => unknown, afterCall: () => void): KmsService {
  const raw = session.service;
  return {
    call: async (operation, request, caller) => {
      const out = await session.call(operation, request as Record<string, unknown>, caller);
      afterCall();
      if (out.ok) return out.response as AwsShape;
      const e = lastError();
      throw isKmsError(e) && e.name === out.error.name ? e : kmsError(out.error.name as KmsErrorName, out.error.message);
    },
    now: () => raw.now(),
    advanceClock: (ms) => raw.advanceClock(ms),
    nextScheduledEventTime: () => raw.nextScheduledEventTime(),
    subscribe: (l) => raw.subscribe(l),
    world: raw.world,
  };
}

/** The seq of the session's last log entry (-1: none); entries after it are the learner's. */
export function lastLogSeq(session: LessonSession): number {
  return session.repository.list('logEntry').at(-1)?.entry.seq ?? -1;
}

/** The learner's log entries since `afterSeq` (what a saved attempt keeps). */
export function attemptEntries(session: LessonSession, afterSeq: number): LogEntry[] {
  return session.repository
    .list('logEntry')
    .map((r) => r.entry)
    .filter((e) => e.seq > afterSeq);
}

/**
 * Re-runs the learner's saved entries through the session (predictions answered from the saved
 * answers), and each saved local step (bucket action) right after the entry it followed.
 */
export async function replayAttempt(session: LessonSession, entries: readonly LogEntry[], outputs: OutputLog, locals: readonly LocalStepRecord[] = []): Promise<void> {
  const raw = session.service;
  let next = 0;
  const runLocalsBefore = async (seq: number) => {
    while (next < locals.length && locals[next]!.afterSeq < seq) await session.runStep(locals[next++]!.step);
  };
  for (const e of entries) {
    await runLocalsBefore(e.seq);
    if (e.kind === 'call') {
      const req = decodeLogRequest(e.request, outputs.resolverFor(e.seq));
      if (!req.ok) throw new Error(`The saved attempt cannot be replayed: ${req.detail}`);
      await session.call(e.operation, req.value, e.caller);
    } else if (e.kind === 'clock') await raw.advanceClock(e.ms);
    else if (!(await applyWorldEdit(raw.world, e.edit))) throw new Error(`The saved attempt cannot be replayed: entry ${e.seq} is an unknown world edit.`);
  }
  await runLocalsBefore(Infinity);
}
