/**
 * The Load & cost tab's forms (src/ui/load): number parsing, the load generator form → load spec,
 * the caching limits form → CacheLimits, the quota table of a Region.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../src/kms';
import { DEFAULT_CACHE_FORM, describeLimits, parseCacheForm } from '../../../src/ui/load/cacheForm';
import { loadKeyOptions, parseLoadForm, workloadLabel, type LoadFormFields } from '../../../src/ui/load/loadForm';
import { formatBytes, formatCount, formatMoney, formatQuantity, parseNumber } from '../../../src/ui/load/numbers';
import { formatQuota, quotaRows } from '../../../src/ui/load/quotaRows';

const caller = { accountId: '111122223333', principalArn: 'arn:aws:iam::111122223333:root', region: 'us-east-1' } as unknown as CallerContext;

const form = (over: Partial<LoadFormFields> = {}): LoadFormFields => ({
  rate: '30,000',
  seconds: '30',
  source: 'app',
  operation: 'GenerateDataKey',
  keyId: 'alias/app',
  bucket: '',
  bucketKeyEnabled: false,
  cachingOn: false,
  cache: { ...DEFAULT_CACHE_FORM },
  messageBytes: '1024',
  maxAttempts: '3',
  label: '',
  ...over,
});

describe('parseNumber', () => {
  it('reads separators and exponents, refuses junk and out-of-range values with the label', () => {
    expect(parseNumber('30,000', 'Rate', { min: 1, max: 1e6 })).toEqual({ ok: true, value: 30_000 });
    expect(parseNumber(' 1_000 000 ', 'Rate', { min: 1, max: 1e7 })).toEqual({ ok: true, value: 1_000_000 });
    expect(parseNumber('1e3', 'Rate', { min: 1, max: 1e6 })).toEqual({ ok: true, value: 1000 });
    expect(parseNumber('', 'Rate', { min: 1, max: 10 })).toEqual({ ok: false, reason: 'Rate is required.' });
    expect(parseNumber('ten', 'Rate', { min: 1, max: 10 })).toEqual({ ok: false, reason: 'Rate: "ten" is not a number.' });
    expect(parseNumber('-5', 'Rate', { min: 1, max: 10 }).ok).toBe(false);
    expect(parseNumber('2.5', 'Rate', { min: 1, max: 10 })).toEqual({ ok: false, reason: 'Rate must be a whole number.' });
    expect(parseNumber('2.5', 'Rate', { min: 1, max: 10, integer: false })).toEqual({ ok: true, value: 2.5 });
    expect(parseNumber('11', 'Rate', { min: 1, max: 10 })).toEqual({ ok: false, reason: 'Rate must be from 1 to 10.' });
  });

  it('formats counts, bytes and money', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 * 1024)]).toEqual(['512 bytes', '1.5 KiB', '3 MiB']);
    expect([formatMoney(2.94), formatMoney(0.003), formatMoney(1234.5), formatMoney(-0.000039), formatMoney(-2)]).toEqual(['$2.94', '$0.003', '$1,234.50', '−$0.000039', '−$2.00']);
    expect([formatQuantity(0), formatQuantity(0.004166), formatQuantity(2.5), formatQuantity(1_234_567)]).toEqual(['0', '0.00417', '2.5', '1,234,567']);
  });
});

describe('parseLoadForm', () => {
  it('makes an app load spec without a bucket', () => {
    const r = parseLoadForm(form(), caller);
    expect(r).toEqual({
      ok: true,
      value: { ratePerSecond: 30_000, seconds: 30, source: 'app', operation: 'GenerateDataKey', keyId: 'alias/app', caller, caching: null, messageBytes: 1024, maxAttempts: 3 },
    });
  });

  it('adds the bucket and Bucket Keys through S3, and never a cache there', () => {
    const r = parseLoadForm(form({ source: 's3', bucket: 'ingest', bucketKeyEnabled: true, cachingOn: true }), caller);
    expect(r.ok && r.value).toMatchObject({ source: 's3', bucket: 'ingest', bucketKeyEnabled: true, caching: null });
  });

  it('parses the cache limits when caching is on', () => {
    const r = parseLoadForm(form({ cachingOn: true }), caller);
    expect(r.ok && r.value.caching).toEqual({ maxAgeMs: 60_000, maxMessagesEncrypted: 100, maxBytesEncrypted: 1_048_576, capacity: 10 });
  });

  it('refuses with a reason per field', () => {
    const r = parseLoadForm(form({ rate: '0', seconds: '100000', keyId: ' ', maxAttempts: '11' }), caller);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['keyId', 'maxAttempts', 'rate', 'seconds']);
    expect(r.errors.seconds).toBe('Sandbox seconds must be from 1 to 86,400.');
    expect(parseLoadForm(form({ source: 's3' }), caller)).toMatchObject({ ok: false, errors: { bucket: expect.stringMatching(/Choose a bucket/) } });
    expect(parseLoadForm(form({ source: 's3', bucket: 'b', operation: 'Encrypt' }), caller)).toMatchObject({ ok: false, errors: { bucket: expect.stringMatching(/never Encrypt/) } });
    expect(parseLoadForm(form({ cachingOn: true, operation: 'Encrypt' }), caller).ok).toBe(false);
    expect(parseLoadForm(form({ cachingOn: true, cache: { ...DEFAULT_CACHE_FORM, maxAgeMs: '' } }), caller)).toMatchObject({ ok: false, errors: { maxAgeMs: 'Max age (ms) is required.' } });
  });

  it('labels a workload by what it does unless the learner named it', () => {
    const f = form({ source: 's3', bucket: 'ingest' });
    const r = parseLoadForm(f, caller);
    if (!r.ok) throw new Error('expected a spec');
    expect(workloadLabel(f, r.value)).toBe('GenerateDataKey at 30,000/s via S3 (ingest)');
    expect(workloadLabel({ ...f, label: ' nightly ingest ' }, r.value)).toBe('nightly ingest');
  });
});

describe('loadKeyOptions', () => {
  it('offers the enabled symmetric encryption keys of the Region, by alias when there is one', () => {
    const key = (over: object) => ({ arn: 'arn:aws:kms:us-east-1:111122223333:key/k1', keyId: 'k1', aliases: [], keyState: 'Enabled', region: 'us-east-1', keySpec: 'SYMMETRIC_DEFAULT', description: '', ...over });
    const options = loadKeyOptions(
      [
        key({ aliases: ['alias/orders'], description: 'Orders service' }),
        key({ keyId: 'k2', arn: 'arn:k2' }),
        key({ keyId: 'k3', keyState: 'Disabled' }),
        key({ keyId: 'k4', region: 'eu-west-1' }),
        key({ keyId: 'k5', keySpec: 'RSA_2048' }),
      ],
      'us-east-1',
    );
    expect(options).toEqual([
      { value: 'alias/orders', label: 'alias/orders — Orders service' },
      { value: 'arn:k2', label: 'k2' },
    ]);
  });
});

describe('parseCacheForm', () => {
  it('leaves out empty optional limits (the SDK defaults apply)', () => {
    expect(parseCacheForm({ maxAgeMs: '5000', maxMessages: '', maxBytes: '', capacity: '' })).toEqual({ ok: true, value: { maxAgeMs: 5000 } });
  });

  it('accepts max bytes 0 and 2^32 messages, refuses age 0, 2^32 + 1 messages and capacity 0', () => {
    expect(parseCacheForm({ maxAgeMs: '1', maxMessages: String(2 ** 32), maxBytes: '0', capacity: '1' }).ok).toBe(true);
    const r = parseCacheForm({ maxAgeMs: '0', maxMessages: String(2 ** 32 + 1), maxBytes: '-1', capacity: '0' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['capacity', 'maxAgeMs', 'maxBytes', 'maxMessages']);
  });

  it('describes limits in one line', () => {
    expect(describeLimits({ maxAgeMs: 60_000, maxMessagesEncrypted: 100 })).toBe('max age 60,000 ms, 100 messages, bytes unlimited (2^63 − 1)');
  });
});

describe('quotaRows', () => {
  it('puts the shared symmetric quota first, flagged unverified in the highest Regions', () => {
    const rows = quotaRows('us-east-1');
    expect(rows[0]).toMatchObject({ name: 'Cryptographic operations (symmetric) request rate', perSecond: 100_000 });
    expect(rows[0]!.note).toMatch(/unverified/);
    expect(quotaRows('ap-southeast-2')[0]).toMatchObject({ perSecond: 20_000, note: null });
    expect(quotaRows('ca-central-1')[0]!.perSecond).toBe(10_000);
  });

  it('lists the asymmetric families, key pair specs and management operations from quotas.ts', () => {
    const rows = quotaRows('eu-central-1');
    const byName = new Map(rows.map((r) => [r.name, r.perSecond]));
    expect(byName.get('Cryptographic operations (RSA) request rate')).toBe(1000);
    expect(byName.get('GenerateDataKeyPair (RSA_4096) request rate')).toBe(0.1);
    expect(byName.get('DescribeKey request rate')).toBe(2000);
    expect(byName.get('GetParametersForImport request rate')).toBe(0.25);
    expect([formatQuota(20_000), formatQuota(0.25), formatQuota(0.1)]).toEqual(['20,000/s', '1 every 4 s', '1 every 10 s']);
  });
});
