import { describe, expect, it } from 'vitest';
import type { CallerContext, KmsCallEvent, KmsServiceEvent } from '../../../src/kms/events';
import type { AccountId, KeyArn, Region } from '../../../src/kms/ids';
import { toTrailRecord } from '../../../src/trail';

const ACCT = '111122223333' as AccountId;
const REGION = 'us-east-1' as Region;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}` as KeyArn;
const MATERIAL = '5e3c0f1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e';
const ALICE: CallerContext = {
  principalArn: 'arn:aws:iam::111122223333:user/Alice',
  accountId: ACCT,
  region: REGION,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  sourceIPAddress: '192.0.2.0',
};

function call(over: Partial<KmsCallEvent>): KmsCallEvent {
  return {
    kind: 'call',
    requestId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    eventId: '3f2e1d0c-9b8a-4765-8432-10fedcba9876',
    time: Date.parse('2025-05-20T20:46:16.789Z'),
    operation: 'Encrypt',
    request: {},
    caller: ALICE,
    resources: [{ arn: KEY_ARN, accountId: ACCT }],
    readOnly: true,
    ...over,
  };
}

const ALICE_IDENTITY = {
  type: 'IAMUser',
  principalId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
  arn: 'arn:aws:iam::111122223333:user/Alice',
  accountId: '111122223333',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: 'Alice',
};

const TLS = {
  tlsVersion: 'TLSv1.3',
  cipherSuite: 'TLS_AES_256_GCM_SHA384',
  clientProvidedHostHeader: 'kms.us-east-1.amazonaws.com',
};

const EC = { Department: 'Engineering', Project: 'Alpha' };

describe('toTrailRecord: API calls (§10 examples)', () => {
  it('GenerateDataKey has the shape of the documentation example', () => {
    const plaintext = new Uint8Array(32).fill(7);
    const t = toTrailRecord(
      call({
        operation: 'GenerateDataKey',
        caller: { ...ALICE, userAgent: 'AWS Internal' },
        request: { KeyId: 'alias/ExampleAlias', KeySpec: 'AES_256', EncryptionContext: EC },
        response: { CiphertextBlob: new Uint8Array(64), Plaintext: plaintext, KeyId: KEY_ARN, KeyMaterialId: MATERIAL },
        keyMaterialId: MATERIAL,
      }),
      4,
    );
    expect(t).toEqual({ typeName: 'trailEvent', id: '3f2e1d0c-9b8a-4765-8432-10fedcba9876', seq: 4, record: expect.any(Object) });
    expect(t.record).toEqual({
      eventVersion: '1.11',
      userIdentity: ALICE_IDENTITY,
      eventTime: '2025-05-20T20:46:16Z',
      eventSource: 'kms.amazonaws.com',
      eventName: 'GenerateDataKey',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.0',
      userAgent: 'AWS Internal',
      requestParameters: { keyId: 'alias/ExampleAlias', keySpec: 'AES_256', encryptionContext: EC },
      responseElements: null,
      additionalEventData: { keyMaterialId: MATERIAL },
      requestID: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
      eventID: '3f2e1d0c-9b8a-4765-8432-10fedcba9876',
      readOnly: true,
      resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: KEY_ARN }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
      tlsDetails: TLS,
    });
  });

  it('Decrypt has the shape of the example and logs encryptionAlgorithm although not sent', () => {
    const rec = toTrailRecord(
      call({
        operation: 'Decrypt',
        time: Date.parse('2025-05-20T21:03:11Z'),
        caller: { ...ALICE, userAgent: 'aws-sdk-js/3.1164.0 ...' },
        request: { CiphertextBlob: new Uint8Array([1, 2, 3]), KeyId: KEY_ARN, EncryptionContext: EC },
        response: { Plaintext: new Uint8Array(32), KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
        keyMaterialId: MATERIAL,
        requestId: 'b4a39c2e-1f0d-4e5c-9b7a-6d5c4b3a2910',
        eventId: '0a9b8c7d-6e5f-4a3b-2c1d-e0f9a8b7c6d5',
      }),
      0,
    ).record;
    expect(rec).toEqual({
      eventVersion: '1.11',
      userIdentity: ALICE_IDENTITY,
      eventTime: '2025-05-20T21:03:11Z',
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.0',
      userAgent: 'aws-sdk-js/3.1164.0 ...',
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', keyId: KEY_ARN, encryptionContext: EC },
      responseElements: null,
      additionalEventData: { keyMaterialId: MATERIAL },
      requestID: 'b4a39c2e-1f0d-4e5c-9b7a-6d5c4b3a2910',
      eventID: '0a9b8c7d-6e5f-4a3b-2c1d-e0f9a8b7c6d5',
      readOnly: true,
      resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: KEY_ARN }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
      // The §10 Decrypt example omits it; every API call here is "over TLS".
      tlsDetails: TLS,
    });
  });

  it('prints fields in CloudTrail order', () => {
    const rec = toTrailRecord(call({ error: { name: 'DisabledException', message: 'x is disabled.' }, keyMaterialId: MATERIAL }), 0).record;
    expect(Object.keys(rec)).toEqual([
      'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress',
      'userAgent', 'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData',
      'requestID', 'eventID', 'readOnly', 'resources', 'eventType', 'managementEvent', 'recipientAccountId',
      'eventCategory', 'tlsDetails',
    ]);
  });

  it('Encrypt logs a sent algorithm as sent; ReEncrypt defaults both sides', () => {
    const enc = toTrailRecord(
      call({ request: { KeyId: KEY_ID, Plaintext: new Uint8Array(8), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' } }),
      0,
    ).record;
    expect(enc.requestParameters).toEqual({ keyId: KEY_ID, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });

    const re = toTrailRecord(
      call({
        operation: 'ReEncrypt',
        request: { CiphertextBlob: new Uint8Array(8), DestinationKeyId: 'alias/B', SourceEncryptionContext: { a: 'b' } },
      }),
      0,
    ).record;
    expect(re.requestParameters).toEqual({
      destinationKeyId: 'alias/B',
      sourceEncryptionContext: { a: 'b' },
      sourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      destinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  });

  it('defaults source IP and user agent', () => {
    const rec = toTrailRecord(call({ caller: { principalArn: 'arn:aws:iam::111122223333:root', accountId: ACCT, region: REGION } }), 0).record;
    expect(rec.sourceIPAddress).toBe('127.0.0.1');
    expect(rec.userAgent).toBe('kms-playground');
    expect(rec.additionalEventData).toBeUndefined();
    expect('additionalEventData' in rec).toBe(false);
  });
});

describe('toTrailRecord: failures', () => {
  it('a failed call carries errorCode/errorMessage and null responseElements', () => {
    const rec = toTrailRecord(
      call({
        operation: 'Decrypt',
        request: { CiphertextBlob: new Uint8Array(16), KeyId: KEY_ID },
        // Even if a buggy emitter attached a response, a failure logs none.
        response: { Plaintext: new Uint8Array(4), KeyId: KEY_ARN },
        readOnly: true,
        error: { name: 'IncorrectKeyException', message: 'The key ID in the request does not identify a CMK that can perform this operation.' },
      }),
      1,
    ).record;
    expect(rec.errorCode).toBe('IncorrectKeyException');
    expect(rec.errorMessage).toBe('The key ID in the request does not identify a CMK that can perform this operation.');
    expect(rec.responseElements).toBeNull();
    expect(rec.requestParameters).toEqual({ keyId: KEY_ID, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(rec.resources).toHaveLength(1);
  });

  it('a failed management call logs no response either', () => {
    const rec = toTrailRecord(
      call({
        operation: 'ScheduleKeyDeletion',
        readOnly: false,
        request: { KeyId: KEY_ID, PendingWindowInDays: 3 },
        error: { name: 'ValidationException', message: "1 validation error detected: Value '3' at 'pendingWindowInDays' failed to satisfy constraint" },
      }),
      1,
    ).record;
    expect(rec.responseElements).toBeNull();
    expect(rec.requestParameters).toEqual({ keyId: KEY_ID, pendingWindowInDays: 3 });
    expect(rec.errorCode).toBe('ValidationException');
  });

  it('a NotFound resolves no key: no resources, recipient is the caller', () => {
    const rec = toTrailRecord(
      call({
        operation: 'DescribeKey',
        request: { KeyId: 'arn:aws:kms:us-east-1:444455556666:key/0000' },
        resources: [],
        error: { name: 'NotFoundException', message: 'Key not found' },
      }),
      0,
    ).record;
    expect('resources' in rec).toBe(false);
    expect(rec.recipientAccountId).toBe('111122223333');
  });

  it('successful calls have no error fields', () => {
    const rec = toTrailRecord(call({ request: { KeyId: KEY_ID, Plaintext: 'x' }, response: {} }), 0).record;
    expect('errorCode' in rec).toBe(false);
    expect('errorMessage' in rec).toBe(false);
  });
});

describe('toTrailRecord: resources and recipients', () => {
  it('GenerateRandom has no resources and a caller-account recipient', () => {
    const rec = toTrailRecord(
      call({ operation: 'GenerateRandom', request: { NumberOfBytes: 32 }, response: { Plaintext: new Uint8Array(32) }, resources: [] }),
      0,
    ).record;
    expect(rec.resources).toBeUndefined();
    expect(rec.recipientAccountId).toBe('111122223333');
    expect(rec.requestParameters).toEqual({ numberOfBytes: 32 });
    expect(rec.responseElements).toBeNull();
  });

  it('a cross-account call is received by the key owner', () => {
    const otherArn = 'arn:aws:kms:us-east-1:444455556666:key/9999abcd-12ab-34cd-56ef-1234567890ab' as KeyArn;
    const rec = toTrailRecord(call({ resources: [{ arn: otherArn, accountId: '444455556666' as AccountId }] }), 0).record;
    expect(rec.recipientAccountId).toBe('444455556666');
    expect(rec.userIdentity['accountId']).toBe('111122223333');
    expect(rec.resources).toEqual([{ accountId: '444455556666', type: 'AWS::KMS::Key', ARN: otherArn }]);
  });
});

describe('toTrailRecord: requestParameters and responseElements', () => {
  it('a request with nothing to log gives null requestParameters (ListKeys)', () => {
    const rec = toTrailRecord(call({ operation: 'ListKeys', request: {}, response: { Keys: [], Truncated: false }, resources: [] }), 0).record;
    expect(rec.requestParameters).toBeNull();
    expect(rec.responseElements).toBeNull();
  });

  it('CreateKey logs policy, tags (camelCase) and keyMetadata with CloudTrail dates', () => {
    const rec = toTrailRecord(
      call({
        operation: 'CreateKey',
        readOnly: false,
        request: {
          Policy: '{"Version":"2012-10-17"}',
          Description: 'demo',
          KeyUsage: 'ENCRYPT_DECRYPT',
          BypassPolicyLockoutSafetyCheck: false,
          Tags: [{ TagKey: 'Team', TagValue: 'Blue' }],
        },
        response: {
          KeyMetadata: {
            AWSAccountId: ACCT,
            KeyId: KEY_ID,
            Arn: KEY_ARN,
            CreationDate: new Date(Date.UTC(2020, 11, 4, 19, 26, 27, 512)),
            Enabled: true,
            Description: 'demo',
            KeyUsage: 'ENCRYPT_DECRYPT',
            KeyState: 'Enabled',
            Origin: 'AWS_KMS',
            KeyManager: 'CUSTOMER',
            CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
            KeySpec: 'SYMMETRIC_DEFAULT',
            EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
            MultiRegion: false,
          },
        },
      }),
      0,
    ).record;
    expect(rec.requestParameters).toEqual({
      policy: '{"Version":"2012-10-17"}',
      description: 'demo',
      keyUsage: 'ENCRYPT_DECRYPT',
      bypassPolicyLockoutSafetyCheck: false,
      tags: [{ tagKey: 'Team', tagValue: 'Blue' }],
    });
    expect(rec.responseElements).toEqual({
      keyMetadata: {
        aWSAccountId: '111122223333',
        keyId: KEY_ID,
        arn: KEY_ARN,
        creationDate: 'Dec 4, 2020, 7:26:27 PM',
        enabled: true,
        description: 'demo',
        keyUsage: 'ENCRYPT_DECRYPT',
        keyState: 'Enabled',
        origin: 'AWS_KMS',
        keyManager: 'CUSTOMER',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        keySpec: 'SYMMETRIC_DEFAULT',
        encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        multiRegion: false,
      },
    });
  });

  it('ScheduleKeyDeletion logs deletionDate the CloudTrail way', () => {
    const rec = toTrailRecord(
      call({
        operation: 'ScheduleKeyDeletion',
        readOnly: false,
        request: { KeyId: KEY_ID, PendingWindowInDays: 7 },
        response: { KeyId: KEY_ARN, DeletionDate: new Date(Date.UTC(2025, 0, 9, 0, 5, 3)), KeyState: 'PendingDeletion', PendingWindowInDays: 7 },
      }),
      0,
    ).record;
    expect(rec.readOnly).toBe(false);
    expect(rec.responseElements).toEqual({
      keyId: KEY_ARN,
      deletionDate: 'Jan 9, 2025, 12:05:03 AM',
      keyState: 'PendingDeletion',
      pendingWindowInDays: 7,
    });
  });

  it('empty responses log null; CreateGrant never logs the grant token', () => {
    const disable = toTrailRecord(call({ operation: 'DisableKey', readOnly: false, request: { KeyId: KEY_ID }, response: {} }), 0);
    expect(disable.record.responseElements).toBeNull();
    const grant = toTrailRecord(
      call({
        operation: 'CreateGrant',
        readOnly: false,
        request: { KeyId: KEY_ID, Operations: ['Decrypt'], GranteePrincipal: 'arn:aws:iam::111122223333:role/R', GrantTokens: ['tok-in'] },
        response: { GrantToken: 'SECRET-GRANT-TOKEN', GrantId: 'g-1' },
      }),
      0,
    );
    expect(grant.record.responseElements).toEqual({ grantId: 'g-1' });
    expect(grant.record.requestParameters).toMatchObject({ grantTokens: ['tok-in'], operations: ['Decrypt'] });
    expect(JSON.stringify(grant)).not.toContain('SECRET-GRANT-TOKEN');
  });

  it('encryption context keys keep their spelling; nested members are camelCased', () => {
    const rec = toTrailRecord(
      call({
        operation: 'CreateGrant',
        readOnly: false,
        request: { KeyId: KEY_ID, Constraints: { EncryptionContextSubset: { Dept: 'IT', 'Cost-Center': '7' } } },
        response: { GrantId: 'g' },
      }),
      0,
    ).record;
    expect(rec.requestParameters).toEqual({ keyId: KEY_ID, constraints: { encryptionContextSubset: { Dept: 'IT', 'Cost-Center': '7' } } });
  });

  it('secret names are dropped at any depth and in any case, even as encryption context keys (documented)', () => {
    const rec = toTrailRecord(
      call({
        operation: 'Encrypt',
        request: { KeyId: KEY_ID, plaintext: 'p', EncryptionContext: { Purpose: 'x', Plaintext: 'y' }, Nested: [{ SIGNATURE: 's', Ok: 1 }] },
      }),
      0,
    ).record;
    expect(rec.requestParameters).toEqual({
      keyId: KEY_ID,
      encryptionContext: { Purpose: 'x' },
      nested: [{ ok: 1 }],
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  });

  it('non-JSON values never throw and the record round-trips', () => {
    const cyclic: Record<string, unknown> = { Name: 'c' };
    cyclic['Self'] = cyclic;
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    const getter = Object.defineProperty({ Ok: 1 }, 'Bad', { enumerable: true, get: () => { throw new Error('boom'); } });
    const weird = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(weird, '__proto__', { value: { Polluted: true }, enumerable: true });
    const rec = toTrailRecord(
      call({
        operation: 'UpdateKeyDescription',
        readOnly: false,
        request: {
          KeyId: KEY_ID,
          Fn: () => 1,
          Undef: undefined,
          Sym: Symbol('s'),
          Big: 12n,
          Huge: 2n ** 80n,
          Nan: Number.NaN,
          NegZero: -0,
          When: new Date(Date.UTC(2024, 5, 1, 12, 0, 0)),
          Invalid: new Date(Number.NaN),
          Arr: [1, undefined, () => 2, new Uint8Array(2), 'x'],
          Cyclic: cyclic,
          Hostile: hostile,
          Getter: getter,
          Weird: weird,
          Buf: new ArrayBuffer(4),
          View: new DataView(new ArrayBuffer(4)),
        },
        response: {},
      }),
      0,
    );
    expect(rec.record.requestParameters).toEqual({
      keyId: KEY_ID,
      big: 12,
      huge: '1208925819614629174706176',
      nan: null,
      negZero: 0,
      when: 'Jun 1, 2024, 12:00:00 PM',
      invalid: null,
      arr: [1, 'x'],
      cyclic: { name: 'c' },
      getter: { ok: 1 },
      weird: JSON.parse('{"__proto__": {"polluted": true}}'),
    });
    expect(Object.getPrototypeOf(rec.record.requestParameters!['weird'])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
  });

  it('a request that is not an object logs null', () => {
    const rec = toTrailRecord(call({ operation: 'ListAliases', request: 'nope' as unknown as Record<string, unknown> }), 0).record;
    expect(rec.requestParameters).toBeNull();
  });
});

describe('toTrailRecord: service events', () => {
  const svc = (eventName: KmsServiceEvent['eventName']): KmsServiceEvent => ({
    kind: 'service',
    eventName,
    requestId: 'r-1',
    eventId: 'e-1',
    time: Date.parse('2025-06-01T00:00:00Z'),
    keyArn: KEY_ARN,
    accountId: ACCT,
    region: REGION,
  });

  it.each(['RotateKey', 'DeleteKey'] as const)('%s is an AwsServiceEvent invoked by AWS Internal', (name) => {
    const t = toTrailRecord(svc(name), 9);
    expect(t).toEqual({
      typeName: 'trailEvent',
      id: 'e-1',
      seq: 9,
      record: {
        eventVersion: '1.11',
        userIdentity: { accountId: '111122223333', invokedBy: 'AWS Internal' },
        eventTime: '2025-06-01T00:00:00Z',
        eventSource: 'kms.amazonaws.com',
        eventName: name,
        awsRegion: 'us-east-1',
        sourceIPAddress: 'AWS Internal',
        userAgent: 'AWS Internal',
        requestParameters: null,
        responseElements: null,
        requestID: 'r-1',
        eventID: 'e-1',
        readOnly: false,
        resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: KEY_ARN }],
        eventType: 'AwsServiceEvent',
        managementEvent: true,
        recipientAccountId: '111122223333',
        serviceEventDetails: { keyId: KEY_ID },
        eventCategory: 'Management',
      },
    });
    expect('tlsDetails' in t.record).toBe(false);
  });
});
