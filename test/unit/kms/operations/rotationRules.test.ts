/**
 * Which keys rotate (§8, §1.5 footnotes 6 and 7): automatic and on-demand rotation are refused
 * for asymmetric, HMAC, imported-material, custom-key-store and AWS managed keys as AWS refuses
 * them; multi-Region replicas take rotation from their primary (§9).
 */
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../../../src/kms';
import { makeHarness, type Harness } from '../harness';

const OPS = ['EnableKeyRotation', 'DisableKeyRotation', 'RotateKeyOnDemand', 'GetKeyRotationStatus', 'ListKeyRotations'] as const;

/** Rewrites a key record in place (a key kind this helper's operations cannot create yet). */
async function patchKey(h: Harness, arn: string, patch: Partial<KeyRecord>): Promise<void> {
  const key = h.repo.get('key', arn)!;
  await h.repo.commit({ puts: [{ ...key, ...patch }], deletes: [] });
}

describe('rotation refusals by key type', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['RSA_2048 ENCRYPT_DECRYPT', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, /asymmetric KMS key \(KeySpec RSA_2048\)/],
    ['ECC_NIST_P256 SIGN_VERIFY', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, /asymmetric KMS key/],
    ['HMAC_256', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, /an HMAC KMS key \(KeySpec HMAC_256\)/],
  ];
  for (const [label, req, message] of cases) {
    it(`${label}: every rotation operation is UnsupportedOperationException`, async () => {
      const h = await makeHarness();
      const { keyId, arn } = await h.createKey(req);
      for (const op of OPS) {
        const e = await h.fail(op, { KeyId: keyId });
        expect(e.name, op).toBe('UnsupportedOperationException');
        expect(e.message.startsWith(arn), op).toBe(true);
        expect(e.message, op).toMatch(message);
      }
    });
  }

  it('imported material (EXTERNAL): footnote 6 for the automatic switches; on demand, no material pending rotation', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL' });
    // Awaiting import: the state rule comes first.
    expect(await h.fail('RotateKeyOnDemand', { KeyId: keyId })).toEqual({ name: 'KMSInvalidStateException', message: `${arn} is pending import.` });
    expect(await h.fail('EnableKeyRotation', { KeyId: keyId })).toEqual({
      name: 'UnsupportedOperationException',
      message: `${arn} origin is EXTERNAL which is not valid for this operation.`,
    });
    // With material (state written directly: the import flow is tested in importKeyMaterial.test.ts).
    await patchKey(h, arn, { keyState: 'Enabled' });
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus'] as const) {
      expect(await h.fail(op, { KeyId: keyId }), op).toEqual({
        name: 'UnsupportedOperationException',
        message: `${arn} origin is EXTERNAL which is not valid for this operation.`,
      });
    }
    expect(await h.fail('RotateKeyOnDemand', { KeyId: keyId })).toEqual({
      name: 'KMSInvalidStateException',
      message: `No available key material pending rotation for the key: ${arn}.`,
    });
    expect(await h.call('ListKeyRotations', { KeyId: keyId })).toEqual({ Rotations: [], Truncated: false });
  });

  it('an asymmetric EXTERNAL key is refused as asymmetric, also on demand', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await patchKey(h, arn, { keyState: 'Enabled' });
    const e = await h.fail('RotateKeyOnDemand', { KeyId: keyId });
    expect(e.name).toBe('UnsupportedOperationException');
    expect(e.message).toMatch(/asymmetric/);
  });

  it('a key in a custom key store: every rotation operation is UnsupportedOperationException', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await patchKey(h, arn, { origin: 'AWS_CLOUDHSM', customKeyStoreId: 'cks-1234567890abcdef0' });
    for (const op of OPS) {
      const e = await h.fail(op, { KeyId: keyId });
      expect(e.name, op).toBe('UnsupportedOperationException');
      expect(e.message, op).toMatch(/custom key store/);
    }
  });

  it('an AWS managed key reports rotation on and cannot be rotated on demand', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey();
    await patchKey(h, arn, { keyManager: 'AWS', rotationEnabled: true, rotationPeriodInDays: 365, nextRotationDate: h.clock.t + 365 * 86_400_000 });
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId })).KeyRotationEnabled).toBe(true);
    const e = await h.fail('RotateKeyOnDemand', { KeyId: keyId });
    expect(e.name).toBe('UnsupportedOperationException');
    expect(e.message).toMatch(/AWS managed key/);
  });

  it('a multi-Region replica: rotation is set and performed on the primary; its status is readable', async () => {
    const h = await makeHarness();
    const { keyId, arn } = await h.createKey({ MultiRegion: true });
    expect(keyId.startsWith('mrk-')).toBe(true);
    // The primary itself rotates (propagation to replicas is multiRegion.ts's part).
    await h.call('EnableKeyRotation', { KeyId: keyId });
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    await patchKey(h, arn, { multiRegionKeyType: 'REPLICA' });
    for (const op of ['EnableKeyRotation', 'DisableKeyRotation', 'RotateKeyOnDemand'] as const) {
      const e = await h.fail(op, { KeyId: keyId });
      expect(e.name, op).toBe('UnsupportedOperationException');
      expect(e.message, op).toMatch(/replica/);
    }
    expect((await h.call('GetKeyRotationStatus', { KeyId: keyId })).KeyRotationEnabled).toBe(true);
    expect((await h.call('ListKeyRotations', { KeyId: keyId })).Rotations).toHaveLength(1);
  });

  it('a symmetric AWS_KMS customer key still rotates both ways (the refusals above are not blanket)', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    await h.call('EnableKeyRotation', { KeyId: keyId });
    await h.call('RotateKeyOnDemand', { KeyId: keyId });
    await h.call('DisableKeyRotation', { KeyId: keyId });
    expect((await h.call('ListKeyRotations', { KeyId: keyId })).Rotations).toHaveLength(1);
  });
});
