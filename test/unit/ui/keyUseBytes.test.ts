import { describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { formatBytes, fromHex, fromPem, parseBytes, toHex, toPem } from '../../../src/ui/keys/use/bytes';
import { digestFor, digestHashFor, messageTypesFor, requiredLength, signRequest, verifyRequest } from '../../../src/ui/keys/use/signing';

describe('message bytes', () => {
  it('reads text, hex and base64 within 1..4096 bytes', () => {
    expect(parseBytes('hé', 'text')).toEqual({ ok: true, bytes: new Uint8Array([0x68, 0xc3, 0xa9]) });
    expect(parseBytes('0x00 ff', 'hex')).toEqual({ ok: true, bytes: new Uint8Array([0, 255]) });
    expect(parseBytes('AAE=', 'base64')).toEqual({ ok: true, bytes: new Uint8Array([0, 1]) });
    expect(parseBytes('abc', 'hex')).toEqual({ ok: false, reason: 'This is not valid hex.' });
    expect(parseBytes('***', 'base64')).toEqual({ ok: false, reason: 'This is not valid base64.' });
    expect(parseBytes('', 'text').ok).toBe(false);
    expect(parseBytes('x'.repeat(4096), 'text').ok).toBe(true);
    expect(parseBytes('x'.repeat(4097), 'text')).toEqual({ ok: false, reason: '4,097 bytes: KMS takes at most 4,096. Send a DIGEST instead.' });
    expect(toHex(new Uint8Array([1, 171]))).toBe('01ab');
    expect(fromHex('zz')).toBeNull();
    expect(formatBytes(new Uint8Array([255]), 'base64')).toBe('/w==');
  });

  it('writes PEM that node:crypto reads, and reads it back', () => {
    const der = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    const pem = toPem(new Uint8Array(der));
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/);
    expect(createPublicKey(pem).asymmetricKeyType).toBe('ed25519');
    expect(fromPem(pem)).toEqual(new Uint8Array(der));
    expect(fromPem('not pem')).toBeNull();
  });
});

describe('signing choices (§4.2)', () => {
  it('offers the message types each algorithm takes and the page digest for DIGEST', async () => {
    expect(messageTypesFor('ECDSA_SHA_384')).toEqual(['RAW', 'DIGEST']);
    expect(messageTypesFor('ED25519_SHA_512')).toEqual(['RAW']);
    expect(messageTypesFor('ED25519_PH_SHA_512')).toEqual(['DIGEST']);
    expect(messageTypesFor('ML_DSA_SHAKE_256')).toEqual(['RAW', 'EXTERNAL_MU']);
    expect(digestHashFor('RSASSA_PSS_SHA_512')).toBe('SHA-512');
    expect(digestHashFor('ML_DSA_SHAKE_256')).toBeNull();
    expect(requiredLength('ECDSA_SHA_384', 'DIGEST')).toBe(48);
    expect(requiredLength('ECDSA_SHA_384', 'RAW')).toBeNull();
    expect(toHex(await digestFor('ECDSA_SHA_256', new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const m = new Uint8Array([1]);
    const s = new Uint8Array([2]);
    expect(verifyRequest('k', m, 'RAW', 'ECDSA_SHA_256', s)).toEqual({ ...signRequest('k', m, 'RAW', 'ECDSA_SHA_256'), Signature: s });
  });
});
