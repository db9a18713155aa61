import { describe, expect, it } from 'vitest';
const DAY = 86_400_000;
import { ACCOUNT, REGION, ROOT, makeHarness as makeDayHarness, utf8 } from '../harness';

describe('EnableKey / DisableKey', () => {
  it('are idempotent between Enabled and Disabled', async () => {
    const h = await makeDayHarness();
    const { keyId } = await h.createKey();
    await h.call('EnableKey', { KeyId: keyId });
    await h.call('DisableKey', { KeyId: keyId });
    await h.call('DisableKey', { KeyId: keyId });
    expect((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await h.call('EnableKey', { KeyId: keyId });
    expect((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeyState: 'Enabled', Enabled: true });
  });

  it('take a key id or ARN, never an alias', async () => {
    const h = await makeDayHarness();
    const { keyId } = await h.createKey();
    await h.call('CreateAlias', { AliasName: 'alias/x', TargetKeyId: keyId });
    expect((await h.fail('DisableKey', { KeyId: 'alias/x' })).name).toBe('NotFoundException');
    expect((await h.fail('DisableKey', { KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/x` })).name).toBe('InvalidArnException');
  });
});

describe('ScheduleKeyDeletion / CancelKeyDeletion', () => {
  it('accepts 7–30 days (default 30) and reports the deletion date', async () => {
    const h = await makeDayHarness();
    const { keyId, arn } = await h.createKey();
    const r = await h.call('ScheduleKeyDeletion', { KeyId: keyId });
    expect(r).toEqual({ KeyId: arn, DeletionDate: new Date(h.clock.t + 30 * DAY), KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
    const m = (await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>;
    expect(m).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date(h.clock.t + 30 * DAY) });
    expect(await h.fail('ScheduleKeyDeletion', { KeyId: keyId })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is pending deletion.` });
  });

  it('refuses windows outside 7–30 (service) and 1–365 (model)', async () => {
    const h = await makeDayHarness();
    const { keyId } = await h.createKey();
    for (const d of [6, 31, 365]) expect((await h.fail('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: d })).message).toMatch(/between 7 and 30/);
    expect((await h.fail('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 366 })).message).toMatch(/less than or equal to 365/);
    expect((await h.fail('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 0 })).message).toMatch(/greater than or equal to 1/);
  });

  it('cancel always leaves the key Disabled', async () => {
    const h = await makeDayHarness();
    const { keyId, arn } = await h.createKey();
    expect(await h.fail('CancelKeyDeletion', { KeyId: keyId })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is not pending deletion.` });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect(await h.call('CancelKeyDeletion', { KeyId: keyId })).toEqual({ KeyId: arn });
    const m = (await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>;
    expect(m.KeyState).toBe('Disabled');
    expect(m.DeletionDate).toBeUndefined();
  });

  it('deletes the key with its aliases, tags and policy when the window passes', async () => {
    const h = await makeDayHarness();
    const { keyId, arn } = await h.createKey({ Tags: [{ TagKey: 'a', TagValue: 'b' }] });
    await h.call('CreateAlias', { AliasName: 'alias/doomed', TargetKeyId: keyId });
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('x') });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    expect(h.service.nextScheduledEventTime()).toBe(h.clock.t + 7 * DAY);
    const early = await h.service.advanceClock(7 * DAY - 1);
    expect(early.events).toEqual([]);
    expect((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion' });
    const done = await h.service.advanceClock(1);
    expect(done.events.map((e) => (e.kind === 'service' ? e.eventName : e.operation))).toEqual(['DeleteKey']);
    expect(await h.fail('DescribeKey', { KeyId: keyId })).toEqual({ name: 'NotFoundException', message: `Key '${arn}' does not exist` });
    expect((await h.fail('Decrypt', { CiphertextBlob: enc.CiphertextBlob })).name).toBe('InvalidCiphertextException');
    expect(((await h.call('ListAliases')).Aliases as { AliasName: string }[]).map((a) => a.AliasName)).not.toContain('alias/doomed');
    expect(h.repo.list('tag')).toEqual([]);
    expect(h.repo.list('policy')).toEqual([]);
    expect(h.repo.list('material')).toEqual([]);
    const del = h.repo.list('trailEvent').find((t) => t.record.eventName === 'DeleteKey')!.record;
    expect(del).toMatchObject({ eventType: 'AwsServiceEvent', serviceEventDetails: { keyId }, readOnly: false });
  });

  it('deletion also completes when injected time passes on its own', async () => {
    const h = await makeDayHarness();
    const { keyId } = await h.createKey();
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    h.clock.t += 8 * DAY;
    expect((await h.fail('DescribeKey', { KeyId: keyId })).name).toBe('NotFoundException');
  });
});

describe('UpdateKeyDescription', () => {
  it('updates, clears and refuses while pending deletion', async () => {
    const h = await makeDayHarness();
    const { keyId, arn } = await h.createKey({ Description: 'a' });
    await h.call('UpdateKeyDescription', { KeyId: keyId, Description: '' });
    expect((await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata).toMatchObject({ Description: '' });
    expect((await h.fail('UpdateKeyDescription', { KeyId: keyId })).message).toMatch(/Value null at 'description'/);
    await h.call('ScheduleKeyDeletion', { KeyId: keyId });
    expect(await h.fail('UpdateKeyDescription', { KeyId: keyId, Description: 'b' })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is pending deletion.` });
  });
});

describe('ListKeys', () => {
  it('lists the account and Region keys in pages with opaque markers', async () => {
    const h = await makeDayHarness();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.clock.t += 1000;
      ids.push((await h.createKey()).keyId);
    }
    const seen: string[] = [];
    let Marker: string | undefined;
    do {
      const r = await h.call('ListKeys', { Limit: 2, ...(Marker ? { Marker } : {}) });
      seen.push(...(r.Keys as { KeyId: string }[]).map((k) => k.KeyId));
      Marker = r.NextMarker as string | undefined;
      expect(r.Truncated).toBe(Marker !== undefined);
    } while (Marker);
    expect(seen).toEqual(ids);
    expect((await h.fail('ListKeys', { Marker: 'bogus' })).name).toBe('InvalidMarkerException');
    expect((await h.fail('ListKeys', { Limit: 0 })).name).toBe('ValidationException');
    expect((await h.call('ListKeys', {}, { ...ROOT, region: 'eu-west-1' as never })).Keys).toEqual([]);
  });
});
