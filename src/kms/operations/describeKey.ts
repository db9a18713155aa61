/**
 * DescribeKey (§2.2): every key state, every KeyId form, cross-account by ARN. Naming a predefined
 * `alias/aws/<service>` alias that has no key yet creates the AWS managed key first (as AWS does).
 */
import type { Operation } from './operation';
import { keyMetadata, multiRegionPeers } from '../context';
import { GRANT_TOKENS, KEY_ID, validateRequest } from '../validate';
import { ensureAwsManagedKey } from './awsManagedKeys';
import { useKey } from './common';

export const describeKey: Operation = {
  name: 'DescribeKey',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, GrantTokens: GRANT_TOKENS });
    ensureAwsManagedKey(ctx, req.KeyId as string);
    const key = useKey(ctx, req.KeyId as string, 'any');
    return { KeyMetadata: keyMetadata(key, multiRegionPeers(ctx.tx, key)) };
  },
};
