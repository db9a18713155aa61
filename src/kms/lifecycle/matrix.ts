/**
 * The operation × key-state matrix (kms-semantics.md §1.5, from AWS's key-state page).
 *
 * One table, read by the service on every call and by the tests cell by cell. A cell is `OK`,
 * or the footnote number whose exception and message AWS answers with. Cells that depend on the
 * key type (footnotes 7 and 9: rotation/import support) are `OK` here; the operations apply
 * those key-type rules themselves (they are not state rules).
 *
 * Footnotes (exception: message, `<arn>` = key ARN):
 *   1  DisabledException:          <arn> is disabled.
 *   3  KMSInvalidStateException:   <arn> is pending deletion. / is pending replica deletion.
 *      (footnote 2 allows DisabledException too; §1.4: the simulator uses KMSInvalidStateException)
 *   4  KMSInvalidStateException:   <arn> is not pending deletion.
 *   5  KMSInvalidStateException:   <arn> is pending import.
 *   6  UnsupportedOperationException: <arn> origin is EXTERNAL which is not valid for this operation.
 *   11 KMSInvalidStateException:   <arn> is unavailable.
 *   14 KMSInvalidStateException:   <arn> is creating.
 *   15 KMSInvalidStateException:   <arn> is updating.
 */
import { kmsError, type KmsError } from '../errors';
import { KEY_STATES, type KeyState } from '../model';

export type Cell = 'OK' | 1 | 3 | 4 | 5 | 6 | 11 | 14 | 15;

/** Column order of every row below: the KeyState values in their declared order. */
export const MATRIX_STATES = KEY_STATES;

type Row = readonly [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

const ALL_OK: Row = ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK', 'OK'];
/** Cryptographic use (Encrypt, Decrypt, GenerateDataKey*, ReEncrypt, Sign, ...). */
const CRYPTO: Row = ['OK', 1, 3, 3, 5, 11, 14, 'OK'];
/** Metadata changes barred while pending deletion. */
const NOT_PENDING_DELETION: Row = ['OK', 'OK', 3, 3, 'OK', 'OK', 'OK', 'OK'];
/** Automatic-rotation switches (footnote 7 is applied by the operations). */
const ROTATION: Row = ['OK', 1, 3, 3, 6, 'OK', 14, 'OK'];

//                         Enabled Disabled PendDel PendRepl PendImp Unavail Creating Updating
export const OPERATION_STATE_MATRIX: Readonly<Record<string, Row>> = {
  CancelKeyDeletion: [4, 4, 'OK', 'OK', 4, 4, 4, 4],
  CreateAlias: NOT_PENDING_DELETION,
  CreateGrant: ['OK', 1, 3, 3, 5, 'OK', 14, 'OK'],
  Decrypt: CRYPTO,
  DeleteAlias: ALL_OK,
  DescribeKey: ALL_OK,
  DisableKey: ['OK', 'OK', 3, 3, 5, 'OK', 14, 15],
  DisableKeyRotation: ROTATION,
  EnableKey: ['OK', 'OK', 3, 3, 5, 'OK', 14, 15],
  EnableKeyRotation: ROTATION,
  Encrypt: CRYPTO,
  GenerateDataKey: CRYPTO,
  GenerateDataKeyWithoutPlaintext: CRYPTO,
  GenerateDataKeyPair: CRYPTO,
  GenerateDataKeyPairWithoutPlaintext: CRYPTO,
  GenerateMac: CRYPTO,
  VerifyMac: CRYPTO,
  GetKeyPolicy: ALL_OK,
  GetKeyRotationStatus: ['OK', 'OK', 'OK', 'OK', 6, 'OK', 'OK', 'OK'],
  GetPublicKey: CRYPTO,
  ListAliases: ALL_OK,
  ListGrants: ALL_OK,
  ListKeyPolicies: ALL_OK,
  ListKeyRotations: ALL_OK,
  ListResourceTags: ALL_OK,
  PutKeyPolicy: ALL_OK,
  ReEncrypt: CRYPTO,
  // Footnotes 9 and 8 (key types that cannot hold imported material; a key pending deletion with
  // imported material) are key-type rules the import operations apply themselves.
  DeleteImportedKeyMaterial: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 14, 15],
  GetParametersForImport: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 14, 15],
  ImportKeyMaterial: ['OK', 'OK', 'OK', 'OK', 'OK', 'OK', 14, 'OK'],
  ReplicateKey: ['OK', 1, 3, 3, 5, 'OK', 14, 15],
  UpdatePrimaryRegion: ['OK', 1, 3, 3, 5, 'OK', 14, 'OK'],
  // Newer than the 2023 table: like Sign (§1.5).
  DeriveSharedSecret: CRYPTO,
  Encapsulate: CRYPTO,
  Decapsulate: CRYPTO,
  RetireGrant: ALL_OK,
  RevokeGrant: ALL_OK,
  // Recorded from AWS: a key awaiting import answers "is pending import." (§1.5).
  RotateKeyOnDemand: ['OK', 1, 3, 3, 5, 'OK', 14, 'OK'],
  ScheduleKeyDeletion: ['OK', 'OK', 3, 3, 'OK', 'OK', 'OK', 15],
  Sign: CRYPTO,
  Verify: CRYPTO,
  TagResource: NOT_PENDING_DELETION,
  UntagResource: NOT_PENDING_DELETION,
  // Footnote 10: the *source* key may be pending deletion; the new target may not (checked by UpdateAlias).
  UpdateAlias: ALL_OK,
  UpdateKeyDescription: NOT_PENDING_DELETION,
};

/** The cell for `operation` in `state`; operations without a row are not state-checked. */
export function cellFor(operation: string, state: KeyState): Cell {
  const row = OPERATION_STATE_MATRIX[operation];
  if (!row) return 'OK';
  return row[MATRIX_STATES.indexOf(state)] ?? 'OK';
}

/** The error AWS answers for footnote `cell` on key `arn` in `state`. */
export function stateError(cell: Exclude<Cell, 'OK'>, arn: string, state: KeyState): KmsError {
  switch (cell) {
    case 1:
      return kmsError('DisabledException', `${arn} is disabled.`);
    case 3:
      return kmsError(
        'KMSInvalidStateException',
        `${arn} is ${state === 'PendingReplicaDeletion' ? 'pending replica deletion' : 'pending deletion'}.`,
      );
    case 4:
      return kmsError('KMSInvalidStateException', `${arn} is not pending deletion.`);
    case 5:
      return kmsError('KMSInvalidStateException', `${arn} is pending import.`);
    case 6:
      return kmsError('UnsupportedOperationException', `${arn} origin is EXTERNAL which is not valid for this operation.`);
    case 11:
      return kmsError('KMSInvalidStateException', `${arn} is unavailable.`);
    case 14:
      return kmsError('KMSInvalidStateException', `${arn} is creating.`);
    case 15:
      return kmsError('KMSInvalidStateException', `${arn} is updating.`);
  }
}

/** Throws the AWS error when `operation` is not allowed in the key's state. */
export function assertOperationAllowed(operation: string, key: { id: string; keyState: KeyState }): void {
  const cell = cellFor(operation, key.keyState);
  if (cell !== 'OK') throw stateError(cell, key.id, key.keyState);
}
