/** The custom key store operations (§1.5, §2) (issue 7; being written). */
import { notYet } from './notYet';
import type { OpContext } from '../context';
import { kmsError } from '../errors';

export const createCustomKeyStore = notYet('CreateCustomKeyStore', false);
export const connectCustomKeyStore = notYet('ConnectCustomKeyStore', false);
export const disconnectCustomKeyStore = notYet('DisconnectCustomKeyStore', false);
export const describeCustomKeyStores = notYet('DescribeCustomKeyStores', true);
export const updateCustomKeyStore = notYet('UpdateCustomKeyStore', false);
export const deleteCustomKeyStore = notYet('DeleteCustomKeyStore', false);


/** What CreateKey asks of a custom key store. */
export interface NewKeyInStore {
  readonly origin: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly customKeyStoreId: string | undefined;
  readonly xksKeyId: string | undefined;
  readonly keySpec: string;
  readonly multiRegion: boolean;
}

/**
 * CreateKey in a custom key store (§1.5, §2.2): checks the store (exists in the caller's account
 * and Region, its type matches the origin, CONNECTED), the spec (SYMMETRIC_DEFAULT only), no
 * multi-Region, XksKeyId exactly for external key stores; returns the key's store fields.
 */
export function keyStoreForNewKey(ctx: OpContext, req: NewKeyInStore): { customKeyStoreId: string; xksKeyId: string | null } {
  void ctx;
  throw kmsError('CustomKeyStoreNotFoundException', `Custom key store '${String(req.customKeyStoreId)}' does not exist.`);
}
