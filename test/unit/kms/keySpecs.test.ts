/**
 * kms/keySpecs.ts (what KeyMetadata and the operations report) and crypto/keys/specs.ts (what the
 * crypto leaf signs, encrypts and agrees with) both list §4.1's algorithms: the leaf may not import
 * kms, and keySpecs.ts stays out of the lazily loaded crypto chunk. This test keeps them one table.
 */
import { describe, expect, it } from 'vitest';
import { algorithmsOf, usagesOf } from '../../../src/kms/keySpecs';
import * as keys from '../../../src/kms/crypto/keys/index';

describe('keySpecs.ts agrees with crypto/keys', () => {
  it.each(keys.ASYMMETRIC_KEY_SPECS.map((s) => [s]))('%s', (spec) => {
    const sorted = (l: readonly string[] | undefined) => [...(l ?? [])].sort();
    expect(sorted(algorithmsOf(spec, 'SIGN_VERIFY')?.SigningAlgorithms)).toEqual(sorted(keys.signingAlgorithmsFor(spec)));
    expect(sorted(algorithmsOf(spec, 'ENCRYPT_DECRYPT')?.EncryptionAlgorithms)).toEqual(sorted(keys.encryptionAlgorithmsFor(spec)));
    expect(sorted(algorithmsOf(spec, 'KEY_AGREEMENT')?.KeyAgreementAlgorithms)).toEqual(sorted(keys.keyAgreementAlgorithmsFor(spec)));
    expect(sorted(algorithmsOf(spec, 'ENCAPSULATE_DECAPSULATE')?.EncapsulationAlgorithms)).toEqual(sorted(keys.encapsulationAlgorithmsFor(spec)));
    expect(usagesOf(spec).length).toBeGreaterThan(0);
  });

  it.each(keys.HMAC_KEY_SPECS.map((s) => [s]))('%s', (spec) => {
    expect(algorithmsOf(spec, 'GENERATE_VERIFY_MAC')?.MacAlgorithms).toEqual([keys.macAlgorithmFor(spec)]);
  });
});
