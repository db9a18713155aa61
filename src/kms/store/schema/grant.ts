/**
 * `grant` records (model.ts GrantRecord, issue 3): validator and the `kms.grant` migration sequence
 * (STYLE §5, §7). Formats follow kms-semantics.md §3.2 and §7:
 *
 * - `id` (GrantId): 64 lowercase hex chars, as AWS issues them (§7.1);
 * - `name`: 1–256 chars of `[a-zA-Z0-9:/_-]`, or null;
 * - `granteePrincipal` / `retiringPrincipal`: 1–256 chars of `[\w+=,.@:/-]` (principal ARNs and
 *   service principals); the retiring principal may be null;
 * - `issuingAccount`: an account root ARN;
 * - `operations`: a non-empty list of distinct `GrantOperation` names (§7.2);
 * - `constraints`: null, or EncryptionContextEquals and/or EncryptionContextSubset maps of at most
 *   8 string pairs with values of at most 384 chars (§3.3). "No constraint" is stored as null,
 *   never as `{}`, so there is one spelling of it;
 * - `grantToken`: 1–8,192 chars (the GrantTokens member bound, §3.2);
 * - `creationDate`: epoch ms.
 *
 * Which operations suit which key type, and who may create, retire or revoke, are CreateGrant's
 * rules, not storage invariants.
 */
import { GRANT_OPERATIONS, type GrantRecord } from '../../model';
import { arrayOf, isPlainObject, literal, nullable, object, recordValidator, str, time, type Check } from './check';
import { accountRootArnFormat, grantPrincipalFormat, hex64, keyArnFormat } from './formats';
import { createMigrationIds, defineMigrationSequence, type RecordMigrationSequence } from './migrations';

/** Named versions of `kms.grant` (append-only). None released: model.ts GrantRecord is version 0. */
export const grantVersions = {} as const;

/** Migration ids of `kms.grant`, by version name. */
export const grantMigrationIds = createMigrationIds('kms.grant', grantVersions);

/** The `kms.grant` migration sequence. */
export const grantMigrations: RecordMigrationSequence = defineMigrationSequence({
  sequenceId: 'kms.grant',
  scope: 'record',
  recordType: 'grant',
  firstVersion: 0,
  migrations: [],
});


const GRANT_OPERATION_SET: ReadonlySet<string> = new Set(GRANT_OPERATIONS);

/** A non-empty list of distinct grant operations. */
const operations: Check = (v, path) => {
  const e = arrayOf((op, p) => (typeof op === 'string' && GRANT_OPERATION_SET.has(op) ? null : `${p}: expected a grant operation`), GRANT_OPERATIONS.length)(v, path);
  if (e !== null) return e;
  const list = v as string[];
  if (list.length === 0) return `${path}: expected at least one operation`;
  return new Set(list).size === list.length ? null : `${path}: expected distinct operations`;
};

/** An encryption context constraint: a string → string map of at most 8 pairs, values ≤ 384 chars (§3.3). */
const contextConstraint: Check = (v, path) => {
  if (!isPlainObject(v)) return `${path}: expected an object of strings`;
  const keys = Object.keys(v);
  if (keys.length > 8) return `${path}: expected at most 8 pairs`;
  for (const k of keys) {
    const value = v[k];
    if (typeof value !== 'string' || value.length > 384) return `${path}: expected string values of at most 384 chars`;
  }
  return null;
};

const constraintsShape = object({ optional: { encryptionContextEquals: contextConstraint, encryptionContextSubset: contextConstraint }, required: {} });

/** null, or a constraints object naming at least one constraint. */
const constraints: Check = nullable((v, path) => {
  const e = constraintsShape(v, path);
  if (e !== null) return e;
  const c = v as GrantRecord['constraints'] & object;
  return c.encryptionContextEquals === undefined && c.encryptionContextSubset === undefined ? `${path}: expected at least one constraint (no constraint is null)` : null;
});

/** Validates a `grant` record of the current version. */
export const validateGrantRecord = recordValidator<GrantRecord>('grant', {
  required: {
    typeName: literal('grant'),
    id: hex64,
    keyArn: keyArnFormat,
    name: nullable(str({ min: 1, max: 256, re: /^[a-zA-Z0-9:/_-]+$/, what: 'a grant name (1–256 chars of [a-zA-Z0-9:/_-])' })),
    granteePrincipal: grantPrincipalFormat,
    retiringPrincipal: nullable(grantPrincipalFormat),
    issuingAccount: accountRootArnFormat,
    operations,
    constraints,
    creationDate: time,
    grantToken: str({ min: 1, max: 8192 }),
  },
});
