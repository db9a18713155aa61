/**
 * Format checks for the branded ids of ids.ts (kms-semantics.md §5, §3.2), as `Check`s for the
 * record validators. Only the `aws` partition is simulated (ids.ts).
 */
import { isAccountId, isKeyIdFormat, isRegion } from '../../ids';
import { str, type Check } from './check';

/** Bare key id: UUID or `mrk-` + 32 hex (§5). */
export const keyIdFormat: Check = (v, path) => (typeof v === 'string' && isKeyIdFormat(v) ? null : `${path}: expected a key id (UUID or mrk-…)`);

/** 12-digit account id. */
export const accountIdFormat: Check = (v, path) => (typeof v === 'string' && isAccountId(v) ? null : `${path}: expected a 12-digit account id`);

/** Region name such as `us-east-1` (§3.2 `^([a-z]+-){2,3}\d+$`). */
export const regionFormat: Check = (v, path) => (typeof v === 'string' && isRegion(v) ? null : `${path}: expected a Region name`);

const KEY_ARN_RE = /^arn:aws:kms:([^:]+):([^:]+):key\/(.+)$/;

/** The parts of a well-formed key ARN (every part checked), or null. */
export function parseKeyArn(s: string): { region: string; accountId: string; keyId: string } | null {
  const m = KEY_ARN_RE.exec(s);
  if (!m || !isRegion(m[1]!) || !isAccountId(m[2]!) || !isKeyIdFormat(m[3]!)) return null;
  return { region: m[1]!, accountId: m[2]!, keyId: m[3]! };
}

/** `arn:aws:kms:<region>:<account>:key/<key-id>` with each part well-formed. */
export const keyArnFormat: Check = (v, path) => (typeof v === 'string' && parseKeyArn(v) !== null ? null : `${path}: expected a key ARN`);

/** 64 lowercase hex chars (KeyMaterialId, the sandbox seed). */
export const hex64: Check = str({ min: 64, max: 64, re: /^[0-9a-f]{64}$/, what: '64 lowercase hex chars' });

/** Lowercase UUID (CloudTrail eventID, §10). */
export const uuidFormat: Check = str({ re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, what: 'a lowercase UUID' });

/**
 * Alias name (§3.2, §3.4): `alias/` + letters, digits, `:/_-`, 1–256 chars in total. `alias/aws/`
 * names are allowed here: AWS managed aliases are stored once bound (model.ts AliasRecord).
 */
export const aliasNameFormat: Check = str({ min: 7, max: 256, re: /^alias\/[a-zA-Z0-9:/_-]+$/, what: 'an alias name (alias/…, at most 256 chars)' });

/** IAM user and role names (IAM API model): 1–64 chars of letters, digits and `_+=,.@-`. */
export const IAM_NAME_RE = /^[\w+=,.@-]{1,64}$/;

/** IAM inline policy names (IAM API model `policyNameType`): 1–128 chars of `[\w+=,.@-]`. */
export const IAM_POLICY_NAME_RE = /^[\w+=,.@-]{1,128}$/;

const PRINCIPAL_ARN_RE = /^arn:aws:iam::(\d{12}):(?:(root)|(user|role)\/([\w+=,.@-]{1,64}))$/;

/** The parts of a sandbox principal ARN (account root, IAM user or role; no paths), or null. */
export function parsePrincipalArn(s: string): { accountId: string; kind: 'root' | 'user' | 'role'; name: string } | null {
  const m = PRINCIPAL_ARN_RE.exec(s);
  if (!m) return null;
  return m[2] === 'root' ? { accountId: m[1]!, kind: 'root', name: 'root' } : { accountId: m[1]!, kind: m[3] as 'user' | 'role', name: m[4]! };
}

/** `arn:aws:iam::<account>:root`, `…:user/<name>` or `…:role/<name>`. */
export const principalArnFormat: Check = (v, path) =>
  typeof v === 'string' && parsePrincipalArn(v) !== null ? null : `${path}: expected a principal ARN (account root, user or role)`;

/** An account root ARN, `arn:aws:iam::<12 digits>:root`. */
export const accountRootArnFormat: Check = str({ re: /^arn:aws:iam::\d{12}:root$/, what: 'an account root ARN' });

/** An access key id as IAM issues them: `AKIA` then at least 12 uppercase letters or digits (16–128 chars in all). */
export const accessKeyIdFormat: Check = str({ min: 16, max: 128, re: /^AKIA[A-Z0-9]{12,}$/, what: 'an access key id (AKIA…)' });

/** `GranteePrincipal` / `RetiringPrincipal` (§3.2): 1–256 chars of `[\w+=,.@:/-]`. */
export const grantPrincipalFormat: Check = str({ min: 1, max: 256, re: /^[\w+=,.@:/-]+$/, what: 'a grant principal (1–256 chars of [\\w+=,.@:/-])' });
