import { describe, expect, it } from 'vitest';
import { formatEventTime, formatTrailDate } from '../../../src/trail';

describe('formatEventTime', () => {
  it('is ISO-8601 UTC at second precision, truncated', () => {
    expect(formatEventTime(Date.parse('2025-05-20T20:46:16.999Z'))).toBe('2025-05-20T20:46:16Z');
    expect(formatEventTime(0)).toBe('1970-01-01T00:00:00Z');
  });
  it('never throws on times outside the Date range', () => {
    expect(formatEventTime(Number.NaN)).toBe('1970-01-01T00:00:00Z');
    expect(formatEventTime(1e20)).toBe('1970-01-01T00:00:00Z');
  });
});

describe('formatTrailDate', () => {
  it.each([
    [Date.UTC(2020, 11, 4, 19, 26, 27), 'Dec 4, 2020, 7:26:27 PM'],
    [Date.UTC(2025, 0, 9, 0, 5, 3), 'Jan 9, 2025, 12:05:03 AM'],
    [Date.UTC(2025, 6, 31, 12, 0, 0), 'Jul 31, 2025, 12:00:00 PM'],
    [Date.UTC(2025, 6, 31, 11, 59, 59), 'Jul 31, 2025, 11:59:59 AM'],
  ])('%i -> %s', (ms, text) => {
    expect(formatTrailDate(new Date(ms))).toBe(text);
  });
  it('an invalid Date is null', () => {
    expect(formatTrailDate(new Date(Number.NaN))).toBeNull();
  });
});
