import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CloudTrailRecord, KeyRecord, MaterialRecord } from '../../../src/kms/model';
import {
  PRICE_TABLE,
  SECONDS_PER_MONTH,
  keyMonths,
  keySpecLookup,
  monthlyCostAtRate,
  requestClassOf,
  requestCost,
  trailCost,
  validatePriceTable,
  type PriceTable,
} from '../../../src/services/cost';
import { makeHarness, ACCOUNT, PARTNER, callerIn } from '../kms/harness';

const H = 3_600_000;
const D = 24 * H;
/** June 2026 has 30 days (720 hours); May 2026 has 31 (744 hours). */
const JUNE = Date.UTC(2026, 5, 1);
const JULY = Date.UTC(2026, 6, 1);
const MAY = Date.UTC(2026, 4, 1);
const JUNE_RANGE = { from: JUNE, to: JULY };

function key(n: number, over: Partial<KeyRecord> = {}): KeyRecord {
  const keyId = `0000000${n}-0000-4000-8000-000000000000`;
  return {
    typeName: 'key',
    id: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`,
    keyId,
    accountId: ACCOUNT,
    region: 'us-east-1',
    creationDate: JUNE,
    description: '',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    keyState: 'Enabled',
    deletionDate: null,
    pendingDeletionWindowInDays: null,
    currentKeyMaterialId: null,
    rotationEnabled: false,
    rotationPeriodInDays: null,
    nextRotationDate: null,
    onDemandRotationCount: 0,
    multiRegionKeyType: null,
    customKeyStoreId: null,
    xksKeyId: null,
    expirationModel: null,
    validTo: null,
    stateAfter: null,
    stateChangeAt: null,
    ...over,
  } as KeyRecord;
}

function material(k: KeyRecord, version: number, createdAt: number): MaterialRecord {
  return {
    typeName: 'material',
    id: `${k.id}/m${version}`,
    keyArn: k.id,
    keyMaterialId: `m${version}`,
    material: new Uint8Array(32),
    createdAt,
    version,
    rotationType: version === 0 ? null : 'ON_DEMAND',
  } as MaterialRecord;
}

function rec(eventName: string, t: number, over: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'Root', accountId: ACCOUNT },
    eventTime: new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'kms.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.0',
    userAgent: 'test',
    requestParameters: {},
    responseElements: null,
    requestID: 'r',
    eventID: 'e',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...over,
  };
}

describe('keyMonths (prorated hourly, §11)', () => {
  it('1 key for 15 days of a 30-day month = 0.5 key-months = $0.50', () => {
    // created June 16 00:00; June has 720 hours; 15 days = 360 hours; 360 / 720 = 0.5
    const r = keyMonths([key(1, { creationDate: JUNE + 15 * D })], JUNE_RANGE);
    expect(r.totalKeyMonths).toBe(0.5);
    expect(r.totalKeyMonths * PRICE_TABLE.keyMonth).toBe(0.5);
  });

  it('a key pending deletion is free from when it was scheduled (deletionDate − window)', () => {
    // scheduled June 11 with a 7-day window: billed June 1..11 = 10 days = 240 / 720 hours
    const k = key(1, { keyState: 'PendingDeletion', deletionDate: JUNE + 17 * D, pendingDeletionWindowInDays: 7 });
    const r = keyMonths([k], JUNE_RANGE);
    expect(r.totalKeyMonths).toBeCloseTo(1 / 3, 12);
    expect(r.keys[0]).toMatchObject({ billedFrom: JUNE, billedUntil: JUNE + 10 * D, from: 'record' });
  });

  it('AWS managed keys are free; each multi-Region primary and replica is billed', () => {
    const r = keyMonths(
      [key(1, { keyManager: 'AWS' }), key(2, { multiRegionKeyType: 'PRIMARY' }), key(3, { multiRegionKeyType: 'REPLICA', region: 'eu-west-1' as KeyRecord['region'] })],
      JUNE_RANGE,
    );
    expect(r.keys.map((k) => k.keyId[7])).toEqual(['2', '3']);
    expect(r.totalKeyMonths).toBe(2);
  });

  it('a started hour is a whole hour; a key across two months is prorated by each month’s hours', () => {
    // created June 1 10:30, range June 1 00:00 .. June 2 00:00: hours 10..24 = 14 of 720
    expect(keyMonths([key(1, { creationDate: JUNE + 10.5 * H })], { from: JUNE, to: JUNE + D }).totalKeyMonths).toBeCloseTo(14 / 720, 12);
    // May 31 12:00 .. June 1 12:00: 12/744 + 12/720
    const r = keyMonths([key(1, { creationDate: JUNE - 12 * H })], { from: JUNE - 12 * H, to: JUNE + 12 * H });
    expect(r.totalKeyMonths).toBeCloseTo(12 / 744 + 12 / 720, 12);
  });

  it('rotation charges cap at two: three rotations on June 1 → $1 key + $2 rotations for June', () => {
    const k = key(1);
    const mats = [material(k, 0, JUNE), material(k, 1, JUNE), material(k, 2, JUNE), material(k, 3, JUNE)];
    const r = keyMonths({ keys: [k], materials: mats }, JUNE_RANGE);
    expect(r.totalKeyMonths).toBe(1);
    expect(r.totalRotationMonths).toBe(2);
    // a rotation on June 16 adds half a month: 360 / 720
    expect(keyMonths({ keys: [k], materials: [material(k, 0, JUNE), material(k, 1, JUNE + 15 * D)] }, JUNE_RANGE).totalRotationMonths).toBe(0.5);
  });

  it('a range before the key existed bills nothing', () => {
    expect(keyMonths([key(1)], { from: MAY, to: JUNE }).totalKeyMonths).toBe(0);
  });
});

describe('requestCost (free tier, §11)', () => {
  it('1,000,000 symmetric requests = (1,000,000 − 20,000) / 10,000 × 0.03 = $2.94', () => {
    const c = requestCost({ symmetric: 1_000_000 }, PRICE_TABLE);
    expect(c.total).toBeCloseTo(2.94, 10);
    expect(c.freeTierUsed).toBe(20_000);
    expect(c.items.map((i) => [i.label, i.quantity])).toEqual([
      ['Symmetric and management requests', 1_000_000],
      ['Free tier (20,000 requests/month)', 20_000],
    ]);
    expect(c.items[1]?.amount).toBeCloseTo(-0.06, 10);
  });

  it('up to the free tier costs nothing; the free tier does not cover asymmetric or data key pairs', () => {
    expect(requestCost({ symmetric: 20_000 }).total).toBe(0);
    // 10,000 RSA_2048 ($0.03) + 10,000 ECC ($0.15) + 5,000 symmetric (free) = $0.18
    expect(requestCost({ rsa2048: 10_000, asymmetric: 10_000, symmetric: 5_000 }).total).toBeCloseTo(0.18, 10);
    // one RSA GenerateDataKeyPair: 12 / 10,000 = $0.0012; one ECC: $0.00001
    expect(requestCost({ dataKeyPairRsa: 1 }).total).toBeCloseTo(0.0012, 12);
    expect(requestCost({ dataKeyPairEcc: 1 }).total).toBeCloseTo(0.00001, 12);
  });

  it('a free tier partly used elsewhere, negative or non-finite counts', () => {
    expect(requestCost({ symmetric: 30_000 }, PRICE_TABLE, { freeTierRemaining: 0 }).total).toBeCloseTo(0.09, 10);
    expect(requestCost({ symmetric: -5, asymmetric: NaN }).total).toBe(0);
  });

  it('property: total = max(0, symmetric − 20,000) × 0.03/10k + the rest, never negative', () => {
    fc.assert(
      fc.property(fc.nat(5_000_000), fc.nat(100_000), fc.nat(1000), (sym, asym, pairs) => {
        const t = requestCost({ symmetric: sym, asymmetric: asym, dataKeyPairRsa: pairs }).total;
        const expected = (Math.max(0, sym - 20_000) * 0.03 + asym * 0.15 + pairs * 12) / 10_000;
        expect(t).toBeCloseTo(expected, 8);
        expect(t).toBeGreaterThanOrEqual(-1e-12);
      }),
    );
  });
});

describe('requestClassOf', () => {
  const arn = (n: number) => key(n).id;
  const specs = keySpecLookup([key(1), key(2, { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }), key(3, { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }), key(4, { keySpec: 'RSA_4096' })]);
  const res = (n: number) => ({ resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key' as const, ARN: arn(n) }] });

  it.each([
    ['Decrypt', { requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, ...res(1) }, 'symmetric'],
    ['Sign', res(2), 'rsa2048'],
    ['Sign', res(3), 'asymmetric'],
    ['Decrypt', res(4), 'asymmetric'],
    ['GetPublicKey', res(2), 'rsa2048'],
    ['DescribeKey', res(2), 'symmetric'],
    ['Sign', { requestParameters: { signingAlgorithm: 'ECDSA_SHA_256' } }, 'asymmetric'],
    ['Decrypt', { requestParameters: { encryptionAlgorithm: 'RSAES_OAEP_SHA_256' } }, 'asymmetric'],
    ['Verify', {}, 'asymmetric'],
    ['GenerateMac', { requestParameters: { macAlgorithm: 'HMAC_SHA_256' } }, 'symmetric'],
    ['GenerateDataKey', res(1), 'symmetric'],
    ['GenerateDataKeyPair', { requestParameters: { keyPairSpec: 'RSA_2048' } }, 'dataKeyPairRsa'],
    ['GenerateDataKeyPairWithoutPlaintext', { requestParameters: { keyPairSpec: 'ECC_NIST_P384' } }, 'dataKeyPairEcc'],
    ['CreateKey', {}, 'symmetric'],
    ['RotateKey', { eventType: 'AwsServiceEvent' as const, requestParameters: null }, 'free'],
  ])('%s %j → %s', (op, over, cls) => {
    expect(requestClassOf(rec(op, JUNE, over as Partial<CloudTrailRecord>), specs)).toBe(cls);
  });
});

describe('trailCost', () => {
  it('applies the free tier per paying account and per calendar month', () => {
    const records: CloudTrailRecord[] = [];
    // account A: 25,000 Decrypts in June; partner account B: 10,000 in June
    for (let i = 0; i < 25_000; i++) records.push(rec('Decrypt', JUNE + i * 1000));
    for (let i = 0; i < 10_000; i++) records.push(rec('Decrypt', JUNE + i * 1000, { userIdentity: { type: 'Root', accountId: PARTNER } }));
    const c = trailCost(records, [], PRICE_TABLE, JUNE_RANGE);
    // 35,000 × 0.03/10k = 0.105; free: 20,000 (A) + 10,000 (B) = 0.09 → 0.015
    expect(c.requests.symmetric).toBe(35_000);
    expect(c.total).toBeCloseTo(0.015, 10);
    // the same 30,000 from one account split 15,000 in May + 15,000 in June: all free
    const split = [...Array.from({ length: 15_000 }, (_, i) => rec('Decrypt', JUNE - 1000 - i * 10)), ...Array.from({ length: 15_000 }, (_, i) => rec('Decrypt', JUNE + i * 10))];
    expect(trailCost(split, [], PRICE_TABLE, { from: MAY, to: JULY }).total).toBe(0);
  });

  it('bills keys, rotations and requests in the range only; notes unverified prices and counted failures', () => {
    const k = key(1, { creationDate: JUNE + 15 * D });
    const signer = key(2, { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const records = [
      rec('Sign', JUNE + D, { resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: signer.id }] }),
      rec('Decrypt', JUNE + D, { errorCode: 'ThrottlingException', errorMessage: 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.' }),
      rec('Decrypt', JULY + D),
    ];
    const c = trailCost(records, [k, signer], PRICE_TABLE, JUNE_RANGE);
    // k: 0.5 key-months ($0.50); signer: 1 key-month ($1); 1 ECC Sign = $0.000015; 1 failed Decrypt (free tier)
    expect(c.keyMonths.totalKeyMonths).toBe(1.5);
    expect(c.total).toBeCloseTo(1.5 + 0.15 / 10_000, 12);
    expect(c.requests).toMatchObject({ symmetric: 1, asymmetric: 1 });
    expect(c.failedRequests).toBe(1);
    expect(c.notes.join(' ')).toMatch(/unverified/);
    expect(c.notes.join(' ')).toMatch(/counted as billed/);
    const unbilled = trailCost(records, [k, signer], PRICE_TABLE, { ...JUNE_RANGE, billFailed: false });
    expect(unbilled.requests.symmetric).toBe(0);
    expect(unbilled.notes.join(' ')).toMatch(/not counted/);
  });

  it('rebuilds keys already deleted from the trail: CreateKey June 1, scheduled June 11 → 1/3 key-month', () => {
    const gone = key(9);
    const res = { resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key' as const, ARN: gone.id }] };
    const records = [
      rec('CreateKey', JUNE, { responseElements: { keyMetadata: { arn: gone.id, keyId: gone.keyId, keyManager: 'CUSTOMER', keySpec: 'SYMMETRIC_DEFAULT' } }, ...res }),
      rec('RotateKeyOnDemand', JUNE + 5 * D, res),
      rec('ScheduleKeyDeletion', JUNE + 10 * D, res),
      rec('DeleteKey', JUNE + 17 * D, { eventType: 'AwsServiceEvent', requestParameters: null, ...res }),
    ];
    const c = trailCost(records, [], PRICE_TABLE, JUNE_RANGE);
    expect(c.keyMonths.keys).toHaveLength(1);
    expect(c.keyMonths.keys[0]).toMatchObject({ from: 'trail', billedFrom: JUNE, billedUntil: JUNE + 10 * D });
    expect(c.keyMonths.totalKeyMonths).toBeCloseTo(1 / 3, 12);
    expect(c.keyMonths.totalRotationMonths).toBeCloseTo(5 / 30, 12);
    expect(c.requests.free).toBe(1);
    expect(c.notes.join(' ')).toMatch(/already deleted/);
  });

  it('costs a real sandbox: CreateKey, 3 on-demand rotations, Encrypt, a throttle-free partner call', async () => {
    const h = await makeHarness();
    const t0 = h.clock.t;
    const { keyId } = await h.createKey();
    for (let i = 0; i < 3; i++) await h.call('RotateKeyOnDemand', { KeyId: keyId });
    await h.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array(8) });
    await h.fail('DescribeKey', { KeyId: 'alias/none' }, callerIn(PARTNER));
    const records = h.repo.list('trailEvent').map((r) => r.record);
    const keys = { keys: h.repo.list('key'), materials: h.repo.list('material') };
    const c = trailCost(records, keys, PRICE_TABLE, { from: t0, to: t0 + 30 * D });
    expect(c.keyMonths.keys).toHaveLength(1);
    expect(c.keyMonths.totalRotationMonths).toBeCloseTo(2 * c.keyMonths.totalKeyMonths, 12);
    expect(c.requests.symmetric).toBe(records.length);
    // all requests are in the free tier: the total is 3 × key-months (key + two billed rotations)
    expect(c.total).toBeCloseTo(3 * c.keyMonths.totalKeyMonths, 12);
    expect(c.items.map((i) => i.label)).toContain('Key rotations (first two per key)');
  });
});

describe('validatePriceTable', () => {
  it('accepts the table and an edited copy', () => {
    expect(validatePriceTable(PRICE_TABLE)).toEqual({ ok: true, value: PRICE_TABLE });
    const edited = structuredClone(PRICE_TABLE);
    edited.symmetricPer10k = 0;
    edited.asymmetric.verified = true;
    expect(validatePriceTable(edited)).toMatchObject({ ok: true, value: { symmetricPer10k: 0 } });
  });

  it.each([
    [(t: any) => (t.symmetricPer10k = -0.01), 'symmetricPer10k'],
    [(t: any) => (t.keyMonth = NaN), 'keyMonth'],
    [(t: any) => (t.keyMonth = Infinity), 'keyMonth'],
    [(t: any) => (t.rotationMonthFirstTwo = '1'), 'rotationMonthFirstTwo'],
    [(t: any) => (t.freeTierRequests = 20_000.5), 'freeTierRequests'],
    [(t: any) => (t.asymmetric.otherPer10k = -1), 'asymmetric.otherPer10k'],
    [(t: any) => delete t.asymmetric, 'asymmetric'],
    [(t: any) => (t.asymmetric.verified = 'no'), 'asymmetric.verified'],
    [(t: any) => (t.asOf = 'yesterday'), 'asOf'],
    [(t: any) => (t.currency = 'EUR'), 'currency'],
    [(t: any) => (t.region = 'moon'), 'region'],
  ])('refuses an edit (%#) naming %s', (edit, field) => {
    const t = structuredClone(PRICE_TABLE) as PriceTable;
    edit(t);
    expect(validatePriceTable(t)).toMatchObject({ ok: false, reason: 'invalid-record', field });
  });

  it('never throws on junk', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(validatePriceTable(x).ok).toBe(false);
      }),
    );
    expect(validatePriceTable(null)).toMatchObject({ ok: false, field: 'table' });
  });
});

describe('monthlyCostAtRate', () => {
  it('hand-computed points: 1 key, 1 request/s for a 30-day month', () => {
    const [p0, p1] = monthlyCostAtRate({ requestsPerSecond: [0, 1], keys: 1, bucketKeys: true, caching: { maxAgeMs: 60_000 } });
    expect(p0?.direct.monthlyCost).toBe(1);
    expect(SECONDS_PER_MONTH).toBe(2_592_000);
    // 2,592,000 requests: (2,592,000 − 20,000) / 10,000 × 0.03 = 7.716, + $1 key
    expect(p1?.direct).toMatchObject({ monthlyRequests: 2_592_000, kmsRequestsPerSecond: 1 });
    expect(p1?.direct.monthlyCost).toBeCloseTo(8.716, 10);
    // Bucket Keys at 1 object/s: one bucket key per 100 objects → 25,920 requests → (25,920 − 20,000) × 0.03/10k + 1
    expect(p1?.bucketKeys?.monthlyRequests).toBeCloseTo(25_920, 6);
    expect(p1?.bucketKeys?.monthlyCost).toBeCloseTo(1.01776, 10);
    // caching with max age 60 s at 1 msg/s: 61 messages per data key → ⌈2,592,000 / 61⌉ = ⌈42,491.8⌉ = 42,492 requests
    expect(p1?.caching?.monthlyRequests).toBe(42_492);
    expect(p1?.caching?.monthlyCost).toBeCloseTo(1 + ((42_492 - 20_000) * 0.03) / 10_000, 10);
  });

  it('5,000 msgs/s with max age 60 s: 300,001 messages per data key → 43,200 requests a month', () => {
    const [p] = monthlyCostAtRate({ requestsPerSecond: [5000], keys: { customerManagedKeys: 2, rotations: 1 }, caching: { maxAgeMs: 60_000 } });
    // 12,960,000,000 messages / 300,001 = 43,199.86 → 43,200
    expect(p?.caching?.monthlyRequests).toBe(43_200);
    expect(p?.caching?.monthlyCost).toBeCloseTo(3 + ((43_200 - 20_000) * 0.03) / 10_000, 10);
    expect(p?.direct.monthlyCost).toBeCloseTo(3 + ((12_960_000_000 - 20_000) * 0.03) / 10_000, 6);
    expect(p?.bucketKeys).toBeUndefined();
  });

  it('a maximum gives a log sweep from 1 to it; costs never fall as the rate grows', () => {
    const pts = monthlyCostAtRate({ requestsPerSecond: 10_000, keys: 1, bucketKeys: true, caching: { maxAgeMs: 5000, maxMessagesEncrypted: 1000 } });
    expect(pts[0]?.requestsPerSecond).toBe(1);
    expect(pts.at(-1)?.requestsPerSecond).toBe(10_000);
    expect(pts.length).toBeGreaterThan(20);
    for (let i = 1; i < pts.length; i++) {
      const [a, b] = [pts[i - 1], pts[i]];
      expect(b!.requestsPerSecond).toBeGreaterThan(a!.requestsPerSecond);
      expect(b!.direct.monthlyCost).toBeGreaterThanOrEqual(a!.direct.monthlyCost);
      expect(b!.caching!.monthlyCost).toBeLessThanOrEqual(b!.direct.monthlyCost);
      expect(b!.bucketKeys!.monthlyCost).toBeLessThanOrEqual(b!.direct.monthlyCost);
    }
  });
});
