/**
 * The clock in words (issue 5): the next scheduled event names the same time as
 * `KmsService.nextScheduledEventTime` and says what and on which key; an advance is logged as
 * what happened (rotations, completed deletions), with deleted keys still named by their alias.
 */
import { describe, expect, it } from 'vitest';
import type { AdvanceResult, AliasRecord, KeyRecord } from '../../../src/kms';
import {
  announceAdvance,
  describeAdvance,
  describeNextEvent,
  formatSpan,
  keyNames,
  nextScheduledEvent,
  parseAmount,
} from '../../../src/ui/identity/clock';
import { makeHarness, T0 } from '../kms/harness';

const DAY_MS = 86_400_000;

describe('next scheduled event', () => {
  it('is null when nothing is scheduled, and follows the service through rotations and deletions', async () => {
    const h = await makeHarness();
    const next = () => nextScheduledEvent(h.repo.list('key'), h.repo.list('alias'), h.service.now());
    const orders = await h.createKey();
    await h.call('CreateAlias', { AliasName: 'alias/orders', TargetKeyId: orders.keyId });
    expect(next()).toBeNull();
    expect(h.service.nextScheduledEventTime()).toBeNull();

    await h.call('EnableKeyRotation', { KeyId: orders.keyId, RotationPeriodInDays: 90 });
    const old = await h.createKey();
    await h.call('ScheduleKeyDeletion', { KeyId: old.keyId, PendingWindowInDays: 7 });

    // The deletion (7 days) comes before the rotation (90 days).
    const first = next()!;
    expect(first).toMatchObject({ kind: 'deletion', keyArn: old.arn, keyName: old.keyId });
    expect(first.time).toBe(h.service.nextScheduledEventTime());
    expect(describeNextEvent(first)).toMatch(new RegExp(`^deletion of ${old.keyId} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`));

    const names = keyNames(h.repo.list('key'), h.repo.list('alias'));
    const r1 = await h.service.advanceClock(first.time - h.service.now());
    const log1 = describeAdvance(formatSpan(7, 'day'), r1, names);
    expect(log1.happened).toEqual([expect.stringMatching(new RegExp(`^${old.keyId} deleted`))]);

    const second = next()!;
    expect(second).toMatchObject({ kind: 'rotation', keyArn: orders.arn, keyName: 'alias/orders' });
    expect(second.time).toBe(h.service.nextScheduledEventTime());
    expect(describeNextEvent(second)).toMatch(/^rotation of alias\/orders on /);
    const r2 = await h.service.advanceClock(second.time - h.service.now());
    const log2 = describeAdvance('to the next event', r2, keyNames(h.repo.list('key'), h.repo.list('alias')));
    expect(log2.happened).toEqual([expect.stringMatching(/^alias\/orders rotated \(new key material\) at /)]);
    expect(announceAdvance(log2)).toMatch(/^Advanced to the next event to .* UTC: alias\/orders rotated/);
    // The next rotation is one period later.
    expect(next()!.time).toBe(second.time + 90 * DAY_MS);
  });

  it('ignores past dates and keys not in a scheduling state; a deletion wins a tie', () => {
    const key = (over: Partial<KeyRecord>): KeyRecord =>
      ({
        id: `arn:aws:kms:us-east-1:111122223333:key/${over.keyId}`,
        accountId: '111122223333',
        region: 'us-east-1',
        keyState: 'Enabled',
        rotationEnabled: false,
        nextRotationDate: null,
        deletionDate: null,
        ...over,
      }) as KeyRecord;
    const t = T0 + 10 * DAY_MS;
    const keys = [
      key({ keyId: 'a' as KeyRecord['keyId'], rotationEnabled: true, nextRotationDate: T0 }), // past
      key({ keyId: 'b' as KeyRecord['keyId'], keyState: 'Disabled', rotationEnabled: true, nextRotationDate: t }), // disabled: no rotation
      key({ keyId: 'c' as KeyRecord['keyId'], rotationEnabled: true, nextRotationDate: t + DAY_MS }),
      key({ keyId: 'd' as KeyRecord['keyId'], keyState: 'PendingDeletion', deletionDate: t + DAY_MS }),
    ];
    const alias = { aliasName: 'alias/c', targetKeyId: 'c', accountId: '111122223333', region: 'us-east-1' } as AliasRecord;
    // Same id in another Region does not name the key.
    const elsewhere = { aliasName: 'alias/a', targetKeyId: 'c', accountId: '111122223333', region: 'eu-west-1' } as AliasRecord;
    expect(nextScheduledEvent(keys, [alias, elsewhere], T0 + DAY_MS)).toMatchObject({ kind: 'deletion', keyName: 'd', time: t + DAY_MS });
    expect(nextScheduledEvent(keys.slice(0, 3), [alias, elsewhere], T0 + DAY_MS)).toMatchObject({ kind: 'rotation', keyName: 'alias/c' });
    expect(nextScheduledEvent(keys.slice(0, 2), [], T0 + DAY_MS)).toBeNull();
  });
});

describe('advance log', () => {
  it('says nothing was due when nothing happened', () => {
    const result: AdvanceResult = { now: Date.UTC(2026, 0, 16, 15, 0), events: [] };
    const entry = describeAdvance(formatSpan(3, 'hour'), result, new Map());
    expect(entry).toEqual({ summary: 'Advanced 3 hours to 2026-01-16 15:00 UTC', happened: [] });
    expect(announceAdvance(entry)).toBe('Advanced 3 hours to 2026-01-16 15:00 UTC: nothing was due.');
    expect(formatSpan(1, 'day')).toBe('1 day');
  });

  it('parses the amounts typed in the clock inputs', () => {
    expect(parseAmount('30', 'day', 3650)).toEqual({ ok: true, value: 30 });
    expect(parseAmount(' 2 ', 'hour', 8760)).toEqual({ ok: true, value: 2 });
    expect(parseAmount('0', 'day', 3650)).toEqual({ ok: false, reason: 'Advance by at least 1 day.' });
    expect(parseAmount('1.5', 'hour', 8760)).toEqual({ ok: false, reason: 'Enter a whole number of hours.' });
    expect(parseAmount('-1', 'day', 3650).ok).toBe(false);
    expect(parseAmount('', 'day', 3650).ok).toBe(false);
    expect(parseAmount('3651', 'day', 3650)).toEqual({ ok: false, reason: 'Advance by at most 3650 days at a time.' });
  });
});
