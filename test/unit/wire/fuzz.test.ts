/**
 * Fuzzing the JSON 1.1 handler (issue 4, "Tests": "random and mutated request bodies and headers per
 * operation never crash the handler and always give a well-formed AWS error"). Starting from one
 * valid request per operation of OPERATIONS, fast-check mutates the body (wrong JSON types per
 * member, nulls, unknown members, huge strings, deep nesting, invalid base64, duplicate members,
 * truncated or spliced JSON text, random bytes) and the headers (X-Amz-Target, Authorization,
 * Content-Type, method, path). For every request the handler:
 * - resolves (never rejects or throws), with status 200, 400 or 413 (500 would be a bug here);
 * - answers JSON 1.1: `content-type`, a UUID `x-amzn-requestid`, a JSON object body;
 * - on failure, `__type` is a string from the known set and `message` (when present) a string
 *   without a stack trace or file path;
 * - writes at most one trail record, and when it writes one (every call that reached the
 *   service, success or error) its requestID is the response's `x-amzn-requestid`.
 * Seeded runs (deterministic), a few hundred each: the machine is shared.
 */
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { KMS_ERROR_NAMES, OPERATIONS, encodeBase64, type OperationName } from '../../../src/kms';
import { createWireHandler, MAX_BODY_BYTES, REQUEST_MEMBERS, type WireHandler, type WireRequest } from '../../../src/wire';
import { ACCOUNT, makeHarness, T0, utf8, type Harness } from '../kms/harness';
import { jsonRequest, sigv4 } from './transports';

/** Every `__type` the handler may answer with: the service's closed set plus the protocol's own. */
const KNOWN_TYPES: ReadonlySet<string> = new Set<string>([
  ...KMS_ERROR_NAMES,
  'SerializationException',
  'UnknownOperationException',
  'InvalidSignatureException',
  'RequestEntityTooLargeException',
]);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What a leaked stack trace or source location looks like. */
const LEAK_RE = /\n\s+at |node_modules|\/work\/|file:\/\/|\.[cm]?[jt]s:\d+|\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/;

let h: Harness;
let wire: WireHandler;
/** A valid request per operation (fresh object each call). */
let templates: Record<OperationName, () => Record<string, unknown>>;

/** A response member as base64 when the call succeeds, else `fallback` (an operation not implemented yet still gets a well-typed template). */
async function b64Of(call: () => Promise<Record<string, unknown>>, member: string, fallback: string): Promise<string> {
  try {
    const v = (await call())[member];
    return v instanceof Uint8Array ? encodeBase64(v) : fallback;
  } catch {
    return fallback;
  }
}

beforeAll(async () => {
  h = await makeHarness({ seed: 9 });
  wire = createWireHandler(h.service);
  const { keyId, arn } = await h.createKey({ Description: 'fuzz' });
  const other = await h.createKey({ Description: 'fuzz-other' });
  const doomed = await h.createKey({ Description: 'fuzz-doomed' });
  await h.call('CreateAlias', { AliasName: 'alias/fuzz', TargetKeyId: keyId });
  const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: { a: 'b' } });
  const blob = encodeBase64(enc.CiphertextBlob as Uint8Array);
  const app = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
  const admin = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
  const grant = await h.call('CreateGrant', { KeyId: keyId, GranteePrincipal: app, RetiringPrincipal: admin, Operations: ['Encrypt', 'Decrypt'] });
  const policy = (await h.call('GetKeyPolicy', { KeyId: keyId })).Policy as string;
  // issue 7's keys: signing, HMAC, key agreement, ML-KEM, imported material, multi-Region, a custom key store.
  const signer = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  const hmac = await h.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
  const agreement = await h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
  const kem = await h.createKey({ KeySpec: 'ML_KEM_768', KeyUsage: 'ENCAPSULATE_DECAPSULATE' });
  const external = await h.createKey({ Origin: 'EXTERNAL' });
  const mrk = await h.createKey({ MultiRegion: true });
  const message = 'bWFuaWZlc3Q=';
  const signature = await b64Of(() => h.call('Sign', { KeyId: signer.keyId, Message: utf8('manifest'), SigningAlgorithm: 'ECDSA_SHA_256' }), 'Signature', 'MEUCIQ==');
  const mac = await b64Of(() => h.call('GenerateMac', { KeyId: hmac.keyId, Message: utf8('manifest'), MacAlgorithm: 'HMAC_SHA_256' }), 'Mac', 'AAECAw==');
  const kemCiphertext = await b64Of(() => h.call('Encapsulate', { KeyId: kem.keyId, EncapsulationAlgorithm: 'ML_KEM' }), 'SharedSecretCiphertextBlob', 'AAECAw==');
  const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  let importToken = 'AAECAw==';
  let wrapped = 'AAECAw==';
  try {
    const params = await h.call('GetParametersForImport', { KeyId: external.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' });
    importToken = encodeBase64(params.ImportToken as Uint8Array);
    const wrappingKey = createPublicKey({ key: Buffer.from(params.PublicKey as Uint8Array), format: 'der', type: 'spki' });
    wrapped = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, new Uint8Array(32).fill(7)).toString('base64');
  } catch {
    // GetParametersForImport not implemented yet: the template stays well-typed.
  }
  const credential = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) };
  const xks = {
    CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
    XksProxyUriEndpoint: 'https://xks.example.com',
    XksProxyUriPath: '/kms/xks/v1',
    XksProxyConnectivity: 'PUBLIC_ENDPOINT',
    XksProxyAuthenticationCredential: credential,
  };
  let storeId = 'cks-1234567890abcdef0';
  try {
    storeId = (await h.call('CreateCustomKeyStore', { CustomKeyStoreName: 'fuzz-store', ...xks })).CustomKeyStoreId as string;
  } catch {
    // CreateCustomKeyStore not implemented yet.
  }
  templates = {
    CancelKeyDeletion: () => ({ KeyId: doomed.keyId }),
    CreateAlias: () => ({ AliasName: 'alias/fuzz-new', TargetKeyId: other.keyId }),
    CreateGrant: () => ({ KeyId: keyId, GranteePrincipal: app, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { a: 'b' } }, Name: 'n' }),
    CreateKey: () => ({ Description: 'made by fuzz', KeyUsage: 'ENCRYPT_DECRYPT', Tags: [{ TagKey: 't', TagValue: 'v' }] }),
    Decrypt: () => ({ CiphertextBlob: blob, EncryptionContext: { a: 'b' }, KeyId: arn }),
    DeleteAlias: () => ({ AliasName: 'alias/fuzz' }),
    DescribeKey: () => ({ KeyId: 'alias/fuzz', GrantTokens: [grant.GrantToken] }),
    DisableKey: () => ({ KeyId: other.keyId }),
    DisableKeyRotation: () => ({ KeyId: keyId }),
    EnableKey: () => ({ KeyId: other.keyId }),
    EnableKeyRotation: () => ({ KeyId: keyId, RotationPeriodInDays: 365 }),
    Encrypt: () => ({ KeyId: keyId, Plaintext: 'SGVsbG8=', EncryptionContext: { a: 'b' }, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DryRun: false }),
    GenerateDataKey: () => ({ KeyId: arn, KeySpec: 'AES_256', EncryptionContext: { a: 'b' } }),
    GenerateDataKeyWithoutPlaintext: () => ({ KeyId: keyId, NumberOfBytes: 32 }),
    GenerateRandom: () => ({ NumberOfBytes: 16 }),
    GetKeyPolicy: () => ({ KeyId: keyId, PolicyName: 'default' }),
    GetKeyRotationStatus: () => ({ KeyId: keyId }),
    ListAliases: () => ({ KeyId: keyId, Limit: 10 }),
    ListGrants: () => ({ KeyId: keyId, Limit: 10, GrantId: grant.GrantId }),
    ListKeyPolicies: () => ({ KeyId: keyId, Limit: 10 }),
    ListKeyRotations: () => ({ KeyId: keyId, Limit: 10 }),
    ListKeys: () => ({ Limit: 1 }),
    ListResourceTags: () => ({ KeyId: keyId, Limit: 10 }),
    ListRetirableGrants: () => ({ RetiringPrincipal: admin, Limit: 10 }),
    PutKeyPolicy: () => ({ KeyId: keyId, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: false }),
    ReEncrypt: () => ({ CiphertextBlob: blob, SourceEncryptionContext: { a: 'b' }, DestinationKeyId: other.arn, DestinationEncryptionContext: { c: 'd' } }),
    RetireGrant: () => ({ GrantToken: grant.GrantToken }),
    RevokeGrant: () => ({ KeyId: keyId, GrantId: grant.GrantId }),
    RotateKeyOnDemand: () => ({ KeyId: keyId }),
    ScheduleKeyDeletion: () => ({ KeyId: doomed.keyId, PendingWindowInDays: 7 }),
    TagResource: () => ({ KeyId: keyId, Tags: [{ TagKey: 'env', TagValue: 'fuzz' }] }),
    UntagResource: () => ({ KeyId: keyId, TagKeys: ['env'] }),
    UpdateAlias: () => ({ AliasName: 'alias/fuzz', TargetKeyId: other.keyId }),
    UpdateKeyDescription: () => ({ KeyId: keyId, Description: 'fuzzed' }),
    // issue 7
    Sign: () => ({ KeyId: signer.keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256', GrantTokens: [grant.GrantToken] }),
    Verify: () => ({ KeyId: signer.arn, Message: message, MessageType: 'RAW', Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: false }),
    GetPublicKey: () => ({ KeyId: signer.keyId }),
    GenerateMac: () => ({ KeyId: hmac.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
    VerifyMac: () => ({ KeyId: hmac.keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256', Mac: mac }),
    DeriveSharedSecret: () => ({ KeyId: agreement.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }),
    Encapsulate: () => ({ KeyId: kem.keyId, EncapsulationAlgorithm: 'ML_KEM' }),
    Decapsulate: () => ({ KeyId: kem.keyId, SharedSecretCiphertextBlob: kemCiphertext, EncapsulationAlgorithm: 'ML_KEM' }),
    GenerateDataKeyPair: () => ({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: { a: 'b' } }),
    GenerateDataKeyPairWithoutPlaintext: () => ({ KeyId: arn, KeyPairSpec: 'ECC_NIST_P384' }),
    GetParametersForImport: () => ({ KeyId: external.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
    ImportKeyMaterial: () => ({ KeyId: external.keyId, ImportToken: importToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: T0 / 1000 + 86_400 }),
    DeleteImportedKeyMaterial: () => ({ KeyId: external.keyId }),
    ReplicateKey: () => ({ KeyId: mrk.keyId, ReplicaRegion: 'eu-west-1', Description: 'replica', Tags: [{ TagKey: 't', TagValue: 'v' }] }),
    UpdatePrimaryRegion: () => ({ KeyId: mrk.arn, PrimaryRegion: 'eu-west-1' }),
    CreateCustomKeyStore: () => ({ CustomKeyStoreName: 'fuzz-store-2', ...xks, XksProxyUriPath: '/other/kms/xks/v1' }),
    ConnectCustomKeyStore: () => ({ CustomKeyStoreId: storeId }),
    DisconnectCustomKeyStore: () => ({ CustomKeyStoreId: storeId }),
    DescribeCustomKeyStores: () => ({ CustomKeyStoreId: storeId, Limit: 10 }),
    UpdateCustomKeyStore: () => ({ CustomKeyStoreId: storeId, NewCustomKeyStoreName: 'fuzz-renamed', XksProxyAuthenticationCredential: credential }),
    DeleteCustomKeyStore: () => ({ CustomKeyStoreId: storeId }),
  };
});

/** Sends `req` and checks every invariant of the module header; returns the status. */
async function check(req: WireRequest): Promise<number> {
  const before = h.repo.list('trailEvent').length;
  let res;
  try {
    res = await wire(req);
  } catch (e) {
    expect.fail(`the handler rejected: ${String(e)}`);
  }
  expect([200, 400, 413]).toContain(res.statusCode);
  expect(res.headers['content-type']).toBe('application/x-amz-json-1.1');
  const requestId = res.headers['x-amzn-requestid'];
  expect(requestId).toMatch(UUID_RE);
  const body: unknown = JSON.parse(res.body);
  expect(typeof body === 'object' && body !== null && !Array.isArray(body)).toBe(true);
  const b = body as Record<string, unknown>;
  if (res.statusCode !== 200) {
    expect(typeof b.__type).toBe('string');
    expect(KNOWN_TYPES.has(b.__type as string), `unknown __type ${String(b.__type)}`).toBe(true);
    expect(Object.keys(b).every((k) => k === '__type' || k === 'message')).toBe(true);
    if ('message' in b) {
      expect(typeof b.message).toBe('string');
      expect(b.message as string).not.toMatch(LEAK_RE);
    }
  }
  const after = h.repo.list('trailEvent');
  expect(after.length - before).toBeLessThanOrEqual(1);
  if (res.statusCode === 200) expect(after.length - before).toBe(1);
  if (after.length > before) expect(after.at(-1)!.record.requestID).toBe(requestId);
  return res.statusCode;
}

// ---- arbitraries ----

const MEMBER_NAMES = Object.keys(REQUEST_MEMBERS);
const operation = fc.constantFrom(...OPERATIONS);
const RAW = '\u0000RAW\u0000';

/** A member value that is wrong (or right) in an interesting way. Raw JSON text is wrapped in RAW marks. */
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 2, 1e308, -0),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  // Right type, doubtful value: ids, ARNs and names of the wrong kind, Region or account.
  fc.constantFrom(
    'alias/fuzz',
    'alias/aws/ebs',
    'alias/',
    'arn:aws:kms:eu-west-1:111122223333:alias/fuzz',
    'arn:aws:kms:us-east-1:444455556666:key/00000000-0000-0000-0000-000000000000',
    'arn:aws:iam::111122223333:role/Nobody',
    'arn:aws:iam::111122223333:root',
    '*',
    'mrk-0123456789abcdef0123456789abcdef',
    'SYMMETRIC_DEFAULT',
    'RSAES_OAEP_SHA_256',
    'HMAC_256',
    'AES_128',
    'Decrypt',
    'default',
    '{"Version":"2012-10-17","Statement":[]}',
  ),
  // Invalid or odd base64.
  fc.constantFrom('', '=', 'A', 'AB=', '====', 'Zh==', '-_-_', 'SGVs bG8=', 'SGVsbG8=\n', '%%%', 'QUJD'),
  // Huge strings, some pushing the body over the 1 MiB limit.
  fc.integer({ min: 1, max: 5 }).map((k) => 'A'.repeat(k * 250_000 - 7)),
  fc.integer({ min: 5_000, max: 60_000 }).map((n) => 'x'.repeat(n)),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant({ TagKey: 'k', TagValue: 5 }),
  fc.constant([{ TagKey: 'k' }, 'x']),
  fc.constant({ EncryptionContextEquals: { a: 1 } }),
  // Deep nesting (raw JSON text, so the test never recurses to build it).
  fc.integer({ min: 100, max: 100_000 }).chain((n) => fc.constantFrom(`${RAW}${'['.repeat(n)}${']'.repeat(n)}${RAW}`, `${RAW}${'{"a":'.repeat(n)}1${'}'.repeat(n)}${RAW}`)),
);

type Mutation =
  | { kind: 'set'; member: string; value: unknown }
  | { kind: 'delete'; member: string }
  | { kind: 'duplicate'; member: string; value: unknown }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; text: string }
  | { kind: 'replace'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array };

/** Mutations of a request whose own members are `own` (they are mutated most often). */
function mutationOf(own: readonly string[]): fc.Arbitrary<Mutation> {
  const memberName = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(own.length > 0 ? own : MEMBER_NAMES)) },
    { weight: 2, arbitrary: fc.constantFrom(...MEMBER_NAMES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'keyId', 'KEYID', '') },
  );
  return fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), member: memberName, value: weirdValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), member: memberName }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), member: fc.constantFrom(...MEMBER_NAMES), value: weirdValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), text: fc.string({ maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), text: fc.string({ maxLength: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 120 }) }) },
  );
}

/** An operation with 1–`max` mutations of its template. */
const mutatedRequest = (min: number, max: number) =>
  operation.chain((op) => fc.tuple(fc.constant(op), fc.array(mutationOf(Object.keys(templates[op]())), { minLength: min, maxLength: max })));

/** Applies `muts` to a template: member edits on the object, then text edits on its JSON. */
function mutate(template: Record<string, unknown>, muts: readonly Mutation[]): string | Uint8Array {
  const obj: Record<string, unknown> = { ...template };
  const extra: string[] = [];
  for (const m of muts) {
    if (m.kind === 'set') Object.defineProperty(obj, m.member, { value: m.value, enumerable: true, writable: true, configurable: true });
    else if (m.kind === 'delete') delete obj[m.member];
    else if (m.kind === 'duplicate') extra.push(`${JSON.stringify(m.member)}:${JSON.stringify(m.value)}`);
  }
  let text = JSON.stringify(obj);
  if (extra.length > 0) text = text === '{}' ? `{${extra.join(',')}}` : `${text.slice(0, -1)},${extra.join(',')}}`;
  // Raw JSON fragments were serialized as strings: unwrap them into the text.
  text = text.replace(/"\\u0000RAW\\u0000(.*?)\\u0000RAW\\u0000"/g, (_, raw: string) => raw.replace(/\\"/g, '"'));
  for (const m of muts) {
    if (m.kind === 'truncate') text = text.slice(0, m.at % (text.length + 1));
    else if (m.kind === 'splice') {
      const at = m.at % (text.length + 1);
      text = text.slice(0, at) + m.text + text.slice(at);
    } else if (m.kind === 'replace') text = m.text;
    else if (m.kind === 'bytes') return m.bytes;
  }
  return text;
}


describe('fuzz: the handler never crashes and always answers AWS-shaped JSON 1.1', () => {
  it('the unmutated template of every operation is valid (so the mutations start from real requests)', async () => {
    const statuses: Record<string, number> = {};
    for (const op of OPERATIONS) statuses[op] = await check(jsonRequest(op, templates[op]()));
    // Every template parses and reaches the service; most succeed outright (some fail by state, e.g.
    // EnableKey after a ScheduleKeyDeletion of the same key, which is fine: still a KMS answer).
    expect(Object.values(statuses).filter((s) => s === 200).length).toBeGreaterThan(OPERATIONS.length / 2);
  });

  it('mutated bodies, per operation', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedRequest(1, 3), async ([op, muts]) => {
        const body = mutate(templates[op](), muts);
        if (typeof body === 'string' && body.length > MAX_BODY_BYTES) expect(await check(jsonRequest(op, body))).toBe(413);
        else await check({ ...jsonRequest(op, ''), body });
      }),
      { numRuns: 400, seed: 20260115 },
    );
  });

  it('garbled headers, method and path with valid and mutated bodies', async () => {
    const target = fc.oneof(
      { weight: 6, arbitrary: fc.constant('valid') },
      fc.constantFrom<string | undefined>(undefined, '', 'TrentService.', 'trentservice.Encrypt', 'TrentService.encrypt', 'TrentService.Encrypt ', 'TrentService.Encrypt,TrentService.Decrypt', 'Kinesis_20131202.PutRecord', 'TrentService.__proto__', 'TrentService.constructor', 'TrentService.toString'),
      fc.string({ maxLength: 30 }),
    );
    const authorization = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('AKIAIOSFODNN7EXAMPLE', 'AKIAKEYADMINEXAMPLE', 'AKIAAPPROLEEXAMPLE').map((k) => sigv4(k)) },
      fc.constantFrom('AKIAIOSFODNN7EXAMPLE', 'AKIAALICEEXAMPLE', 'AKIAPARTNEREXAMPLE', 'test').map((k) => sigv4(k)),
      fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.string({ maxLength: 6 })).map(([k, r, s]) => sigv4(k, r, s)),
      fc.constantFrom(undefined, '', 'AWS4-HMAC-SHA256', 'Bearer xyz', 'AWS4-HMAC-SHA256 Credential=/20260115/us-east-1/kms/aws4_request', 'AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/kms/aws4_request'),
      fc.string({ maxLength: 80 }),
    );
    const contentType = fc.constantFrom<string | undefined>(undefined, 'application/x-amz-json-1.1', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', '');
    const method = fc.oneof({ weight: 6, arbitrary: fc.constant('POST') }, fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'post', 'PATCH', ''));
    const path = fc.oneof({ weight: 6, arbitrary: fc.constant('/') }, fc.constantFrom('/?Action=Encrypt', '/kms', '//', '', '/%2F', '*'), fc.string({ maxLength: 20 }));
    await fc.assert(
      fc.asyncProperty(mutatedRequest(0, 2), target, authorization, contentType, method, path, async ([op, muts], t, auth, ct, m, p) => {
        const headers: Record<string, string | undefined> = {
          'x-amz-target': t === 'valid' ? `TrentService.${op}` : t,
          authorization: auth,
          'content-type': ct,
          'x-amz-date': '20260115T120000Z',
        };
        const body = mutate(templates[op](), muts);
        if (typeof body === 'string' && body.length > MAX_BODY_BYTES) return;
        await check({ method: m, path: p, headers, body });
      }),
      { numRuns: 400, seed: 4566 },
    );
  });

  it('random bodies of any shape', async () => {
    const body = fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.uint8Array({ maxLength: 200 }), fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''));
    await fc.assert(
      fc.asyncProperty(operation, body, async (op, b) => {
        await check({ ...jsonRequest(op, ''), body: b });
      }),
      { numRuns: 300, seed: 1164 },
    );
  });
});
