/**
 * Key states as an XState machine (kms-semantics.md §1.1–1.2).
 *
 * The domain uses it as a pure transition function (STYLE §9): `nextKeyState(state, event)`
 * resolves a snapshot from the stored `keyState` and applies xstate's `transition()`. The
 * service never keeps actors; the UI may draw the machine from this definition.
 * Whether an operation is allowed at all is the matrix's business (`matrix.ts`); an event the
 * current state does not handle leaves the state unchanged.
 */
import { setup, transition, type SnapshotFrom } from 'xstate';
import type { KeyState } from '../model';

/** Facts and AWS operations that move a key between states. */
export type KeyLifecycleEvent =
  | { type: 'EnableKey' }
  | { type: 'DisableKey' }
  | { type: 'ScheduleKeyDeletion'; hasReplicas: boolean }
  | { type: 'CancelKeyDeletion' }
  | { type: 'DeletionWindowElapsed' }
  | { type: 'LastReplicaDeleted' }
  | { type: 'ImportKeyMaterial' }
  | { type: 'DeleteImportedKeyMaterial' }
  | { type: 'KeyMaterialExpired' }
  | { type: 'ReplicaCreated'; isExternal: boolean }
  | { type: 'UpdatePrimaryRegion' }
  | { type: 'PrimaryRegionUpdated'; previous: 'Enabled' | 'Disabled' }
  | { type: 'KeyStoreDisconnected' }
  | { type: 'KeyStoreConnected'; previous: 'Enabled' | 'Disabled' };

/** `Deleted` is the final state: the key record is removed. */
export type LifecycleState = KeyState | 'Deleted';

export const keyStateMachine = setup({
  types: { events: {} as KeyLifecycleEvent },
  guards: {
    hasReplicas: ({ event }) => event.type === 'ScheduleKeyDeletion' && event.hasReplicas,
    isExternal: ({ event }) => event.type === 'ReplicaCreated' && event.isExternal,
    wasDisabled: ({ event }) =>
      (event.type === 'PrimaryRegionUpdated' || event.type === 'KeyStoreConnected') && event.previous === 'Disabled',
  },
}).createMachine({
  id: 'kmsKey',
  initial: 'Enabled',
  states: {
    Enabled: {
      on: {
        DisableKey: 'Disabled',
        ScheduleKeyDeletion: [{ guard: 'hasReplicas', target: 'PendingReplicaDeletion' }, { target: 'PendingDeletion' }],
        DeleteImportedKeyMaterial: 'PendingImport',
        KeyMaterialExpired: 'PendingImport',
        UpdatePrimaryRegion: 'Updating',
        KeyStoreDisconnected: 'Unavailable',
      },
    },
    Disabled: {
      on: {
        EnableKey: 'Enabled',
        ScheduleKeyDeletion: [{ guard: 'hasReplicas', target: 'PendingReplicaDeletion' }, { target: 'PendingDeletion' }],
        DeleteImportedKeyMaterial: 'PendingImport',
        KeyMaterialExpired: 'PendingImport',
        KeyStoreDisconnected: 'Unavailable',
      },
    },
    PendingDeletion: {
      on: { CancelKeyDeletion: 'Disabled', DeletionWindowElapsed: 'Deleted' },
    },
    PendingReplicaDeletion: {
      on: { CancelKeyDeletion: 'Disabled', LastReplicaDeleted: 'PendingDeletion' },
    },
    PendingImport: {
      // A multi-Region primary awaiting import waits for its replicas too (§9).
      on: { ImportKeyMaterial: 'Enabled', ScheduleKeyDeletion: [{ guard: 'hasReplicas', target: 'PendingReplicaDeletion' }, { target: 'PendingDeletion' }] },
    },
    Unavailable: {
      on: {
        KeyStoreConnected: [{ guard: 'wasDisabled', target: 'Disabled' }, { target: 'Enabled' }],
        ScheduleKeyDeletion: 'PendingDeletion',
      },
    },
    Creating: {
      on: {
        ReplicaCreated: [{ guard: 'isExternal', target: 'PendingImport' }, { target: 'Enabled' }],
        ScheduleKeyDeletion: 'PendingDeletion',
      },
    },
    Updating: {
      on: { PrimaryRegionUpdated: [{ guard: 'wasDisabled', target: 'Disabled' }, { target: 'Enabled' }] },
    },
    Deleted: { type: 'final' },
  },
});

type KeySnapshot = SnapshotFrom<typeof keyStateMachine>;

/** The state a key reaches from `state` on `event` (unchanged when the state ignores it). */
export function nextKeyState(state: LifecycleState, event: KeyLifecycleEvent): LifecycleState {
  const snapshot: KeySnapshot = keyStateMachine.resolveState({ value: state, context: {} });
  const [next] = transition(keyStateMachine, snapshot, event);
  return next.value as LifecycleState;
}
