/**
 * What the policy findings need from the sandbox, read from committed records: the acting
 * principal as the authorization engine sees it, its identity policies, and the condition keys a
 * PutKeyPolicy request by it on the key would carry (kms-semantics.md §6.3).
 *
 * All three come from the core's own authorization code (src/kms/authorization.ts, through the
 * kms index), which the service runs on every call: `findCallerPrincipal`, `authzPrincipalOf`,
 * `identityPoliciesOf` and `callerConditionContext`, given the committed Repository instead of a
 * call's UnitOfWork. Unit tests compare the lockout finding with the service's own answer.
 */
import {
  authzPrincipalOf,
  callerConditionContext,
  findCallerPrincipal,
  identityPoliciesOf,
  type CallerContext,
  type Repository,
} from '../../kms';
import type { FindingsContext } from './findings';

/** The account of a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`). */
function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** Builds the findings context for `caller` editing the policy of `keyArn` at sandbox time `now`. */
export function buildFindingsContext(repository: Repository, caller: CallerContext, keyArn: string, now: number): FindingsContext {
  const key = repository.get('key', keyArn) ?? null;
  const keyAccountId = key?.accountId ?? accountOfArn(keyArn);
  const principalExists = (arn: string) => repository.get('principal', arn) !== undefined;
  const storedPolicy = repository.get('policy', `${keyArn}/default`)?.document ?? null;
  const record = findCallerPrincipal(repository, caller);
  if (!record) {
    return { keyArn, keyAccountId, caller: null, identityPolicies: [], requestContext: {}, principalExists, storedPolicy };
  }
  return {
    keyArn,
    keyAccountId,
    caller: authzPrincipalOf(record),
    identityPolicies: identityPoliciesOf(repository, record),
    requestContext: callerConditionContext(repository, record, key, now, caller.viaService),
    principalExists,
    storedPolicy,
  };
}
