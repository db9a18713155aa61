/**
 * Where a service call's time goes: records a V8 CPU profile while one op loops, in Node (through
 * node:inspector) or in headless Chromium (through CDP), and prints the functions with the most
 * self time and the most inclusive time. A tool for investigating a missed target; not part of
 * `npm run bench`.
 *
 *   npx tsx bench/profile.ts [Encrypt|Decrypt|GenerateDataKey|raw] [--node|--chromium] [--ms=3000]
 *   npx tsx bench/profile.ts [op] [--node|--chromium] --compare
 *   npx tsx bench/profile.ts --wire [--node|--chromium] [--samples=5] [--ms=1000]
 *
 * `--compare` records no profile: it runs 5 interleaved 1 s rounds of the raw 32-byte WebCrypto
 * encrypt, the op as wired in production, and the op with each what-if port (`buffered-random`: the
 * DRBG read 256 bytes at a time, same bytes; `web-crypto`: `webCryptoBackend` even in Node), and
 * prints the medians.
 *
 * `--wire` runs only the wire part of the benchmark (bench/wire.ts: SDK pairs in-process and, in
 * Node, over HTTP, each next to its floor) and prints its ratios, for working on issue 4's target.
 *
 * Chromium gets an unminified build of the bench page (so function names survive) in dist-bench/.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { PORT_VARIANTS, loopOp, stat, type PortVariant } from './core';
import { benchWire, type WirePairResult, type WireResult } from './wire';

/** The parts of a V8 CPU profile (Profiler.Profile) used here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist-bench');

/** Self and inclusive time per function, as shares of the profiled time. */
function summarize(p: CpuProfile, top = 25): string {
  const parent = new Map<number, number>();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url.split('/').pop() ?? '';
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    self.set(label(id), (self.get(label(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const l = label(n);
      if (!seen.has(l)) {
        seen.add(l);
        incl.set(l, (incl.get(l) ?? 0) + dt);
      }
    }
  });
  const table = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([l, t]) => `  ${((t / total) * 100).toFixed(1).padStart(5)}%  ${l}`)
      .join('\n');
  return `self time (top ${top}):\n${table(self)}\n\ninclusive time (top ${top}):\n${table(incl)}`;
}

type Op = Parameters<typeof loopOp>[0];
type Runner = (op: Op, ms: number, variant: PortVariant) => Promise<number>;

/** 5 interleaved rounds: raw, the op as is, the op with each what-if port (`PORT_VARIANTS`). */
async function compare(env: string, op: Op, run: Runner): Promise<string> {
  const rows: Record<string, number[]> = { raw: [] };
  for (const v of PORT_VARIANTS) rows[v] = [];
  for (const v of PORT_VARIANTS) await run(op, 300, v);
  for (let r = 0; r < 5; r++) {
    rows.raw!.push(await run('raw', 1000, 'as-is'));
    for (const v of PORT_VARIANTS) rows[v]!.push(await run(op, 1000, v));
  }
  const raw = stat(rows.raw!).median;
  return [`${env}: ${op}, 5 interleaved rounds × 1 s, median ops/s [min–max], raw/variant`]
    .concat(
      Object.entries(rows).map(([k, v]) => {
        const s = stat(v);
        return `  ${k.padEnd(16)} ${s.median.toFixed(0).padStart(8)} [${s.min.toFixed(0)}–${s.max.toFixed(0)}]  ${(raw / s.median).toFixed(1)}x`;
      }),
    )
    .join('\n');
}

function formatWire(env: string, r: WireResult): string {
  const row = (label: string, p: WirePairResult | null) =>
    p
      ? `  ${label.padEnd(11)} floor ${p.floor.median.toFixed(0)} pairs/s, sandbox ${p.sandbox.median.toFixed(0)} pairs/s: ${p.ratio.toFixed(2)}x [${p.ratioMin.toFixed(2)}–${p.ratioMax.toFixed(2)}]` +
        (p.parts ? `; service pair alone ${p.parts.servicePair.median.toFixed(0)}/s, wire alone ${p.parts.wirePair.median.toFixed(0)}/s` : '')
      : `  ${label.padEnd(11)} not measured`;
  return [`${env}: wire part, ${samples} rounds × ${ms} ms, ratio = floor ÷ sandbox (target ≤ 1.25)`, row('in-process', r.inProcess), row('HTTP', r.http), ...r.notes.map((n) => `  ${n}`)].join('\n');
}

async function profileNode(op: Op, ms: number, comparing: boolean): Promise<string> {
  if (wireOnly) return formatWire(`Node ${process.version}`, await benchWire({ log: () => {}, gc: async () => {}, memoryProbe: () => { throw new Error('unused'); } }, { samples, sampleMs: ms, stat }));
  if (comparing) return compare(`Node ${process.version}`, op, loopOp);
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 100 });
  await loopOp(op, 300);
  await s.post('Profiler.start');
  const rate = await loopOp(op, ms);
  const { profile } = (await s.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  s.disconnect();
  return `Node ${process.version}: ${op} ${rate.toFixed(0)} ops/s while profiled\n${summarize(profile)}`;
}

async function profileChromium(op: Op, ms: number, comparing: boolean): Promise<string> {
  await build({ configFile: join(ROOT, 'vite.bench.config.ts'), logLevel: 'warn', build: { minify: false } });
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST + sep)) return void res.writeHead(403).end();
    const type = extname(file) === '.html' ? 'text/html' : 'text/javascript';
    readFile(file).then((b) => res.writeHead(200, { 'content-type': type }).end(b), () => res.writeHead(404).end());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    if (wireOnly) {
      return formatWire(`Chromium ${browser.version()}`, await page.evaluate(([n, t]) => window.__benchWire!(n, t), [samples, ms] as const));
    }
    if (comparing) {
      return await compare(`Chromium ${browser.version()}`, op, (o, t, v) => page.evaluate(([a, b, c]) => window.__loopOp!(a, b, c), [o, t, v] as const));
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await page.evaluate((o) => window.__loopOp!(o, 300), op);
    await cdp.send('Profiler.start');
    const rate = await page.evaluate(([o, t]) => window.__loopOp!(o, t), [op, ms] as const);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    return `Chromium ${browser.version()}: ${op} ${rate.toFixed(0)} ops/s while profiled\n${summarize(profile)}`;
  } finally {
    await browser.close();
    server.close();
  }
}

const argv = process.argv.slice(2);
const op = (argv.find((a) => !a.startsWith('--')) ?? 'Encrypt') as Op;
const ms = Number(argv.find((a) => a.startsWith('--ms='))?.slice(5) ?? (argv.includes('--wire') ? 1000 : 3000));
const comparing = argv.includes('--compare');
const wireOnly = argv.includes('--wire');
const samples = Number(argv.find((a) => a.startsWith('--samples='))?.slice(10) ?? 5);
const where = argv.includes('--node') ? profileNode(op, ms, comparing) : profileChromium(op, ms, comparing);
where.then(
  (text) => process.stdout.write(`${text}\n`),
  (e: unknown) => {
    process.stderr.write(`profile failed: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
