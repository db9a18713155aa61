/**
 * A console over a real in-process sandbox (the kms test harness: in-memory repository, fake
 * clock, seeded random), talking through the wire handler as the page does.
 */
import { runCommandLine, type CliResult } from '../../../src/cli';
import { createWireHandler } from '../../../src/wire';
import { makeHarness, type Harness } from '../kms/harness';

export const ROOT_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const ALICE_KEY = 'AKIAALICEEXAMPLE';

export interface ConsoleHarness {
  readonly h: Harness;
  /** Runs one console line as `accessKeyId` (default: the account root). */
  run(line: string, accessKeyId?: string, region?: string): Promise<CliResult>;
  /** Runs a line that must succeed and returns its stdout. */
  ok(line: string, accessKeyId?: string): Promise<string>;
}

export async function makeConsole(): Promise<ConsoleHarness> {
  const h = await makeHarness();
  let n = 0;
  const wire = createWireHandler(h.service, { newRequestId: () => `req-${++n}` });
  const run = (line: string, accessKeyId = ROOT_KEY, region = 'us-east-1') =>
    runCommandLine(line, { wire, accessKeyId, region, now: () => h.clock.now() });
  return {
    h,
    run,
    async ok(line, accessKeyId) {
      const r = await run(line, accessKeyId);
      if (r.exitCode !== 0) throw new Error(`${line} failed (${r.exitCode}): ${r.stderr}`);
      return r.stdout;
    },
  };
}
