/**
 * An operation whose handler module is loaded on its first call (a separate chunk in the page).
 * Name and CloudTrail `readOnly` are known up front; the loaded handler must agree with them.
 */
import { assert } from '../errors';
import type { Operation } from './operation';

export function lazyOperation(name: string, readOnly: boolean, load: () => Promise<Operation>): Operation {
  let loaded: Promise<Operation> | undefined;
  return {
    name,
    readOnly,
    async handle(ctx, request) {
      loaded ??= load().then(
        (op) => {
          assert(op.name === name && op.readOnly === readOnly, `lazy operation ${name} does not match its handler`);
          return op;
        },
        (e: unknown) => {
          // A chunk that failed to load (a dropped connection) is tried again on the next call.
          loaded = undefined;
          throw e;
        },
      );
      return (await loaded).handle(ctx, request);
    },
  };
}
