/**
 * JSON-safe snapshots (exports, share links): base64 against RFC 4648 §10 and Node's Buffer as an
 * oracle, encode/decode round trips, `$`-key escaping, and no throw on garbage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  CURRENT_SCHEMA,
  fromJsonSnapshot,
  migrateSnapshot,
  toJsonSnapshot,
} from '../../../../../src/kms/store/schema/index';
import { recordSetArb, sampleCloudTrail, sampleMaterial, sampleRecords, sampleTrailEvent } from '../records';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('base64', () => {
  it('matches the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(bytesToBase64(utf8(plain))).toBe(b64);
      expect(base64ToBytes(b64)).toEqual(utf8(plain));
    }
  });

  it('agrees with Buffer and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const s = bytesToBase64(b);
        expect(s).toBe(Buffer.from(b).toString('base64'));
        expect(base64ToBytes(s)).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses non-canonical and malformed strings', () => {
    for (const bad of ['Zh==', 'Zm9=', 'Zg=', 'Zg', 'Z===', '====', 'Zm9v\n', 'Zm-v', 'Zm_v', '=Zm9', 'Zg==Zg==']) {
      expect(base64ToBytes(bad), bad).toBeNull();
    }
  });
});

describe('toJsonSnapshot / fromJsonSnapshot', () => {
  it('embeds the current schema and base64 bytes', () => {
    const snap = toJsonSnapshot([sampleMaterial()]);
    expect(snap.schema).toEqual(CURRENT_SCHEMA);
    expect(snap.records[0]).toMatchObject({ material: { $bytes: bytesToBase64(sampleMaterial().material) } });
  });

  it('is JSON-safe and round-trips through JSON text, then migrates to the same records', () => {
    fc.assert(
      fc.property(recordSetArb, (records) => {
        const text = JSON.stringify(toJsonSnapshot(records));
        const decoded = fromJsonSnapshot(text);
        if (!decoded.ok) throw new Error(decoded.detail);
        const migrated = migrateSnapshot(decoded.value);
        if (!migrated.ok) throw new Error(migrated.detail);
        expect(migrated.value.records).toEqual(records);
      }),
      { numRuns: 150 },
    );
  });

  it('accepts the parsed value as well as the text', () => {
    const snap = toJsonSnapshot(sampleRecords());
    expect(fromJsonSnapshot(snap)).toEqual(fromJsonSnapshot(JSON.stringify(snap)));
  });

  it('escapes $-keys so user data never turns into bytes', () => {
    const requestParameters = { encryptionContext: { $bytes: 'AAAA', $x: '1', $$y: '2', plain: '3' }, __proto__x: 1 };
    const records = [sampleTrailEvent({ record: sampleCloudTrail({ requestParameters }) })];
    const text = JSON.stringify(toJsonSnapshot(records));
    expect(text).toContain('"$$bytes":"AAAA"');
    expect(text).toContain('"$$$y":"2"');
    const back = fromJsonSnapshot(text);
    expect(back.ok && back.value.records).toEqual(records);
  });

  it('keeps a __proto__ key as data', () => {
    const requestParameters = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, never>;
    const records = [sampleTrailEvent({ record: sampleCloudTrail({ requestParameters }) })];
    const back = fromJsonSnapshot(JSON.stringify(toJsonSnapshot(records)));
    if (!back.ok) throw new Error(back.detail);
    const params = (back.value.records[0] as { record: { requestParameters: object } }).record.requestParameters;
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.keys(params)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses what the encoder never produces', () => {
    const wrap = (record: unknown) => ({ schema: CURRENT_SCHEMA, records: [record] });
    expect(fromJsonSnapshot(wrap({ material: { $bytes: 'Zh==' } }))).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(fromJsonSnapshot(wrap({ material: { $bytes: 5 } }))).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(fromJsonSnapshot(wrap({ material: { $bytes: 'AA==', other: 1 } }))).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(fromJsonSnapshot(wrap({ $lonely: 1 }))).toMatchObject({ ok: false, reason: 'unknown-format' });
  });

  it('checks the envelope and the schema', () => {
    expect(fromJsonSnapshot('{"schema":')).toMatchObject({ ok: false, reason: 'unknown-format', detail: 'snapshot: not JSON (SyntaxError)' });
    expect(fromJsonSnapshot([])).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(fromJsonSnapshot({ schema: CURRENT_SCHEMA })).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(fromJsonSnapshot({ schema: CURRENT_SCHEMA, records: [], extra: 1 })).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(fromJsonSnapshot({ schema: { schemaVersion: 9, sequences: {} }, records: [] })).toMatchObject({ ok: false, reason: 'version-too-new' });
  });

  it('never quotes the input in a parse failure (it may hold key material)', () => {
    const secret = 'c2VjcmV0LWtleS1tYXRlcmlhbA';
    const r = fromJsonSnapshot(`{"records": ["${secret}" oops`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.detail).not.toContain(secret.slice(0, 6));
  });

  it('never throws on garbage text or values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.anything({ withTypedArray: true })), (v) => {
        const r = fromJsonSnapshot(v);
        if (!r.ok) expect(['unknown-format', 'version-too-new']).toContain(r.reason);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid export with one character changed', () => {
    const text = JSON.stringify(toJsonSnapshot(sampleRecords()));
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (i, c) => {
        const r = fromJsonSnapshot(text.slice(0, i) + c + text.slice(i + 1));
        if (r.ok) migrateSnapshot(r.value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('toJsonSnapshot numbers', () => {
  it('writes -0 as 0, as JSON text would', () => {
    const snap = toJsonSnapshot([sampleTrailEvent({ record: sampleCloudTrail({ responseElements: { n: -0 } }) })]);
    expect(Object.is((snap.records[0] as { record: { responseElements: { n: number } } }).record.responseElements.n, 0)).toBe(true);
  });
});
