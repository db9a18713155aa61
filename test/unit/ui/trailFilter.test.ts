import { describe, expect, it } from 'vitest';
import { compileFilter, EMPTY_FIELDS, EMPTY_FILTER, filterOf, isEmptyFilter, parseUtcInput, TrailQuery, type TrailFilter } from '../../../src/ui/trail/trailFilter';
import { TrailIndex, toTrailRow } from '../../../src/ui/trail/trailIndex';
import { fakeRecord, seededHarness } from './trailFixtures';

const f = (over: Partial<TrailFilter>): TrailFilter => ({ ...EMPTY_FILTER, ...over });

describe('trail filters', () => {
  it('match each field, case-insensitively, and combine', async () => {
    const h = await seededHarness();
    const rows = h.repo.list('trailEvent').map(toTrailRow);
    const count = (filter: TrailFilter) => rows.filter(compileFilter(filter)).length;
    expect(count(EMPTY_FILTER)).toBe(rows.length);
    expect(count(f({ eventName: 'encrypt' }))).toBe(3);
    expect(count(f({ errorCode: 'DisabledException' }))).toBe(1);
    expect(count(f({ errorCode: 'error' }))).toBe(2);
    expect(count(f({ errorCode: 'ok' }))).toBe(rows.length - 2);
    expect(count(f({ principal: 'alice' }))).toBe(1);
    expect(count(f({ principal: 'arn:aws:iam::111122223333:user/alice' }))).toBe(1);
    expect(count(f({ key: 'alias/orders' }))).toBeGreaterThanOrEqual(4);
    expect(count(f({ eventName: 'Encrypt', principal: 'root' }))).toBe(2);
    expect(count(f({ eventName: 'Encrypt', principal: 'root', errorCode: 'error' }))).toBe(1);
    const keyId = rows[0]!.record.record.resources![0]!.ARN.split('/')[1]!;
    expect(count(f({ key: keyId.slice(0, 8).toUpperCase() }))).toBeGreaterThan(3);
  });

  it('bound eventTime inclusively', () => {
    const rows = Array.from({ length: 10 }, (_, i) => toTrailRow(fakeRecord(i)));
    const t = (i: number) => rows[i]!.time;
    expect(rows.filter(compileFilter(f({ from: t(3) }))).map((r) => r.seq)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(rows.filter(compileFilter(f({ to: t(3) }))).map((r) => r.seq)).toEqual([0, 1, 2, 3]);
    expect(rows.filter(compileFilter(f({ from: t(2), to: t(4) }))).map((r) => r.seq)).toEqual([2, 3, 4]);
  });

  it('reads datetime-local values as UTC, the end bound covering its minute', () => {
    expect(parseUtcInput('2026-01-15T12:30')).toBe(Date.UTC(2026, 0, 15, 12, 30));
    expect(parseUtcInput('2026-01-15T12:30', true)).toBe(Date.UTC(2026, 0, 15, 12, 30, 59, 999));
    expect(parseUtcInput('2026-01-15T12:30:10')).toBe(Date.UTC(2026, 0, 15, 12, 30, 10));
    expect(parseUtcInput('')).toBeNull();
    expect(parseUtcInput('nope')).toBeNull();
  });

  it('turns the form into a filter', () => {
    expect(filterOf({ ...EMPTY_FIELDS, eventName: 'Decrypt', from: '2026-01-15T12:30', to: 'x' })).toEqual({
      ...EMPTY_FILTER,
      eventName: 'Decrypt',
      from: Date.UTC(2026, 0, 15, 12, 30),
      to: null,
    });
  });

  it('isEmptyFilter ignores blank text', () => {
    expect(isEmptyFilter(f({ eventName: '  ' }))).toBe(true);
    expect(isEmptyFilter(f({ from: 0 }))).toBe(false);
  });
});

describe('TrailQuery', () => {
  it('keeps the matches up to date incrementally and reads newest first', () => {
    const index = new TrailIndex();
    const all = Array.from({ length: 20 }, (_, i) => fakeRecord(i));
    index.sync(all.slice(0, 10));
    const q = new TrailQuery(index);
    const decrypts = f({ eventName: 'Decrypt' });
    let r = q.run(decrypts);
    expect([r.count, r.total]).toEqual([5, 10]);
    expect(r.at(0)?.seq).toBe(9);
    expect(r.at(4)?.seq).toBe(1);
    expect(r.at(5)).toBeUndefined();
    const old = r;
    index.sync(all);
    r = q.run(decrypts);
    expect([r.count, r.total]).toEqual([10, 20]);
    expect(r.newestFirst().map((x) => x.seq)).toEqual([19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
    expect(r.positionOfSeq(15)).toBe(2);
    expect(r.positionOfSeq(19)).toBe(0);
    expect(r.positionOfSeq(1)).toBe(9);
    expect(r.positionOfSeq(2)).toBe(-1);
    expect(r.positionOfSeq(99)).toBe(-1);
    expect(q.run(EMPTY_FILTER).positionOfSeq(2)).toBe(17);
    // An earlier result keeps showing what it captured.
    expect([old.count, old.at(0)?.seq]).toEqual([5, 9]);
  });

  it('equals a from-scratch filter after a filter change and a rebuild', () => {
    const index = new TrailIndex();
    index.sync(Array.from({ length: 30 }, (_, i) => fakeRecord(i)));
    const q = new TrailQuery(index);
    q.run(f({ eventName: 'Decrypt' }));
    const enc = q.run(f({ eventName: 'Encrypt' }));
    expect(enc.count).toBe(15);
    expect(q.run(EMPTY_FILTER).at(0)?.seq).toBe(29);
    index.sync([fakeRecord(100), fakeRecord(101)]);
    const after = q.run(f({ eventName: 'Encrypt' }));
    expect(after.newestFirst().map((x) => x.seq)).toEqual([100]);
  });
});
