/**
 * src/kms/lifecycle/matrix.ts checked cell by cell against kms-semantics.md §1.5 (copied as data
 * in ./referenceMatrix.ts), and every non-OK cell's exception and message against the footnotes.
 */
import { describe, expect, it } from 'vitest';
import { KEY_STATES, OPERATIONS, type KeyState } from '../../../../src/kms';
import { assertOperationAllowed, cellFor, MATRIX_STATES, OPERATION_STATE_MATRIX } from '../../../../src/kms/lifecycle/matrix';
import { expectedFor, footnoteError, REFERENCE_TABLE } from './referenceMatrix';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Operations that name no key: no row needed. */
// ListRetirableGrants names a principal, not a key.
// The custom key store operations name a key store (their keys become Unavailable, §1.5).
const KEYLESS = new Set([
  'CreateKey',
  'GenerateRandom',
  'ListKeys',
  'ListRetirableGrants',
  'CreateCustomKeyStore',
  'ConnectCustomKeyStore',
  'DisconnectCustomKeyStore',
  'DescribeCustomKeyStores',
  'UpdateCustomKeyStore',
  'DeleteCustomKeyStore',
]);

describe('operation × state matrix vs §1.5', () => {
  it('covers every KeyState as a column', () => {
    expect([...MATRIX_STATES].sort()).toEqual([...KEY_STATES].sort());
  });

  it('has a row for every implemented operation that takes a key', () => {
    const missing = OPERATIONS.filter((op) => !KEYLESS.has(op) && !(op in OPERATION_STATE_MATRIX));
    expect(missing).toEqual([]);
  });

  it('every matrix row is a row of the reference', () => {
    expect(Object.keys(OPERATION_STATE_MATRIX).filter((op) => !(op in REFERENCE_TABLE))).toEqual([]);
  });

  it('every reference row has a matrix row (every operation of §1.5 is implemented)', () => {
    expect(Object.keys(REFERENCE_TABLE).filter((op) => !(op in OPERATION_STATE_MATRIX))).toEqual([]);
  });

  for (const op of Object.keys(OPERATION_STATE_MATRIX).sort()) {
    it(`${op}: every cell`, () => {
      for (const state of KEY_STATES) {
        const want = expectedFor(op, state);
        if (want === undefined || want === 'skip') continue;
        expect(cellFor(op, state), `${op} in ${state}`).toBe(want);
      }
    });
  }
});

describe('footnotes: exception and message of every failing cell', () => {
  for (const op of Object.keys(OPERATION_STATE_MATRIX).sort()) {
    it(op, () => {
      for (const state of KEY_STATES) {
        const cell = cellFor(op, state);
        const call = () => assertOperationAllowed(op, { id: ARN, keyState: state as KeyState });
        if (cell === 'OK') {
          expect(call, `${op} in ${state}`).not.toThrow();
          continue;
        }
        let thrown: unknown;
        try {
          call();
        } catch (e) {
          thrown = e;
        }
        const err = thrown as Error;
        expect(err, `${op} in ${state}`).toBeInstanceOf(Error);
        expect({ name: err.name, message: err.message }, `${op} in ${state}`).toEqual(footnoteError(cell, ARN, state));
      }
    });
  }

  it('an operation without a row is never state-checked', () => {
    for (const state of KEY_STATES) expect(cellFor('GenerateRandom', state)).toBe('OK');
  });
});
