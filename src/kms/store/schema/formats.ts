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
