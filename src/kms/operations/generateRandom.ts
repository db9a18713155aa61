/** GenerateRandom (§2.2): 1–1024 random bytes; no key involved. Custom key stores arrive later. */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { NUMBER_OF_BYTES, validateRequest, validationError } from '../validate';
import { authorizeIam } from './common';

export const generateRandom: Operation = {
  name: 'GenerateRandom',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { NumberOfBytes: NUMBER_OF_BYTES, CustomKeyStoreId: { type: 'string', min: 1, max: 64 } });
    if (req.CustomKeyStoreId !== undefined) {
      throw kmsError('CustomKeyStoreNotFoundException', `Custom key store '${String(req.CustomKeyStoreId)}' does not exist.`);
    }
    if (req.NumberOfBytes === undefined) validationError('Please specify number of bytes.');
    authorizeIam(ctx, '*');
    return { Plaintext: ctx.random.bytes(req.NumberOfBytes as number) };
  },
};
