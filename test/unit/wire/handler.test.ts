/**
 * src/wire/handler.ts at the byte level (kms-semantics.md §13; issue 4 "The protocol"): raw JSON 1.1
 * requests, no SDK. Member types and SerializationException for each, unknown and null members,
 * UnknownOperationException, the 1 MiB body limit, the SigV4 credential (principal from the access
 * key id, Region from the scope), response encoding (base64 blobs, epoch-second timestamps),
 * `x-amzn-RequestId` = the trail record's requestID for successes AND KMS errors, and internal
 * failures answered as a bare 500 with nothing leaked.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { kmsError, type CallerContext, type KmsService } from '../../../src/kms';
import { callerFromRequest, createWireHandler, MAX_BODY_BYTES, requestFromJson, toJson, type WireHandler, type WireRequest, type WireResponse } from '../../../src/wire';
import { ACCOUNT, makeHarness, PARTNER, T0, type Harness } from '../kms/harness';
import { jsonRequest, sigv4, type TrailRecord } from './transports';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const json = (r: WireResponse) => JSON.parse(r.body) as Record<string, unknown>;

let h: Harness;
let wire: WireHandler;
let keyId: string;
let keyArn: string;

beforeEach(async () => {
  h = await makeHarness();
  wire = createWireHandler(h.service);
  ({ keyId, arn: keyArn } = await h.createKey({ Description: 'wire' }));
});

const trail = (): TrailRecord[] => h.repo.list('trailEvent').map((t) => t.record);

async function expectError(req: WireRequest, type: string, status = 400, message?: string | RegExp): Promise<Record<string, unknown>> {
  const r = await wire(req);
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(r.headers['x-amzn-requestid']).toMatch(UUID_RE);
  const body = json(r);
  expect(body.__type).toBe(type);
  if (typeof message === 'string') expect(body.message).toBe(message);
  else if (message) expect(body.message).toMatch(message);
  return body;
}

describe('successful responses (§13.2)', () => {
  it('answers 200 with JSON 1.1, base64 blobs, epoch-second timestamps and x-amzn-RequestId = the trail requestID', async () => {
    const r = await wire(jsonRequest('Encrypt', { KeyId: keyId, Plaintext: 'SGVsbG8gd29ybGQ=', EncryptionContext: { Department: 'Engineering' } }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.1');
    const body = json(r);
    expect(body.KeyId).toBe(keyArn);
    expect(body.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(body.CiphertextBlob).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const rec = trail().at(-1)!;
    expect(rec.eventName).toBe('Encrypt');
    expect(r.headers['x-amzn-requestid']).toBe(rec.requestID);

    const d = await wire(jsonRequest('Decrypt', { CiphertextBlob: body.CiphertextBlob, EncryptionContext: { Department: 'Engineering' } }));
    expect(json(d).Plaintext).toBe('SGVsbG8gd29ybGQ=');

    const k = json(await wire(jsonRequest('DescribeKey', { KeyId: keyId }))).KeyMetadata as Record<string, unknown>;
    expect(k.CreationDate).toBe(T0 / 1000);
    expect(typeof k.CreationDate).toBe('number');
  });

  it('takes an empty body as {} and omits absent members', async () => {
    const r = await wire({ ...jsonRequest('ListKeys', ''), body: '' });
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual({ Keys: [{ KeyId: keyId, KeyArn: keyArn }], Truncated: false });
    const empty = await wire(jsonRequest('ListKeys', '  \n'));
    expect(empty.statusCode).toBe(200);
  });

  it('takes the body as bytes too, and header names in any case', async () => {
    const r = await wire({
      method: 'post',
      path: '/?ignored=1',
      headers: { 'X-Amz-Target': 'TrentService.DescribeKey', Authorization: sigv4('AKIAIOSFODNN7EXAMPLE') },
      body: new TextEncoder().encode(JSON.stringify({ KeyId: keyId })),
    });
    expect(r.statusCode).toBe(200);
    expect((json(r).KeyMetadata as { KeyId: string }).KeyId).toBe(keyId);
  });

  it('ignores unknown members and treats null members as absent, as AWS does', async () => {
    const r = await wire(jsonRequest('Encrypt', { KeyId: keyId, Plaintext: 'AA==', Bogus: { deep: [1, 2] }, EncryptionContext: null, GrantTokens: null, keyid: 5 }));
    expect(r.statusCode).toBe(200);
    const g = await wire(jsonRequest('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: null }));
    expect(g.statusCode).toBe(200);
  });

  it('keeps an encryption-context key named __proto__ (a plain own member, not the prototype)', async () => {
    const body = `{"KeyId":"${keyId}","Plaintext":"AA==","EncryptionContext":{"__proto__":"x","a":"b"}}`;
    const r = await wire(jsonRequest('Encrypt', body));
    expect(r.statusCode).toBe(200);
    expect(trail().at(-1)!.requestParameters).toMatchObject({ encryptionContext: JSON.parse('{"__proto__":"x","a":"b"}') });
    const blob = json(r).CiphertextBlob;
    // Decrypting without that pair must fail: the context is bound to the ciphertext.
    const d = await wire(jsonRequest('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: 'b' } }));
    expect(json(d).__type).toBe('InvalidCiphertextException');
    const ok = await wire(jsonRequest('Decrypt', `{"CiphertextBlob":"${String(blob)}","EncryptionContext":{"__proto__":"x","a":"b"}}`));
    expect(ok.statusCode).toBe(200);
  });
});

describe('SerializationException: wrong JSON types per member type', () => {
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['string', 'DescribeKey', { KeyId: 12 }, /^VALUE_NUMBER_INT can not be converted to a String \(member KeyId\)$/],
    ['string (object)', 'DescribeKey', { KeyId: { a: 1 } }, /START_OBJECT can not be converted to a String/],
    ['integer (string)', 'GenerateRandom', { NumberOfBytes: '32' }, /^VALUE_STRING can not be converted to an Integer \(member NumberOfBytes\)$/],
    ['integer (fraction)', 'GenerateRandom', { NumberOfBytes: 1.5 }, /^VALUE_NUMBER_FLOAT can not be converted to an Integer/],
    ['boolean', 'Encrypt', { KeyId: 'k', Plaintext: 'AA==', DryRun: 'true' }, /^VALUE_STRING can not be converted to a Boolean \(member DryRun\)$/],
    ['blob (number)', 'Encrypt', { KeyId: 'k', Plaintext: 7 }, /^VALUE_NUMBER_INT can not be converted to a Blob \(member Plaintext\)$/],
    ['blob (invalid base64)', 'Encrypt', { KeyId: 'k', Plaintext: 'not base64!' }, /^Base64 encoded data for member Plaintext is not valid$/],
    ['timestamp', 'ListKeys', { ValidTo: '2026-01-01' }, /^VALUE_STRING can not be converted to a Timestamp \(member ValidTo\)$/],
    ['string map (array)', 'Encrypt', { KeyId: 'k', Plaintext: 'AA==', EncryptionContext: ['a'] }, /^START_ARRAY can not be converted to a Map \(member EncryptionContext\)$/],
    ['string map (value)', 'Encrypt', { KeyId: 'k', Plaintext: 'AA==', EncryptionContext: { a: 1 } }, /^VALUE_NUMBER_INT can not be converted to a String \(member EncryptionContext\.a\)$/],
    ['string list (string)', 'Encrypt', { KeyId: 'k', Plaintext: 'AA==', GrantTokens: 'tok' }, /^VALUE_STRING can not be converted to a List \(member GrantTokens\)$/],
    ['string list (item)', 'Encrypt', { KeyId: 'k', Plaintext: 'AA==', GrantTokens: ['a', false] }, /^VALUE_FALSE can not be converted to a String \(member GrantTokens\[1\]\)$/],
    ['tag list (object)', 'TagResource', { KeyId: 'k', Tags: { TagKey: 'a' } }, /^START_OBJECT can not be converted to a List \(member Tags\)$/],
    ['tag list (item)', 'TagResource', { KeyId: 'k', Tags: ['a'] }, /^VALUE_STRING can not be converted to a Tag \(member Tags\[0\]\)$/],
    ['tag list (TagKey)', 'TagResource', { KeyId: 'k', Tags: [{ TagKey: 1, TagValue: 'v' }] }, /member Tags\[0\]\.TagKey/],
    ['grant constraints', 'CreateGrant', { KeyId: 'k', Constraints: 'x' }, /^VALUE_STRING can not be converted to a GrantConstraints \(member Constraints\)$/],
    ['structure', 'UpdateCustomKeyStore', { CustomKeyStoreId: 'cks-1', XksProxyAuthenticationCredential: 'x' }, /^VALUE_STRING can not be converted to a XksProxyAuthenticationCredentialType \(member XksProxyAuthenticationCredential\)$/],
    ['structure (member)', 'UpdateCustomKeyStore', { CustomKeyStoreId: 'cks-1', XksProxyAuthenticationCredential: { AccessKeyId: 5 } }, /^VALUE_NUMBER_INT can not be converted to a String \(member XksProxyAuthenticationCredential\.AccessKeyId\)$/],
    ['structure (blob member)', 'DeriveSharedSecret', { KeyId: 'k', Recipient: { AttestationDocument: '!!' } }, /^Base64 encoded data for member Recipient\.AttestationDocument is not valid$/],
    ['grant constraints (inner map)', 'CreateGrant', { KeyId: 'k', Constraints: { EncryptionContextSubset: [] } }, /member Constraints\.EncryptionContextSubset/],
  ];
  it.each(cases)('%s', async (_, op, body, message) => {
    const before = trail().length;
    await expectError(jsonRequest(op, body), 'SerializationException', 400, message);
    // Refused before the service: no trail record (CloudTrail logs no call that never parsed).
    expect(trail()).toHaveLength(before);
  });

  it.each([
    ['invalid JSON', '{"KeyId":'],
    ['a JSON array', '[]'],
    ['a JSON string', '"KeyId"'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['trailing garbage', '{}x'],
  ])('refuses %s as the body', async (_, body) => {
    await expectError(jsonRequest('ListKeys', body), 'SerializationException', 400);
  });
});

describe('UnknownOperationException and transport errors', () => {
  it.each([
    ['an unknown operation', { 'x-amz-target': 'TrentService.DeleteEverything' }, 'Unknown operation TrentService.DeleteEverything'],
    ['another service prefix', { 'x-amz-target': 'DynamoDB_20120810.Encrypt' }, 'Unknown operation DynamoDB_20120810.Encrypt'],
    ['an operation the simulator lacks', { 'x-amz-target': 'TrentService.GetKeyLastUsage' }, 'Unknown operation TrentService.GetKeyLastUsage'],
    ['the prefix alone', { 'x-amz-target': 'TrentService.' }, 'Unknown operation TrentService.'],
  ])('answers %s with UnknownOperationException', async (_, headers, message) => {
    await expectError(jsonRequest('ListKeys', {}, headers), 'UnknownOperationException', 400, message);
  });

  it('answers a missing X-Amz-Target, a GET and another path with UnknownOperationException', async () => {
    const req = jsonRequest('ListKeys', {});
    const { 'x-amz-target': _, ...noTarget } = req.headers;
    await expectError({ ...req, headers: noTarget }, 'UnknownOperationException', 400, 'Missing X-Amz-Target header.');
    await expectError({ ...req, method: 'GET' }, 'UnknownOperationException', 400);
    await expectError({ ...req, path: '/keys' }, 'UnknownOperationException', 400);
  });

  it('refuses a body over 1 MiB (413) and takes one of exactly 1 MiB', async () => {
    const pad = (n: number) => `{"Pad":"${'x'.repeat(n - 10)}"}`;
    expect(pad(MAX_BODY_BYTES)).toHaveLength(MAX_BODY_BYTES);
    const ok = await wire(jsonRequest('ListKeys', pad(MAX_BODY_BYTES)));
    expect(ok.statusCode).toBe(200);
    await expectError(jsonRequest('ListKeys', pad(MAX_BODY_BYTES + 1)), 'RequestEntityTooLargeException', 413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    // Bytes, not characters: 600 Ki two-byte characters are 1.2 MiB.
    await expectError(jsonRequest('ListKeys', `{"Pad":"${'é'.repeat(600 * 1024)}"}`), 'RequestEntityTooLargeException', 413);
    await expectError({ ...jsonRequest('ListKeys', {}), body: new Uint8Array(MAX_BODY_BYTES + 1) }, 'RequestEntityTooLargeException', 413);
  });
});

describe('the caller from the SigV4 Authorization header', () => {
  const callerOf = (authorization?: string, extra: Record<string, string> = {}) =>
    callerFromRequest(h.service, { method: 'POST', path: '/', headers: { ...(authorization ? { authorization } : {}), ...extra }, body: '' });

  it('maps each default access key id to its principal and account', () => {
    expect(callerOf(sigv4('AKIAKEYADMINEXAMPLE'))).toMatchObject({ principalArn: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`, accountId: ACCOUNT, accessKeyId: 'AKIAKEYADMINEXAMPLE' });
    expect(callerOf(sigv4('AKIAPARTNEREXAMPLE'))).toMatchObject({ principalArn: `arn:aws:iam::${PARTNER}:role/PartnerApp`, accountId: PARTNER });
    expect(callerOf(sigv4('AKIAPARTNERROOTEXAMPLE'))).toMatchObject({ principalArn: `arn:aws:iam::${PARTNER}:root`, accountId: PARTNER });
  });

  it('takes an access key id the sandbox does not know (test/test) as the learner root', () => {
    expect(callerOf(sigv4('test'))).toMatchObject({ principalArn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'test' });
    expect(callerOf(sigv4('ASIAUNKNOWN123'))).toMatchObject({ principalArn: `arn:aws:iam::${ACCOUNT}:root` });
  });

  it('knows principals added to the sandbox by their generated access key id', async () => {
    const p = await h.service.world.createPrincipal({ accountId: ACCOUNT, kind: 'user', name: 'bob' });
    expect(callerOf(sigv4(p.accessKeyId))).toMatchObject({ principalArn: `arn:aws:iam::${ACCOUNT}:user/bob`, accessKeyId: p.accessKeyId });
  });

  it('takes the Region from the credential scope, else the default', () => {
    expect(callerOf(sigv4('test', 'eu-west-1')).region).toBe('eu-west-1');
    expect(callerOf(sigv4('test', 'ap-southeast-2')).region).toBe('ap-southeast-2');
    expect(callerOf(undefined).region).toBe('us-east-1');
    expect(callerOf('garbage').region).toBe('us-east-1');
    expect(callerFromRequest(h.service, { method: 'POST', path: '/', headers: {}, body: '' }, 'eu-west-1').region).toBe('eu-west-1');
  });

  it('passes the user agent (capped) and source IP on to the trail', async () => {
    const r = await wire({ ...jsonRequest('ListKeys', {}, { 'x-amz-user-agent': 'aws-sdk-js/3.1164.0 ' + 'u'.repeat(1000) }), sourceIp: '10.1.2.3' });
    expect(r.statusCode).toBe(200);
    const rec = trail().at(-1)! as TrailRecord & { sourceIPAddress: string; userAgent: string };
    expect(rec.sourceIPAddress).toBe('10.1.2.3');
    expect(rec.userAgent.startsWith('aws-sdk-js/3.1164.0 ')).toBe(true);
    expect(rec.userAgent.length).toBe(512);
  });

  it('refuses a scope with an invalid Region or another service (InvalidSignatureException), before any trail record', async () => {
    const before = trail().length;
    await expectError(jsonRequest('ListKeys', {}, { authorization: sigv4('test', 'Mars') }), 'InvalidSignatureException', 400, "Credential should be scoped to a valid region, not 'Mars'.");
    await expectError(jsonRequest('ListKeys', {}, { authorization: sigv4('test', 'us-east-1', 's3') }), 'InvalidSignatureException', 400, "Credential should be scoped to correct service: 'kms'.");
    expect(trail()).toHaveLength(before);
  });

  it('runs the call as that caller in that Region', async () => {
    const eu = await wire(jsonRequest('CreateKey', {}, { authorization: sigv4('AKIAIOSFODNN7EXAMPLE', 'eu-west-1') }));
    const arn = (json(eu).KeyMetadata as { Arn: string }).Arn;
    expect(arn).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    await expectError(jsonRequest('DescribeKey', { KeyId: arn }), 'NotFoundException', 400, `Key '${arn}' does not exist`);
    const alice = await expectError(jsonRequest('DescribeKey', { KeyId: keyId }, { authorization: sigv4('AKIAALICEEXAMPLE') }), 'AccessDeniedException');
    expect(alice.message).toMatch(/^User: arn:aws:iam::111122223333:user\/alice is not authorized to perform: kms:DescribeKey/);
  });
});

describe('x-amzn-RequestId (§13.2, §13.3)', () => {
  it('equals the trail requestID for KMS errors too, and is fresh for each call', async () => {
    const ids = new Set<string>();
    for (const [op, body, type] of [
      ['DescribeKey', { KeyId: 'alias/missing' }, 'NotFoundException'],
      ['Decrypt', { CiphertextBlob: 'AAAA' }, 'InvalidCiphertextException'],
      ['GenerateRandom', { NumberOfBytes: 5000 }, 'ValidationException'],
      ['Encrypt', { KeyId: keyId, Plaintext: 'AA==' }, null],
    ] as const) {
      const r = await wire(jsonRequest(op, body));
      const rec = trail().at(-1)!;
      expect(rec.eventName).toBe(op);
      expect(rec.errorCode).toBe(type ?? undefined);
      expect(r.headers['x-amzn-requestid']).toBe(rec.requestID);
      if (type) expect(json(r).__type).toBe(type);
      ids.add(r.headers['x-amzn-requestid']!);
    }
    expect(ids.size).toBe(4);
  });

  it('InvalidCiphertextException goes out without a message member (AWS sends none)', async () => {
    const r = await wire(jsonRequest('Decrypt', { CiphertextBlob: 'AAAA' }));
    expect(json(r)).toEqual({ __type: 'InvalidCiphertextException' });
  });

  it('uses newRequestId for failures that never reach the service', async () => {
    let n = 0;
    const w = createWireHandler(h.service, { newRequestId: () => `wire-${++n}` });
    const r = await w(jsonRequest('Nope', {}));
    expect(r.headers['x-amzn-requestid']).toBe('wire-1');
  });
});

describe('internal failures (500)', () => {
  /** A service whose call fails the way a bug would, with details that must not leak. */
  function brokenService(error: unknown): KmsService {
    return { ...h.service, world: h.service.world, call: async () => Promise.reject(error) };
  }

  it('answers a non-KMS error as a bare KMSInternalException: no message details, no stack, no paths', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'keyArn') at /work/main/src/kms/secret.ts:12:3");
    const r = await createWireHandler(brokenService(bug))(jsonRequest('ListKeys', {}));
    expect(r.statusCode).toBe(500);
    expect(json(r)).toEqual({ __type: 'KMSInternalException', message: 'The request was rejected because an internal exception occurred. The request can be retried.' });
    expect(r.body).not.toMatch(/work|\.ts|keyArn|TypeError/);
  });

  it('answers KMSInternalException from the service with 500 and its request id', async () => {
    const e = kmsError('KMSInternalException', 'Key material is missing.');
    Object.defineProperty(e, '$requestId', { value: 'req-from-service' });
    const r = await createWireHandler(brokenService(e))(jsonRequest('ListKeys', {}));
    expect(r.statusCode).toBe(500);
    expect(r.headers['x-amzn-requestid']).toBe('req-from-service');
    expect(json(r).__type).toBe('KMSInternalException');
  });

  it('answers a thrown non-Error (a string, undefined) the same way', async () => {
    for (const thing of ['boom at /x.ts:1', undefined, 42]) {
      const r = await createWireHandler(brokenService(thing))(jsonRequest('ListKeys', {}));
      expect(r.statusCode).toBe(500);
      expect(json(r).__type).toBe('KMSInternalException');
    }
  });
});

describe('requestFromJson and toJson', () => {
  it('turns base64 into bytes and epoch seconds into Dates, and back', () => {
    const req = requestFromJson('{"Plaintext":"AQID","ValidTo":1768478400.5,"NumberOfBytes":3}');
    expect(req.Plaintext).toEqual(new Uint8Array([1, 2, 3]));
    expect(req.ValidTo).toEqual(new Date(1768478400500));
    // Structures: typed members converted, unknown inner members dropped.
    const r = requestFromJson('{"Recipient":{"KeyEncryptionAlgorithm":"RSAES_OAEP_SHA_256","AttestationDocument":"AQID","Extra":1},"XksProxyAuthenticationCredential":{"AccessKeyId":"A","RawSecretAccessKey":"B"}}');
    expect(r.Recipient).toEqual({ KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: new Uint8Array([1, 2, 3]) });
    expect(r.XksProxyAuthenticationCredential).toEqual({ AccessKeyId: 'A', RawSecretAccessKey: 'B' });
    expect(toJson({ Blob: new Uint8Array([1, 2, 3]), When: new Date(1768478400500), Gone: undefined, List: [new Uint8Array([255])], N: 1 })).toEqual({
      Blob: 'AQID',
      When: 1768478400.5,
      List: ['/w=='],
      N: 1,
    });
  });

  it('round-trips a caller-visible response exactly (the in-process SDK path sees what HTTP clients see)', async () => {
    const caller: CallerContext = { principalArn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT as CallerContext['accountId'], region: 'us-east-1' as CallerContext['region'] };
    const r = await h.service.call('DescribeKey', { KeyId: keyId }, caller);
    const wireBody = json(await wire(jsonRequest('DescribeKey', { KeyId: keyId })));
    expect(wireBody).toEqual(JSON.parse(JSON.stringify(toJson(r))));
  });
});
