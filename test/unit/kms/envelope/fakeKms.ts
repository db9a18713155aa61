/**
 * A tiny DataKeyKms for envelope tests, built from the real crypto: one random 32-byte "KMS key"
 * wraps each data key with `sealSymmetric`, so wrong contexts and tampered blobs fail as in KMS.
 * It records every Plaintext array it hands out (`issued`) so tests can check they get zeroed.
 */
import { kmsError } from '../../../../src/kms/errors';
import { AuthenticationError } from '../../../../src/kms/ports';
import type { CryptoBackend } from '../../../../src/kms/ports';
import type { KeyMaterialId } from '../../../../src/kms/ids';
import { decodeCiphertextBlob, openSymmetric, randomBytes, sealSymmetric } from '../../../../src/kms/crypto';
import type { DataKeyKms } from '../../../../src/kms/envelope';

export const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const OTHER_ARN = 'arn:aws:kms:us-east-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab';
const MATERIAL = 'c'.repeat(64) as KeyMaterialId;

export interface FakeKms extends DataKeyKms {
  /** Every Plaintext array returned, in order. */
  readonly issued: Uint8Array[];
  /** Number of calls per operation. */
  readonly calls: { generateDataKey: number; decrypt: number };
}

export interface FakeKmsOptions {
  /** Hand out copies of this data key instead of random ones (to build envelopes that share a key). */
  readonly fixedDataKey?: Uint8Array;
  /** Decrypt returns the fixed data key without checking the blob or context (isolates envelope checks). */
  readonly trusting?: boolean;
}

export async function createFakeKms(backend: CryptoBackend, options: FakeKmsOptions = {}): Promise<FakeKms> {
  const kmsKey = await backend.importAesKey(randomBytes(32));
  const issued: Uint8Array[] = [];
  const calls = { generateDataKey: 0, decrypt: 0 };
  const give = (p: Uint8Array) => (issued.push(p), p);
  return {
    issued,
    calls,
    async generateDataKey(req) {
      calls.generateDataKey++;
      if (req.KeyId !== KEY_ARN && req.KeyId !== 'alias/test') throw kmsError('NotFoundException', `Key '${req.KeyId}' does not exist`);
      const plaintext = options.fixedDataKey ? Uint8Array.from(options.fixedDataKey) : randomBytes(32);
      const blob = await sealSymmetric(backend, kmsKey, {
        keyArn: KEY_ARN,
        keyMaterialId: MATERIAL,
        iv: randomBytes(12),
        plaintext,
        encryptionContext: req.EncryptionContext,
      });
      return { Plaintext: give(plaintext), CiphertextBlob: blob, KeyId: KEY_ARN };
    },
    async decrypt(req) {
      calls.decrypt++;
      if (options.trusting && options.fixedDataKey) return { Plaintext: give(Uint8Array.from(options.fixedDataKey)), KeyId: KEY_ARN };
      const d = decodeCiphertextBlob(req.CiphertextBlob);
      if (!d.ok) throw kmsError('InvalidCiphertextException', 'The ciphertext is invalid.');
      if (req.KeyId !== undefined && req.KeyId !== d.value.keyArn && req.KeyId !== 'alias/test') {
        throw kmsError('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
      }
      try {
        return { Plaintext: give(await openSymmetric(backend, kmsKey, d.value, req.EncryptionContext)), KeyId: d.value.keyArn };
      } catch (e) {
        if (e instanceof AuthenticationError) throw kmsError('InvalidCiphertextException', 'The ciphertext is invalid.');
        throw e;
      }
    },
  };
}
