/**
 * The create-key form as data (kms-semantics.md §4, §9; src/kms/operations/createKey.ts): the
 * choices with a short explanation each, whether the simulator supports them today (the rest are
 * shown disabled with the reason), and the mapping of the form to CreateKey (+ CreateAlias).
 */
import type { KeySpec, KeyUsage, Origin } from '../../kms';
import { normalizeAlias } from './alias';
import type { FormResult } from './formResult';

/** A choice offered by the form. `unsupported` is the reason it is disabled, or null. */
export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly explanation: string;
  readonly unsupported: string | null;
}

const NOT_YET = 'Not simulated yet: CreateKey answers UnsupportedOperationException until the key-zoo work (issue 7).';

/** Key specs grouped as the console groups them; only SYMMETRIC_DEFAULT is simulated today. */
export const KEY_SPEC_CHOICES: readonly Choice<KeySpec>[] = [
  {
    value: 'SYMMETRIC_DEFAULT',
    label: 'Symmetric (SYMMETRIC_DEFAULT)',
    explanation:
      'One 256-bit AES-GCM key that never leaves KMS. It encrypts and decrypts, makes data keys for envelope encryption, takes an encryption context and can rotate automatically. AWS services accept only this kind.',
    unsupported: null,
  },
  {
    value: 'RSA_2048',
    label: 'Asymmetric RSA (RSA_2048, RSA_3072, RSA_4096)',
    explanation: 'A public/private key pair: encrypt with the public key anywhere, decrypt in KMS; or sign and verify. No data keys.',
    unsupported: NOT_YET,
  },
  {
    value: 'ECC_NIST_P256',
    label: 'Asymmetric elliptic curve (ECC_NIST_P256, …)',
    explanation: 'An elliptic-curve key pair for signatures (ECDSA) or key agreement (ECDH).',
    unsupported: NOT_YET,
  },
  {
    value: 'HMAC_256',
    label: 'HMAC (HMAC_224 … HMAC_512)',
    explanation: 'A secret key that makes and checks message authentication codes (GenerateMac, VerifyMac).',
    unsupported: NOT_YET,
  },
  {
    value: 'ML_DSA_65',
    label: 'Post-quantum signatures (ML_DSA_44/65/87)',
    explanation: 'A key pair for ML-DSA signatures, designed to resist quantum computers.',
    unsupported: NOT_YET,
  },
  {
    value: 'ML_KEM_768',
    label: 'Post-quantum key encapsulation (ML_KEM_512/768/1024)',
    explanation: 'A key pair for ML-KEM: Encapsulate a shared secret with the public key, Decapsulate it in KMS.',
    unsupported: NOT_YET,
  },
];

/** KeyUsage values each key spec admits (§4.1); the first is the form's default. */
export function usagesFor(spec: KeySpec): readonly KeyUsage[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['ENCRYPT_DECRYPT'];
  if (spec.startsWith('HMAC_')) return ['GENERATE_VERIFY_MAC'];
  if (spec.startsWith('RSA_')) return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];
  if (spec === 'ECC_SECG_P256K1' || spec === 'ECC_NIST_EDWARDS25519' || spec.startsWith('ML_DSA_')) return ['SIGN_VERIFY'];
  if (spec.startsWith('ECC_NIST_')) return ['SIGN_VERIFY', 'KEY_AGREEMENT'];
  if (spec.startsWith('ML_KEM_')) return ['ENCAPSULATE_DECAPSULATE'];
  return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'];
}

/** Where the key material comes from. */
export const ORIGIN_CHOICES: readonly Choice<Origin>[] = [
  { value: 'AWS_KMS', label: 'KMS (AWS_KMS)', explanation: 'KMS makes the key material inside its HSMs. The usual choice, and the only one that rotates automatically.', unsupported: null },
  { value: 'EXTERNAL', label: 'External (EXTERNAL, import key material)', explanation: 'The key starts in PendingImport; you import your own material and stay responsible for a copy of it.', unsupported: NOT_YET },
  { value: 'AWS_CLOUDHSM', label: 'AWS CloudHSM key store', explanation: 'The material lives in a CloudHSM cluster you own (a custom key store).', unsupported: NOT_YET },
  { value: 'EXTERNAL_KEY_STORE', label: 'External key store (XKS)', explanation: 'The material stays in a key manager outside AWS, reached through a proxy.', unsupported: NOT_YET },
];

export const MULTI_REGION_EXPLANATION =
  'A multi-Region key (id starting with mrk-) can be replicated to other Regions with the same key id and material, so ciphertext made in one Region decrypts in another. It cannot be converted later.';
export const MULTI_REGION_UNSUPPORTED = 'Not simulated yet: CreateKey answers UnsupportedOperationException for MultiRegion keys.';

/** The form's fields, as typed. */
export interface CreateKeyInput {
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly origin: Origin;
  readonly multiRegion: boolean;
  readonly description: string;
  /** One `key=value` per line (the value may be empty). */
  readonly tagsText: string;
  /** Alias with or without the `alias/` prefix; '' for none. */
  readonly alias: string;
}

export const DEFAULT_CREATE_KEY: CreateKeyInput = {
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  origin: 'AWS_KMS',
  multiRegion: false,
  description: '',
  tagsText: '',
  alias: '',
};

/** Tags typed one `key=value` per line → the Tags list; or the first malformed line. */
export function parseTagLines(text: string): { ok: true; value: { TagKey: string; TagValue: string }[] } | { ok: false; reason: string } {
  const value: { TagKey: string; TagValue: string }[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (key === '') return { ok: false, reason: `"${line}" has no tag key: write key=value.` };
    if (value.some((t) => t.TagKey === key)) return { ok: false, reason: `The tag key "${key}" appears twice.` };
    value.push({ TagKey: key, TagValue: eq < 0 ? '' : line.slice(eq + 1).trim() });
  }
  return { ok: true, value };
}

/** The calls the form makes: CreateKey, then CreateAlias for the new key when an alias was given. */
export interface CreateKeyPlan {
  readonly createKey: Record<string, unknown>;
  /** The alias to create (TargetKeyId comes from CreateKey's response), or null. */
  readonly aliasName: string | null;
}

/**
 * The form → requests, or messages for the fields the form itself can check. Choices the
 * simulator does not support are still sent when set (the service's own error is shown).
 */
export function createKeyPlan(input: CreateKeyInput): FormResult<CreateKeyPlan> {
  const errors: Record<string, string> = {};
  const tags = parseTagLines(input.tagsText);
  if (!tags.ok) errors.tags = tags.reason;
  const alias = normalizeAlias(input.alias);
  if (alias === 'alias/') errors.alias = 'Type a name after alias/, or leave the alias empty.';
  if (Object.keys(errors).length > 0 || !tags.ok) return { ok: false, errors };
  const req: Record<string, unknown> = { KeySpec: input.keySpec, KeyUsage: input.keyUsage };
  if (input.origin !== 'AWS_KMS') req.Origin = input.origin;
  if (input.multiRegion) req.MultiRegion = true;
  if (input.description !== '') req.Description = input.description;
  if (tags.value.length > 0) req.Tags = tags.value;
  return { ok: true, value: { createKey: req, aliasName: alias === '' ? null : alias } };
}

