/**
 * Trail panel figures for `npm run bench` (issue 5: "measures, in Chromium, a filter and a scroll
 * of the trail panel with 100,000 records (ms)"). Drives bench/trail-panel.html (built into
 * dist-bench/ by vite.bench.config.ts with the rest of the bench page), where the app's real
 * TrailList component shows a real KMS service's trail of 100,000 records; the timing runs in the
 * page (bench/trailPanelPage.ts), this module opens it and condenses the numbers.
 *
 * - `filterMs`: median over 6 filter changes (eventName, + principal, cleared, ..., errorCode)
 *   of the time from changing the input to the DOM showing the filtered rows (count and newest row).
 * - `scrollMs`: a scroll from top to bottom in 100 steps; `perStep` is the mean time from setting
 *   scrollTop to the DOM showing the rows there, `total` the whole scroll including one animation
 *   frame per step (so it is bounded below by the frame rate), `maxStep` the slowest step.
 */
import type { Page } from '@playwright/test';
import type { TrailPanelPageResult } from './trailPanelPage';

/** The trail panel's figures. */
export interface TrailPanelBench {
  /** Records in the panel (100,000). */
  readonly records: number;
  /** Median ms from a filter change to the DOM showing the filtered rows. */
  readonly filterMs: number;
  /** Scroll top → bottom: ms per step (mean, to the DOM), slowest step, total with frames, steps. */
  readonly scrollMs: { readonly perStep: number; readonly maxStep: number; readonly total: number; readonly steps: number };
  /** Human lines: each filter's figure, the frame-inclusive numbers, a live commit, the setup time. */
  readonly notes: readonly string[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x: number) => `${x.toFixed(1)} ms`;

/**
 * Opens `${baseUrl}trail-panel.html` (baseUrl ends with `/`: the static server of dist-bench/)
 * in `page`, waits for the 100,000 records, and measures.
 */
export async function benchTrailPanel(page: Page, baseUrl: string): Promise<TrailPanelBench> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(new URL('trail-panel.html', baseUrl).href);
  await page.waitForFunction(() => window.__trailPanelReady !== undefined);
  await page.evaluate(() => window.__trailPanelReady);
  const r: TrailPanelPageResult = await page.evaluate(() => window.__trailPanelBench!());
  const notes = [
    ...r.filters.map((f) => `filter ${f.label}: ${f.matches} rows, ${ms(f.domMs)} to the DOM, ${ms(f.frameMs)} to the next frame`),
    `scroll: ${r.scroll.steps} steps of ${(r.records / r.scroll.steps).toFixed(0)} rows; to the next frame per step: mean ${ms(mean(r.scroll.frameMs))}, max ${ms(Math.max(...r.scroll.frameMs))}`,
    `live commit (one ListKeys call at ${r.records} records) until its row is on top: ${ms(r.commitMs)}`,
    `setup (records built by toTrailRecord, panel mounted): ${ms(r.setupMs)}`,
  ];
  return {
    records: r.records,
    filterMs: median(r.filters.map((f) => f.domMs)),
    scrollMs: { perStep: mean(r.scroll.domMs), maxStep: Math.max(...r.scroll.domMs), total: r.scroll.totalMs, steps: r.scroll.steps },
    notes,
  };
}
