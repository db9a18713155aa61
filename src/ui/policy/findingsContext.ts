/**
 * What the policy findings need from the sandbox, read from committed records: the acting
 * principal as the authorization engine sees it, its identity policies, and the condition keys a
 * PutKeyPolicy request by it on the key would carry (kms-semantics.md §6.3).
 *
 * The condition keys mirror the service's authorization (src/kms/authorization.ts, whose
 * `decideFor` is not exported): aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
 * aws:CurrentTime, kms:CallerAccount, kms:ViaService for calls through a service, and the key's
 * kms:KeySpec, kms:KeyUsage, kms:KeyOrigin, kms:MultiRegion, aws:ResourceTag/*,
 * kms:ResourceAliases. Unit tests compare the lockout finding with the service's own answer.
 */
import type { CallerContext, Repository } from '../../kms';
import { parsePolicyDocument, type AuthzPrincipal, type NamedPolicy } from '../../kms/policy';
import type { FindingsContext } from './findings';

const PRINCIPAL_TYPE = { root: 'Account', user: 'User', role: 'AssumedRole' } as const;

/** The account of a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`). */
function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** Builds the findings context for `caller` editing the policy of `keyArn` at sandbox time `now`. */
export function buildFindingsContext(repository: Repository, caller: CallerContext, keyArn: string, now: number): FindingsContext {
  const key = repository.get('key', keyArn);
  const keyAccountId = key?.accountId ?? accountOfArn(keyArn);
  const principalExists = (arn: string) => repository.get('principal', arn) !== undefined;
  const storedPolicy = repository.get('policy', `${keyArn}/default`)?.document ?? null;
  const record = repository.get('principal', caller.principalArn);
  if (!record || record.accountId !== caller.accountId) {
    return { keyArn, keyAccountId, caller: null, identityPolicies: [], requestContext: {}, principalExists, storedPolicy };
  }
  const principal: AuthzPrincipal = { arn: record.id, accountId: record.accountId, type: PRINCIPAL_TYPE[record.kind] };
  const identityPolicies: NamedPolicy[] = [];
  if (record.kind !== 'root') {
    for (const p of repository.list('identityPolicy')) {
      if (p.principalArn !== record.id) continue;
      const parsed = parsePolicyDocument(p.document, 'identity');
      if (parsed.ok) identityPolicies.push({ name: p.policyName, document: parsed.value });
    }
  }
  const context: Record<string, string[]> = {
    'aws:principalarn': [record.id],
    'aws:principalaccount': [record.accountId],
    'aws:principaltype': [principal.type],
    'aws:currenttime': [new Date(now).toISOString()],
    'kms:calleraccount': [record.accountId],
  };
  if (caller.viaService) context['kms:viaservice'] = [caller.viaService];
  if (key) {
    context['kms:keyspec'] = [key.keySpec];
    context['kms:keyusage'] = [key.keyUsage];
    context['kms:keyorigin'] = [key.origin];
    context['kms:multiregion'] = ['false'];
    for (const t of repository.list('tag')) if (t.keyArn === key.id) context[`aws:resourcetag/${t.tagKey.toLowerCase()}`] = [t.tagValue];
    const aliases = repository
      .list('alias')
      .filter((a) => a.accountId === key.accountId && a.region === key.region && a.targetKeyId === key.keyId)
      .map((a) => a.aliasName as string);
    if (aliases.length > 0) context['kms:resourcealiases'] = aliases;
  }
  return { keyArn, keyAccountId, caller: principal, identityPolicies, requestContext: context, principalExists, storedPolicy };
}
