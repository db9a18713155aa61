/**
 * EnableKey and DisableKey (§1.2, §2.2): idempotent between Enabled and Disabled. Re-enabling a
 * key whose automatic rotation fell due while it was disabled rotates it at once (§1.2, §8).
 * On a key whose custom key store is disconnected (`Unavailable`) both succeed but change only
 * the state the key returns to when the store reconnects (`stateAfter`, §1.5 footnote 12).
 */
import type { Operation } from './operation';
import { nextKeyState } from '../lifecycle/keyStateMachine';
import type { KeyRecord, KeyState } from '../model';
import { KEY_ID, validateRequest } from '../validate';
import { useManagedKey } from './common';

function withState(key: KeyRecord, event: { type: 'EnableKey' } | { type: 'DisableKey' }): KeyRecord {
  if (key.keyState === 'Unavailable') {
    return { ...key, stateAfter: nextKeyState(key.stateAfter ?? 'Enabled', event) as KeyState };
  }
  const next = nextKeyState(key.keyState, event);
  return { ...key, keyState: next as KeyState };
}

export const enableKey: Operation = {
  name: 'EnableKey',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID });
    const key = useManagedKey(ctx, req.KeyId as string);
    const next = withState(key, { type: 'EnableKey' });
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
    ctx.tx.put(withState(key, { type: 'DisableKey' }));
    return {};
  },
};
