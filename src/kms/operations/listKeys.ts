/** ListKeys (§2.1 notes): keys of the caller's account and Region, in any state but deleted. */
import type { Operation } from './operation';
import { pageSize, paginate } from '../context';
import { LIMIT, MARKER, validateRequest } from '../validate';
import { authorizeIam } from './common';

export const listKeys: Operation = {
  name: 'ListKeys',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { Limit: LIMIT, Marker: MARKER });
    authorizeIam(ctx, '*');
    const keys = ctx.tx
      .list('key')
      .filter((k) => k.accountId === ctx.caller.accountId && k.region === ctx.caller.region)
      .sort((a, b) => a.creationDate - b.creationDate || (a.keyId < b.keyId ? -1 : 1));
    const { page, ...rest } = paginate(keys, (k) => k.keyId, pageSize(req.Limit, 100, 1000), req.Marker as string | undefined);
    return { Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.id })), ...rest };
  },
};
