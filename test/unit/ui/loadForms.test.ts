/**
 * The Load & cost tab's forms (src/ui/load): number parsing, the load generator form → load spec,
 * the caching limits form → CacheLimits, the quota table of a Region.
 */
import { describe, expect, it } from 'vitest';
import type { CallerContext, ServiceResourceRecord } from '../../../src/kms';
import { DEFAULT_CACHE_FORM, describeLimits, parseCacheForm } from '../../../src/ui/load/cacheForm';
import { currentChoice, loadBucketOptions, loadKeyOptions, parseLoadForm, workloadLabel, type LoadFormFields } from '../../../src/ui/load/loadForm';
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
  const key = (over: object) => ({ arn: 'arn:aws:kms:us-east-1:111122223333:key/k1', keyId: 'k1', aliases: [], keyState: 'Enabled', accountId: '111122223333', region: 'us-east-1', keySpec: 'SYMMETRIC_DEFAULT', description: '', ...over });
  const where = { accountId: '111122223333', region: 'us-east-1' };

  it('offers the enabled symmetric encryption keys of the Region, by alias when there is one', () => {
    const options = loadKeyOptions(
      [
        key({ aliases: ['alias/orders'], description: 'Orders service' }),
        key({ keyId: 'k2', arn: 'arn:k2' }),
        key({ keyId: 'k3', keyState: 'Disabled' }),
        key({ keyId: 'k4', region: 'eu-west-1' }),
        key({ keyId: 'k5', keySpec: 'RSA_2048' }),
      ],
      where,
    );
    expect(options).toEqual([
      { value: 'alias/orders', label: 'alias/orders — Orders service' },
      { value: 'arn:k2', label: 'k2' },
    ]);
  });

  it("offers only the acting account's keys: two accounts with alias/aws/s3 give one option, unique values", () => {
    const keys = [
      key({ keyId: 'a1', arn: 'arn:aws:kms:us-east-1:111122223333:key/a1', aliases: ['alias/aws/s3'] }),
      key({ keyId: 'b1', arn: 'arn:aws:kms:us-east-1:444455556666:key/b1', aliases: ['alias/aws/s3'], accountId: '444455556666' }),
    ];
    expect(loadKeyOptions(keys, where)).toEqual([{ value: 'alias/aws/s3', label: 'alias/aws/s3' }]);
    expect(loadKeyOptions(keys, { accountId: '444455556666', region: 'us-east-1' })).toEqual([{ value: 'alias/aws/s3', label: 'alias/aws/s3' }]);
  });

  it('uses the ARN when an alias is not unique among the options (values stay unique)', () => {
    const options = loadKeyOptions(
      [key({ keyId: 'a1', arn: 'arn:a1', aliases: ['alias/x'] }), key({ keyId: 'a2', arn: 'arn:a2', aliases: ['alias/x'] }), key({ keyId: 'a3', arn: 'arn:a3', aliases: ['alias/y'] })],
      where,
    );
    expect(options.map((o) => o.value)).toEqual(['arn:a1', 'arn:a2', 'alias/y']);
    expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
  });
});

describe('loadBucketOptions', () => {
  it("lists only the acting account's buckets in the acting Region", () => {
    const bucket = (name: string, accountId: string, region: string) =>
      ({ typeName: 'serviceResource', id: `arn:aws:s3:::${name}`, service: 's3', kind: 'bucket', accountId, region, data: { name, sseAlgorithm: 'aws:kms', bucketKeyEnabled: false } }) as unknown as ServiceResourceRecord;
    const records = [bucket('b-here', '111122223333', 'us-east-1'), bucket('a-here', '111122223333', 'us-east-1'), bucket('other-region', '111122223333', 'eu-west-1'), bucket('other-account', '444455556666', 'us-east-1')];
    expect(loadBucketOptions(records, { accountId: '111122223333', region: 'us-east-1' })).toEqual(['a-here', 'b-here']);
  });
});

describe('currentChoice', () => {
  it('keeps the chosen key while it is an option, else the first option, else empty', () => {
    const options = [{ value: 'alias/a' }, { value: 'alias/b' }];
    expect(currentChoice(options, 'alias/b')).toBe('alias/b');
    expect(currentChoice(options, 'alias/gone')).toBe('alias/a');
    expect(currentChoice([], 'alias/b')).toBe('');
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
