/**
 * A throwaway copy of the learner's sandbox for the load generator's executed sample (the page's
 * side of `runLoad`'s `copy` option): a new in-memory repository from the committed records and a
 * new service over it, its clock fixed at the sandbox time of the copy (the run moves it with
 * advanceClock). Thousands of sampled calls land in the copy's trail, never in the learner's.
 * The same recipe as the lessons' probe copies (src/ui/lessons/sandbox.ts).
 */
import { allRecords, createKmsService, createSeededRandom, webCryptoBackend, type KmsService, type Repository } from '../../kms';
import { createMemoryRepository } from '../../kms/store';
import { toTrailRecord } from '../../trail';

/** A function that makes a fresh copy of `repository` at sandbox time `now()`. */
export function sandboxCopier(repository: Repository, now: () => number): () => Promise<KmsService> {
  return async () => {
    const copy = createMemoryRepository(allRecords(repository));
    const at = now();
    return createKmsService({
      repository: copy,
      clock: { now: () => at },
      random: createSeededRandom(crypto.getRandomValues(new Uint8Array(32))),
      crypto: webCryptoBackend,
      recordTrail: toTrailRecord,
    });
  };
}
