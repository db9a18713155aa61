/**
 * The operation × state table through the full service: for every state a key can reach in
 * issue 2 (Enabled, Disabled, PendingDeletion) and every implemented operation that names a key,
 * the service answers what §1.5 (./referenceMatrix.ts) says — the footnote's exception and
 * message (`<key ARN> is disabled.` …) or success — and its one trail record says the same.
 */
import { describe, expect, it } from 'vitest';
import { defaultKeyPolicy, OPERATIONS, type KeyState } from '../../../../src/kms';
import { ACCOUNT, makeHarness, utf8, type Harness } from '../harness';
import { expectedFor, footnoteError } from './referenceMatrix';

const STATES = ['Enabled', 'Disabled', 'PendingDeletion'] as const satisfies readonly KeyState[];

/** The subject key K (put into the state under test), a helper key D (Enabled), their blobs and aliases. */
interface Fixture {
  h: Harness;
  k: string;
  d: string;
  blobK: Uint8Array;
  blobD: Uint8Array;
  /** A grant on K (made while K was Enabled), its id and token. */
  grantId: string;
  grantToken: string;
}

async function fixture(state: KeyState): Promise<Fixture> {
  const h = await makeHarness();
  const k = (await h.createKey({ Description: 'subject' })).arn;
  const d = (await h.createKey({ Description: 'helper' })).arn;
  const blobK = (await h.call('Encrypt', { KeyId: k, Plaintext: utf8('under K') })).CiphertextBlob as Uint8Array;
  const blobD = (await h.call('Encrypt', { KeyId: d, Plaintext: utf8('under D') })).CiphertextBlob as Uint8Array;
  await h.call('CreateAlias', { AliasName: 'alias/k', TargetKeyId: k });
  await h.call('CreateAlias', { AliasName: 'alias/d', TargetKeyId: d });
  await h.call('TagResource', { KeyId: k, Tags: [{ TagKey: 't', TagValue: 'v' }] });
  const grant = await h.call('CreateGrant', { KeyId: k, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/AppRole`, Operations: ['Decrypt'] });
  if (state === 'Disabled') await h.call('DisableKey', { KeyId: k });
  if (state === 'PendingDeletion') await h.call('ScheduleKeyDeletion', { KeyId: k, PendingWindowInDays: 7 });
  const meta = (await h.call('DescribeKey', { KeyId: k })).KeyMetadata as { KeyState: string };
  expect(meta.KeyState).toBe(state);
  return { h, k, d, blobK, blobD, grantId: grant.GrantId as string, grantToken: grant.GrantToken as string };
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
];

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
    const keyless = new Set(['CreateKey', 'GenerateRandom', 'ListKeys', 'ListRetirableGrants']);
    const covered = new Set(CASES.map((c) => c.op));
    expect(OPERATIONS.filter((op) => !keyless.has(op) && !covered.has(op))).toEqual([]);
  });

  for (const state of STATES) {
    describe(`key in ${state}`, () => {
      for (const c of CASES) {
        const want = expected(c, state);
        it(`${c.label} → ${want === 'OK' ? 'succeeds' : footnoteError(want, '<arn>', state).name}`, async () => {
          const f = await fixture(state);
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
          if (want === 'OK') {
            expect(outcome).toBe('OK');
            expect(rec.errorCode).toBeUndefined();
          } else {
            const err = footnoteError(want, f.k, state);
            expect(outcome).toEqual(err);
            expect({ name: rec.errorCode, message: rec.errorMessage }).toEqual(err);
          }
        });
      }
    });
  }
});
