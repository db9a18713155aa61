/**
 * EnableKey and DisableKey (§1.2, §2.2): idempotent between Enabled and Disabled. Re-enabling a
 * key whose automatic rotation fell due while it was disabled rotates it at once (§1.2, §8).
 * On a key whose custom key store is disconnected (`Unavailable`) both succeed but change only
 * the state the key returns to when the store reconnects (`stateAfter`, §1.5 footnote 12).
 */
import type { Operation } from './operation';
import type { OpContext } from '../context';
import { nextKeyState } from '../lifecycle/keyStateMachine';
import type { KeyRecord, KeyState } from '../model';
import { KEY_ID, validateRequest } from '../validate';
import { useManagedKey } from './common';

/** True when the key lives in a custom key store that is not connected now. */
function isStoreDown(ctx: OpContext, key: KeyRecord): boolean {
  if (key.customKeyStoreId === null) return false;
  return ctx.tx.get('customKeyStore', key.customKeyStoreId)?.connectionState !== 'CONNECTED';
}

function withState(ctx: OpContext, key: KeyRecord, event: { type: 'EnableKey' } | { type: 'DisableKey' }): KeyRecord {
  if (key.keyState === 'Unavailable') {
    return { ...key, stateAfter: nextKeyState(key.stateAfter ?? 'Enabled', event) as KeyState };
  }
  const next = nextKeyState(key.keyState, event) as KeyState;
  // A key whose deletion was cancelled while its store was disconnected is Disabled (§1.2); enabling
  // or disabling it there must not make it usable: it waits, Unavailable, for the store (footnote 12).
  if ((next === 'Enabled' || next === 'Disabled') && isStoreDown(ctx, key)) {
    return { ...key, keyState: 'Unavailable', stateAfter: next };
  }
  return { ...key, keyState: next };
}

export const enableKey: Operation = {
  name: 'EnableKey',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    const next = withState(ctx, key, { type: 'EnableKey' });
    const overdue = next.rotationEnabled && next.nextRotationDate !== null && next.nextRotationDate < ctx.now;
    ctx.tx.put(overdue ? { ...next, nextRotationDate: ctx.now } : next);
    return {};
  },
};

export const disableKey: Operation = {
  name: 'DisableKey',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    ctx.tx.put(withState(ctx, key, { type: 'DisableKey' }));
    return {};
  },
};
