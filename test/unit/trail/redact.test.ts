/**
 * Redaction property (kms-semantics.md §10 "Never logged", STYLE §6/§12): whatever the request
 * and response hold, at any depth, the record never contains a blob's bytes (hex, base64 or
 * decimal list) nor any value held under a secret member name, and it round-trips through JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KmsCallEvent } from '../../../src/kms/events';
import type { AccountId, KeyArn, Region } from '../../../src/kms/ids';
import { RESPONSE_ONLY_SECRET_MEMBERS, SECRET_MEMBERS, toTrailRecord } from '../../../src/trail';

/** Every generated blob starts with these bytes, so a leak is unmistakable. */
const MAGIC = [0x5e, 0xc2, 0xe7, 0x00, 0xb1, 0x0b, 0xfa, 0xce];
const MARK = 'S3CR3T';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const MAGIC_BYTES = Uint8Array.from(MAGIC);
/** Fingerprints of MAGIC however a leak would print it (base64 of the first 6 bytes is fixed). */
const LEAK_PATTERNS = [
  hex(MAGIC_BYTES),
  hex(MAGIC_BYTES).toUpperCase(),
  Buffer.from(MAGIC_BYTES.subarray(0, 6)).toString('base64'),
  Buffer.from(MAGIC_BYTES.subarray(0, 6)).toString('base64url'),
  MAGIC.join(','),
  MAGIC.slice(0, 3).map((b, i) => `"${i}":${b}`).join(','),
  MARK,
];

const blob = fc.uint8Array({ minLength: 0, maxLength: 24 }).map((tail) => Uint8Array.from([...MAGIC, ...tail]));
const spellings = (names: readonly string[]) => names.flatMap((n) => [n, n[0]!.toLowerCase() + n.slice(1), n.toUpperCase()]);
/** Secret in requests and responses. */
const secretName = fc.constantFrom(...spellings(SECRET_MEMBERS));
/** Secret in responses only (request GrantTokens are logged, as AWS does). */
const responseSecretName = fc.constantFrom(...spellings([...SECRET_MEMBERS, ...RESPONSE_ONLY_SECRET_MEMBERS]));
const plainName = fc.oneof(
  fc.constantFrom('KeyId', 'EncryptionContext', 'Tags', 'TagKey', 'KeyMetadata', 'GrantTokens', 'Constraints', '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 6 }),
);
const plainString = fc.string({ maxLength: 12, unit: 'binary' }).filter((s) => !s.includes(MARK));
const leaf = fc.oneof(
  plainString,
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  blob,
);
/** A secret value of any type: a marked string, or a structure containing one, or a blob. */
const secretValue = fc.oneof(
  fc.nat().map((n) => `${MARK}-${n}`),
  fc.nat().map((n) => ({ Inner: `${MARK}-${n}` })),
  fc.nat().map((n) => [`${MARK}-${n}`]),
  blob,
);

function object(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** Arbitrary AWS-ish shapes where secrets may sit at any depth under `secret` names. */
function shapes(secret: fc.Arbitrary<string>) {
  const { tree } = fc.letrec<{ tree: unknown; obj: Record<string, unknown> }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 4 }), tie('obj')),
    obj: fc.array(fc.oneof(fc.tuple(plainName, tie('tree')), fc.tuple(secret, secretValue)), { maxLength: 6 }).map(object),
  }));
  return fc.array(fc.oneof(fc.tuple(plainName, tree), fc.tuple(secret, secretValue)), { maxLength: 8 }).map(object);
}
const requestShape = shapes(secretName);
const responseShape = shapes(responseSecretName);

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' as KeyArn;

const event = fc.record({
  operation: fc.constantFrom('Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'CreateKey', 'CreateGrant', 'PutKeyPolicy', 'TagResource'),
  request: requestShape,
  response: fc.option(responseShape, { nil: undefined }),
  readOnly: fc.boolean(),
  failed: fc.boolean(),
});

describe('redaction', () => {
  it('no blob bytes and no secret member value ever reach the record; it round-trips through JSON', () => {
    fc.assert(
      fc.property(event, (g) => {
        const e: KmsCallEvent = {
          kind: 'call',
          requestId: 'r',
          eventId: 'e',
          time: 1_700_000_000_000,
          operation: g.operation,
          request: g.request,
          ...(g.response ? { response: g.response } : {}),
          ...(g.failed ? { error: { name: 'ValidationException' as const, message: 'bad' } } : {}),
          caller: { principalArn: 'arn:aws:iam::111122223333:role/R', accountId: '111122223333' as AccountId, region: 'us-east-1' as Region },
          resources: [{ arn: KEY_ARN, accountId: '111122223333' as AccountId }],
          readOnly: g.readOnly,
        };
        const rec = toTrailRecord(e, 0);
        const text = JSON.stringify(rec);
        for (const p of LEAK_PATTERNS) expect(text).not.toContain(p);
        expect(JSON.parse(text)).toEqual(rec);
      }),
      { numRuns: 200 },
    );
  });

  it('management responses are logged when writable, redacted the same way', () => {
    fc.assert(
      fc.property(responseShape, (response) => {
        const rec = toTrailRecord(
          {
            kind: 'call',
            requestId: 'r',
            eventId: 'e',
            time: 0,
            operation: 'CreateKey',
            request: {},
            response,
            caller: { principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' as AccountId, region: 'us-east-1' as Region },
            resources: [],
            readOnly: false,
          },
          0,
        );
        const text = JSON.stringify(rec);
        for (const p of LEAK_PATTERNS) expect(text).not.toContain(p);
        expect(JSON.parse(text)).toEqual(rec);
      }),
      { numRuns: 200 },
    );
  });

  it('the fingerprints do catch a leak (the property is not vacuous)', () => {
    const leaked = JSON.stringify({ a: Buffer.from(Uint8Array.from([...MAGIC, 1, 2])).toString('base64') });
    expect(LEAK_PATTERNS.some((p) => leaked.includes(p))).toBe(true);
    expect(LEAK_PATTERNS.some((p) => JSON.stringify(Array.from(Uint8Array.from(MAGIC))).includes(p))).toBe(true);
  });
});
