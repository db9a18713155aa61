/** fast-check arbitraries for share envelopes (valid ones: what `encodeShare` accepts). */
import fc from 'fast-check';
import type { LogEntry } from '../../../src/kms/log';
import type { JsonValue } from '../../../src/kms/model';
import { CURRENT_SEM, FORMAT_VERSION, SHARE_FORMAT, withoutInputs, type ShareEnvelope } from '../../../src/share';

/** A JSON value as `JSON.parse` gives it back: no -0, no `__proto__` keys, no `$`-prefixed keys (log.ts tags). */
function sanitize(v: unknown): JsonValue {
  if (Array.isArray(v)) return v.map(sanitize);
  if (typeof v === 'object' && v !== null) {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '__proto__' || k.startsWith('$')) continue;
      out[k] = sanitize(x);
    }
    return out;
  }
  if (Object.is(v, -0)) return 0;
  return v as JsonValue;
}

const account = fc.stringMatching(/^\d{12}$/);
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2');
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
/** Strings including markup, quotes and non-BMP characters: all of it is data. */
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constant('<script>alert(1)</script>'), fc.constant('"><img src=x onerror=alert(1)>'));

const caller = fc.record(
  {
    principalArn: account.map((a) => `arn:aws:iam::${a}:root`),
    accountId: account,
    region,
    userAgent: text,
    viaService: fc.constant('s3.us-east-1.amazonaws.com'),
  },
  { requiredKeys: ['principalArn', 'accountId', 'region'] },
);

const bytesTag = fc.uint8Array({ maxLength: 48 }).map((b) => ({ $bytes: Buffer.from(b).toString('base64') }));

/** A reference to an earlier call's output (log.ts `$output`); the envelope checks its shape only. */
const outputTag = fc.tuple(fc.nat(50), fc.constantFrom('CiphertextBlob', 'KeyMetadata')).map(([seq, member]) => ({ $output: [seq, member] }));

const request = fc
  .record({
    plain: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map((d) => sanitize(d) as { [k: string]: JsonValue }),
    Plaintext: fc.option(bytesTag, { nil: undefined }),
    CiphertextBlob: fc.option(fc.oneof(bytesTag, outputTag), { nil: undefined }),
  })
  .map(({ plain, Plaintext, CiphertextBlob }) => ({ ...plain, ...(Plaintext === undefined ? {} : { Plaintext }), ...(CiphertextBlob === undefined ? {} : { CiphertextBlob }) }));

type Unnumbered = LogEntry extends infer E ? (E extends LogEntry ? Omit<E, 'seq'> : never) : never;

const callEntry: fc.Arbitrary<Unnumbered> = fc
  .record({
    at: time,
    operation: fc.constantFrom('CreateKey', 'Encrypt', 'Decrypt', 'PutKeyPolicy', 'CreateAlias', 'ScheduleKeyDeletion'),
    request: fc.option(request, { nil: null }),
    caller,
    outcome: fc.oneof(fc.constant({ ok: true } as const), fc.constantFrom('AccessDeniedException', 'NotFoundException').map((error) => ({ ok: false, error }) as const)),
  })
  .map((e) => ({
    kind: 'call' as const,
    ...e,
    secretMembers: e.request !== null && Object.hasOwn(e.request, 'Plaintext') ? ['Plaintext'] : [],
  }) as unknown as Unnumbered);

const worldEntry: fc.Arbitrary<Unnumbered> = fc.record({
  kind: fc.constant('world' as const),
  at: time,
  edit: fc.oneof(
    fc.record({ op: fc.constant('createAccount' as const), accountId: account, name: text }),
    fc.record({ op: fc.constant('createPrincipal' as const), accountId: account, kind: fc.constantFrom('user' as const, 'role' as const), name: text }),
    fc.record({ op: fc.constant('putIdentityPolicy' as const), principalArn: text, policyName: text, document: text }),
    fc.record({ op: fc.constant('deleteIdentityPolicy' as const), principalArn: text, policyName: text }),
  ),
});

const clockEntry: fc.Arbitrary<Unnumbered> = fc.record({ kind: fc.constant('clock' as const), at: time, ms: fc.nat() });

/** A valid log: entries numbered 0, 1, 2, … */
export const logArb: fc.Arbitrary<LogEntry[]> = fc
  .array(fc.oneof(callEntry, worldEntry, clockEntry), { maxLength: 12 })
  .map((es) => es.map((e, seq) => ({ ...e, seq }) as LogEntry));

/** A valid envelope. */
export const envelopeArb: fc.Arbitrary<ShareEnvelope<LogEntry>> = fc
  .record(
    {
      seed: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
      start: time,
      log: logArb,
      inputsIncluded: fc.boolean(),
      lesson: fc.record(
        {
          id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
          params: fc.dictionary(fc.string({ maxLength: 10 }).filter((k) => k !== '__proto__'), fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 4 }),
          step: fc.nat(20),
          proof: fc.boolean(),
        },
        { requiredKeys: ['id'] },
      ),
    },
    { requiredKeys: ['seed', 'start', 'log', 'inputsIncluded'] },
  )
  // With inputs left out, a log carries no secret input (encodeShare refuses one that does).
  .map((e) => ({ format: SHARE_FORMAT, formatVersion: FORMAT_VERSION, sem: CURRENT_SEM, ...e, log: e.inputsIncluded ? e.log : withoutInputs(e.log) }));
