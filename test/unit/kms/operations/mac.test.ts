/**
 * GenerateMac and VerifyMac through the service (kms-semantics.md §2.2, §4.1): RFC 2104 HMAC of
 * every HMAC spec checked against node:crypto with the key's material, MacValid: true,
 * KMSInvalidMacException on any mismatch, the spec's one MacAlgorithm (HMAC_SHA_256 on an HMAC_224
 * key → InvalidKeyUsageException), usage errors, validation, DryRun, states, grants, trail.
 */
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CallerContext } from '../../../../src/kms';
import { ACCOUNT, REGION, makeHarness, utf8, type Harness } from '../harness';

const SPECS = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'] as const;
const algOf = (spec: string) => `HMAC_SHA_${spec.slice(5)}`;
const MESSAGE = utf8('GET /orders?id=42 2026-01-15T12:00:00Z');

let h: Harness;
const keys = new Map<string, { keyId: string; arn: string; material: Uint8Array }>();
beforeAll(async () => {
  h = await makeHarness();
  for (const spec of SPECS) {
    const k = await h.createKey({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' });
    const [m] = h.repo.list('material').filter((x) => x.keyArn === k.arn);
    keys.set(spec, { ...k, material: m!.material });
  }
});

describe('GenerateMac / VerifyMac', () => {
  for (const spec of SPECS) {
    it(`${spec}: the MAC is node's HMAC with the key; VerifyMac accepts it and refuses tampering`, async () => {
      const k = keys.get(spec)!;
      const alg = algOf(spec);
      const r = await h.call('GenerateMac', { KeyId: k.keyId, Message: MESSAGE, MacAlgorithm: alg, GrantTokens: [] });
      const { $metadata: _, ...members } = r as Record<string, unknown>;
      expect(members).toEqual({ Mac: expect.any(Uint8Array), MacAlgorithm: alg, KeyId: k.arn });
      const expected = createHmac(`sha${spec.slice(5)}`, k.material).update(MESSAGE).digest();
      expect(Buffer.from(r.Mac as Uint8Array)).toEqual(expected);
      const v = await h.call('VerifyMac', { KeyId: k.keyId, Message: MESSAGE, Mac: new Uint8Array(expected), MacAlgorithm: alg });
      expect(v).toMatchObject({ KeyId: k.arn, MacValid: true, MacAlgorithm: alg });
      const bad = new Uint8Array(expected);
      bad[0]! ^= 0x80;
      expect(await h.fail('VerifyMac', { KeyId: k.keyId, Message: MESSAGE, Mac: bad, MacAlgorithm: alg })).toEqual({ name: 'KMSInvalidMacException', message: '' });
      expect((await h.fail('VerifyMac', { KeyId: k.keyId, Message: utf8('other'), Mac: r.Mac, MacAlgorithm: alg })).name).toBe('KMSInvalidMacException');
      expect((await h.fail('VerifyMac', { KeyId: k.keyId, Message: MESSAGE, Mac: (r.Mac as Uint8Array).slice(0, 16), MacAlgorithm: alg })).name).toBe(
        'KMSInvalidMacException',
      );
    });
  }

  it('a MAC of one HMAC key does not verify under another key of the same spec', async () => {
    const other = await h.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const r = await h.call('GenerateMac', { KeyId: keys.get('HMAC_256')!.keyId, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' });
    expect((await h.fail('VerifyMac', { KeyId: other.keyId, Message: MESSAGE, Mac: r.Mac, MacAlgorithm: 'HMAC_SHA_256' })).name).toBe('KMSInvalidMacException');
  });

  it('fast-check: VerifyMac(GenerateMac(m)) holds; any single-bit flip fails', async () => {
    const k = keys.get('HMAC_512')!;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), fc.nat(), async (m, bit) => {
        const mac = (await h.call('GenerateMac', { KeyId: k.keyId, Message: m, MacAlgorithm: 'HMAC_SHA_512' })).Mac as Uint8Array;
        await h.call('VerifyMac', { KeyId: k.keyId, Message: m, Mac: mac, MacAlgorithm: 'HMAC_SHA_512' });
        const t = mac.slice();
        t[(bit >> 3) % t.length]! ^= 1 << (bit & 7);
        expect((await h.fail('VerifyMac', { KeyId: k.keyId, Message: m, Mac: t, MacAlgorithm: 'HMAC_SHA_512' })).name).toBe('KMSInvalidMacException');
      }),
      { numRuns: 30 },
    );
  });

  it('MacAlgorithm must be the key spec one: HMAC_SHA_256 on an HMAC_224 key is InvalidKeyUsageException', async () => {
    for (const op of ['GenerateMac', 'VerifyMac']) {
      expect(await h.fail(op, { KeyId: keys.get('HMAC_224')!.keyId, Message: MESSAGE, Mac: new Uint8Array(32), MacAlgorithm: 'HMAC_SHA_256' })).toEqual({
        name: 'InvalidKeyUsageException',
        message: 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_224.',
      });
    }
  });

  it('keys of another usage: InvalidKeyUsageException with AWS message', async () => {
    for (const [create, usage] of [[{}, 'ENCRYPT_DECRYPT'], [{ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, 'SIGN_VERIFY']] as const) {
      const k = await h.createKey(create);
      for (const op of ['GenerateMac', 'VerifyMac']) {
        expect(await h.fail(op, { KeyId: k.arn, Message: MESSAGE, Mac: new Uint8Array(32), MacAlgorithm: 'HMAC_SHA_256' })).toEqual({
          name: 'InvalidKeyUsageException',
          message: `${k.arn} key usage is ${usage} which is not valid for ${op}.`,
        });
      }
    }
  });

  it('validates Message (1–4096), Mac and MacAlgorithm with the model messages', async () => {
    const k = keys.get('HMAC_256')!.keyId;
    expect((await h.fail('GenerateMac', { KeyId: k, Message: new Uint8Array(0), MacAlgorithm: 'HMAC_SHA_256' })).message).toBe(
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await h.fail('GenerateMac', { KeyId: k, Message: new Uint8Array(4097), MacAlgorithm: 'HMAC_SHA_256' })).message).toBe(
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
    expect((await h.fail('GenerateMac', { KeyId: k, Message: MESSAGE, MacAlgorithm: 'HMAC_MD5' })).message).toBe(
      "1 validation error detected: Value 'HMAC_MD5' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_224, HMAC_SHA_256, HMAC_SHA_384, HMAC_SHA_512]",
    );
    expect((await h.fail('VerifyMac', { KeyId: k, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' })).message).toBe(
      "1 validation error detected: Value null at 'mac' failed to satisfy constraint: Member must not be null",
    );
  });

  it('DryRun, disabled and pending-deletion keys, grants, and a trail record without message or MAC', async () => {
    const hh = await makeHarness({ seed: 3 });
    const APP: CallerContext = { principalArn: `arn:aws:iam::${ACCOUNT}:role/AppRole`, accountId: ACCOUNT as CallerContext['accountId'], region: REGION as CallerContext['region'] };
    const k = await hh.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const req = { KeyId: k.keyId, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' };
    expect((await hh.fail('GenerateMac', { ...req, DryRun: true })).name).toBe('DryRunOperationException');
    expect((await hh.fail('VerifyMac', { ...req, Mac: new Uint8Array(32), DryRun: true })).name).toBe('DryRunOperationException');
    const mac = (await hh.call('GenerateMac', req)).Mac as Uint8Array;
    const rec = hh.repo.list('trailEvent').map((t) => t.record).filter((r) => r.eventName === 'GenerateMac').at(-1)!;
    expect(rec.requestParameters).toEqual({ keyId: k.keyId, macAlgorithm: 'HMAC_SHA_256' });
    const text = JSON.stringify(rec);
    expect(text).not.toContain(Buffer.from(MESSAGE).toString('base64'));
    expect(text).not.toContain(Buffer.from(mac).toString('base64'));
    expect((await hh.fail('GenerateMac', req, APP)).name).toBe('AccessDeniedException');
    const g = await hh.call('CreateGrant', { KeyId: k.keyId, GranteePrincipal: APP.principalArn, Operations: ['VerifyMac'] });
    await hh.call('VerifyMac', { ...req, Mac: mac, GrantTokens: [g.GrantToken] }, APP);
    expect((await hh.fail('GenerateMac', { ...req, GrantTokens: [g.GrantToken] }, APP)).name).toBe('AccessDeniedException');
    await hh.call('DisableKey', { KeyId: k.keyId });
    expect(await hh.fail('GenerateMac', req)).toEqual({ name: 'DisabledException', message: `${k.arn} is disabled.` });
    await hh.call('ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: 7 });
    expect((await hh.fail('VerifyMac', { ...req, Mac: mac })).name).toBe('KMSInvalidStateException');
  });
});
