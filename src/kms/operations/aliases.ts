/**
 * CreateAlias, UpdateAlias, DeleteAlias, ListAliases (§2.2, §3.4).
 *
 * Aliases are per account and Region, `alias/` + letters, digits, `/ _ - :`; the `alias/aws/`
 * prefix is reserved for AWS managed keys (NotAuthorizedException). A target is a customer
 * managed key of the same account and Region named by key id or key ARN; a key has at most 50
 * aliases. UpdateAlias keeps the key type and usage. ListAliases also lists the predefined
 * `alias/aws/*` aliases, which have no target until a service first uses them.
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { aliasArn, keyArn, type AliasName } from '../ids';
import type { AliasRecord, KeyRecord } from '../model';
import { aliasesOf, pageSize, paginate, resolveKey, type OpContext } from '../context';
import { authorize } from '../authorization';
import { ALIAS_NAME, KEY_ID, LIMIT, MARKER, OPTIONAL_KEY_ID, validateRequest, validationError } from '../validate';
import { stateError } from '../lifecycle/matrix';
import { familyOf } from '../keySpecs';
import { authorizeIam, useManagedKey } from './common';

/** Quota "Aliases per KMS key" (§3.5). */
export const MAX_ALIASES_PER_KEY = 50;

/** AWS managed key aliases every account sees in ListAliases (not bound until first use). */
export const PREDEFINED_AWS_ALIASES = [
  'alias/aws/acm',
  'alias/aws/dynamodb',
  'alias/aws/ebs',
  'alias/aws/elasticfilesystem',
  'alias/aws/es',
  'alias/aws/glue',
  'alias/aws/kinesisvideo',
  'alias/aws/lambda',
  'alias/aws/rds',
  'alias/aws/redshift',
  'alias/aws/s3',
  'alias/aws/secretsmanager',
  'alias/aws/ssm',
  'alias/aws/xray',
] as const;

function checkAliasName(ctx: OpContext, name: string, verb: string): string {
  if (!name.startsWith('alias/')) {
    validationError('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
  if (name.startsWith('alias/aws/')) {
    throw kmsError('NotAuthorizedException', `Cannot ${verb} alias with the reserved prefix alias/aws/: ${name}`);
  }
  return aliasArn(ctx.caller.region, ctx.caller.accountId, name as AliasName);
}

/**
 * A target key: key id or ARN, same account and Region (aliases are not cross-account, so
 * authorization refuses another account's key), not pending deletion, fewer than 50 aliases.
 */
function targetKey(ctx: OpContext, input: string): KeyRecord {
  const key = useManagedKey(ctx, input);
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') throw stateError(3, key.id, key.keyState);
  if (aliasesOf(ctx, key).length >= MAX_ALIASES_PER_KEY) {
    throw kmsError('LimitExceededException', `The KMS key ${key.id} already has the maximum of ${MAX_ALIASES_PER_KEY} aliases.`);
  }
  return key;
}

/** The key an alias points to (absent only mid-deletion). */
function targetOf(ctx: OpContext, alias: AliasRecord): KeyRecord | undefined {
  return ctx.tx.get('key', keyArn(alias.region, alias.accountId, alias.targetKeyId));
}

/** The key type UpdateAlias compares (§2.2): symmetric, asymmetric or HMAC. */
function keyType(k: KeyRecord): string {
  const family = familyOf(k.keySpec);
  return family === 'hmac' ? 'HMAC' : family;
}

const withArticle = (word: string): string => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

export const createAlias: Operation = {
  name: 'CreateAlias',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { AliasName: ALIAS_NAME, TargetKeyId: KEY_ID });
    const arn = checkAliasName(ctx, req.AliasName as string, 'create');
    // Alias operations need permission on the alias (IAM) and on the key(s) (key policy) (§2.2).
    authorizeIam(ctx, arn);
    const key = targetKey(ctx, req.TargetKeyId as string);
    if (ctx.tx.get('alias', arn)) throw kmsError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
    const alias: AliasRecord = {
      typeName: 'alias',
      id: arn,
      aliasName: req.AliasName as AliasName,
      accountId: ctx.caller.accountId,
      region: ctx.caller.region,
      targetKeyId: key.keyId,
      creationDate: ctx.now,
      lastUpdatedDate: ctx.now,
    };
    ctx.tx.put(alias);
    return {};
  },
};

export const updateAlias: Operation = {
  name: 'UpdateAlias',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { AliasName: ALIAS_NAME, TargetKeyId: KEY_ID });
    const arn = checkAliasName(ctx, req.AliasName as string, 'update');
    const alias = ctx.tx.get('alias', arn);
    if (!alias) throw kmsError('NotFoundException', `Alias ${arn} is not found.`);
    authorizeIam(ctx, arn);
    const old = targetOf(ctx, alias);
    if (old) {
      ctx.touch(old);
      authorize(ctx, { operation: 'UpdateAlias', action: 'kms:UpdateAlias', target: old });
    }
    const key = targetKey(ctx, req.TargetKeyId as string);
    if (old) {
      if (keyType(old) !== keyType(key) || old.keyUsage !== key.keyUsage) {
        validationError(
          `${arn} points to ${withArticle(keyType(old))} key with KeyUsage ${old.keyUsage}; the new target ${key.id} is ${withArticle(keyType(key))} key with KeyUsage ${key.keyUsage}. An alias can only move between keys of the same type and key usage.`,
        );
      }
    }
    ctx.tx.put({ ...alias, targetKeyId: key.keyId, lastUpdatedDate: ctx.now });
    return {};
  },
};

export const deleteAlias: Operation = {
  name: 'DeleteAlias',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { AliasName: ALIAS_NAME });
    const arn = checkAliasName(ctx, req.AliasName as string, 'delete');
    const alias = ctx.tx.get('alias', arn);
    if (!alias) throw kmsError('NotFoundException', `Alias ${arn} is not found.`);
    authorizeIam(ctx, arn);
    const key = targetOf(ctx, alias);
    if (key) {
      ctx.touch(key);
      authorize(ctx, { operation: 'DeleteAlias', action: 'kms:DeleteAlias', target: key });
    }
    ctx.tx.delete('alias', arn);
    return {};
  },
};

export const listAliases: Operation = {
  name: 'ListAliases',
  readOnly: true,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: OPTIONAL_KEY_ID, Limit: LIMIT, Marker: MARKER });
    const { accountId, region } = ctx.caller;
    let entries: Record<string, unknown>[];
    // ListAliases is an IAM-only permission; KeyId only filters (§2.2).
    const key = req.KeyId === undefined ? undefined : resolveKey(ctx, req.KeyId as string, 'idOrArn');
    authorizeIam(ctx, '*');
    if (key) {
      entries = aliasesOf(ctx, key).map(entry);
    } else {
      const own = ctx.tx.list('alias').filter((a) => a.accountId === accountId && a.region === region);
      const bound = new Set(own.map((a) => a.aliasName as string));
      const predefined = PREDEFINED_AWS_ALIASES.filter((n) => !bound.has(n)).map((n) => ({
        AliasName: n,
        AliasArn: aliasArn(region, accountId, n as AliasName),
      }));
      entries = [...own.map(entry), ...predefined].sort((a, b) => ((a.AliasName as string) < (b.AliasName as string) ? -1 : 1));
    }
    const { page, ...rest } = paginate(entries, (e) => e.AliasName as string, pageSize(req.Limit, 50, 100), req.Marker as string | undefined);
    return { Aliases: page, ...rest };
  },
};

function entry(a: AliasRecord): Record<string, unknown> {
  return {
    AliasName: a.aliasName,
    AliasArn: a.id,
    TargetKeyId: a.targetKeyId,
    CreationDate: new Date(a.creationDate),
    LastUpdatedDate: new Date(a.lastUpdatedDate),
  };
}
