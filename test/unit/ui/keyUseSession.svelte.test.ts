/** The Sign/Verify panels' state (SignSession) and the shared public key (PublicKeyState) against the real service. */
import { describe, expect, it } from 'vitest';
import { PublicKeyState } from '../../../src/ui/keys/use/publicKey.svelte';
import { SignSession } from '../../../src/ui/keys/use/signSession.svelte';
import { makeHarness } from '../kms/harness';

describe('SignSession', () => {
  it('checks the message against the message type and algorithm, and keeps only allowed message types', () => {
    const s = new SignSession(['ECDSA_SHA_384']);
    expect([s.algorithm, s.messageType]).toEqual(['ECDSA_SHA_384', 'RAW']);
    expect(s.message).toEqual({ ok: false, reason: 'The message is empty: KMS takes 1 to 4,096 bytes.' });
    s.text = 'manifest';
    expect(s.message.ok).toBe(true);
    s.messageType = 'DIGEST';
    expect(s.message).toEqual({ ok: false, reason: 'DIGEST with ECDSA_SHA_384 needs exactly 48 bytes; this is 8.' });
    s.useDigest(new Uint8Array(48).fill(7));
    expect([s.format, s.text.length, s.message.ok]).toEqual(['hex', 96, true]);
    s.file = new Uint8Array(5000);
    expect(s.message.ok ? null : s.message.reason).toMatch(/^The file has 5,000 bytes: KMS signs at most 4,096\. Compute its digest/);
    const ed = new SignSession(['ED25519_SHA_512', 'ED25519_PH_SHA_512']);
    ed.chooseAlgorithm('ED25519_PH_SHA_512');
    expect(ed.messageType).toBe('DIGEST');
    ed.chooseAlgorithm('ED25519_SHA_512');
    expect(ed.messageType).toBe('RAW');
  });

  it('shows the signature as base64 or hex, and reads back what the learner edits', () => {
    const s = new SignSession(['ECDSA_SHA_256']);
    s.signatureText = 'AAH/';
    expect(s.signature).toEqual(new Uint8Array([0, 1, 255]));
    s.showSignatureAs('hex');
    expect([s.signatureFormat, s.signatureText]).toEqual(['hex', '0001ff']);
    s.signatureText = '0001fg';
    expect(s.signature).toBeNull();
  });
});

describe('PublicKeyState', () => {
  it('calls GetPublicKey once through the caller, keeps the DER and the other members; errors stay in the action', async () => {
    const h = await makeHarness();
    const { arn } = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const calls: string[] = [];
    const caller = { call: (op: string, req: Record<string, unknown>) => (calls.push(op), h.call(op, req)) };
    const pub = new PublicKeyState(caller, arn);
    const der = await pub.ensure();
    expect(der.length).toBe(91);
    expect(await pub.ensure()).toBe(der);
    expect(calls).toEqual(['GetPublicKey']);
    expect(pub.response).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    expect(pub.response).not.toHaveProperty('PublicKey');
    const { arn: hmac } = await h.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const none = new PublicKeyState(caller, hmac);
    await expect(none.ensure()).rejects.toMatchObject({ name: expect.stringMatching(/Exception$/) });
    expect(none.der).toBeNull();
  });
});
