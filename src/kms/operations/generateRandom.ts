/**
 * GenerateRandom (§2.2): 1–1024 random bytes; no key involved. With CustomKeyStoreId the bytes
 * come "from" a connected CloudHSM key store (simulated: the same seeded stream); an external key
 * store cannot generate them (customKeyStores.ts `assertRandomSource`).
 */
import type { Operation } from './operation';
import { NUMBER_OF_BYTES, validateRequest, validationError } from '../validate';
import { authorizeIam } from './common';

export const generateRandom: Operation = {
  name: 'GenerateRandom',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { NumberOfBytes: NUMBER_OF_BYTES, CustomKeyStoreId: { type: 'string', min: 1, max: 64 } });
    if (req.NumberOfBytes === undefined) validationError('Please specify number of bytes.');
    authorizeIam(ctx, '*');
    if (req.CustomKeyStoreId !== undefined) (await import('./customKeyStores')).assertRandomSource(ctx, req.CustomKeyStoreId as string);
    return { Plaintext: ctx.random.bytes(req.NumberOfBytes as number) };
  },
};
