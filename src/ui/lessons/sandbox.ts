/**
 * A lesson attempt's sandbox for the UI (issue 6): an in-memory KMS service with the lesson's
 * fixed clock and seed (the engine's `SandboxFactory`), and the service the workspace uses while
 * the lesson is open, whose `call` goes through `LessonSession.call` (predictions, par) and
 * rejects with the very KmsError the service raised.
 */
import { createKmsService, createSeededRandom, isKmsError, kmsError, webCryptoBackend, type AwsShape, type KmsErrorName, type KmsService } from '../../kms';
import { createMemoryRepository } from '../../kms/store';
import type { LessonSession, SandboxFactory } from '../../lessons';
import { toTrailRecord } from '../../trail';

/** The factory plus the last KmsError the attempt's own service raised (copies are not watched). */
export function lessonFactory(): { factory: SandboxFactory; lastError: () => unknown } {
  let last: unknown = null;
  const factory: SandboxFactory = async ({ seed, now, records }) => {
    const repository = createMemoryRepository(records ?? []);
    const service = await createKmsService({ repository, clock: { now: () => now }, random: createSeededRandom(seed), crypto: webCryptoBackend, recordTrail: toTrailRecord });
    if (records) return { service, repository };
    const watched: KmsService = {
      call: async (operation, request, caller) => {
        try {
          return await service.call(operation, request, caller);
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
  return { factory, lastError: () => last };
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
