/** UpdateKeyDescription (§2.2): 0–8192 characters; not while pending deletion. */
import type { Operation } from './operation';
import { KEY_ID, validateRequest } from '../validate';
import { useManagedKey } from './common';

export const updateKeyDescription: Operation = {
  name: 'UpdateKeyDescription',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, Description: { type: 'string', required: true, min: 0, max: 8192 } });
    const key = useManagedKey(ctx, req.KeyId as string);
    ctx.tx.put({ ...key, description: req.Description as string });
    return {};
  },
};
