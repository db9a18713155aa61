/**
 * The import wizard's logic (Key material tab, issue 7; kms-semantics.md §2.2 and the developer
 * guide's "Importing key material" pages): which wrapping algorithms fit a key, the wrapping key
 * as PEM, generating or reading the learner's key material, wrapping it with the public wrapping
 * key IN THE PAGE, and the ImportKeyMaterial request.
 *
 * Wrapping, as KMS unwraps it (src/kms/operations/importKeyMaterial.ts):
 *   RSAES_OAEP_SHA_1 / _SHA_256       RSAES-OAEP(material), MGF1 with the same hash, empty label
 *   RSAES_PKCS1_V1_5                  RSAES-PKCS1-v1_5(material) (deprecated: AWS refuses it since 2023-10-10)
 *   RSA_AES_KEY_WRAP_SHA_1 / _SHA_256 RSAES-OAEP(ephemeral AES-256 key K) ‖ RFC 5649 wrap of material under K
 *
 * The RSA/curve code (src/kms/crypto/keys) is loaded with a dynamic import() only when a step
 * needs it, so it stays out of the first page load. Nothing here logs or keeps material.
 */
import type { KeySpec } from '../../../kms';
import type { AsymmetricKeySpec } from '../../../kms/crypto/keys/index';

/** The wrapping algorithms of GetParametersForImport (AlgorithmSpec), in the order the page offers them. */
export const WRAPPING_ALGORITHMS = [
  'RSA_AES_KEY_WRAP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSAES_OAEP_SHA_1',
  'RSAES_PKCS1_V1_5',
  'SM2PKE',
] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

/** The wrapping key specs of GetParametersForImport (WrappingKeySpec). */
export const WRAPPING_KEY_SPECS = ['RSA_4096', 'RSA_3072', 'RSA_2048', 'SM2'] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];

/** What GetParametersForImport returned (step 1), as the wizard keeps it. */
export interface ImportParameters {
  readonly publicKey: Uint8Array;
  readonly importToken: Uint8Array;
  /** ParametersValidTo (ms). */
  readonly parametersValidTo: number;
  readonly algorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
}

/** One line per wrapping algorithm: what it does (shown next to the choice). */
export const WRAPPING_ALGORITHM_NOTES: Readonly<Record<WrappingAlgorithm, string>> = {
  RSA_AES_KEY_WRAP_SHA_256: 'RSA-OAEP (SHA-256) wraps a fresh AES-256 key; that AES key wraps your material (RFC 5649). Any material size, RSA keys too.',
  RSA_AES_KEY_WRAP_SHA_1: 'As RSA_AES_KEY_WRAP_SHA_256 with SHA-1 in OAEP.',
  RSAES_OAEP_SHA_256: 'RSA-OAEP (SHA-256) encrypts your material directly: only material small enough for one RSA block (not RSA private keys).',
  RSAES_OAEP_SHA_1: 'As RSAES_OAEP_SHA_256 with SHA-1.',
  RSAES_PKCS1_V1_5: 'Deprecated: KMS refuses it since October 10, 2023 (try it to see the error).',
  SM2PKE: 'SM2 public key encryption: China Regions only.',
};

/** How the material of a key spec is imported: 32 AES bytes, HMAC key bytes, or a DER PKCS#8 private key. */
export type MaterialKind = 'aes' | 'hmac' | 'pkcs8';

/** The material kind a key spec imports (null: SM2, which needs the China Regions). */
export function materialKindOf(keySpec: KeySpec): MaterialKind | null {
  if (keySpec === 'SYMMETRIC_DEFAULT') return 'aes';
  if (keySpec.startsWith('HMAC_')) return 'hmac';
  if (keySpec === 'SM2') return null;
  return 'pkcs8';
}

/** HMAC key bytes the page generates per spec: the hash output length (KMS accepts up to the block size). */
export const HMAC_MATERIAL_BYTES: Readonly<Record<string, number>> = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 };

/** What the generated material is, in words (step 2). */
export function materialDescription(keySpec: KeySpec): string {
  const kind = materialKindOf(keySpec);
  if (kind === 'aes') return '32 random bytes: a 256-bit AES key (crypto.getRandomValues).';
  if (kind === 'hmac') return `${HMAC_MATERIAL_BYTES[keySpec]} random bytes: an ${keySpec} key (crypto.getRandomValues).`;
  if (kind === 'pkcs8') return `A new ${keySpec} key pair made in this page; you import its private key as DER PKCS#8 PrivateKeyInfo.`;
  return 'SM2 key material can only be imported in the China Regions.';
}

/** RSA modulus bytes of an RSA wrapping key spec. */
function modulusBytes(spec: WrappingKeySpec): number {
  return Number(spec.slice(4)) / 8;
}

/** Largest material RSAES-OAEP (or PKCS#1 v1.5) can wrap directly under `spec` (RFC 8017 §7.1.1, §7.2.1). */
export function maxDirectWrapBytes(spec: WrappingKeySpec, algorithm: WrappingAlgorithm): number | null {
  if (spec === 'SM2') return null;
  const k = modulusBytes(spec);
  if (algorithm === 'RSAES_PKCS1_V1_5') return k - 11;
  if (algorithm === 'RSAES_OAEP_SHA_1') return k - 2 * 20 - 2;
  if (algorithm === 'RSAES_OAEP_SHA_256') return k - 2 * 32 - 2;
  return null;
}

/**
 * Why a choice will not work for this key (the reason KMS or the page gives), or null when it
 * fits. `materialBytes` is checked when known (after step 2).
 */
export function wrappingProblem(keySpec: KeySpec, algorithm: WrappingAlgorithm, spec: WrappingKeySpec, materialBytes?: number): string | null {
  if (algorithm === 'SM2PKE' || spec === 'SM2') return 'SM2 wrapping keys and SM2PKE exist only in the China Regions.';
  if (algorithm === 'RSAES_PKCS1_V1_5') return 'KMS no longer supports RSAES_PKCS1_V1_5 (since October 10, 2023).';
  const direct = !algorithm.startsWith('RSA_AES_KEY_WRAP');
  if (direct && keySpec.startsWith('RSA_')) return 'An RSA private key is too long for one RSA block: use an RSA_AES_KEY_WRAP algorithm.';
  if (direct && keySpec === 'ECC_NIST_P521' && spec === 'RSA_2048') return 'ECC_NIST_P521 material does not fit an RSA_2048 block: use a larger wrapping key or RSA_AES_KEY_WRAP.';
  const max = maxDirectWrapBytes(spec, algorithm);
  if (max !== null && materialBytes !== undefined && materialBytes > max) {
    return `${algorithm} under ${spec} wraps at most ${max} bytes; your material is ${materialBytes} bytes.`;
  }
  return null;
}

/** The wrapping choice the page starts with (AWS recommends the longest practical RSA key). */
export function defaultWrapping(keySpec: KeySpec): { algorithm: WrappingAlgorithm; wrappingKeySpec: WrappingKeySpec } {
  const asymmetric = materialKindOf(keySpec) === 'pkcs8';
  return { algorithm: asymmetric ? 'RSA_AES_KEY_WRAP_SHA_256' : 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_4096' };
}

/** Standard base64 of bytes. */
function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A DER SubjectPublicKeyInfo as PEM (RFC 7468 §13: "PUBLIC KEY", 64-character lines). */
export function toPem(spki: Uint8Array): string {
  const lines = base64(spki).match(/.{1,64}/g) ?? [];
  return ['-----BEGIN PUBLIC KEY-----', ...lines, '-----END PUBLIC KEY-----'].join('\n');
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Text encodings the learner can paste material in. */
export type MaterialEncoding = 'hex' | 'base64';

/** The learner's own material from pasted text (whitespace ignored), or why it cannot be read. */
export function parseMaterial(text: string, encoding: MaterialEncoding): { ok: true; value: Uint8Array } | { ok: false; reason: string } {
  const clean = text.replace(/\s+/g, '');
  if (clean === '') return { ok: false, reason: 'Paste your key material first.' };
  if (encoding === 'hex') {
    if (!/^([0-9a-fA-F]{2})+$/.test(clean)) return { ok: false, reason: 'Not hex: use pairs of 0-9 and a-f.' };
    return { ok: true, value: Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16)) };
  }
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return { ok: false, reason: 'Not standard base64 (A–Z a–z 0–9 + /, padded with =).' };
  const bin = atob(clean);
  return { ok: true, value: Uint8Array.from(bin, (c) => c.charCodeAt(0)) };
}

/** A random source for the crypto/keys functions: the page's (or Node's) crypto.getRandomValues. */
export const pageRandom = {
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    // getRandomValues fills at most 65,536 bytes per call.
    for (let i = 0; i < n; i += 65_536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
    return out;
  },
};

/** The crypto/keys leaf, loaded on first use (its own chunk). */
export function loadKeyCrypto(): Promise<typeof import('../../../kms/crypto/keys/index')> {
  return import('../../../kms/crypto/keys/index');
}

/** New key material for a key spec, made in the page (step 2). */
export async function generateMaterial(keySpec: KeySpec, random = pageRandom): Promise<Uint8Array> {
  const kind = materialKindOf(keySpec);
  if (kind === 'aes') return random.bytes(32);
  if (kind === 'hmac') return random.bytes(HMAC_MATERIAL_BYTES[keySpec] ?? 32);
  if (kind === null) throw new Error('SM2 key material can only be imported in the China Regions.');
  const keys = await loadKeyCrypto();
  return (await keys.generateKeyPair(keySpec as AsymmetricKeySpec, random)).privateKey;
}

/** One labelled part of EncryptedKeyMaterial (step 3 shows the layout). */
export interface WrappedPart {
  readonly label: string;
  readonly bytes: number;
}

/** EncryptedKeyMaterial and its layout. */
export interface WrappedMaterial {
  readonly encryptedKeyMaterial: Uint8Array;
  readonly parts: readonly WrappedPart[];
}

/**
 * Wraps `material` with the public wrapping key (DER SPKI) as `algorithm` says (step 3). Throws a
 * plain Error with the reason when the choice cannot wrap it (too long, SM2).
 */
export async function wrapKeyMaterial(publicKey: Uint8Array, algorithm: WrappingAlgorithm, material: Uint8Array, random = pageRandom): Promise<WrappedMaterial> {
  if (algorithm === 'SM2PKE') throw new Error('SM2PKE wrapping is only available in the China Regions.');
  const keys = await loadKeyCrypto();
  const spec = keys.specOfPublicKey(publicKey);
  if (spec !== 'RSA_2048' && spec !== 'RSA_3072' && spec !== 'RSA_4096') throw new Error('The wrapping public key is not an RSA_2048, RSA_3072 or RSA_4096 key.');
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    const out = keys.rsaPkcs1v15Encrypt(publicKey, material, random);
    return { encryptedKeyMaterial: out, parts: [{ label: 'RSAES-PKCS1-v1_5(material)', bytes: out.length }] };
  }
  const oaep = algorithm.endsWith('SHA_1') ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
  if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') {
    const max = maxDirectWrapBytes(spec, algorithm) ?? 0;
    if (material.length > max) throw new Error(`${algorithm} can wrap at most ${max} bytes with this wrapping key; the material is ${material.length} bytes. Use an RSA_AES_KEY_WRAP algorithm.`);
    const out = await keys.rsaOaepEncrypt(publicKey, oaep, material);
    return { encryptedKeyMaterial: out, parts: [{ label: `${oaep}(material)`, bytes: out.length }] };
  }
  // RSA_AES_KEY_WRAP_*: a fresh AES-256 key, wrapped with RSA-OAEP, then RFC 5649 of the material under it.
  const aesKey = random.bytes(32);
  try {
    const head = await keys.rsaOaepEncrypt(publicKey, oaep, aesKey);
    const tail = keys.aesKeyWrapPad(aesKey, material);
    const out = new Uint8Array(head.length + tail.length);
    out.set(head);
    out.set(tail, head.length);
    return {
      encryptedKeyMaterial: out,
      parts: [
        { label: `${oaep}(ephemeral AES-256 key)`, bytes: head.length },
        { label: 'AES key wrap with padding (RFC 5649) of the material', bytes: tail.length },
      ],
    };
  } finally {
    aesKey.fill(0);
  }
}

export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
export type ExpirationModel = (typeof EXPIRATION_MODELS)[number];

/** One sandbox hour / day in ms. */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The ImportKeyMaterial request of step 4 (ValidTo only with KEY_MATERIAL_EXPIRES, `validForHours` after `now`). */
export function importRequest(input: {
  keyId: string;
  importToken: Uint8Array;
  encryptedKeyMaterial: Uint8Array;
  expirationModel: ExpirationModel;
  now: number;
  validForHours: number;
}): Record<string, unknown> {
  const req: Record<string, unknown> = {
    KeyId: input.keyId,
    ImportToken: input.importToken,
    EncryptedKeyMaterial: input.encryptedKeyMaterial,
    ExpirationModel: input.expirationModel,
  };
  if (input.expirationModel === 'KEY_MATERIAL_EXPIRES') req.ValidTo = new Date(input.now + input.validForHours * HOUR_MS);
  return req;
}

/** ValidTo choices of step 4 (hours; KMS allows up to 365 days). */
export const VALID_FOR_CHOICES: readonly { readonly hours: number; readonly label: string }[] = [
  { hours: 1, label: '1 sandbox hour' },
  { hours: 24, label: '1 sandbox day' },
  { hours: (7 * DAY_MS) / HOUR_MS, label: '7 sandbox days' },
  { hours: (30 * DAY_MS) / HOUR_MS, label: '30 sandbox days' },
  { hours: (365 * DAY_MS) / HOUR_MS, label: '365 sandbox days (the maximum)' },
];
