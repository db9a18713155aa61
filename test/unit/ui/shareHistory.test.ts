/**
 * Undo and the timeline (issue 6): slicing the log, labels, and the replay of a slice giving the
 * sandbox as it was (one trail record fewer after an undo of a call; the state at step k).
 */
import { describe, expect, test } from 'vitest';
import type { LogEntry } from '../../../src/kms';
import { logEntries } from '../../../src/ui/share/envelope';
import { clampStep, describeEntry, durationText, restoreQuestion, stepLabel, timelineSlice, undoQuestion, undoSlice } from '../../../src/ui/share/history';
import { rebuild, replayStartOf } from '../../../src/ui/share/replay';
import { typicalSandbox } from '../share/typicalSandbox';

const call = (seq: number, operation: string, ok = true): LogEntry => ({
  kind: 'call',
  seq,
  at: 1000 + seq,
  operation,
  request: {},
  secretMembers: [],
  caller: { principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', region: 'us-east-1' } as never,
  outcome: ok ? { ok: true } : { ok: false, error: 'AccessDeniedException' },
});

describe('slices', () => {
  const log = [call(0, 'CreateKey'), call(1, 'Encrypt'), call(2, 'Decrypt', false)];
  test('undo drops the last entry; nothing to undo in an empty log', () => {
    expect(undoSlice(log)).toEqual(log.slice(0, 2));
    expect(undoSlice([])).toBeNull();
  });
  test('timeline steps are clamped to 0…length', () => {
    expect(timelineSlice(log, 0)).toEqual([]);
    expect(timelineSlice(log, 2)).toEqual(log.slice(0, 2));
    expect(timelineSlice(log, 99)).toEqual(log);
    expect(timelineSlice(log, -5)).toEqual([]);
    expect(clampStep(1.7, 3)).toBe(1);
    expect(clampStep(Number.NaN, 3)).toBe(3);
  });
  test('labels name the operation and the error, never request values', () => {
    expect(describeEntry(log[2]!)).toBe('Decrypt (AccessDeniedException)');
    expect(describeEntry({ kind: 'clock', seq: 3, at: 2000, ms: 3 * 86_400_000 })).toBe('Clock advanced 3 days');
    expect(describeEntry({ kind: 'world', seq: 4, at: 2000, edit: { op: 'createAccount', accountId: '1', name: '<b>x</b>' } })).toBe('IAM: createAccount');
    expect(durationText(3_600_000)).toBe('1 hour');
    expect(durationText(1500)).toBe('2 seconds');
    expect(stepLabel(log, 0)).toBe('Start (before entry 1 of 3)');
    expect(stepLabel(log, 2)).toBe('After entry 2 of 3: Encrypt');
    expect(undoQuestion(log)).toContain('(Decrypt (AccessDeniedException))');
    expect(restoreQuestion(log, 1)).toContain('The 2 later entries are removed');
    expect(restoreQuestion(log, 2)).toContain('The 1 later entry is removed');
  });
});

describe('replaying a slice', () => {
  test('undo of a call removes its trail record and nothing else', async () => {
    const { h } = await typicalSandbox();
    await h.call('CreateKey', { Description: 'to be undone' });
    const log = logEntries(h.repo);
    const r = await rebuild(undoSlice(log)!, replayStartOf(h.repo)!);
    if (!r.ok) throw new Error(r.message);
    const trail = h.repo.list('trailEvent');
    expect(r.repository.list('trailEvent')).toEqual(trail.slice(0, -1));
    expect(r.repository.list('key').length).toBe(h.repo.list('key').length - 1);
    expect(logEntries(r.repository)).toEqual(log.slice(0, -1));
  });

  test('step k of the timeline is the sandbox after k entries', async () => {
    const { h } = await typicalSandbox();
    const log = logEntries(h.repo);
    const r = await rebuild(timelineSlice(log, 4), replayStartOf(h.repo)!);
    if (!r.ok) throw new Error(r.message);
    expect(logEntries(r.repository)).toEqual(log.slice(0, 4));
    expect(r.repository.list('key')).toHaveLength(2); // CreateKey, CreateAlias, CreateKey, CreateAlias
  });

  test('a log that does not replay gives a message, not an exception', async () => {
    const { h } = await typicalSandbox();
    const log = logEntries(h.repo);
    const tampered = log.map((e, i) => (i === 2 && e.kind === 'call' ? { ...e, outcome: { ok: false, error: 'NotFoundException' } as const } : e));
    const r = await rebuild(tampered, replayStartOf(h.repo)!);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('entry 3 of');
    const bad = await rebuild(log, { seed: 'zz', start: 0 });
    expect(bad.ok).toBe(false);
  });
});

test('undo and the timeline need the whole history in the log (meta.logComplete)', async () => {
  const { fullHistory } = await import('../../../src/ui/share/replay');
  const { createMemoryRepository } = await import('../../../src/kms/store');
  const { h } = await typicalSandbox();
  expect(fullHistory(h.repo)).toEqual({ ok: true });
  const meta = h.repo.get('meta', 'sandbox')!;
  const old = fullHistory(createMemoryRepository([{ ...meta, logComplete: false }]));
  expect(old.ok).toBe(false);
  if (!old.ok) expect(old.message).toMatch(/before the app recorded a call log/);
  expect(fullHistory(createMemoryRepository()).ok).toBe(false);
});
