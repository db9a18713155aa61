/**
 * `npm run bench` (tsx bench/run.ts): measures issue 2's benchmark figures in ONE run, in Node and
 * in headless Debian Chromium, and prints a table per environment plus a summary against the
 * targets. Not a test: nothing here fails on a figure. See bench/README.md.
 *
 * Steps: run bench/core.ts in this Node process; build the bench page with
 * vite.bench.config.ts into dist-bench/; serve it from a node:http static server on 127.0.0.1
 * (WebCrypto needs a secure context, which http://127.0.0.1 is); open it in /usr/bin/chromium via
 * Playwright and run the same core there; print everything.
 *
 * Memory probes (Linux): the peak RSS of a process is read exactly from /proc/<pid>/status
 * (VmHWM) after resetting it with `echo 5 > /proc/<pid>/clear_refs`: for this process in Node, and
 * for the page's renderer process in Chromium (found through the browser's CDP
 * SystemInfo.getProcessInfo; the renderer with the largest RSS, which is the one holding the input).
 *
 * Issue 5 adds, after the Chromium run: the trail panel with 100,000 records (bench/trailPanel.ts,
 * on bench/trail-panel.html of the same build) and the app's bundle size (a production build of
 * vite.config.ts into a temporary folder, measured by bench/size.ts).
 *
 * Issue 8 adds, after the Node run: the load generator's speed (bench/loadgen.ts, Node only).
 *
 * Flags: --node-only, --chromium-only (for working on the bench itself).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import { runBench, type BenchHost, type BenchResult, type MemoryMetric, type MemoryProbe } from './core';
import { formatEnvironment, formatSummary } from './report';
import { measureBundleSize, type BundleSize } from './size';
import { benchTrailPanel, type TrailPanelBench } from './trailPanel';
import { benchBigFile, type BigFileBench } from './workbenchBig';
import { benchLoadgen, formatLoadgen } from './loadgen';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist-bench');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Memory figures: exact performance.memory values, and window.gc() to start from a collected heap.
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];

const progress = (line: string) => process.stderr.write(`${line}\n`);

// ---- /proc peak-RSS probe (Linux) ----

/** A field of /proc/<pid>/status in bytes (the file gives kB), or undefined when unreadable. */
function statusBytes(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the process's peak RSS to its current RSS (Linux ≥ 4.0); false when not possible. */
function resetPeakRss(pid: number | 'self'): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

// ---- Node host ----

setFlagsFromString('--expose-gc');
const nodeGc = runInNewContext('gc') as () => void;

function nodeProbe(): MemoryProbe {
  let base = process.memoryUsage();
  let peakRss = 0;
  let peakArrayBuffers = 0;
  let hwmBase: number | undefined;
  return {
    async begin() {
      hwmBase = resetPeakRss('self') ? statusBytes('self', 'VmRSS') : undefined;
      base = process.memoryUsage();
      peakRss = base.rss;
      peakArrayBuffers = base.arrayBuffers;
    },
    sample() {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
    },
    async end() {
      const metrics: MemoryMetric[] = [];
      const hwm = statusBytes('self', 'VmHWM');
      if (hwmBase !== undefined && hwm !== undefined) {
        metrics.push({
          label: 'process peak RSS',
          description:
            'this Node process, from /proc/self/status: VmRSS at the baseline, VmHWM (peak RSS) at the end, after resetting the peak ' +
            'with `echo 5 > /proc/self/clear_refs`. Exact peak; includes ArrayBuffers and the libuv threads doing WebCrypto.',
          baselineBytes: hwmBase,
          peakBytes: hwm,
        });
      }
      metrics.push({
        label: 'process.memoryUsage().arrayBuffers',
        description:
          'bytes of live (not yet collected) ArrayBuffers allocated through Node\'s ArrayBuffer allocator, sampled every 2 ms and after each ' +
          'frame. WebCrypto results are external backing stores that this counter does not include (hence ~0 during encrypt).',
        baselineBytes: base.arrayBuffers,
        peakBytes: peakArrayBuffers,
      });
      metrics.push({
        label: 'process.memoryUsage().rss',
        description: 'resident set size, sampled every 2 ms and after each frame (can miss a short peak).',
        baselineBytes: base.rss,
        peakBytes: peakRss,
      });
      return metrics;
    },
  };
}

const nodeHost: BenchHost = {
  log: (line) => progress(`[node] ${line}`),
  gc: async () => {
    nodeGc();
    nodeGc();
  },
  memoryProbe: nodeProbe,
};

// ---- Chromium ----

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves `dir` (default dist-bench/) on 127.0.0.1 at an ephemeral port. */
async function serveDist(dir = DIST): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Renderer process ids of `browser`, from CDP SystemInfo.getProcessInfo. */
async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  } finally {
    await cdp.detach();
  }
}

/**
 * Issue 5: the app's production build (vite.config.ts) into a temporary folder: its chunk sizes,
 * and (unless --node-only) a 200 MiB file through the workbench's envelope path in Chromium.
 */
async function appFigures(withChromium: boolean): Promise<{ size: BundleSize; big: BigFileBench | null }> {
  const out = await mkdtemp(join(tmpdir(), 'kms-playground-app-'));
  try {
    progress('[app] building the app (vite.config.ts) to measure its chunks');
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
    const size = await measureBundleSize(out);
    if (!withChromium) return { size, big: null };
    progress('[app] 200 MiB through the workbench envelope path in Chromium');
    const { server, url } = await serveDist(out);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      page.on('pageerror', (e) => progress(`[app] page error: ${e.message}`));
      return { size, big: await benchBigFile(page, url) };
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Issue 5's size target: initial JS ≤ 150 KB gzip (the editor, the Code panel and D3 load lazily). */
const INITIAL_JS_GZIP_TARGET = 150 * 1024;

function formatIssue5(size: BundleSize, trail: TrailPanelBench | null, big: BigFileBench | null): string {
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const lazy = size.chunks.filter((c) => !c.initial).slice(0, 6);
  const lines = [
    'Issue 5 — the app in the browser',
    `  Initial JS (entry + its static imports, gzip -9 each): ${kb(size.initialJsGzipBytes)} gzip, ${kb(size.initialJsRawBytes)} raw — target ≤ ${kb(INITIAL_JS_GZIP_TARGET)} gzip: ${size.initialJsGzipBytes <= INITIAL_JS_GZIP_TARGET ? 'PASS' : 'MISS'}`,
    ...size.chunks.filter((c) => c.initial).map((c) => `    initial ${c.file}: ${kb(c.gzipBytes)} gzip (${kb(c.rawBytes)} raw)`),
    `  Largest lazy chunks: ${lazy.map((c) => `${c.file} ${kb(c.gzipBytes)} gzip`).join(', ')}`,
  ];
  if (trail) {
    lines.push(
      `  Trail panel, Chromium, ${trail.records.toLocaleString('en-US')} records: filter change → DOM ${trail.filterMs.toFixed(1)} ms (median); scroll top → bottom in ${trail.scrollMs.steps} steps: ${trail.scrollMs.perStep.toFixed(1)} ms per step to the DOM (max ${trail.scrollMs.maxStep.toFixed(1)} ms), ${trail.scrollMs.total.toFixed(0)} ms in all with one frame per step`,
      ...trail.notes.map((n) => `    ${n}`),
    );
  } else {
    lines.push('  Trail panel: Chromium not run (--node-only)');
  }
  if (big) {
    const mib = big.bytes / 2 ** 20;
    lines.push(
      `  Workbench, ${mib} MiB file, envelope path in the app (worker): encrypt ${(big.encryptMs / 1000).toFixed(1)} s (${(mib / (big.encryptMs / 1000)).toFixed(0)} MiB/s), decrypt ${(big.decryptMs / 1000).toFixed(1)} s (${(mib / (big.decryptMs / 1000)).toFixed(0)} MiB/s)`,
      `    main thread meanwhile: ${big.frames} frames, longest gap ${big.maxFrameGapMs.toFixed(0)} ms, ${big.framesOver100Ms} gaps over 100 ms; long tasks (> 50 ms): ${big.longTasks.count}, longest ${big.longTasks.maxMs.toFixed(0)} ms, ${big.longTasks.totalMs.toFixed(0)} ms in all`,
    );
  }
  return lines.join('\n');
}

async function runChromium(): Promise<{ result: BenchResult; trail: TrailPanelBench }> {
  progress('[chromium] building the bench page (vite build --config vite.bench.config.ts)');
  await build({ configFile: join(ROOT, 'vite.bench.config.ts'), logLevel: 'warn' });
  const { server, url } = await serveDist();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => progress(`[chromium] ${m.text()}`));
    page.on('pageerror', (e) => progress(`[chromium] page error: ${e.message}`));
    let pid = 0;
    await page.exposeFunction('__benchRendererMemory', async (phase: 'begin' | 'end') => {
      if (phase === 'begin') {
        const pids = await rendererPids(browser);
        const sized = pids.map((p) => ({ p, rss: statusBytes(p, 'VmRSS') ?? 0 })).sort((a, b) => b.rss - a.rss);
        pid = sized[0]?.p ?? 0;
        if (!pid || !resetPeakRss(pid)) throw new Error('cannot reset the renderer peak RSS (needs Linux /proc)');
        return { pid, bytes: statusBytes(pid, 'VmRSS') ?? 0 };
      }
      return { pid, bytes: statusBytes(pid, 'VmHWM') ?? 0 };
    });
    await page.goto(url);
    const environment = `Chromium ${browser.version()} (headless, ${CHROMIUM})`;
    const result = await page.evaluate((env) => window.__runBench!(env), environment);
    progress('[chromium] trail panel with 100,000 records');
    const trailPage = await browser.newPage();
    trailPage.on('pageerror', (e) => progress(`[chromium] trail page error: ${e.message}`));
    const trail = await benchTrailPanel(trailPage, url);
    return { result, trail };
  } finally {
    await browser.close();
    server.close();
  }
}

// ---- main ----

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const started = Date.now();
  const header = [
    `KMS Playground benchmark, ${new Date().toISOString()}`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average (1/5/15 min) at start: ${load()}`,
  ];
  progress(header.join('\n'));
  const results: BenchResult[] = [];
  if (!args.has('--chromium-only')) results.push(await runBench(`Node ${process.version} (V8 ${process.versions.v8})`, nodeHost));
  const loadgen = args.has('--chromium-only') ? null : await benchLoadgen((l) => progress(`[node] ${l}`));
  let trail: TrailPanelBench | null = null;
  if (!args.has('--node-only')) {
    const c = await runChromium();
    results.push(c.result);
    trail = c.trail;
  }
  const { size, big } = await appFigures(!args.has('--node-only'));
  const out = [
    ...header,
    `Load average at end: ${load()}; total ${((Date.now() - started) / 1000).toFixed(0)} s. Other processes share these cores: treat figures as ±20 % (toolchain.md §0).`,
    '',
    ...results.map((r) => `${formatEnvironment(r)}\n`),
    formatSummary(results),
    '',
    formatIssue5(size, trail, big),
    ...(loadgen ? ['', formatLoadgen(loadgen)] : []),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  progress(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
