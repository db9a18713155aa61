/**
 * The operation × state table through the full service: for every state a key can reach in
 * issue 2 (Enabled, Disabled, PendingDeletion) and every implemented operation that names a key,
 * the service answers what §1.5 (./referenceMatrix.ts) says — the footnote's exception and
 * message (`<key ARN> is disabled.` …) or success — and its one trail record says the same.
 * The subject key K is of the kind the operation takes (issue 7): symmetric, signing, HMAC, key
 * agreement, ML-KEM, imported material (Origin EXTERNAL) or a multi-Region primary.
 */
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultKeyPolicy, OPERATIONS, type KeyState } from '../../../../src/kms';
import { ACCOUNT, makeHarness, utf8, type Harness } from '../harness';
import { expectedFor, footnoteError } from './referenceMatrix';

const STATES = ['Enabled', 'Disabled', 'PendingDeletion'] as const satisfies readonly KeyState[];

/** What K is: the key type the operation under test takes. */
type Kind = 'symmetric' | 'sign' | 'hmac' | 'agreement' | 'kem' | 'external' | 'mrk' | 'mrkWithReplica';

const CREATE: Record<Kind, Record<string, unknown>> = {
  symmetric: {},
  sign: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
  hmac: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
  agreement: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' },
  kem: { KeySpec: 'ML_KEM_768', KeyUsage: 'ENCAPSULATE_DECAPSULATE' },
  external: { Origin: 'EXTERNAL' },
  mrk: { MultiRegion: true },
  mrkWithReplica: { MultiRegion: true },
};

/** A grant operation K's key usage allows. */
const GRANT_OPERATION: Record<Kind, string> = {
  symmetric: 'Decrypt',
  sign: 'Sign',
  hmac: 'GenerateMac',
  agreement: 'DeriveSharedSecret',
  kem: 'Decapsulate',
  external: 'Decrypt',
  mrk: 'Decrypt',
  mrkWithReplica: 'Decrypt',
};

/** The subject key K (put into the state under test), a helper key D (Enabled), their blobs and aliases. */
interface Fixture {
  h: Harness;
  k: string;
  d: string;
  /** Under K: only for kinds that encrypt (symmetric, external, multi-Region). */
  blobK: Uint8Array;
  blobD: Uint8Array;
  /** A grant on K (made while K was Enabled), its id and token. */
  grantId: string;
  grantToken: string;
  /** K's actual state: a multi-Region primary with a replica goes to PendingReplicaDeletion (§9). */
  state: KeyState;
  /** Outputs made with K while it was Enabled (signature, MAC, KEM ciphertext, peer key, re-import parameters). */
  made: Record<string, Uint8Array>;
}

const MESSAGE = utf8('release manifest');
/** Imported key material of the external K (same bytes for the first import and the re-import). */
const MATERIAL = new Uint8Array(randomBytes(32));

/** Wrapping parameters for the external K, and MATERIAL wrapped with them (RSAES_OAEP_SHA_256, as node:crypto does it). */
async function importParameters(h: Harness, k: string): Promise<{ ImportToken: Uint8Array; EncryptedKeyMaterial: Uint8Array }> {
  const p = await h.call('GetParametersForImport', { KeyId: k, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
  const key = createPublicKey({ key: Buffer.from(p.PublicKey as Uint8Array), format: 'der', type: 'spki' });
  const wrapped = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, MATERIAL);
  return { ImportToken: p.ImportToken as Uint8Array, EncryptedKeyMaterial: new Uint8Array(wrapped) };
}

/** Makes what the cases of `kind` need from K while it is Enabled. */
async function prepare(h: Harness, kind: Kind, k: string): Promise<Record<string, Uint8Array>> {
  switch (kind) {
    case 'sign':
      return { signature: (await h.call('Sign', { KeyId: k, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' })).Signature as Uint8Array };
    case 'hmac':
      return { mac: (await h.call('GenerateMac', { KeyId: k, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' })).Mac as Uint8Array };
    case 'kem':
      return { kemCiphertext: (await h.call('Encapsulate', { KeyId: k, EncapsulationAlgorithm: 'ML_KEM' })).SharedSecretCiphertextBlob as Uint8Array };
    case 'agreement':
      return { peer: new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' })) };
    case 'external': {
      await h.call('ImportKeyMaterial', { KeyId: k, ...(await importParameters(h, k)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
      const again = await importParameters(h, k);
      return { importToken: again.ImportToken, encryptedKeyMaterial: again.EncryptedKeyMaterial };
    }
    case 'mrkWithReplica':
      await h.call('ReplicateKey', { KeyId: k, ReplicaRegion: 'eu-west-1' });
      await h.service.advanceClock(60_000); // the replica leaves Creating (§1.1) as sandbox time passes
      return {};
    default:
      return {};
  }
}

const ENCRYPTS: ReadonlySet<Kind> = new Set(['symmetric', 'external', 'mrk', 'mrkWithReplica']);

async function fixture(state: KeyState, kind: Kind): Promise<Fixture> {
  const h = await makeHarness();
  const k = (await h.createKey({ Description: 'subject', ...CREATE[kind] })).arn;
  const d = (await h.createKey({ Description: 'helper' })).arn;
  const made = await prepare(h, kind, k);
  const blobK = ENCRYPTS.has(kind) ? ((await h.call('Encrypt', { KeyId: k, Plaintext: utf8('under K') })).CiphertextBlob as Uint8Array) : new Uint8Array(0);
  const blobD = (await h.call('Encrypt', { KeyId: d, Plaintext: utf8('under D') })).CiphertextBlob as Uint8Array;
  await h.call('CreateAlias', { AliasName: 'alias/k', TargetKeyId: k });
  await h.call('CreateAlias', { AliasName: 'alias/d', TargetKeyId: d });
  await h.call('TagResource', { KeyId: k, Tags: [{ TagKey: 't', TagValue: 'v' }] });
  const grant = await h.call('CreateGrant', { KeyId: k, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/AppRole`, Operations: [GRANT_OPERATION[kind]] });
  if (state === 'Disabled') await h.call('DisableKey', { KeyId: k });
  if (state === 'PendingDeletion') await h.call('ScheduleKeyDeletion', { KeyId: k, PendingWindowInDays: 7 });
  const actual = state === 'PendingDeletion' && kind === 'mrkWithReplica' ? 'PendingReplicaDeletion' : state;
  const meta = (await h.call('DescribeKey', { KeyId: k })).KeyMetadata as { KeyState: string };
  expect(meta.KeyState).toBe(actual);
  return { h, k, d, blobK, blobD, grantId: grant.GrantId as string, grantToken: grant.GrantToken as string, state: actual, made };
}

/**
 * One case per operation (two where the key can play two roles): the request, and which row of
 * §1.5 decides (`row`; `OK` when the reference says the call succeeds whatever K's state).
 */
interface Case {
  readonly op: string;
  readonly label: string;
  readonly request: (f: Fixture) => Record<string, unknown>;
  /** The §1.5 row that governs K here; 'OK' = always succeeds. */
  readonly row: string | 'OK';
  /** K's kind (default symmetric). */
  readonly kind?: Kind;
}

const CASES: readonly Case[] = [
  { op: 'CancelKeyDeletion', label: 'CancelKeyDeletion', row: 'CancelKeyDeletion', request: (f) => ({ KeyId: f.k }) },
  {
    op: 'CreateGrant',
    label: 'CreateGrant',
    row: 'CreateGrant',
    request: (f) => ({ KeyId: f.k, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/alice`, Operations: ['Encrypt'] }),
  },
  { op: 'ListGrants', label: 'ListGrants', row: 'ListGrants', request: (f) => ({ KeyId: f.k }) },
  // The account root of the issuing account may retire any grant of it (by token).
  { op: 'RetireGrant', label: 'RetireGrant (token of a grant on K)', row: 'RetireGrant', request: (f) => ({ GrantToken: f.grantToken }) },
  { op: 'RevokeGrant', label: 'RevokeGrant', row: 'RevokeGrant', request: (f) => ({ KeyId: f.k, GrantId: f.grantId }) },
  { op: 'CreateAlias', label: 'CreateAlias (target K)', row: 'CreateAlias', request: (f) => ({ AliasName: 'alias/new', TargetKeyId: f.k }) },
  { op: 'Decrypt', label: 'Decrypt (blob of K)', row: 'Decrypt', request: (f) => ({ CiphertextBlob: f.blobK }) },
  { op: 'DeleteAlias', label: 'DeleteAlias (alias of K)', row: 'DeleteAlias', request: () => ({ AliasName: 'alias/k' }) },
  { op: 'DescribeKey', label: 'DescribeKey', row: 'DescribeKey', request: (f) => ({ KeyId: f.k }) },
  { op: 'DisableKey', label: 'DisableKey', row: 'DisableKey', request: (f) => ({ KeyId: f.k }) },
  { op: 'DisableKeyRotation', label: 'DisableKeyRotation', row: 'DisableKeyRotation', request: (f) => ({ KeyId: f.k }) },
  { op: 'EnableKey', label: 'EnableKey', row: 'EnableKey', request: (f) => ({ KeyId: f.k }) },
  { op: 'EnableKeyRotation', label: 'EnableKeyRotation', row: 'EnableKeyRotation', request: (f) => ({ KeyId: f.k }) },
  { op: 'Encrypt', label: 'Encrypt', row: 'Encrypt', request: (f) => ({ KeyId: f.k, Plaintext: utf8('x') }) },
  { op: 'GenerateDataKey', label: 'GenerateDataKey', row: 'GenerateDataKey', request: (f) => ({ KeyId: f.k, KeySpec: 'AES_256' }) },
  {
    op: 'GenerateDataKeyWithoutPlaintext',
    label: 'GenerateDataKeyWithoutPlaintext',
    row: 'GenerateDataKeyWithoutPlaintext',
    request: (f) => ({ KeyId: f.k, NumberOfBytes: 16 }),
  },
  { op: 'GetKeyPolicy', label: 'GetKeyPolicy', row: 'GetKeyPolicy', request: (f) => ({ KeyId: f.k, PolicyName: 'default' }) },
  { op: 'GetKeyRotationStatus', label: 'GetKeyRotationStatus', row: 'GetKeyRotationStatus', request: (f) => ({ KeyId: f.k }) },
  { op: 'ListAliases', label: 'ListAliases (KeyId K)', row: 'ListAliases', request: (f) => ({ KeyId: f.k }) },
  { op: 'ListKeyPolicies', label: 'ListKeyPolicies', row: 'ListKeyPolicies', request: (f) => ({ KeyId: f.k }) },
  { op: 'ListKeyRotations', label: 'ListKeyRotations', row: 'ListKeyRotations', request: (f) => ({ KeyId: f.k }) },
  { op: 'ListResourceTags', label: 'ListResourceTags', row: 'ListResourceTags', request: (f) => ({ KeyId: f.k }) },
  { op: 'PutKeyPolicy', label: 'PutKeyPolicy', row: 'PutKeyPolicy', request: (f) => ({ KeyId: f.k, PolicyName: 'default', Policy: defaultKeyPolicy(ACCOUNT) }) },
  { op: 'ReEncrypt', label: 'ReEncrypt (K is the source)', row: 'ReEncrypt', request: (f) => ({ CiphertextBlob: f.blobK, DestinationKeyId: f.d }) },
  { op: 'ReEncrypt', label: 'ReEncrypt (K is the destination)', row: 'ReEncrypt', request: (f) => ({ CiphertextBlob: f.blobD, DestinationKeyId: f.k }) },
  { op: 'RotateKeyOnDemand', label: 'RotateKeyOnDemand', row: 'RotateKeyOnDemand', request: (f) => ({ KeyId: f.k }) },
  { op: 'ScheduleKeyDeletion', label: 'ScheduleKeyDeletion', row: 'ScheduleKeyDeletion', request: (f) => ({ KeyId: f.k, PendingWindowInDays: 7 }) },
  { op: 'TagResource', label: 'TagResource', row: 'TagResource', request: (f) => ({ KeyId: f.k, Tags: [{ TagKey: 'u', TagValue: 'w' }] }) },
  { op: 'UntagResource', label: 'UntagResource', row: 'UntagResource', request: (f) => ({ KeyId: f.k, TagKeys: ['t'] }) },
  // Footnote 10: the alias's current (source) key may be pending deletion …
  { op: 'UpdateAlias', label: 'UpdateAlias (K is the old target)', row: 'OK', request: (f) => ({ AliasName: 'alias/k', TargetKeyId: f.d }) },
  // … the new target may not: "KMSInvalidStateException: <key ARN> is pending deletion."
  { op: 'UpdateAlias', label: 'UpdateAlias (K is the new target)', row: 'UpdateAlias→target', request: (f) => ({ AliasName: 'alias/d', TargetKeyId: f.k }) },
  { op: 'UpdateKeyDescription', label: 'UpdateKeyDescription', row: 'UpdateKeyDescription', request: (f) => ({ KeyId: f.k, Description: 'new' }) },
  // issue 7: asymmetric, HMAC, key agreement and ML-KEM keys
  { op: 'Sign', label: 'Sign (ECC_NIST_P256)', row: 'Sign', kind: 'sign', request: (f) => ({ KeyId: f.k, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256' }) },
  {
    op: 'Verify',
    label: 'Verify (ECC_NIST_P256)',
    row: 'Verify',
    kind: 'sign',
    request: (f) => ({ KeyId: f.k, Message: MESSAGE, Signature: f.made.signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
  },
  { op: 'GetPublicKey', label: 'GetPublicKey (ECC_NIST_P256)', row: 'GetPublicKey', kind: 'sign', request: (f) => ({ KeyId: f.k }) },
  { op: 'GenerateMac', label: 'GenerateMac (HMAC_256)', row: 'GenerateMac', kind: 'hmac', request: (f) => ({ KeyId: f.k, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }) },
  {
    op: 'VerifyMac',
    label: 'VerifyMac (HMAC_256)',
    row: 'VerifyMac',
    kind: 'hmac',
    request: (f) => ({ KeyId: f.k, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256', Mac: f.made.mac }),
  },
  {
    op: 'DeriveSharedSecret',
    label: 'DeriveSharedSecret (ECC_NIST_P256 KEY_AGREEMENT)',
    row: 'DeriveSharedSecret',
    kind: 'agreement',
    request: (f) => ({ KeyId: f.k, KeyAgreementAlgorithm: 'ECDH', PublicKey: f.made.peer }),
  },
  { op: 'Encapsulate', label: 'Encapsulate (ML_KEM_768)', row: 'Encapsulate', kind: 'kem', request: (f) => ({ KeyId: f.k, EncapsulationAlgorithm: 'ML_KEM' }) },
  {
    op: 'Decapsulate',
    label: 'Decapsulate (ML_KEM_768)',
    row: 'Decapsulate',
    kind: 'kem',
    request: (f) => ({ KeyId: f.k, SharedSecretCiphertextBlob: f.made.kemCiphertext, EncapsulationAlgorithm: 'ML_KEM' }),
  },
  { op: 'GenerateDataKeyPair', label: 'GenerateDataKeyPair', row: 'GenerateDataKeyPair', request: (f) => ({ KeyId: f.k, KeyPairSpec: 'ECC_NIST_P256' }) },
  {
    op: 'GenerateDataKeyPairWithoutPlaintext',
    label: 'GenerateDataKeyPairWithoutPlaintext',
    row: 'GenerateDataKeyPairWithoutPlaintext',
    request: (f) => ({ KeyId: f.k, KeyPairSpec: 'ECC_NIST_P256' }),
  },
  // imported key material (K has material: footnote 8 in PendingDeletion, see `override`)
  {
    op: 'GetParametersForImport',
    label: 'GetParametersForImport (EXTERNAL, material imported)',
    row: 'GetParametersForImport',
    kind: 'external',
    request: (f) => ({ KeyId: f.k, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
  },
  {
    op: 'ImportKeyMaterial',
    label: 'ImportKeyMaterial (EXTERNAL, the same material again)',
    row: 'ImportKeyMaterial',
    kind: 'external',
    request: (f) => ({
      KeyId: f.k,
      ImportToken: f.made.importToken,
      EncryptedKeyMaterial: f.made.encryptedKeyMaterial,
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }),
  },
  { op: 'DeleteImportedKeyMaterial', label: 'DeleteImportedKeyMaterial (EXTERNAL)', row: 'DeleteImportedKeyMaterial', kind: 'external', request: (f) => ({ KeyId: f.k }) },
  { op: 'Decrypt', label: 'Decrypt (EXTERNAL, blob of K)', row: 'Decrypt', kind: 'external', request: (f) => ({ CiphertextBlob: f.blobK }) },
  // multi-Region keys (§9)
  { op: 'ReplicateKey', label: 'ReplicateKey (mrk primary)', row: 'ReplicateKey', kind: 'mrk', request: (f) => ({ KeyId: f.k, ReplicaRegion: 'eu-west-1' }) },
  {
    op: 'UpdatePrimaryRegion',
    label: 'UpdatePrimaryRegion (mrk primary with a replica)',
    row: 'UpdatePrimaryRegion',
    kind: 'mrkWithReplica',
    request: (f) => ({ KeyId: f.k, PrimaryRegion: 'eu-west-1' }),
  },
];

/**
 * Where the state-only matrix is not the whole story (footnote 8: an operation on imported material
 * of a key pending deletion is a KMSInvalidStateException, its message the operation's own).
 */
function override(c: Case, state: KeyState): { name: string } | undefined {
  if ((c.op === 'GetParametersForImport' || c.op === 'ImportKeyMaterial') && state === 'PendingDeletion') return { name: 'KMSInvalidStateException' };
  return undefined;
}

/** Expected outcome for a case in `state`: 'OK' or the footnote number. */
function expected(c: Case, state: KeyState): 'OK' | number {
  if (c.row === 'OK') return 'OK';
  // Footnote 10, destination half: a pending-deletion target fails with footnote 3's error.
  if (c.row === 'UpdateAlias→target') return state === 'PendingDeletion' ? 3 : 'OK';
  const cell = expectedFor(c.row, state);
  if (cell === undefined || cell === 'skip') throw new Error(`no reference cell for ${c.row} in ${state}`);
  return cell;
}

describe('operation × state through the service', () => {
  it('the cases cover every implemented operation that names a key', () => {
    const keyless = new Set([
      'CreateKey',
      'GenerateRandom',
      'ListKeys',
      'ListRetirableGrants',
      // custom key stores: named by CustomKeyStoreId, not by a key
      'ConnectCustomKeyStore',
      'CreateCustomKeyStore',
      'DeleteCustomKeyStore',
      'DescribeCustomKeyStores',
      'DisconnectCustomKeyStore',
      'UpdateCustomKeyStore',
    ]);
    const covered = new Set(CASES.map((c) => c.op));
    expect(OPERATIONS.filter((op) => !keyless.has(op) && !covered.has(op))).toEqual([]);
  });

  for (const state of STATES) {
    describe(`key in ${state}`, () => {
      for (const c of CASES) {
        const special = override(c, state);
        const want = expected(c, state);
        const title = special ? special.name : want === 'OK' ? 'succeeds' : footnoteError(want, '<arn>', state).name;
        it(`${c.label} → ${title}`, async () => {
          const f = await fixture(state, c.kind ?? 'symmetric');
          const before = f.h.repo.list('trailEvent').length;
          let outcome: { name: string; message: string } | 'OK';
          try {
            await f.h.call(c.op, c.request(f));
            outcome = 'OK';
          } catch (e) {
            outcome = { name: (e as Error).name, message: (e as Error).message };
          }
          const trail = f.h.repo.list('trailEvent');
          expect(trail.length).toBe(before + 1);
          const rec = trail[trail.length - 1]!.record;
          expect(rec.eventName).toBe(c.op);
          if (special) {
            expect(outcome).toMatchObject(special);
            expect(rec.errorCode).toBe(special.name);
          } else if (want === 'OK') {
            expect(outcome).toBe('OK');
            expect(rec.errorCode).toBeUndefined();
          } else {
            const err = footnoteError(want, f.k, f.state);
            expect(outcome).toEqual(err);
            expect({ name: rec.errorCode, message: rec.errorMessage }).toEqual(err);
          }
        });
      }
    });
  }
});
