import { describe, expect, it } from 'vitest';
import { makeHarness, text, utf8 } from '../harness';

const DAY = 86_400_000;

describe('automatic rotation', () => {
  it('is off by default; enabling schedules one period ahead (default 365)', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    expect(await h.call('GetKeyRotationStatus', { KeyId: keyId })).toEqual({ KeyRotationEnabled: false, KeyId: arn });
    await h.call('EnableKeyRotation', { KeyId: keyId });
    expect(await h.call('GetKeyRotationStatus', { KeyId: keyId })).toEqual({
      KeyRotationEnabled: true,
      KeyId: arn,
      RotationPeriodInDays: 365,
      NextRotationDate: new Date(h.clock.t + 365 * DAY),
    });
    for (const d of [89, 2561]) expect((await h.fail('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: d })).name).toBe('ValidationException');
  });

  it('rotates at NextRotationDate: new AUTOMATIC material, old ciphertext still decrypts', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const before = (await h.call('DescribeKey', { KeyId: keyId })).KeyMetadata as { CurrentKeyMaterialId: string };
    const old = await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8('old') });
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    expect(h.service.nextScheduledEventTime()).toBe(h.clock.t + 90 * DAY);
    const adv = await h.service.advanceClock(200 * DAY);
    expect(adv.events.map((e) => (e.kind === 'service' ? e.eventName : ''))).toEqual(['RotateKey', 'RotateKey']);
    const rotations = (await h.call('ListKeyRotations', { KeyId: keyId })).Rotations as Record<string, unknown>[];
    expect(rotations).toHaveLength(2);
    expect(rotations.map((r) => r.RotationType)).toEqual(['AUTOMATIC', 'AUTOMATIC']);
    expect(rotations.map((r) => r.KeyMaterialState)).toEqual(['NON_CURRENT', 'CURRENT']);
    expect(rotations[0]!.RotationDate).toEqual(new Date(h.clock.t + 90 * DAY));
    const all = (await h.call('ListKeyRotations', { KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as Record<string, unknown>[];
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({ KeyId: keyId, KeyMaterialId: before.CurrentKeyMaterialId, KeyMaterialState: 'NON_CURRENT' });
    const dec = await h.call('Decrypt', { CiphertextBlob: old.CiphertextBlob });
    expect(text(dec.Plaintext)).toBe('old');
    expect(dec.KeyMaterialId).toBe(before.CurrentKeyMaterialId);
    const fresh = await h.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    expect(fresh.KeyMaterialId).toBe(rotations[1]!.KeyMaterialId);
    const status = await h.call('GetKeyRotationStatus', { KeyId: keyId });
    expect(status.NextRotationDate).toEqual(new Date(h.clock.t + 270 * DAY));
    const trail = h.repo.list('trailEvent').filter((t) => t.record.eventName === 'RotateKey');
    expect(trail).toHaveLength(2);
    expect(trail[0]!.record.eventTime).toBe(new Date(h.clock.t + 90 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('does not rotate a disabled key; re-enabling an overdue key rotates at once', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    await h.call('DisableKey', { KeyId: keyId });
    expect((await h.service.advanceClock(100 * DAY)).events).toEqual([]);
    await h.call('EnableKey', { KeyId: keyId });
    const r = await h.call('ListKeyRotations', { KeyId: keyId });
    expect(r.Rotations).toHaveLength(1);
  });

  it('reports false while pending deletion and comes back after cancel', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('EnableKeyRotation', { KeyId: keyId });
    await h.call('ScheduleKeyDeletion', { KeyId: keyId });
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId })).KeyRotationEnabled).toBe(false);
    await h.call('CancelKeyDeletion', { KeyId: keyId });
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId })).KeyRotationEnabled).toBe(true);
  });

  it('DisableKeyRotation stops the schedule; EnableKeyRotation on a disabled key is DisabledException', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await h.call('EnableKeyRotation', { KeyId: keyId });
    await h.call('DisableKeyRotation', { KeyId: keyId });
    expect(h.service.nextScheduledEventTime()).toBeNull();
    await h.call('DisableKey', { KeyId: keyId });
    expect(await h.fail('EnableKeyRotation', { KeyId: keyId })).toEqual({ name: 'DisabledException', message: `${arn} is disabled.` });
  });

  it('changing the period moves the next date from the last rotation', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    const t0 = h.clock.t;
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 365 });
    await h.service.advanceClock(100 * DAY);
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 180 });
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId })).NextRotationDate).toEqual(new Date(t0 + 180 * DAY));
    await h.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    // Base + 90 days has passed: the key rotates at once.
    await h.call('DescribeKey', { KeyId: keyId });
    expect((await h.call('ListKeyRotations', { KeyId: keyId })).Rotations).toHaveLength(1);
  });
});

describe('RotateKeyOnDemand', () => {
  it('rotates now, keeps the automatic schedule, and stops after 10', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await h.call('EnableKeyRotation', { KeyId: keyId });
    const next = (await h.call('GetKeyRotationStatus', { KeyId: keyId })).NextRotationDate;
    const blobs: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      blobs.push((await h.call('Encrypt', { KeyId: keyId, Plaintext: utf8(`v${i}`) })).CiphertextBlob);
      expect(await h.call('RotateKeyOnDemand', { KeyId: keyId })).toEqual({ KeyId: arn });
    }
    const e = await h.fail('RotateKeyOnDemand', { KeyId: keyId });
    expect(e.name).toBe('LimitExceededException');
    expect(e.message).toMatch(/10/);
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId })).NextRotationDate).toEqual(next);
    const rot = (await h.call('ListKeyRotations', { KeyId: keyId, Limit: 4 }));
    expect(rot.Truncated).toBe(true);
    for (let i = 0; i < 10; i++) expect(text((await h.call('Decrypt', { CiphertextBlob: blobs[i] })).Plaintext)).toBe(`v${i}`);
    await h.call('DisableKey', { KeyId: keyId });
    expect((await h.fail('RotateKeyOnDemand', { KeyId: keyId })).name).toBe('DisabledException');
  });
});
