/**
 * Test harness: a KMS service over the in-memory repository, a fake clock, a seeded random
 * source and a chosen crypto backend, calling as the learner's account root by default.
 */
import { createKmsService, type CallerContext, type CryptoBackend, type KmsService, type Repository } from '../../../src/kms';
import { createSeededRandom, webCryptoBackend } from '../../../src/kms/crypto';
import { createMemoryRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { expect } from 'vitest';

export const ACCOUNT = '111122223333';
export const PARTNER = '444455556666';
export const REGION = 'us-east-1';
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export const ROOT: CallerContext = {
  principalArn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT as CallerContext['accountId'],
  region: REGION as CallerContext['region'],
};

export function callerIn(accountId: string, region = REGION): CallerContext {
  return {
    principalArn: `arn:aws:iam::${accountId}:root`,
    accountId: accountId as CallerContext['accountId'],
    region: region as CallerContext['region'],
  };
}

export interface Harness {
  service: KmsService;
  repo: Repository;
  clock: { now(): number; t: number };
  call(op: string, req?: Record<string, unknown>, caller?: CallerContext): Promise<Record<string, unknown>>;
  /** Calls and returns the KmsError name and message (fails the test when the call succeeds). */
  fail(op: string, req?: Record<string, unknown>, caller?: CallerContext): Promise<{ name: string; message: string }>;
  /** Creates a key and returns its bare id and ARN. */
  createKey(req?: Record<string, unknown>): Promise<{ keyId: string; arn: string }>;
}

export function seedOf(n: number): Uint8Array {
  const s = new Uint8Array(32);
  s[0] = n & 0xff;
  s[1] = (n >> 8) & 0xff;
  return s;
}

export async function makeHarness(opts: { seed?: number; crypto?: CryptoBackend; repo?: Repository; throttleOwnCalls?: boolean } = {}): Promise<Harness> {
  const repo = opts.repo ?? createMemoryRepository();
  const clock = { t: T0, now() { return this.t; } };
  const service = await createKmsService({
    repository: repo,
    clock,
    random: createSeededRandom(seedOf(opts.seed ?? 1)),
    crypto: opts.crypto ?? webCryptoBackend,
    recordTrail: toTrailRecord,
    throttleOwnCalls: opts.throttleOwnCalls === true,
  });
  const call = (op: string, req: Record<string, unknown> = {}, caller: CallerContext = ROOT) => service.call(op, req, caller);
  return {
    service,
    repo,
    clock,
    call,
    async fail(op, req = {}, caller = ROOT) {
      try {
        await call(op, req, caller);
      } catch (e) {
        const err = e as Error;
        return { name: err.name, message: err.message };
      }
      expect.fail(`${op} was expected to fail`);
    },
    async createKey(req = {}) {
      const r = await call('CreateKey', req);
      const meta = r.KeyMetadata as { KeyId: string; Arn: string };
      return { keyId: meta.KeyId, arn: meta.Arn };
    },
  };
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
export const text = (b: unknown) => new TextDecoder().decode(b as Uint8Array);
