import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../../../src/kms';
import { OPERATION_HANDLERS } from '../../../../src/kms/operations';
import { lazyOperation } from '../../../../src/kms/operations/lazyOperation';
import * as rotation from '../../../../src/kms/operations/rotation';
import * as keyDeletion from '../../../../src/kms/operations/keyDeletion';
import * as aliases from '../../../../src/kms/operations/aliases';
import * as grants from '../../../../src/kms/operations/grants';
import * as customKeyStores from '../../../../src/kms/operations/customKeyStores';
import * as deriveSharedSecret from '../../../../src/kms/operations/deriveSharedSecret';
import * as encapsulate from '../../../../src/kms/operations/encapsulate';
import * as generateDataKeyPair from '../../../../src/kms/operations/generateDataKeyPair';
import * as getPublicKey from '../../../../src/kms/operations/getPublicKey';
import * as importKeyMaterial from '../../../../src/kms/operations/importKeyMaterial';
import * as mac from '../../../../src/kms/operations/mac';
import * as multiRegion from '../../../../src/kms/operations/multiRegion';
import * as sign from '../../../../src/kms/operations/sign';
import type { Operation } from '../../../../src/kms/operations/operation';
import type { OpContext } from '../../../../src/kms/context';

/** Every Operation exported by the lazily loaded handler modules. */
const LOADED: Operation[] = [rotation, keyDeletion, aliases, grants, customKeyStores, deriveSharedSecret, encapsulate, generateDataKeyPair, getPublicKey, importKeyMaterial, mac, multiRegion, sign].flatMap((m) =>
  Object.values(m).filter((v): v is Operation => typeof v === 'object' && v !== null && typeof (v as Operation).handle === 'function' && typeof (v as Operation).name === 'string'),
);

describe('lazily loaded operations', () => {
  it('registers every operation under its own name', () => {
    for (const op of OPERATIONS) expect(OPERATION_HANDLERS[op].name, op).toBe(op);
  });

  it('declare the name and CloudTrail readOnly of the handler they load', () => {
    expect(LOADED.length).toBeGreaterThanOrEqual(21);
    for (const op of LOADED) {
      const registered = OPERATION_HANDLERS[op.name as keyof typeof OPERATION_HANDLERS];
      expect(registered, op.name).toBeDefined();
      expect({ name: registered.name, readOnly: registered.readOnly }).toEqual({ name: op.name, readOnly: op.readOnly });
    }
  });

  it('retries a module that failed to load, and refuses a handler that does not match', async () => {
    let attempts = 0;
    const handler: Operation = { name: 'Sign', readOnly: true, handle: () => Promise.resolve({ ok: 1 }) };
    const op = lazyOperation('Sign', true, () => (++attempts === 1 ? Promise.reject(new Error('chunk failed')) : Promise.resolve(handler)));
    const ctx = {} as OpContext;
    await expect(op.handle(ctx, {})).rejects.toThrow('chunk failed');
    await expect(op.handle(ctx, {})).resolves.toEqual({ ok: 1 });
    expect(attempts).toBe(2);
    const wrong = lazyOperation('Verify', true, () => Promise.resolve(handler));
    await expect(wrong.handle(ctx, {})).rejects.toThrow(/does not match/);
  });
});
