import { describe, expect, it } from 'vitest';
import { TrailIndex, toTrailRow } from '../../../src/ui/trail/trailIndex';
import { fakeRecord, seededHarness } from './trailFixtures';

describe('TrailIndex', () => {
  it('appends only the records past the last seen seq, and reads newest first', () => {
    const all = Array.from({ length: 10 }, (_, i) => fakeRecord(i));
    const index = new TrailIndex();
    expect(index.sync(all.slice(0, 4))).toBe(4);
    const rowsBefore = index.rows;
    expect(index.sync(all.slice(0, 4))).toBe(0);
    expect(index.sync(all)).toBe(6);
    expect(index.rows).toBe(rowsBefore); // same array, appended in place
    expect(index.rebuilds).toBe(0);
    expect(index.size).toBe(10);
    expect(index.newestFirst(0)?.seq).toBe(9);
    expect(index.newestFirst(9)?.seq).toBe(0);
    expect(index.newestFirst(10)).toBeUndefined();
  });

  it('rebuilds when the listing does not continue what it saw (another sandbox)', () => {
    const index = new TrailIndex();
    index.sync([fakeRecord(0), fakeRecord(1)]);
    const other = [fakeRecord(5), fakeRecord(6), fakeRecord(7)];
    expect(index.sync(other)).toBe(-1);
    expect(index.rebuilds).toBe(1);
    expect(index.rows.map((r) => r.seq)).toEqual([5, 6, 7]);
    expect(index.sync([fakeRecord(5)])).toBe(-1); // shorter: rebuilt too
    expect(index.size).toBe(1);
  });

  it('incremental equals rebuilt-from-scratch on a real sandbox trail, call after call', async () => {
    const h = await seededHarness();
    const index = new TrailIndex();
    index.sync(h.repo.list('trailEvent'));
    for (let i = 0; i < 3; i++) {
      await h.call('ListKeys');
      expect(index.sync(h.repo.list('trailEvent'))).toBe(1);
    }
    const fresh = new TrailIndex();
    fresh.sync(h.repo.list('trailEvent'));
    expect(index.rows.map((r) => r.id)).toEqual(fresh.rows.map((r) => r.id));
    expect(index.newestFirst(0)?.eventName).toBe('ListKeys');
  });

  it('precomputes the filterable fields of a row', async () => {
    const h = await seededHarness();
    const denied = h.repo.list('trailEvent').find((r) => r.record.errorCode === 'AccessDeniedException')!;
    const row = toTrailRow(denied);
    expect(row.principal).toBe('user/alice');
    expect(row.principalArn).toBe('arn:aws:iam::111122223333:user/alice');
    expect(row.keyText).toContain('alias/orders');
    expect(row.keyText).toContain('arn:aws:kms:us-east-1:111122223333:key/');
    expect(row.errorCode).toBe('AccessDeniedException');
    expect(row.time).toBe(Date.parse(denied.record.eventTime));
  });
});
