/**
 * The simulator's symmetric `CiphertextBlob` format (kms-semantics.md §2.2 "Symmetric ciphertext
 * blob format"; STYLE §10).
 *
 * Real KMS blobs are officially opaque: they identify the KMS key and the key-material version, so
 * Decrypt needs no `KeyId` and old rotation versions keep decrypting, and they are bound to the
 * encryption context. §2.2 allows a simulator its own format with those properties, failing with
 * `InvalidCiphertextException` when tampered. Ours, version 1:
 *
 * ```
 *   offset      size     field
 *   ──────────  ───────  ───────────────────────────────────────────────────────────────
 *   0           1        format version = 0x01
 *   1           1        L = byte length of the key ARN (1…255)
 *   2           L        key ARN, UTF-8          e.g. arn:aws:kms:us-east-1:111122223333:key/…
 *   2+L         32       key material id         the 64-hex KeyMaterialId as 32 raw bytes
 *   34+L        12       IV                      96-bit, fresh per encryption
 *   46+L        n+16     AES-256-GCM output      ciphertext (n = plaintext length) || 128-bit tag
 *   ──────────  ───────  ───────────────────────────────────────────────────────────────
 *   header = bytes [0, 46+L): everything before the ciphertext
 *   AAD    = header || encodeEncryptionContext(context)
 * ```
 *
 * Overhead: 62 + L bytes. With a typical 75-byte key ARN that is 137 bytes, so a 32-byte data key
 * gives a 169-byte blob (AWS's observed blob for the same is 184 bytes, §2.2).
 *
 * Because the whole header is in the AAD, changing the key name, the material id or the IV, or
 * decrypting under a different context, fails the tag. The header is self-delimiting (its length
 * follows from byte 1), so `header || context` splits only one way.
 *
 * The format is opaque to users in the same sense as AWS's: nothing in the UI promises the layout.
 * Unlike AWS's, the key ARN is readable in the blob; this is a teaching tool and §2.2 permits it.
 * Decoding never throws: untrusted bytes get a result with a closed set of reasons (STYLE §6).
 */
import type { KeyMaterialId } from '../ids';
import type { AesKeyHandle, CryptoBackend } from '../ports';
import { GCM_IV_LENGTH, GCM_TAG_LENGTH, assertBytes, bytesToHex, hexToBytes, isWellFormedUnicode } from './bytes';
import { encodeEncryptionContext } from './encryptionContext';
import type { EncryptionContext } from './encryptionContext';

/** Format version written in byte 0. */
export const CIPHERTEXT_BLOB_VERSION = 1;
/** Length of the raw key material id (a 64-hex KeyMaterialId). */
export const KEY_MATERIAL_ID_LENGTH = 32;
/** Longest key ARN the one-byte length field can name. */
export const MAX_KEY_ARN_BYTES = 255;
/** Fixed bytes per blob besides the ARN: version, ARN length, material id, IV, tag. */
export const CIPHERTEXT_BLOB_FIXED_OVERHEAD = 1 + 1 + KEY_MATERIAL_ID_LENGTH + GCM_IV_LENGTH + GCM_TAG_LENGTH;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a sealed blob names and carries. */
export interface CiphertextBlobParts {
  /** ARN of the KMS key whose material encrypted the payload. */
  readonly keyArn: string;
  /** Which version of that key's material (64 lowercase hex). */
  readonly keyMaterialId: KeyMaterialId;
  /** 12-byte GCM IV. */
  readonly iv: Uint8Array;
  /** AES-GCM output: ciphertext || 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

/** A decoded blob. `iv`, `ciphertext` and `header` are views into the decoded bytes (no copies). */
export interface DecodedCiphertextBlob extends CiphertextBlobParts {
  /** Bytes [0, 46+L): the AAD prefix (see layout). */
  readonly header: Uint8Array;
}

/** Why a blob did not decode; the closed set of `decodeCiphertextBlob` failures. */
export type CiphertextBlobDecodeFailure =
  | 'empty'
  | 'unsupported-version'
  | 'truncated-header'
  | 'invalid-key-arn'
  | 'ciphertext-too-short';

/** Header fields to encode. */
export type CiphertextBlobHeaderParts = Omit<CiphertextBlobParts, 'ciphertext'>;

/**
 * The header's key part ([version][arnLen][ARN][material id]), validated and encoded once per
 * (key, material) and reused: every Encrypt under a key writes the same bytes (bench profile).
 */
const keyParts = new Map<string, Uint8Array>();
function keyPart(keyArn: string, keyMaterialId: string): Uint8Array {
  const cacheKey = `${keyArn}\0${keyMaterialId}`;
  const hit = keyParts.get(cacheKey);
  if (hit) return hit;
  if (typeof keyArn !== 'string') throw new TypeError('keyArn: expected string');
  if (!isWellFormedUnicode(keyArn)) throw new RangeError('keyArn: not well-formed Unicode');
  const arn = utf8.encode(keyArn);
  if (arn.length < 1 || arn.length > MAX_KEY_ARN_BYTES) {
    throw new RangeError(`keyArn: expected 1..${MAX_KEY_ARN_BYTES} UTF-8 bytes, got ${arn.length}`);
  }
  if (!/^[0-9a-f]{64}$/.test(keyMaterialId)) throw new RangeError('keyMaterialId: expected 64 lowercase hex characters');
  const part = new Uint8Array(2 + arn.length + KEY_MATERIAL_ID_LENGTH);
  part[0] = CIPHERTEXT_BLOB_VERSION;
  part[1] = arn.length;
  part.set(arn, 2);
  part.set(hexToBytes(keyMaterialId, 'keyMaterialId'), 2 + arn.length);
  if (keyParts.size >= 1024) keyParts.clear();
  keyParts.set(cacheKey, part);
  return part;
}

/** Encodes the header (bytes before the ciphertext). Throws on invalid parts (a caller bug). */
export function encodeCiphertextBlobHeader(parts: CiphertextBlobHeaderParts): Uint8Array {
  const part = keyPart(parts.keyArn, parts.keyMaterialId);
  assertBytes(parts.iv, 'iv', GCM_IV_LENGTH);
  const out = new Uint8Array(part.length + GCM_IV_LENGTH);
  out.set(part, 0);
  out.set(parts.iv, part.length);
  return out;
}

/** Encodes a whole blob: header || ciphertext. Throws on invalid parts (a caller bug). */
export function encodeCiphertextBlob(parts: CiphertextBlobParts): Uint8Array {
  const header = encodeCiphertextBlobHeader(parts);
  assertBytes(parts.ciphertext, 'ciphertext');
  if (parts.ciphertext.length < GCM_TAG_LENGTH) {
    throw new RangeError(`ciphertext: expected at least ${GCM_TAG_LENGTH} bytes, got ${parts.ciphertext.length}`);
  }
  const out = new Uint8Array(header.length + parts.ciphertext.length);
  out.set(header, 0);
  out.set(parts.ciphertext, header.length);
  return out;
}

/**
 * Parses a blob. Never throws, whatever `bytes` holds: the answer is either the parts (views into
 * `bytes`) or a reason from a closed set. Checks structure only; authenticity is the tag's job
 * (`openSymmetric`).
 */
export function decodeCiphertextBlob(
  bytes: Uint8Array,
): { ok: true; value: DecodedCiphertextBlob } | { ok: false; reason: CiphertextBlobDecodeFailure } {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes[0] !== CIPHERTEXT_BLOB_VERSION) return { ok: false, reason: 'unsupported-version' };
  if (bytes.length < 2) return { ok: false, reason: 'truncated-header' };
  const arnLen = bytes[1]!;
  const headerLen = 2 + arnLen + KEY_MATERIAL_ID_LENGTH + GCM_IV_LENGTH;
  if (bytes.length < headerLen) return { ok: false, reason: 'truncated-header' };
  if (arnLen === 0) return { ok: false, reason: 'invalid-key-arn' };
  let keyArn: string;
  try {
    keyArn = utf8Strict.decode(bytes.subarray(2, 2 + arnLen));
  } catch {
    return { ok: false, reason: 'invalid-key-arn' };
  }
  if (bytes.length < headerLen + GCM_TAG_LENGTH) return { ok: false, reason: 'ciphertext-too-short' };
  const idAt = 2 + arnLen;
  return {
    ok: true,
    value: {
      keyArn,
      keyMaterialId: bytesToHex(bytes.subarray(idAt, idAt + KEY_MATERIAL_ID_LENGTH)) as KeyMaterialId,
      iv: bytes.subarray(idAt + KEY_MATERIAL_ID_LENGTH, headerLen),
      ciphertext: bytes.subarray(headerLen),
      header: bytes.subarray(0, headerLen),
    },
  };
}

/** The AES-GCM AAD of a blob: its header followed by the canonical encryption context. */
export function blobAad(header: Uint8Array, encryptionContext: EncryptionContext | undefined): Uint8Array {
  const ctx = encodeEncryptionContext(encryptionContext);
  const out = new Uint8Array(header.length + ctx.length);
  out.set(header, 0);
  out.set(ctx, header.length);
  return out;
}

/** Input of `sealSymmetric`. */
export interface SealSymmetricInput {
  readonly keyArn: string;
  readonly keyMaterialId: KeyMaterialId;
  /** 12 fresh bytes from the call's random stream; never reuse an IV under one key. */
  readonly iv: Uint8Array;
  readonly plaintext: Uint8Array;
  readonly encryptionContext?: EncryptionContext | undefined;
}

/**
 * Encrypts `plaintext` under `keyHandle` (the material named by `keyMaterialId`) and returns the
 * complete blob. The plaintext is copied only once, by the cipher.
 */
export async function sealSymmetric(backend: CryptoBackend, keyHandle: AesKeyHandle, input: SealSymmetricInput): Promise<Uint8Array> {
  const header = encodeCiphertextBlobHeader(input);
  const sealed = await backend.aesGcmEncrypt(keyHandle, input.iv, input.plaintext, blobAad(header, input.encryptionContext));
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header, 0);
  out.set(sealed, header.length);
  return out;
}

/**
 * Decrypts a decoded blob under `keyHandle` (the caller looked up the key and material the blob
 * names). Rejects with `AuthenticationError` when anything in the header, the ciphertext, the tag
 * or the encryption context differs from what was sealed; the operation maps that to
 * `InvalidCiphertextException`.
 */
export async function openSymmetric(
  backend: CryptoBackend,
  keyHandle: AesKeyHandle,
  blob: DecodedCiphertextBlob,
  encryptionContext: EncryptionContext | undefined,
): Promise<Uint8Array> {
  return backend.aesGcmDecrypt(keyHandle, blob.iv, blob.ciphertext, blobAad(blob.header, encryptionContext));
}
