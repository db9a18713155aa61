/**
 * Opens a sandbox's KMS service over a repository: reuses the seed stored in the sandbox meta
 * record (so a reload continues the same deterministic random streams) or starts a new sandbox
 * with the given seed, else a fresh random one (real sandboxes get a random seed, issue 2).
 */
import type { KmsService } from './api';
import { createSeededRandom, hexToBytes, randomSeed } from './crypto';
import type { Clock, CryptoBackend, Repository } from './ports';
import { createKmsService, type TrailRecorder } from './service';

export interface SandboxOptions {
  readonly repository: Repository;
  readonly clock: Clock;
  readonly crypto: CryptoBackend;
  /** Builds trail records: pass `toTrailRecord` from src/trail (kms never imports trail). */
  readonly recordTrail: TrailRecorder;
  /** Seed for a new sandbox (ignored when the repository already holds one). */
  readonly seed?: Uint8Array;
  /** Count the sandbox's own calls against the request quotas (service.ts KmsServicePorts). */
  readonly throttleOwnCalls?: boolean;
}

export async function openSandboxService(opts: SandboxOptions): Promise<KmsService> {
  const stored = opts.repository.get('meta', 'sandbox');
  const seed = stored ? hexToBytes(stored.seed, 'seed') : (opts.seed ?? randomSeed());
  return createKmsService({
    repository: opts.repository,
    clock: opts.clock,
    crypto: opts.crypto,
    random: createSeededRandom(seed),
    recordTrail: opts.recordTrail,
    throttleOwnCalls: opts.throttleOwnCalls === true,
  });
}
