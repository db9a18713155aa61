/**
 * Test data for the store tests: one hand-written sample record of every type, and fast-check
 * arbitraries that generate valid records of every type (model.ts shapes, current schema).
 */
import fc from 'fast-check';
import { bytesToHex } from '../../../../src/kms/crypto';
import type { AccountId, AliasName, KeyArn, KeyId, KeyMaterialId, Region } from '../../../../src/kms/ids';
import {
  EXPIRATION_MODELS,
  PLAIN_KEY_FIELDS,
  KEY_SPECS,
  KEY_STATES,
  KEY_USAGES,
  ORIGINS,
  type AccountRecord,
  type AliasRecord,
  type AnyRecord,
  type ClockRecord,
  type CustomKeyStoreRecord,
  type ImportParametersRecord,
  type CloudTrailRecord,
  type GrantRecord,
  type IdentityPolicyRecord,
  type KeyRecord,
  type MaterialRecord,
  type MetaRecord,
  type PolicyRecord,
  type PrincipalRecord,
  type TagRecord,
  type TrailEventRecord,
  type LogEntryRecord,
} from '../../../../src/kms/model';
import { encodeLogRequest, logEntryId, type LogEntry } from '../../../../src/kms/log';

export const ACCOUNT = '111122223333' as AccountId;
export const REGION = 'us-east-1' as Region;
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab' as KeyId;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}` as KeyArn;
export const MATERIAL_ID = '5e3c0f1a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e' as KeyMaterialId;
export const T0 = Date.UTC(2025, 4, 20, 20, 46, 16);

export function sampleKey(over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    typeName: 'key',
    id: KEY_ARN,
    keyId: KEY_ID,
    accountId: ACCOUNT,
    region: REGION,
    creationDate: T0,
    description: 'sample key',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    keyState: 'Enabled',
    deletionDate: null,
    pendingDeletionWindowInDays: null,
    currentKeyMaterialId: MATERIAL_ID,
    rotationEnabled: false,
    rotationPeriodInDays: null,
    nextRotationDate: null,
    onDemandRotationCount: 0,
    ...PLAIN_KEY_FIELDS,
    ...over,
  };
}

export function sampleMaterial(over: Partial<MaterialRecord> = {}): MaterialRecord {
  return {
    typeName: 'material',
    id: `${KEY_ARN}/${MATERIAL_ID}`,
    keyArn: KEY_ARN,
    keyMaterialId: MATERIAL_ID,
    material: Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255),
    createdAt: T0,
    version: 0,
    rotationType: null,
    ...over,
  };
}

export function sampleCustomKeyStore(over: Partial<CustomKeyStoreRecord> = {}): CustomKeyStoreRecord {
  return {
    typeName: 'customKeyStore',
    id: 'cks-1234567890abcdef0',
    accountId: ACCOUNT,
    region: REGION,
    name: 'ExampleCloudHsmKeyStore',
    customKeyStoreType: 'AWS_CLOUDHSM',
    connectionState: 'CONNECTED',
    connectionErrorCode: null,
    creationDate: T0,
    cloudHsmClusterId: 'cluster-1a23b4cdefg',
    trustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----',
    xksProxyConfiguration: null,
    ...over,
  };
}

export const IMPORT_TOKEN = Uint8Array.from({ length: 32 }, (_, i) => i);

export function sampleImportParameters(over: Partial<ImportParametersRecord> = {}): ImportParametersRecord {
  return {
    typeName: 'importParameters',
    id: `${KEY_ARN}#${'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'}`,
    keyArn: KEY_ARN,
    importToken: IMPORT_TOKEN,
    wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    wrappingKeySpec: 'RSA_2048',
    privateKey: Uint8Array.from({ length: 64 }, (_, i) => i),
    parametersValidTo: T0 + 86_400_000,
    ...over,
  };
}

export function sampleAlias(over: Partial<AliasRecord> = {}): AliasRecord {
  return {
    typeName: 'alias',
    id: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app-data`,
    aliasName: 'alias/app-data' as AliasName,
    accountId: ACCOUNT,
    region: REGION,
    targetKeyId: KEY_ID,
    creationDate: T0,
    lastUpdatedDate: T0,
    ...over,
  };
}

export function sampleTag(over: Partial<TagRecord> = {}): TagRecord {
  return { typeName: 'tag', id: `${KEY_ARN}#Project`, keyArn: KEY_ARN, tagKey: 'Project', tagValue: 'Alpha', ...over };
}

export function samplePolicy(over: Partial<PolicyRecord> = {}): PolicyRecord {
  return {
    typeName: 'policy',
    id: `${KEY_ARN}/default`,
    keyArn: KEY_ARN,
    policyName: 'default',
    document: '{"Version":"2012-10-17","Statement":[]}',
    ...over,
  };
}

export function sampleCloudTrail(over: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/Alice` },
    eventTime: '2025-05-20T20:46:16Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'GenerateDataKey',
    awsRegion: REGION,
    sourceIPAddress: '192.0.2.0',
    userAgent: 'AWS Internal',
    requestParameters: { keyId: 'alias/app-data', keySpec: 'AES_256', encryptionContext: { Department: 'Engineering' } },
    responseElements: null,
    additionalEventData: { keyMaterialId: MATERIAL_ID },
    requestID: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
    eventID: '3f2e1d0c-9b8a-4765-8432-10fedcba9876',
    readOnly: true,
    resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...over,
  };
}

export function sampleTrailEvent(over: Partial<TrailEventRecord> = {}): TrailEventRecord {
  const record = over.record ?? sampleCloudTrail();
  return { typeName: 'trailEvent', id: record.eventID, seq: 0, record, ...over };
}

export function sampleClock(over: Partial<ClockRecord> = {}): ClockRecord {
  return { typeName: 'clock', id: 'clock', offsetMs: 0, ...over };
}

export function sampleMeta(over: Partial<MetaRecord> = {}): MetaRecord {
  return { typeName: 'meta', id: 'sandbox', seed: 'ab'.repeat(32), callCount: 3, trailCount: 1, createdAt: T0, logCount: 0, logComplete: false, ...over };
}

/** A call log entry: Encrypt with a secret Plaintext. */
export function sampleLogEntry(over: Partial<LogEntry> = {}): LogEntryRecord {
  const entry = {
    kind: 'call',
    seq: 0,
    at: T0,
    operation: 'Encrypt',
    request: encodeLogRequest({ KeyId: 'alias/app', Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: { $bytes: 'x' } }),
    secretMembers: ['Plaintext'],
    caller: { principalArn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, region: REGION },
    outcome: { ok: true },
    ...over,
  } as LogEntry;
  return { typeName: 'logEntry', id: logEntryId(entry.seq), entry };
}

export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
export const GRANT_ID = '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60';

export function sampleAccount(over: Partial<AccountRecord> = {}): AccountRecord {
  return { typeName: 'account', id: ACCOUNT, name: 'Learner', ...over };
}

export function samplePrincipal(over: Partial<PrincipalRecord> = {}): PrincipalRecord {
  return { typeName: 'principal', id: ROLE_ARN, accountId: ACCOUNT, kind: 'role', name: 'AppRole', accessKeyId: 'AKIAAPPROLEEXAMPLE', ...over };
}

export function sampleIdentityPolicy(over: Partial<IdentityPolicyRecord> = {}): IdentityPolicyRecord {
  return {
    typeName: 'identityPolicy',
    id: `${ROLE_ARN}#UseKeys`,
    principalArn: ROLE_ARN,
    policyName: 'UseKeys',
    document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}',
    ...over,
  };
}

export function sampleGrant(over: Partial<GrantRecord> = {}): GrantRecord {
  return {
    typeName: 'grant',
    id: GRANT_ID,
    keyArn: KEY_ARN,
    name: 'app-decrypt',
    granteePrincipal: ROLE_ARN,
    retiringPrincipal: `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`,
    issuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
    operations: ['Decrypt', 'RetireGrant'],
    constraints: { encryptionContextSubset: { Department: 'Engineering' } },
    creationDate: T0,
    grantToken: 'AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViZGNkODY4OGRjMTAyYmE0YmQyMWQ2NjUyYTFmYjNhZDU4YjgxZDM1YWUQAhoKCKLfvYg',
    ...over,
  };
}

/** One valid record of every type (the types of the first release first, in their old order). */
export function sampleRecords(): AnyRecord[] {
  return [
    sampleKey(),
    sampleMaterial(),
    sampleAlias(),
    sampleTag(),
    samplePolicy(),
    sampleTrailEvent(),
    sampleClock(),
    sampleMeta(),
    sampleAccount(),
    samplePrincipal(),
    sampleIdentityPolicy(),
    sampleGrant(),
    sampleLogEntry(),
    sampleCustomKeyStore(),
    sampleImportParameters(),
  ];
}

// ---- arbitraries ----

const hexChars = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
export const accountArb = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 12 }) as fc.Arbitrary<AccountId>;
export const regionArb = fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1') as fc.Arbitrary<Region>;
export const uuidArb = fc.tuple(hexChars(8), hexChars(4), hexChars(4), hexChars(4), hexChars(12)).map((p) => p.join('-'));
export const keyIdArb = fc.oneof(uuidArb, hexChars(32).map((h) => `mrk-${h}`)) as fc.Arbitrary<KeyId>;
export const keyArnArb = fc
  .tuple(regionArb, accountArb, keyIdArb)
  .map(([r, a, k]) => `arn:aws:kms:${r}:${a}:key/${k}` as KeyArn);
const materialIdArb = hexChars(64) as fc.Arbitrary<KeyMaterialId>;
/** JSON objects as JSON.parse returns them (fc.jsonValue may produce -0, which JSON text turns into 0). */
const jsonObjectArb = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
  .map((o) => JSON.parse(JSON.stringify(o)) as { [k: string]: never });

export const keyArb: fc.Arbitrary<KeyRecord> = fc
  .record({
    region: regionArb,
    accountId: accountArb,
    keyId: keyIdArb,
    creationDate: time,
    description: fc.string({ maxLength: 40 }),
    keySpec: fc.constantFrom(...KEY_SPECS),
    keyUsage: fc.constantFrom(...KEY_USAGES),
    origin: fc.constantFrom(...ORIGINS),
    keyManager: fc.constantFrom('AWS' as const, 'CUSTOMER' as const),
    keyState: fc.constantFrom(...KEY_STATES),
    deletionDate: time,
    pendingDeletionWindowInDays: fc.integer({ min: 7, max: 30 }),
    currentKeyMaterialId: materialIdArb,
    rotationEnabled: fc.boolean(),
    rotationPeriodInDays: fc.option(fc.integer({ min: 90, max: 2560 })),
    nextRotationDate: fc.option(time),
    onDemandRotationCount: fc.integer({ min: 0, max: 10 }),
    multiRegionKeyType: fc.constantFrom('PRIMARY' as const, 'REPLICA' as const),
    customKeyStoreId: fc.option(hexChars(17).map((h) => `cks-${h}`)),
    xksKeyId: fc.option(fc.string({ minLength: 1, maxLength: 20 })),
    expirationModel: fc.option(fc.constantFrom(...EXPIRATION_MODELS)),
    validTo: fc.option(time),
    stateAfter: fc.option(fc.constantFrom(...KEY_STATES)),
    stateChangeAt: fc.option(time),
  })
  .map((k) => {
    const isPending = k.keyState === 'PendingDeletion';
    return {
      typeName: 'key' as const,
      id: `arn:aws:kms:${k.region}:${k.accountId}:key/${k.keyId}` as KeyArn,
      ...k,
      multiRegionKeyType: k.keyId.startsWith('mrk-') ? k.multiRegionKeyType : null,
      deletionDate: isPending ? k.deletionDate : null,
      pendingDeletionWindowInDays: isPending || k.keyState === 'PendingReplicaDeletion' ? k.pendingDeletionWindowInDays : null,
      rotationPeriodInDays: k.rotationEnabled ? (k.rotationPeriodInDays ?? 365) : k.rotationPeriodInDays,
      nextRotationDate: k.rotationEnabled ? k.nextRotationDate : null,
    };
  });

export const materialArb: fc.Arbitrary<MaterialRecord> = fc
  .record({
    keyArn: keyArnArb,
    keyMaterialId: materialIdArb,
    material: fc.uint8Array({ minLength: 16, maxLength: 200 }),
    createdAt: time,
    version: fc.nat({ max: 1000 }),
    rotationType: fc.constantFrom(null, 'AUTOMATIC' as const, 'ON_DEMAND' as const),
  })
  .map((m) => ({ typeName: 'material' as const, id: `${m.keyArn}/${m.keyMaterialId}`, ...m }));

export const aliasArb: fc.Arbitrary<AliasRecord> = fc
  .record({
    name: fc.string({ unit: fc.constantFrom(...'abcXYZ019:/_-'), minLength: 1, maxLength: 30 }),
    accountId: accountArb,
    region: regionArb,
    targetKeyId: keyIdArb,
    creationDate: time,
    lastUpdatedDate: time,
  })
  .map(({ name, ...a }) => ({
    typeName: 'alias' as const,
    id: `arn:aws:kms:${a.region}:${a.accountId}:alias/${name}`,
    aliasName: `alias/${name}` as AliasName,
    ...a,
  }));

export const tagArb: fc.Arbitrary<TagRecord> = fc
  .record({ keyArn: keyArnArb, tagKey: fc.string({ minLength: 1, maxLength: 20 }), tagValue: fc.string({ maxLength: 20 }) })
  .map((t) => ({ typeName: 'tag' as const, id: `${t.keyArn}#${t.tagKey}`, ...t }));

export const policyArb: fc.Arbitrary<PolicyRecord> = fc
  .record({ keyArn: keyArnArb, document: fc.string({ minLength: 1, maxLength: 60 }) })
  .map((p) => ({ typeName: 'policy' as const, id: `${p.keyArn}/default`, policyName: 'default' as const, ...p }));

export const trailEventArb: fc.Arbitrary<TrailEventRecord> = fc
  .record({
    seq: fc.nat(),
    eventID: uuidArb,
    eventName: fc.constantFrom('Encrypt', 'Decrypt', 'CreateKey', 'RotateKey'),
    requestParameters: fc.option(jsonObjectArb),
    responseElements: fc.option(jsonObjectArb),
    errorCode: fc.option(fc.constantFrom('NotFoundException', 'AccessDeniedException'), { nil: undefined }),
    eventType: fc.constantFrom('AwsApiCall' as const, 'AwsServiceEvent' as const),
    readOnly: fc.boolean(),
    tlsDetails: fc.option(jsonObjectArb, { nil: undefined }),
    authorization: fc.option(jsonObjectArb, { nil: undefined }),
  })
  .map(({ seq, errorCode, tlsDetails, authorization, ...r }) => {
    const record = sampleCloudTrail({ ...r });
    if (errorCode !== undefined) Object.assign(record, { errorCode, errorMessage: 'failed' });
    if (tlsDetails !== undefined) Object.assign(record, { tlsDetails });
    return { typeName: 'trailEvent' as const, id: r.eventID, seq, record, ...(authorization !== undefined ? { authorization } : {}) };
  });

export const clockArb: fc.Arbitrary<ClockRecord> = fc.nat().map((offsetMs) => ({ typeName: 'clock' as const, id: 'clock' as const, offsetMs }));

export const metaArb: fc.Arbitrary<MetaRecord> = fc
  .record({ seed: hexChars(64), callCount: fc.nat(), trailCount: fc.nat(), createdAt: time, logCount: fc.nat(), logComplete: fc.boolean() })
  .map((m) => ({ typeName: 'meta' as const, id: 'sandbox' as const, ...m }));

export const accountRecordArb: fc.Arbitrary<AccountRecord> = fc
  .record({ id: accountArb, name: fc.string({ minLength: 1, maxLength: 20 }) })
  .map((a) => ({ typeName: 'account' as const, ...a }));

const iamNameArb = fc.string({ unit: fc.constantFrom(...'abcXYZ019_+=,.@-'), minLength: 1, maxLength: 64 });
const accessKeyIdArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 12, maxLength: 30 }).map((s) => `AKIA${s}`);

export const principalArb: fc.Arbitrary<PrincipalRecord> = fc
  .record({ accountId: accountArb, kind: fc.constantFrom('root' as const, 'user' as const, 'role' as const), name: iamNameArb, accessKeyId: accessKeyIdArb })
  .map((p) => {
    const name = p.kind === 'root' ? 'root' : p.name;
    const id = p.kind === 'root' ? `arn:aws:iam::${p.accountId}:root` : `arn:aws:iam::${p.accountId}:${p.kind}/${name}`;
    return { typeName: 'principal' as const, id, ...p, name };
  });

export const identityPolicyArb: fc.Arbitrary<IdentityPolicyRecord> = fc
  .record({
    accountId: accountArb,
    kind: fc.constantFrom('user', 'role'),
    name: iamNameArb,
    policyName: fc.string({ unit: fc.constantFrom(...'abcXYZ019_+=,.@-'), minLength: 1, maxLength: 128 }),
    document: fc.string({ minLength: 1, maxLength: 60 }),
  })
  .map(({ accountId, kind, name, policyName, document }) => {
    const principalArn = `arn:aws:iam::${accountId}:${kind}/${name}`;
    return { typeName: 'identityPolicy' as const, id: `${principalArn}#${policyName}`, principalArn, policyName, document };
  });

const contextMapArb = fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 8 });
const grantPrincipalArb = fc.oneof(
  accountArb.map((a) => `arn:aws:iam::${a}:root`),
  iamNameArb.map((n) => `arn:aws:iam::111122223333:role/${n}`),
  fc.constant('s3.amazonaws.com'),
);

export const grantArb: fc.Arbitrary<GrantRecord> = fc
  .record({
    id: hexChars(64),
    keyArn: keyArnArb,
    name: fc.option(fc.string({ unit: fc.constantFrom(...'abcXYZ019:/_-'), minLength: 1, maxLength: 40 })),
    granteePrincipal: grantPrincipalArb,
    retiringPrincipal: fc.option(grantPrincipalArb),
    issuingAccount: accountArb.map((a) => `arn:aws:iam::${a}:root`),
    operations: fc.uniqueArray(fc.constantFrom('Decrypt', 'Encrypt', 'GenerateDataKey', 'RetireGrant', 'DescribeKey', 'CreateGrant'), { minLength: 1 }),
    constraints: fc.oneof(
      fc.constant(null),
      contextMapArb.map((m) => ({ encryptionContextEquals: m })),
      contextMapArb.map((m) => ({ encryptionContextSubset: m })),
      fc.tuple(contextMapArb, contextMapArb).map(([a, b]) => ({ encryptionContextEquals: a, encryptionContextSubset: b })),
    ),
    creationDate: time,
    grantToken: fc.string({ minLength: 1, maxLength: 300 }),
  })
  .map((g) => ({ typeName: 'grant' as const, ...g }));

const callerArb = fc.record(
  { principalArn: fc.constant(`arn:aws:iam::${ACCOUNT}:role/AppRole`), accountId: accountArb, region: regionArb, userAgent: fc.string({ maxLength: 20 }) },
  { requiredKeys: ['principalArn', 'accountId', 'region'] },
);

/** A log entry of any kind (requests from `encodeLogRequest` of random AWS-shaped values). */
export const logEntryValueArb: fc.Arbitrary<LogEntry> = fc.oneof(
  fc
    .record({
      seq: fc.nat(10_000),
      at: time,
      operation: fc.constantFrom('Encrypt', 'Decrypt', 'CreateKey'),
      plaintext: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: undefined }),
      other: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.uint8Array({ maxLength: 8 }), fc.date({ noInvalidDate: true }))),
      caller: callerArb,
      outcome: fc.oneof(fc.constant({ ok: true as const }), fc.constantFrom('NotFoundException', 'AccessDeniedException').map((error) => ({ ok: false as const, error }))),
    })
    .map(({ plaintext, other, ...e }) => {
      const raw: Record<string, unknown> = { ...other };
      if (plaintext !== undefined) raw.Plaintext = plaintext;
      return { kind: 'call' as const, ...e, request: encodeLogRequest(raw), secretMembers: plaintext !== undefined ? ['Plaintext'] : [] };
    }),
  fc.record({
    kind: fc.constant('world' as const),
    seq: fc.nat(10_000),
    at: time,
    edit: fc.oneof(
      fc.record({ op: fc.constant('createAccount' as const), accountId: accountArb, name: fc.string({ maxLength: 20 }) }),
      fc.record({ op: fc.constant('createPrincipal' as const), accountId: accountArb, kind: fc.constantFrom('user' as const, 'role' as const), name: iamNameArb }),
      fc.record({ op: fc.constant('putIdentityPolicy' as const), principalArn: fc.constant(ROLE_ARN), policyName: fc.constant('P'), document: fc.string({ maxLength: 40 }) }),
      fc.record({ op: fc.constant('deleteIdentityPolicy' as const), principalArn: fc.constant(ROLE_ARN), policyName: fc.constant('P') }),
    ),
  }),
  fc.record({ kind: fc.constant('clock' as const), seq: fc.nat(10_000), at: time, ms: fc.nat() }),
);

export const logEntryArb: fc.Arbitrary<LogEntryRecord> = logEntryValueArb.map((entry) => ({ typeName: 'logEntry' as const, id: logEntryId(entry.seq), entry }));

/** A valid record of any type. */
export const customKeyStoreArb: fc.Arbitrary<CustomKeyStoreRecord> = fc
  .record({
    id: hexChars(17).map((h) => `cks-${h}`),
    accountId: accountArb,
    region: regionArb,
    name: fc.string({ minLength: 1, maxLength: 30 }),
    customKeyStoreType: fc.constantFrom('AWS_CLOUDHSM' as const, 'EXTERNAL_KEY_STORE' as const),
    connectionState: fc.constantFrom('CONNECTED' as const, 'CONNECTING' as const, 'FAILED' as const, 'DISCONNECTED' as const, 'DISCONNECTING' as const),
    connectionErrorCode: fc.option(fc.constantFrom('NETWORK_ERRORS', 'INTERNAL_ERROR', 'XKS_PROXY_TIMED_OUT')),
    creationDate: time,
    trustAnchorCertificate: fc.option(fc.string({ minLength: 1, maxLength: 40 })),
    xksProxyConfiguration: fc.option(jsonObjectArb),
  })
  .map((r) => ({
    typeName: 'customKeyStore' as const,
    ...r,
    cloudHsmClusterId: r.customKeyStoreType === 'AWS_CLOUDHSM' ? 'cluster-1a23b4cdefg' : null,
  }));

export const importParametersArb: fc.Arbitrary<ImportParametersRecord> = fc
  .record({
    keyArn: keyArnArb,
    importToken: fc.uint8Array({ minLength: 16, maxLength: 64 }),
    wrappingAlgorithm: fc.constantFrom('RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_256'),
    wrappingKeySpec: fc.constantFrom('RSA_2048', 'RSA_4096'),
    privateKey: fc.uint8Array({ minLength: 16, maxLength: 200 }),
    parametersValidTo: time,
  })
  .map((r) => ({ typeName: 'importParameters' as const, id: `${r.keyArn}#${bytesToHex(r.importToken)}`, ...r }));

export const anyRecordArb: fc.Arbitrary<AnyRecord> = fc.oneof(
  customKeyStoreArb,
  importParametersArb,
  keyArb,
  materialArb,
  aliasArb,
  tagArb,
  policyArb,
  trailEventArb,
  clockArb,
  metaArb,
  accountRecordArb,
  principalArb,
  identityPolicyArb,
  grantArb,
  logEntryArb,
);

/** A valid set of records: ids unique per type, trail seqs and access key ids unique. */
export const recordSetArb: fc.Arbitrary<AnyRecord[]> = fc
  .tuple(
    fc.uniqueArray(keyArb, { selector: (r) => r.id, maxLength: 4 }),
    fc.uniqueArray(materialArb, { selector: (r) => r.id, maxLength: 4 }),
    fc.uniqueArray(aliasArb, { selector: (r) => r.id, maxLength: 3 }),
    fc.uniqueArray(tagArb, { selector: (r) => r.id, maxLength: 3 }),
    fc.uniqueArray(policyArb, { selector: (r) => r.id, maxLength: 3 }),
    fc.uniqueArray(trailEventArb, { selector: (r) => r.id, maxLength: 5 }).map((ts) => ts.map((t, i) => ({ ...t, seq: i }))),
    fc.option(clockArb),
    fc.option(metaArb),
    fc.uniqueArray(accountRecordArb, { selector: (r) => r.id, maxLength: 2 }),
    fc.uniqueArray(principalArb, { comparator: (a, b) => a.id === b.id || a.accessKeyId === b.accessKeyId, maxLength: 3 }),
    fc.uniqueArray(identityPolicyArb, { selector: (r) => r.id, maxLength: 2 }),
    fc.uniqueArray(grantArb, { selector: (r) => r.id, maxLength: 3 }),
    fc.array(logEntryValueArb, { maxLength: 3 }).map((es) => es.map((e, i) => ({ typeName: 'logEntry' as const, id: logEntryId(i), entry: { ...e, seq: i } }))),
    fc.uniqueArray(customKeyStoreArb, { selector: (r) => r.id, maxLength: 2 }),
    fc.uniqueArray(importParametersArb, { selector: (r) => r.id, maxLength: 2 }),
  )
  .map(([keys, mats, aliases, tags, pols, trail, clock, meta, accounts, principals, identityPolicies, grants, log, stores, params]) => [
    ...keys,
    ...mats,
    ...aliases,
    ...tags,
    ...pols,
    ...trail,
    ...(clock ? [clock] : []),
    ...(meta ? [meta] : []),
    ...accounts,
    ...principals,
    ...identityPolicies,
    ...grants,
    ...log,
    ...stores,
    ...params,
  ]);
