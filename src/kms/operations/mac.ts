/**
 * GenerateMac and VerifyMac (§2.2, §4.1): HMAC keys (GENERATE_VERIFY_MAC), RFC 2104 HMAC with the
 * key spec's hash; `MacAlgorithm` must be the spec's one (HMAC_256 key → HMAC_SHA_256). VerifyMac
 * answers `MacValid: true` or KMSInvalidMacException, never `MacValid: false`.
 *
 * Messages: wrong usage → InvalidKeyUsageException `<key ARN> key usage is <usage> which is not
 * valid for GenerateMac.` (AWS's shape for Sign/Encrypt, see getPublicKey.ts); another
 * MacAlgorithm → InvalidKeyUsageException `Algorithm <alg> is incompatible with key spec <spec>.`
 * (AWS's algorithm message for Sign/Encrypt; for MACs inferred, unverified). KMSInvalidMacException
 * has an empty message like KMSInvalidSignatureException (unverified).
 */
import { kmsError } from '../errors';
import type { HmacKeySpec } from '../crypto/keys/index';
import { DRY_RUN, GRANT_TOKENS, KEY_ID, validateRequest, type RequestSpec } from '../validate';
import type { OpContext } from '../context';
import type { KeyRecord } from '../model';
import type { Operation } from './operation';
import { dryRunSucceeded, useKey } from './common';
import { loadKeyCrypto } from './keyMaterial';
import { assertAlgorithm, assertKeyUsage, currentMaterial, offeredAlgorithms } from './getPublicKey';

export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;

const MESSAGE = { type: 'blob', required: true, min: 1, max: 4096 } as const;
const MAC_ALGORITHM = { type: 'enum', required: true, values: MAC_ALGORITHMS } as const;

function macKey(ctx: OpContext, req: Record<string, unknown>): KeyRecord {
  const alg = req.MacAlgorithm as string;
  const key = useKey(ctx, req.KeyId as string, 'any', { conditions: { 'kms:macalgorithm': [alg] } });
  assertKeyUsage(ctx, key, 'GENERATE_VERIFY_MAC');
  assertAlgorithm(key, alg, offeredAlgorithms(key, 'MacAlgorithms'));
  if (req.DryRun === true) dryRunSucceeded();
  return key;
}

export const generateMac: Operation = {
  name: 'GenerateMac',
  readOnly: true,
  async handle(ctx, req) {
    const spec: RequestSpec = { Message: MESSAGE, KeyId: KEY_ID, MacAlgorithm: MAC_ALGORITHM, GrantTokens: GRANT_TOKENS, DryRun: DRY_RUN };
    validateRequest(req, spec);
    const key = macKey(ctx, req);
    const keys = await loadKeyCrypto();
    const mac = keys.generateMac(key.keySpec as HmacKeySpec, currentMaterial(ctx, key), req.Message as Uint8Array);
    return { Mac: mac, MacAlgorithm: req.MacAlgorithm, KeyId: key.id };
  },
};

export const verifyMac: Operation = {
  name: 'VerifyMac',
  readOnly: true,
  async handle(ctx, req) {
    const spec: RequestSpec = {
      Message: MESSAGE,
      KeyId: KEY_ID,
      MacAlgorithm: MAC_ALGORITHM,
      Mac: { type: 'blob', required: true, min: 1, max: 6144 },
      GrantTokens: GRANT_TOKENS,
      DryRun: DRY_RUN,
    };
    validateRequest(req, spec);
    const key = macKey(ctx, req);
    const keys = await loadKeyCrypto();
    if (!keys.verifyMac(key.keySpec as HmacKeySpec, currentMaterial(ctx, key), req.Message as Uint8Array, req.Mac as Uint8Array)) {
      throw kmsError('KMSInvalidMacException', '', { reason: 'The MAC does not match the message and the key.' });
    }
    return { KeyId: key.id, MacValid: true, MacAlgorithm: req.MacAlgorithm };
  },
};
