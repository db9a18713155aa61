/**
 * The trail-panel benchmark page (bench/trail-panel.html, bundled by vite.bench.config.ts): the
 * app's real TrailList component over a real KMS service on a memory repository holding the UI's
 * seeded sandbox plus synthetic-but-valid trail records (built by the trail layer's own
 * `toTrailRecord` from call events: various operations, callers, keys and errors), 100,000 in all.
 *
 * `window.__trailPanelBench()` (called by bench/trailPanel.ts) times, in the page:
 * - filters: from changing a filter input to the DOM showing the filtered rows (the "n of N"
 *   status and the newest matching row rendered), for several filters;
 * - a scroll of the list from top to bottom in steps: from setting scrollTop (and dispatching the
 *   scroll event, as the browser would on its next frame) to the DOM showing the rows at that
 *   position, then the next animation frame (layout and paint);
 * - a live commit: one real `service.call` at 100,000 records until its row is on top.
 */
import { mount } from 'svelte';
import { createKmsService, type AccountId, type CallerContext, type KeyArn, type KmsCallEvent, type TrailEventRecord } from '../src/kms';
import { createSeededRandom, webCryptoBackend } from '../src/kms/crypto';
import { createMemoryRepository } from '../src/kms/store';
import { toTrailRecord } from '../src/trail';
import TrailList from '../src/ui/components/TrailList.svelte';
import { SandboxState } from '../src/ui/sandbox.svelte';
import { DEFAULT_CALLER, seedSandbox } from '../src/ui/seed';
import '../src/ui/app.css';

/** Records in the panel. */
export const TRAIL_PANEL_RECORDS = 100_000;

/** What the page measures (bench/trailPanel.ts turns it into the report). */
export interface TrailPanelPageResult {
  readonly records: number;
  /** Per filter change: label, matching rows, ms to the DOM, ms to the next frame. */
  readonly filters: readonly { label: string; matches: number; domMs: number; frameMs: number }[];
  /** Per scroll step: ms to the DOM, ms to the next frame. */
  readonly scroll: { steps: number; domMs: number[]; frameMs: number[]; totalMs: number };
  /** One real call at 100,000 records until its row shows on top. */
  readonly commitMs: number;
  /** ms to build the records and mount the panel (not part of the figures). */
  readonly setupMs: number;
}

declare global {
  interface Window {
    __trailPanelBench?: () => Promise<TrailPanelPageResult>;
    __trailPanelReady?: Promise<void>;
  }
}

const OPERATIONS = ['Encrypt', 'Decrypt', 'GenerateDataKey', 'DescribeKey', 'ReEncrypt', 'ListKeys'] as const;
const PRINCIPALS = ['root', 'role/AppRole', 'user/alice', 'role/KeyAdmin'] as const;
const ERRORS = [
  { name: 'AccessDeniedException', message: 'User is not authorized to perform this operation (synthetic).' },
  { name: 'DisabledException', message: 'The key is disabled (synthetic).' },
  { name: 'InvalidCiphertextException', message: 'The ciphertext is invalid (synthetic).' },
] as const;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

/** Deterministic synthetic call events after the seed: cycle through operations, callers, keys; one in 7 fails. */
function syntheticRecords(from: number, count: number, keys: readonly KeyArn[], startTime: number): TrailEventRecord[] {
  const out: TrailEventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const seq = from + i;
    const who = PRINCIPALS[Math.floor(i / 5) % PRINCIPALS.length]!;
    const caller: CallerContext = { ...DEFAULT_CALLER, principalArn: `arn:aws:iam::${DEFAULT_CALLER.accountId}:${who}` };
    const op = OPERATIONS[i % OPERATIONS.length]!;
    const key = keys[i % keys.length]!;
    const id = `${hex(seq, 8)}-0000-4000-8000-${hex(i * 2654435761, 12)}`;
    const error = i % 7 === 3 ? ERRORS[i % ERRORS.length] : undefined;
    const event: KmsCallEvent = {
      kind: 'call',
      requestId: id.replace('-4000-', '-4001-'),
      eventId: id,
      time: startTime + i * 1000,
      operation: op,
      request: op === 'ListKeys' ? {} : { KeyId: key },
      ...(error ? { error } : { response: {} }),
      caller,
      resources: op === 'ListKeys' ? [] : [{ arn: key, accountId: DEFAULT_CALLER.accountId as AccountId }],
      readOnly: op !== 'ReEncrypt',
    };
    out.push(toTrailRecord(event, seq));
  }
  return out;
}

async function setUp(target: HTMLElement): Promise<{ sandbox: SandboxState; setupMs: number }> {
  const t0 = performance.now();
  const repository = createMemoryRepository();
  let now = Date.UTC(2026, 0, 15, 12, 0, 0);
  const clock = { now: () => now };
  const service = await createKmsService({ repository, clock, random: createSeededRandom(new Uint8Array(32).fill(7)), crypto: webCryptoBackend, recordTrail: toTrailRecord });
  await seedSandbox(service);
  const meta = repository.get('meta', 'sandbox')!;
  const keys = repository.list('key').map((k) => k.id);
  const extra = syntheticRecords(meta.trailCount, TRAIL_PANEL_RECORDS - meta.trailCount, keys, now + 1000);
  now += (extra.length + 10) * 1000;
  await repository.commit({ puts: [...extra, { ...meta, trailCount: meta.trailCount + extra.length }], deletes: [] });
  const sandbox = new SandboxState(service, repository, { dbName: 'bench-trail-panel' });
  mount(TrailList, { target, props: { sandbox } });
  return { sandbox, setupMs: performance.now() - t0 };
}

/** Resolves when `check()` holds, tested after each DOM mutation under `root` (and now). */
function whenDom(root: HTMLElement, check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (observer.disconnect(), reject(new Error('the DOM never matched'))), 10_000);
    const observer = new MutationObserver(() => {
      if (!check()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

const isAlice = (r: TrailEventRecord) => r.record.userIdentity['userName'] === 'alice';

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));

async function run(root: HTMLElement, sandbox: SandboxState, setupMs: number): Promise<TrailPanelPageResult> {
  const all = sandbox.repository.list('trailEvent');
  const status = () => root.querySelector('[role="status"]')?.textContent?.trim() ?? '';
  const list = () => root.querySelector<HTMLElement>('[role="listbox"]');
  const input = (label: string) =>
    [...root.querySelectorAll('label')].find((l) => l.querySelector('span')?.textContent === label)!.querySelector('input')!;
  const setInput = (label: string, value: string) => {
    const el = input(label);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const newestFirstOption = (): string => list()?.querySelector('[role="option"][aria-posinset="1"]')?.id ?? '';

  // Filters: each change is timed to the DOM showing its count and its newest matching row.
  const cases: { label: string; field: string; value: string; match: (r: TrailEventRecord) => boolean }[] = [
    { label: 'eventName=Decrypt', field: 'eventName', value: 'Decrypt', match: (r) => r.record.eventName.toLowerCase().includes('decrypt') },
    { label: '+ principal=alice', field: 'Principal', value: 'alice', match: (r) => r.record.eventName.toLowerCase().includes('decrypt') && isAlice(r) },
    { label: 'eventName cleared (alice only)', field: 'eventName', value: '', match: isAlice },
    { label: 'principal cleared (all rows)', field: 'Principal', value: '', match: () => true },
    { label: 'errorCode=AccessDenied', field: 'errorCode', value: 'AccessDenied', match: (r) => (r.record.errorCode ?? '').includes('AccessDenied') },
    { label: 'errorCode cleared (all)', field: 'errorCode', value: '', match: () => true },
  ];
  const filters: TrailPanelPageResult['filters'][number][] = [];
  for (const c of cases) {
    let matches = 0;
    let newest: TrailEventRecord | undefined;
    for (const r of all) {
      if (!c.match(r)) continue;
      matches += 1;
      newest = r;
    }
    const expected = `${matches} of ${all.length} events`;
    const t0 = performance.now();
    setInput(c.field, c.value);
    await whenDom(root, () => status() === expected && (matches === 0 || newestFirstOption() === `trail-option-${newest!.seq}`));
    const t1 = performance.now();
    const t2 = await nextFrame();
    filters.push({ label: c.label, matches, domMs: t1 - t0, frameMs: t2 - t0 });
  }

  // Scroll from top to bottom in steps.
  const el = list()!;
  const STEPS = 100;
  const rowHeight = (el.querySelector('[role="option"]') as HTMLElement).offsetHeight;
  const max = el.scrollHeight - el.clientHeight;
  const domMs: number[] = [];
  const frameMs: number[] = [];
  const start = performance.now();
  for (let k = 1; k <= STEPS; k++) {
    const top = Math.round((max * k) / STEPS);
    const first = Math.floor(top / rowHeight) + 1;
    const t0 = performance.now();
    el.scrollTop = top;
    el.dispatchEvent(new Event('scroll'));
    await whenDom(el, () => el.querySelector(`[role="option"][aria-posinset="${first}"]`) !== null);
    const t1 = performance.now();
    const t2 = await nextFrame();
    domMs.push(t1 - t0);
    frameMs.push(t2 - t0);
  }
  const totalMs = performance.now() - start;

  // A live commit at 100,000 records, back at the top.
  el.scrollTop = 0;
  el.dispatchEvent(new Event('scroll'));
  await nextFrame();
  const c0 = performance.now();
  await sandbox.call('ListKeys', {});
  const newestSeq = sandbox.repository.list('trailEvent').at(-1)!.seq;
  await whenDom(root, () => newestFirstOption() === `trail-option-${newestSeq}`);
  const commitMs = performance.now() - c0;

  return { records: all.length, filters, scroll: { steps: STEPS, domMs, frameMs, totalMs }, commitMs, setupMs };
}

const target = document.getElementById('panel')!;
const statusLine = document.getElementById('bench-status')!;
window.__trailPanelReady = setUp(target).then(({ sandbox, setupMs }) => {
  statusLine.textContent = `${TRAIL_PANEL_RECORDS} records ready (${setupMs.toFixed(0)} ms). Add ?run to the URL to measure here.`;
  window.__trailPanelBench = () => run(target, sandbox, setupMs);
  if (new URLSearchParams(location.search).has('run'))
    void run(target, sandbox, setupMs).then((r) => (statusLine.textContent = JSON.stringify(r)));
});
