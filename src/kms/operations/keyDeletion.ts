/**
 * ScheduleKeyDeletion and CancelKeyDeletion (§1.2–1.4, §9): a 7–30 day waiting period (default 30;
 * the model admits 1–365 and the service refuses the rest); cancelling always leaves the key
 * Disabled. The deletion itself happens when the sandbox clock passes DeletionDate (service.ts).
 * A multi-Region primary that still has replicas waits in PendingReplicaDeletion with no
 * DeletionDate, keeping its window; the window starts when its last replica is deleted
 * (multiRegion.ts `replicaDeletionStarts`).
 */
import type { Operation } from './operation';
import { DAY_MS } from '../context';
import { nextKeyState } from '../lifecycle/keyStateMachine';
import type { KeyState } from '../model';
import { KEY_ID, validateRequest, validationError } from '../validate';
import { useManagedKey } from './common';
import { refreshReplicaWait, replicasOf } from './multiRegionSync';

export const scheduleKeyDeletion: Operation = {
  name: 'ScheduleKeyDeletion',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, PendingWindowInDays: { type: 'integer', min: 1, max: 365 } });
    const days = (req.PendingWindowInDays as number | undefined) ?? 30;
    const key = useManagedKey(ctx, req.KeyId as string, {
      conditions: { 'kms:schedulekeydeletionpendingwindowindays': [String(days)] },
    });
    if (days < 7 || days > 30) validationError(`PendingWindowInDays must be between 7 and 30 (got ${days}).`);
    const hasReplicas = replicasOf(ctx.tx, key).length > 0;
    // The matrix has already admitted the state; the machine sends a primary with replicas to
    // PendingReplicaDeletion from every state that can schedule deletion (§9).
    const state = nextKeyState(key.keyState, { type: 'ScheduleKeyDeletion', hasReplicas }) as KeyState;
    // A replica scheduled while still Creating leaves that transient state for good.
    const transient = key.keyState === 'Creating' ? { stateAfter: null, stateChangeAt: null } : {};
    if (state === 'PendingReplicaDeletion') {
      ctx.tx.put({ ...key, ...transient, keyState: state, deletionDate: null, pendingDeletionWindowInDays: days });
      refreshReplicaWait(ctx.tx, key);
      return { KeyId: key.id, KeyState: state, PendingWindowInDays: days };
    }
    const deletionDate = ctx.now + days * DAY_MS;
    ctx.tx.put({ ...key, ...transient, keyState: state, deletionDate, pendingDeletionWindowInDays: days });
    refreshReplicaWait(ctx.tx, key);
    return { KeyId: key.id, DeletionDate: new Date(deletionDate), KeyState: state, PendingWindowInDays: days };
  },
};

export const cancelKeyDeletion: Operation = {
  name: 'CancelKeyDeletion',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    const state = nextKeyState(key.keyState, { type: 'CancelKeyDeletion' }) as KeyState;
    // A primary that stops waiting for its replicas forgets when the last one would have gone.
    const waited = key.keyState === 'PendingReplicaDeletion' ? { stateChangeAt: null } : {};
    ctx.tx.put({ ...key, ...waited, keyState: state, deletionDate: null, pendingDeletionWindowInDays: null });
    refreshReplicaWait(ctx.tx, key);
    return { KeyId: key.id };
  },
};
