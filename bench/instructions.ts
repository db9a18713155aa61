/**
 * Issue 4's in-process pairs counted in CPU instructions instead of seconds: a steadier figure.
 * Wall-clock ratios on the 2-vCPU VM move by ±20 % between runs (the floor alone has read 1,594
 * and 2,060 pairs/s on two days); valgrind's callgrind counts instructions, which move far less.
 *
 *   npx tsx bench/instructions.ts            # in-process floor, wire-only and sandbox, instructions per pair
 *   npx tsx bench/instructions.ts --pairs=3000
 *
 * For each subject of bench/wire.ts `inProcessSubjects` (the SDK answered with canned bytes; the
 * wire handler over a stub service; the wire handler over a real sandbox), two processes run under
 * `valgrind --tool=callgrind`: one making `pairs / 3` GenerateDataKey + Decrypt pairs, one making
 * `pairs`. The difference of their totals divided by the difference of pairs is the cost of one
 * pair, with start-up, module loading and the first compilations cancelled out. Node runs with
 * `--predictable --predictable-gc-schedule --v8-pool-size=0 --hash-seed=1 --random-seed=1`: V8
 * single-threaded, garbage collection on a fixed schedule, no time-based heuristics. Measured on
 * the VM: back-to-back runs on a quiet machine agree within 0.5 %; with other processes competing
 * for the cores the same code read up to 12 % more (valgrind's thread scheduling, presumably), so
 * run it alone, and compare subjects of one run.
 *
 * Instructions are not time: a cache miss costs more than an add, so wall-clock ratios come out
 * somewhat worse than these. Needs valgrind (`apt-get install valgrind`). Takes a few minutes.
 * Not part of `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inProcessSubjects } from './wire';

type Subject = 'floor' | 'wireOnly' | 'sandbox';
const SUBJECTS: readonly Subject[] = ['floor', 'wireOnly', 'sandbox'];
const LABEL: Record<Subject, string> = {
  floor: 'floor (canned bytes)',
  wireOnly: 'wire handler, stub service',
  sandbox: 'sandbox (wire + service)',
};
const TARGET = 1.25;

/** Inside valgrind: makes `n` pairs through one subject's client. */
async function runPairs(subject: Subject, n: number): Promise<void> {
  const { pair } = await inProcessSubjects();
  for (let i = 0; i < n; i++) await pair[subject]();
}

/** Total instructions callgrind collected for one run. */
function countInstructions(subject: Subject, n: number): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--tool=callgrind',
    '--callgrind-out-file=/dev/null',
    process.execPath,
    '--predictable',
    '--predictable-gc-schedule',
    '--v8-pool-size=0',
    '--hash-seed=1',
    '--random-seed=1',
    '--no-warnings',
    '--import',
    'tsx',
    self,
    '--run',
    subject,
    String(n),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new Error(`valgrind could not start (${e.message}); install it with apt-get install valgrind`)));
    child.on('close', (code) => {
      const m = /Collected\s*:\s*(\d+)/.exec(err);
      if (code !== 0 || !m) reject(new Error(`valgrind run of ${subject} × ${n} failed (exit ${code}):\n${err.slice(-2000)}`));
      else resolve(Number(m[1]));
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const run = argv.indexOf('--run');
  if (run >= 0) return runPairs(argv[run + 1] as Subject, Number(argv[run + 2]));
  const pairs = Number(argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 3000);
  if (!Number.isInteger(pairs) || pairs < 30) throw new Error('--pairs must be an integer of at least 30');
  const small = Math.round(pairs / 3);
  const perPair: Partial<Record<Subject, number>> = {};
  for (const s of SUBJECTS) {
    process.stderr.write(`[instructions] ${LABEL[s]}: ${small} and ${pairs} pairs under callgrind…\n`);
    // The two runs side by side (two cores); counts do not depend on the other process.
    const [a, b] = await Promise.all([countInstructions(s, small), countInstructions(s, pairs)]);
    perPair[s] = (b - a) / (pairs - small);
  }
  const floor = perPair.floor!;
  const lines = [`In-process SDK GenerateDataKey + Decrypt pairs, instructions per pair (callgrind, Node ${process.version}; ${small} vs ${pairs} pairs):`];
  for (const s of SUBJECTS) {
    const v = perPair[s]!;
    lines.push(`  ${LABEL[s].padEnd(28)} ${Math.round(v).toLocaleString('en-US').padStart(11)}  ${(v / floor).toFixed(3)}x the floor`);
  }
  const budget = floor * (TARGET - 1);
  lines.push(
    `  the ${TARGET}x target leaves ${Math.round(budget).toLocaleString('en-US')} instructions per pair for the wire handler and the service;` +
      ` they take ${Math.round(perPair.sandbox! - floor).toLocaleString('en-US')} (the service alone ${Math.round(perPair.sandbox! - perPair.wireOnly!).toLocaleString('en-US')})`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`instructions failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
