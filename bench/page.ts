/**
 * The benchmark page (bundled by `vite build --config vite.bench.config.ts` into dist-bench/):
 * runs the shared `bench/core.ts` in the browser. `bench/run.ts` loads it in headless Chromium
 * and calls `window.__runBench(environment)`; opened by hand with `?run` it runs by itself and
 * prints the report into the page.
 *
 * Memory: the judged reading is the renderer process's peak RSS, which only the driver can read
 * (/proc/<pid>/status VmHWM after resetting it through /proc/<pid>/clear_refs); it is asked for
 * through `window.__benchRendererMemory`, a function the driver exposes. The page adds what it
 * can see itself: `performance.memory.usedJSHeapSize` (Chrome only, non-standard; precise only
 * with --enable-precise-memory-info), sampled. In Chromium 156 it includes ArrayBuffer backing
 * stores (checked: a new 64 MiB Uint8Array raises it by 64 MiB), but presumably not WebCrypto's
 * internal copies of the data (malloc'd buffers outside V8), which the RSS reading does count.
 */
import { loopOp, runBench, stat, type BenchHost, type BenchResult, type MemoryMetric, type MemoryProbe } from './core';
import { benchWire, type WireResult } from './wire';
import { formatEnvironment, formatSummary } from './report';

/** What the driver reads for the renderer process: its pid and VmRSS (begin) or VmHWM (end). */
interface RendererMemory {
  readonly pid: number;
  readonly bytes: number;
}

declare global {
  interface Window {
    /** Loops one op for a while (called by bench/profile.ts while it records a CPU profile). */
    __loopOp?: typeof loopOp;
    /** Runs the wire part alone (called by bench/profile.ts --wire). */
    __benchWire?: (samples: number, sampleMs: number) => Promise<WireResult>;
    /** Runs the benchmark (called by bench/run.ts through page.evaluate). */
    __runBench?: (environment: string) => Promise<BenchResult>;
    /** Exposed by bench/run.ts: resets (begin) or reads (end) the renderer's peak RSS. */
    __benchRendererMemory?: (phase: 'begin' | 'end') => Promise<RendererMemory>;
    /** Present when Chromium runs with --js-flags=--expose-gc. */
    gc?: () => void;
  }
}

/** Chrome's non-standard `performance.memory`. */
function jsHeapUsed(): number | undefined {
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
}

function browserProbe(): MemoryProbe {
  let heapBase = 0;
  let heapPeak = 0;
  let rendererBase: RendererMemory | undefined;
  return {
    async begin() {
      heapBase = heapPeak = jsHeapUsed() ?? 0;
      rendererBase = await window.__benchRendererMemory?.('begin');
    },
    sample() {
      heapPeak = Math.max(heapPeak, jsHeapUsed() ?? 0);
    },
    async end() {
      const metrics: MemoryMetric[] = [];
      const peak = await window.__benchRendererMemory?.('end');
      if (rendererBase && peak) {
        metrics.push({
          label: `renderer peak RSS (pid ${peak.pid})`,
          description:
            'the page\'s renderer process, read by the driver from /proc/<pid>/status: VmRSS at the baseline, VmHWM (peak RSS) at the end, ' +
            'after resetting the peak with `echo 5 > /proc/<pid>/clear_refs`. Exact peak, includes ArrayBuffer backing stores and the WebCrypto thread.',
          baselineBytes: rendererBase.bytes,
          peakBytes: peak.bytes,
        });
      }
      if (jsHeapUsed() !== undefined) {
        metrics.push({
          label: 'JS heap (performance.memory)',
          description:
            'performance.memory.usedJSHeapSize (Chrome only, non-standard; exact with --enable-precise-memory-info), sampled every 2 ms ' +
            'and after each frame. In this Chromium it counts ArrayBuffer backing stores too (a new 64 MiB Uint8Array raises it by 64 MiB); ' +
            'WebCrypto\'s internal copies (malloc\'d outside V8) are presumably not in it; the RSS reading counts them.',
          baselineBytes: heapBase,
          peakBytes: heapPeak,
        });
      }
      return metrics;
    },
  };
}

const host: BenchHost = {
  log: (line) => console.log(`[bench] ${line}`),
  gc: async () => {
    window.gc?.();
    window.gc?.();
  },
  memoryProbe: browserProbe,
};

window.__runBench = (environment) => runBench(environment, host);
window.__loopOp = loopOp;
window.__benchWire = (samples, sampleMs) => benchWire(host, { samples, sampleMs, stat });

if (new URLSearchParams(location.search).has('run')) {
  const out = document.getElementById('out')!;
  out.textContent = 'running…';
  runBench(navigator.userAgent, host).then(
    (r) => (out.textContent = `${formatEnvironment(r)}\n\n${formatSummary([r])}`),
    (e: unknown) => (out.textContent = `failed: ${String(e)}`),
  );
}
