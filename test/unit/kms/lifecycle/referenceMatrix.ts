/**
 * The operation × key-state table of /work/shared/reference/kms-semantics.md §1.5, copied as data
 * (cell text verbatim), with its footnotes as exception name + message. The tests read the
 * expected cells from here and compare them with src/kms/lifecycle/matrix.ts and with what the
 * service answers; nothing here is derived from the code under test.
 */
import type { KeyState } from '../../../../src/kms';

/** Reference column order; `PendDel` covers PendingDeletion and PendingReplicaDeletion (§1.5 legend). */
export const REFERENCE_COLUMNS = ['Enabled', 'Disabled', 'PendDel', 'PendingImport', 'Unavailable', 'Creating', 'Updating'] as const;

type RefRow = readonly [string, string, string, string, string, string, string];

/** §1.5, row by row; a row naming several operations is listed once per operation. */
export const REFERENCE_TABLE: Readonly<Record<string, RefRow>> = {
  CancelKeyDeletion: ['X[4]', 'X[4]', 'OK', 'X[4]', 'X[4][13]', 'X[4]', 'X[4]'],
  CreateAlias: ['OK', 'OK', 'X[3]', 'OK', 'OK', 'OK', 'OK'],
  CreateGrant: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'OK', 'X[14]', 'OK'],
  Decrypt: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  DeleteAlias: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  DeleteImportedKeyMaterial: ['OK[9]', 'OK[9]', 'OK[9]', 'OK (no effect)', 'N/A', 'X[14]', 'X[15]'],
  DescribeKey: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  DisableKey: ['OK', 'OK', 'X[3]', 'X[5]', 'OK[12]', 'X[14]', 'X[15]'],
  DisableKeyRotation: ['?[7]', 'X[1]/[7]', 'X[3]/[7]', 'X[6]', 'X[7]', 'X[14]', '?[7]'],
  EnableKey: ['OK', 'OK', 'X[3]', 'X[5]', 'OK[12]', 'X[14]', 'X[15]'],
  EnableKeyRotation: ['?[7]', 'X[1]/[7]', 'X[3]/[7]', 'X[6]', 'X[7]', 'X[14]', '?[7]'],
  Encrypt: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  GenerateDataKey: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  GenerateDataKeyWithoutPlaintext: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  GenerateDataKeyPair: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  GenerateDataKeyPairWithoutPlaintext: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  GenerateMac: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  VerifyMac: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  GetKeyPolicy: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  GetKeyRotationStatus: ['?[7]', '?[7]', '?[7]', 'X[6]', 'X[7]', '?[7]', '?[7]'],
  GetParametersForImport: ['?[9]', '?[9]', 'X[8]/[9]', 'OK', 'X[9]', 'X[14]', 'X[15]'],
  GetPublicKey: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  ImportKeyMaterial: ['?[9]', '?[9]', 'X[8]/[9]', 'OK', 'X[9]', 'X[14]', 'OK'],
  ListAliases: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  ListGrants: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  ListKeyPolicies: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  ListResourceTags: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  PutKeyPolicy: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  ReEncrypt: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'X[11]', 'X[14]', 'OK'],
  ReplicateKey: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'N/A', 'X[14]', 'X[15]'],
  RetireGrant: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  RevokeGrant: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'],
  ScheduleKeyDeletion: ['OK', 'OK', 'X[3]', 'OK', 'OK', 'OK', 'X[15]'],
  Sign: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  Verify: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  TagResource: ['OK', 'OK', 'X[3]', 'OK', 'OK', 'OK', 'OK'],
  UntagResource: ['OK', 'OK', 'X[3]', 'OK', 'OK', 'OK', 'OK'],
  UpdateAlias: ['OK', 'OK', '?[10]', 'OK', 'OK', 'OK', 'OK'],
  UpdateKeyDescription: ['OK', 'OK', 'X[3]', 'OK', 'OK', 'OK', 'OK'],
  UpdatePrimaryRegion: ['OK', 'X[1]', 'X[2/3]', 'X[5]', 'N/A', 'X[14]', 'OK'],
  // "Operations newer than the 2023 table": RotateKeyOnDemand behaves like EnableKeyRotation, but a
  // key awaiting import answers "is pending import." (recorded from AWS); ListKeyRotations is
  // read-only and succeeds in every state (key types that cannot rotate: footnote 7).
  RotateKeyOnDemand: ['?[7]', 'X[1]/[7]', 'X[3]/[7]', 'X[5]', 'X[7]', 'X[14]', '?[7]'],
  ListKeyRotations: ['?[7]', '?[7]', '?[7]', '?[7]', '?[7]', '?[7]', '?[7]'],
  // "DeriveSharedSecret, Encapsulate, Decapsulate behave like Sign" (same section), with Sign's N/A*.
  DeriveSharedSecret: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  Encapsulate: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
  Decapsulate: ['OK', 'X[1]', 'X[2/3]', 'N/A*', 'N/A', 'X[14]', 'OK'],
};

/** Expected matrix cell: OK, a footnote number, or `skip` (N/A: the state is impossible for the key type). */
export type ExpectedCell = 'OK' | number | 'skip';

/**
 * What a reference cell means for the state-only matrix:
 *   OK, OK[9], OK[12], OK (no effect)  → OK
 *   X[n]                               → n
 *   X[2/3]                             → 3 (§1.4: the simulator answers KMSInvalidStateException)
 *   X[4][13]                           → 4 (13 only explains why the state is still PendingDeletion)
 *   X[1]/[7], X[3]/[7]                 → 1, 3 (the state rule; 7 is a key-type rule)
 *   ?[7], X[7], ?[9], X[9], X[8]/[9]   → OK for the matrix: key-type rules the operations apply
 *   ?[10]                              → OK (UpdateAlias checks its destination key itself)
 *   N/A*                               → 5 (the note under the table: treat like Encrypt's X[5])
 *   N/A                                → skip
 */
export function expectedCell(ref: string): ExpectedCell {
  if (ref === 'N/A') return 'skip';
  if (ref === 'N/A*') return 5;
  if (ref.startsWith('OK')) return 'OK';
  if (ref.startsWith('?[')) return 'OK';
  if (ref === 'X[2/3]') return 3;
  if (ref === 'X[7]' || ref === 'X[9]' || ref === 'X[8]/[9]') return 'OK';
  const m = /^X\[(\d+)\]/.exec(ref);
  if (!m) throw new Error(`unparsed reference cell ${ref}`);
  return Number(m[1]);
}

/** The reference column of a KeyState. */
export function referenceColumn(state: KeyState): number {
  const col = state === 'PendingDeletion' || state === 'PendingReplicaDeletion' ? 'PendDel' : state;
  const i = (REFERENCE_COLUMNS as readonly string[]).indexOf(col);
  if (i < 0) throw new Error(`no reference column for ${state}`);
  return i;
}

/** The expected cell of `operation` in `state`, or undefined when the reference has no row. */
export function expectedFor(operation: string, state: KeyState): ExpectedCell | undefined {
  const row = REFERENCE_TABLE[operation];
  return row ? expectedCell(row[referenceColumn(state)]!) : undefined;
}

/** §1.5 footnotes: exception name and message for key `arn` in `state`. */
export function footnoteError(n: number, arn: string, state: KeyState): { name: string; message: string } {
  switch (n) {
    case 1:
      return { name: 'DisabledException', message: `${arn} is disabled.` };
    case 3:
      return {
        name: 'KMSInvalidStateException',
        message: `${arn} is ${state === 'PendingReplicaDeletion' ? 'pending replica deletion' : 'pending deletion'}.`,
      };
    case 4:
      return { name: 'KMSInvalidStateException', message: `${arn} is not pending deletion.` };
    case 5:
      return { name: 'KMSInvalidStateException', message: `${arn} is pending import.` };
    case 6:
      return { name: 'UnsupportedOperationException', message: `${arn} origin is EXTERNAL which is not valid for this operation.` };
    case 11:
      return { name: 'KMSInvalidStateException', message: `${arn} is unavailable.` };
    case 14:
      return { name: 'KMSInvalidStateException', message: `${arn} is creating.` };
    case 15:
      return { name: 'KMSInvalidStateException', message: `${arn} is updating.` };
    default:
      throw new Error(`footnote ${n} has no single exception`);
  }
}
