/**
 * The create-key form as data (kms-semantics.md §1.5, §4.1, §9; src/kms/operations/createKey.ts):
 * every KeySpec grouped as the console groups them, the usages each spec allows (keySpecs.ts) with
 * their algorithms, the origins (custom key store origins need a CONNECTED store of their type in
 * the caller's account and Region, and hold SYMMETRIC_DEFAULT keys only), Multi-Region; each
 * disabled choice carries its reason. `createKeyPlan` maps the form to CreateKey (+ CreateAlias).
 */
import type { CustomKeyStoreRecord, KeySpec, KeyUsage, Origin } from '../../kms';
import { algorithmsOf, isChinaOnly, isChinaRegion, usagesOf } from '../../kms/keySpecs';
import { normalizeAlias } from './alias';
import type { FormResult } from './formResult';
import { KEY_USAGE_EXPLANATIONS } from './keyUsage';

/** A choice offered by the form. `unsupported` is the reason it is disabled, or null. */
export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  /** '' when the group note says it all. */
  readonly explanation: string;
  readonly unsupported: string | null;
  /** Heading of the group the choice is listed under (see `groupNotes`), if any. */
  readonly group?: string;
}

/** One group of key specs with its note. */
export interface SpecGroup {
  readonly label: string;
  readonly note: string;
  readonly specs: readonly KeySpec[];
}

/** The key specs of §4.1, grouped. */
export const KEY_SPEC_GROUPS: readonly SpecGroup[] = [
  {
    label: 'Symmetric',
    note: 'One 256-bit AES-GCM key that never leaves KMS. It encrypts and decrypts, makes data keys for envelope encryption, takes an encryption context and can rotate automatically. AWS services accept only this kind.',
    specs: ['SYMMETRIC_DEFAULT'],
  },
  {
    label: 'RSA',
    note: 'A key pair whose public key can leave KMS (GetPublicKey). Encrypts small messages (190 to 470 bytes, by size and OAEP hash) or signs (PSS, PKCS #1 v1.5). Bigger keys are slower: RSA_4096 takes seconds to generate.',
    specs: ['RSA_2048', 'RSA_3072', 'RSA_4096'],
  },
  {
    label: 'Elliptic curve',
    note: 'ECDSA signatures, or ECDH key agreement (DeriveSharedSecret) on the NIST curves. ECC_SECG_P256K1 (secp256k1, used by cryptocurrencies) only signs.',
    specs: ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'],
  },
  {
    label: 'Ed25519',
    note: 'EdDSA signatures on Curve25519: ED25519_SHA_512 signs the message (RAW), ED25519_PH_SHA_512 a SHA-512 digest (DIGEST).',
    specs: ['ECC_NIST_EDWARDS25519'],
  },
  {
    label: 'HMAC',
    note: 'A secret key (224 to 512 bits) for message authentication codes: GenerateMac and VerifyMac. No public key; it never leaves KMS.',
    specs: ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'],
  },
  {
    label: 'ML-DSA (post-quantum signatures)',
    note: 'FIPS 204 signatures, designed to resist quantum computers; larger keys and signatures than ECDSA.',
    specs: ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'],
  },
  {
    label: 'ML-KEM (post-quantum key encapsulation)',
    note: 'FIPS 203: Encapsulate gives a shared secret and its ciphertext; Decapsulate recovers the secret inside KMS.',
    specs: ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'],
  },
  {
    label: 'SM2',
    note: 'The Chinese national standard curve: encryption, signatures or key agreement. Offered only in the China Regions.',
    specs: ['SM2'],
  },
];

/** Group label → note, for ChoiceGroup. */
export const SPEC_GROUP_NOTES: Readonly<Record<string, string>> = Object.fromEntries(KEY_SPEC_GROUPS.map((g) => [g.label, g.note]));

/** A custom key store the form can put a key in (read from the repository). */
export interface StoreOption {
  readonly id: string;
  readonly name: string;
  readonly type: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly connectionState: string;
}

/** What the choices depend on besides the form: the caller's Region and its custom key stores. */
export interface FormContext {
  readonly region: string;
  readonly stores: readonly StoreOption[];
}

/** The caller's custom key stores (its account and Region), by name. */
export function storesFor(records: readonly CustomKeyStoreRecord[], caller: { accountId: string; region: string }): StoreOption[] {
  return records
    .filter((s) => s.accountId === caller.accountId && s.region === caller.region)
    .map((s) => ({ id: s.id, name: s.name, type: s.customKeyStoreType, connectionState: s.connectionState }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Why a spec cannot be created here, or null: SM2 is China-only in AWS, and the simulator has no SM2/SM3 crypto at all. */
function specProblem(spec: KeySpec, region: string): string | null {
  if (!isChinaOnly(spec)) return null;
  return isChinaRegion(region)
    ? 'Not simulated: this simulator has no SM2/SM3 crypto.'
    : `Only in the China Regions (cn-north-1, cn-northwest-1); you act in ${region}. CreateKey answers UnsupportedOperationException.`;
}

/** Every KeySpec, grouped; SM2 disabled with the reason. */
export function keySpecChoices(region: string): Choice<KeySpec>[] {
  return KEY_SPEC_GROUPS.flatMap((g) =>
    g.specs.map((spec) => ({ value: spec, label: spec, explanation: '', group: g.label, unsupported: specProblem(spec, region) })),
  );
}

/** KeyUsage values a spec allows (§4.1), AWS's order; the first is the form's default. */
export function usagesFor(spec: KeySpec): readonly KeyUsage[] {
  return usagesOf(spec);
}

/** The usages of `spec`, each explained with the algorithms DescribeKey will report. */
export function usageChoices(spec: KeySpec): Choice<KeyUsage>[] {
  return usagesOf(spec).map((u) => {
    const algorithms = Object.values(algorithmsOf(spec, u) ?? {}).flat();
    return { value: u, label: u, explanation: `${KEY_USAGE_EXPLANATIONS[u]} Algorithms: ${algorithms.join(', ')}.`, unsupported: null };
  });
}

const STORE_TYPE_NAME = { AWS_CLOUDHSM: 'AWS CloudHSM key store', EXTERNAL_KEY_STORE: 'external key store' } as const;

const ORIGINS: readonly { value: Origin; label: string; explanation: string }[] = [
  {
    value: 'AWS_KMS',
    label: 'KMS (AWS_KMS)',
    explanation: 'KMS generates the key material in its HSMs; it never leaves them unencrypted. The usual choice.',
  },
  {
    value: 'EXTERNAL',
    label: 'External: import your own material (EXTERNAL)',
    explanation:
      'The key starts in PendingImport; you wrap your material with GetParametersForImport’s public key and ImportKeyMaterial. You keep a copy, may let it expire, and can delete it.',
  },
  {
    value: 'AWS_CLOUDHSM',
    label: 'AWS CloudHSM key store (AWS_CLOUDHSM)',
    explanation: 'The material is made and kept in a CloudHSM cluster you own, a custom key store. Symmetric keys only; usable while the store is connected.',
  },
  {
    value: 'EXTERNAL_KEY_STORE',
    label: 'External key store (EXTERNAL_KEY_STORE)',
    explanation:
      'The material stays in your key manager outside AWS, reached through an XKS proxy on every use. Symmetric keys only; when the store is disconnected the key is Unavailable.',
  },
];

function isStoreOrigin(o: Origin): o is 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE' {
  return o === 'AWS_CLOUDHSM' || o === 'EXTERNAL_KEY_STORE';
}

/** Why a custom key store origin is not possible for this form, or null. */
function storeOriginProblem(origin: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE', input: Pick<CreateKeyInput, 'keySpec' | 'multiRegion'>, ctx: FormContext): string | null {
  if (!ctx.stores.some((s) => s.type === origin && s.connectionState === 'CONNECTED')) {
    return `No connected ${STORE_TYPE_NAME[origin]} in ${ctx.region}: create and connect one in the Key stores tab.`;
  }
  if (input.keySpec !== 'SYMMETRIC_DEFAULT') return 'Custom key stores hold SYMMETRIC_DEFAULT keys only.';
  if (input.multiRegion) return 'A multi-Region key cannot be in a custom key store.';
  return null;
}

/** The origins, disabled with the reason where the form's other choices or the stores rule them out. */
export function originChoices(input: Pick<CreateKeyInput, 'keySpec' | 'multiRegion'>, ctx: FormContext): Choice<Origin>[] {
  return ORIGINS.map((o) => ({ ...o, unsupported: isStoreOrigin(o.value) ? storeOriginProblem(o.value, input, ctx) : null }));
}

/** The stores the picker lists for a custom key store origin; only CONNECTED ones can take a new key. */
export function storeChoices(origin: Origin, ctx: FormContext): Choice<string>[] {
  return ctx.stores
    .filter((s) => s.type === origin)
    .map((s) => ({
      value: s.id,
      label: `${s.name} (${s.id})`,
      explanation: '',
      unsupported: s.connectionState === 'CONNECTED' ? null : `${s.connectionState}: CreateKey needs a CONNECTED store.`,
    }));
}

export const MULTI_REGION_EXPLANATION =
  'A multi-Region key (id starting with mrk-) can be replicated to other Regions with the same key id and material, so ciphertext made in one Region decrypts in another. It cannot be converted later.';

/** Why Multi-Region is not possible with the chosen origin, or null. */
export function multiRegionProblem(origin: Origin): string | null {
  return isStoreOrigin(origin) ? 'Keys in custom key stores cannot be multi-Region.' : null;
}

/** The form's fields, as typed. */
export interface CreateKeyInput {
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly origin: Origin;
  readonly multiRegion: boolean;
  /** The chosen custom key store (store origins only). */
  readonly customKeyStoreId: string;
  /** The key's id in the external key manager (EXTERNAL_KEY_STORE only). */
  readonly xksKeyId: string;
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
  customKeyStoreId: '',
  xksKeyId: '',
  description: '',
  tagsText: '',
  alias: '',
};

/**
 * The form after a change, with every choice it holds still possible: the usage falls back to the
 * spec's first, a ruled-out origin to AWS_KMS, Multi-Region off, a store that can no longer be
 * used to the first connected one. The form never shows an impossible combination.
 */
export function normalizeInput(input: CreateKeyInput, ctx: FormContext): CreateKeyInput {
  const usages = usagesOf(input.keySpec);
  const keyUsage = usages.includes(input.keyUsage) ? input.keyUsage : usages[0]!;
  const origin = originChoices(input, ctx).find((o) => o.value === input.origin)?.unsupported === null ? input.origin : 'AWS_KMS';
  const multiRegion = input.multiRegion && multiRegionProblem(origin) === null;
  const usable = storeChoices(origin, ctx).filter((s) => s.unsupported === null);
  const customKeyStoreId = !isStoreOrigin(origin) ? '' : usable.some((s) => s.value === input.customKeyStoreId) ? input.customKeyStoreId : (usable[0]?.value ?? '');
  return { ...input, keyUsage, origin, multiRegion, customKeyStoreId };
}

/** The status line while CreateKey runs: RSA key pairs take a noticeable time to generate. */
export function creatingMessage(input: Pick<CreateKeyInput, 'keySpec' | 'origin'>): string {
  if (input.origin === 'EXTERNAL') return 'Creating the key (no material until you import it)…';
  if (input.keySpec === 'SYMMETRIC_DEFAULT' || input.keySpec.startsWith('HMAC_')) return `Creating a ${input.keySpec} key…`;
  // Every asymmetric spec name is read with a vowel sound first (an RSA, an ECC, an ML-DSA, an SM2).
  return `Generating an ${input.keySpec} key pair…`;
}

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

/** The form → requests, or messages for the fields the form itself can check. */
export function createKeyPlan(input: CreateKeyInput): FormResult<CreateKeyPlan> {
  const errors: Record<string, string> = {};
  const tags = parseTagLines(input.tagsText);
  if (!tags.ok) errors.tags = tags.reason;
  const alias = normalizeAlias(input.alias);
  if (alias === 'alias/') errors.alias = 'Type a name after alias/, or leave the alias empty.';
  const inStore = isStoreOrigin(input.origin);
  if (inStore && input.customKeyStoreId === '') errors.store = 'Choose a connected custom key store.';
  const xksKeyId = input.xksKeyId.trim();
  if (input.origin === 'EXTERNAL_KEY_STORE' && xksKeyId === '') errors.xks = 'Type the XksKeyId: the id of the key in your external key manager.';
  if (Object.keys(errors).length > 0 || !tags.ok) return { ok: false, errors };
  const req: Record<string, unknown> = { KeySpec: input.keySpec, KeyUsage: input.keyUsage };
  if (input.origin !== 'AWS_KMS') req.Origin = input.origin;
  if (inStore) req.CustomKeyStoreId = input.customKeyStoreId;
  if (input.origin === 'EXTERNAL_KEY_STORE') req.XksKeyId = xksKeyId;
  if (input.multiRegion) req.MultiRegion = true;
  if (input.description !== '') req.Description = input.description;
  if (tags.value.length > 0) req.Tags = tags.value;
  return { ok: true, value: { createKey: req, aliasName: alias === '' ? null : alias } };
}
