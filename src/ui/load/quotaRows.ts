/**
 * The request quota table of the acting Region (kms-semantics.md §3.6), read from src/kms/quotas.ts
 * (`quotaFor`), the one place that holds the figures: the shared symmetric quota (with its
 * uncertainty in the highest Regions), the asymmetric families, GenerateDataKeyPair per spec and
 * the management operations. Pure (unit-tested).
 */
import { quotaFor, symmetricQuotaPerSecond } from '../../kms/quotas';

/** One row of the quota table. */
export interface QuotaRow {
  /** The quota's name as Service Quotas shows it. */
  readonly name: string;
  /** Requests per second in the Region. */
  readonly perSecond: number;
  /** What draws on it. */
  readonly covers: string;
  /** A caveat to show with the figure (null: none). */
  readonly note: string | null;
}

const HIGHEST = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);

const MANAGEMENT = ['DescribeKey', 'GetPublicKey', 'ListResourceTags', 'GetKeyPolicy', 'GetKeyRotationStatus', 'ListAliases', 'ListKeys', 'ListGrants', 'CreateGrant', 'RetireGrant', 'RevokeGrant', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'TagResource', 'CreateKey', 'CreateAlias', 'EnableKey', 'DisableKey', 'GetParametersForImport'];
const KEY_PAIR_SPECS = ['ECC_NIST_P256', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_P384', 'ECC_NIST_P521', 'RSA_2048', 'RSA_3072', 'RSA_4096'];

/** The quotas of `region`, crypto first, then data key pairs, then management operations. */
export function quotaRows(region: string): QuotaRow[] {
  const rows: QuotaRow[] = [];
  const sym = quotaFor('Decrypt', region, 'SYMMETRIC_DEFAULT')!;
  rows.push({
    name: sym.name,
    perSecond: sym.perSecond,
    covers: 'Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateMac, GenerateRandom, ReEncrypt, VerifyMac (shared)',
    note: HIGHEST.has(region) && symmetricQuotaPerSecond(region) === 100_000 ? 'unverified: the current guide was cut off (2023: 50,000)' : null,
  });
  for (const [spec, covers] of [
    ['RSA_2048', 'Decrypt, Encrypt, ReEncrypt, Sign, Verify with RSA keys'],
    ['ECC_NIST_P256', 'Sign, Verify, DeriveSharedSecret with ECC and SM2 keys'],
    ['ML_DSA_44', 'Sign, Verify with ML-DSA keys'],
  ] as const) {
    const q = quotaFor('Sign', region, spec) ?? quotaFor('Decrypt', region, spec);
    if (q) rows.push({ name: q.name, perSecond: q.perSecond, covers, note: null });
  }
  for (const spec of KEY_PAIR_SPECS) {
    const q = quotaFor('GenerateDataKeyPair', region, null, spec);
    if (q) rows.push({ name: q.name, perSecond: q.perSecond, covers: 'GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext', note: null });
  }
  for (const op of MANAGEMENT) {
    const q = quotaFor(op, region, null);
    if (q) rows.push({ name: q.name, perSecond: q.perSecond, covers: op, note: null });
  }
  return rows;
}

/** "20,000/s", "1 every 4 s" for fractional quotas. */
export function formatQuota(perSecond: number): string {
  if (perSecond >= 1) return `${perSecond.toLocaleString('en-US')}/s`;
  return `1 every ${Math.round(1 / perSecond)} s`;
}
