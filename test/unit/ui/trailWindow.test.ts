import { describe, expect, it } from 'vitest';
import { navigate, scrollToReveal, virtualWindow } from '../../../src/ui/trail/virtualWindow';
import { cloudTrailFile, cloudTrailJson, exportFileName } from '../../../src/ui/trail/exportTrail';
import { fakeRecord } from './trailFixtures';

describe('virtualWindow', () => {
  const base = { rowHeight: 40, viewportHeight: 400, overscan: 5 };
  it('renders the viewport plus overscan, never past the ends', () => {
    expect(virtualWindow({ ...base, count: 100_000, scrollTop: 0 })).toEqual({ start: 0, end: 15, offset: 0, totalHeight: 4_000_000 });
    expect(virtualWindow({ ...base, count: 100_000, scrollTop: 4000 })).toEqual({ start: 95, end: 115, offset: 3800, totalHeight: 4_000_000 });
    // Half a row scrolled: one more row shows at the bottom.
    expect(virtualWindow({ ...base, count: 100_000, scrollTop: 4020 })).toMatchObject({ start: 95, end: 116 });
    const last = virtualWindow({ ...base, count: 100_000, scrollTop: 4_000_000 - 400 });
    expect(last.end).toBe(100_000);
    expect(last.start).toBe(100_000 - 10 - 5);
  });
  it('clamps odd scroll positions and small lists', () => {
    expect(virtualWindow({ ...base, count: 3, scrollTop: 999 })).toEqual({ start: 0, end: 3, offset: 0, totalHeight: 120 });
    expect(virtualWindow({ ...base, count: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0, offset: 0, totalHeight: 0 });
    expect(virtualWindow({ ...base, count: 50, scrollTop: -10 }).start).toBe(0);
    expect(virtualWindow({ ...base, count: 50, scrollTop: Number.NaN }).start).toBe(0);
  });
  it('rendered rows always cover the viewport', () => {
    for (let top = 0; top < 4000; top += 7) {
      const w = virtualWindow({ ...base, count: 1000, scrollTop: top });
      expect(w.offset).toBeLessThanOrEqual(top);
      expect(w.offset + (w.end - w.start) * 40).toBeGreaterThanOrEqual(top + 400);
    }
  });
});

describe('keyboard navigation', () => {
  it('moves by one, by a page, to the ends', () => {
    expect(navigate('ArrowDown', -1, 10, 5)).toBe(0);
    expect(navigate('ArrowUp', -1, 10, 5)).toBe(0);
    expect(navigate('ArrowDown', 9, 10, 5)).toBe(9);
    expect(navigate('ArrowUp', 0, 10, 5)).toBe(0);
    expect(navigate('PageDown', 2, 10, 5)).toBe(7);
    expect(navigate('PageDown', 7, 10, 5)).toBe(9);
    expect(navigate('PageUp', 3, 10, 5)).toBe(0);
    expect(navigate('Home', 5, 10, 5)).toBe(0);
    expect(navigate('End', 5, 10, 5)).toBe(9);
    expect(navigate('a', 5, 10, 5)).toBeNull();
    expect(navigate('ArrowDown', 0, 0, 5)).toBeNull();
  });
  it('scrolls only as far as needed to reveal a row', () => {
    expect(scrollToReveal(5, 40, 0, 400)).toBe(0);
    expect(scrollToReveal(10, 40, 0, 400)).toBe(40);
    expect(scrollToReveal(2, 40, 200, 400)).toBe(80);
  });
});

describe('export', () => {
  it('is a CloudTrail log file of the records, in the order given', () => {
    const records = [fakeRecord(2), fakeRecord(1)];
    const file = cloudTrailFile(records);
    expect(Object.keys(file)).toEqual(['Records']);
    expect(file.Records.map((r) => r.eventID)).toEqual([records[0]!.id, records[1]!.id]);
    expect(file.Records[0]).toBe(records[0]!.record);
    const parsed = JSON.parse(cloudTrailJson(records)) as { Records: { eventSource: string }[] };
    expect(parsed.Records).toHaveLength(2);
    expect(parsed.Records[0]!.eventSource).toBe('kms.amazonaws.com');
    expect(cloudTrailJson(records)).not.toContain('authorization');
  });
  it('names the file with the sandbox time', () => {
    expect(exportFileName(Date.UTC(2026, 0, 15, 12, 3, 4, 567))).toBe('kms-playground-trail-20260115T120304Z.json');
  });
});
