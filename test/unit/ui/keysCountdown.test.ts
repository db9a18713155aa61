import { describe, expect, it } from 'vitest';
import { DAY_MS, daysLeft, daysLeftText, deletionCountdownText, rotationCountdownText, timeLeftText } from '../../../src/ui/keys/countdown';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('countdowns in sandbox days', () => {
  it('rounds partial days up and reaches 0 when due', () => {
    expect(daysLeft(NOW, NOW + 7 * DAY_MS)).toBe(7);
    expect(daysLeft(NOW, NOW + 6.2 * DAY_MS)).toBe(7);
    expect(daysLeft(NOW, NOW + 1)).toBe(1);
    expect(daysLeft(NOW, NOW)).toBe(0);
    expect(daysLeft(NOW, NOW - DAY_MS)).toBe(0);
  });

  it('words the time left in days, hours or under an hour', () => {
    expect(timeLeftText(NOW, NOW + 30 * DAY_MS)).toBe('in 30 sandbox days');
    expect(timeLeftText(NOW, NOW + DAY_MS)).toBe('in 1 sandbox day');
    expect(timeLeftText(NOW, NOW + 5 * 3_600_000)).toBe('in 5 sandbox hours');
    expect(timeLeftText(NOW, NOW + 3_600_000)).toBe('in 1 sandbox hour');
    expect(timeLeftText(NOW, NOW + 60_000)).toBe('in under an hour');
    expect(timeLeftText(NOW, NOW)).toBe('now');
    expect(daysLeftText(NOW, NOW + DAY_MS)).toBe('1 sandbox day left');
    expect(daysLeftText(NOW, NOW + 7 * DAY_MS)).toBe('7 sandbox days left');
  });

  it('tells a pending deletion and the next rotation as sentences', () => {
    expect(deletionCountdownText(NOW, NOW + 7 * DAY_MS)).toBe('KMS deletes the key and all its material in 7 sandbox days, unless you cancel the deletion.');
    expect(deletionCountdownText(NOW, NOW)).toMatch(/waiting period is over/);
    expect(rotationCountdownText(NOW, NOW + 90 * DAY_MS)).toBe('Next automatic rotation in 90 sandbox days.');
    expect(rotationCountdownText(NOW, NOW - 1)).toMatch(/Rotation is due/);
  });
});
