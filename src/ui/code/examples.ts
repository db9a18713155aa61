/**
 * Example programs of the Code panel: real `@aws-sdk/client-kms` v3 code, as a learner would
 * write it at work, run against the sandbox. In scope: `client` (a KMSClient for the picked
 * access key), `kms` (the @aws-sdk/client-kms namespace), `print(...values)` and `crypto`.
 */

/** One example program. */
export interface CodeExample {
  readonly id: string;
  readonly title: string;
  readonly code: string;
}

const HELLO = `// Which keys does this principal see? (ListKeys, then DescribeKey on an alias)
const { Keys } = await client.send(new kms.ListKeysCommand({}));
print('Keys in this account and Region:', Keys.length);

const { KeyMetadata } = await client.send(new kms.DescribeKeyCommand({ KeyId: 'alias/orders' }));
print(KeyMetadata.KeyId, KeyMetadata.KeyState, KeyMetadata.Description);
`;

const ENVELOPE = `// Envelope encryption: KMS hands out a data key, WebCrypto encrypts the data locally.
// Only the *encrypted* data key is stored next to the data; KMS never sees the data.
const context = { purpose: 'envelope-demo' };
const dataKey = await client.send(new kms.GenerateDataKeyCommand({
  KeyId: 'alias/orders',
  KeySpec: 'AES_256',
  EncryptionContext: context,
}));

const iv = crypto.getRandomValues(new Uint8Array(12));
const aesKey = await crypto.subtle.importKey('raw', dataKey.Plaintext, 'AES-GCM', false, ['encrypt']);
const message = new TextEncoder().encode('Order #1002: 3 x flat white');
const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aesKey, message));
dataKey.Plaintext.fill(0); // forget the plaintext data key as soon as it is used
print('Encrypted data key:', dataKey.CiphertextBlob.length, 'bytes; ciphertext:', sealed.length, 'bytes');

// Later: KMS decrypts the data key (the encryption context must match), WebCrypto the data.
const { Plaintext } = await client.send(new kms.DecryptCommand({
  CiphertextBlob: dataKey.CiphertextBlob,
  EncryptionContext: context,
}));
const key = await crypto.subtle.importKey('raw', Plaintext, 'AES-GCM', false, ['decrypt']);
const opened = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
print('Decrypted:', new TextDecoder().decode(opened));
`;

const GRANTS = `// Grants: the key owner lets alice (who has no IAM permissions at all) decrypt with one key.
// Run this as the account root (AKIAIOSFODNN7EXAMPLE).
const { KeyMetadata } = await client.send(new kms.CreateKeyCommand({ Description: 'Grant demo' }));
const { CiphertextBlob } = await client.send(new kms.EncryptCommand({
  KeyId: KeyMetadata.KeyId,
  Plaintext: new TextEncoder().encode('for alice only'),
}));
const grant = await client.send(new kms.CreateGrantCommand({
  KeyId: KeyMetadata.KeyId,
  GranteePrincipal: 'arn:aws:iam::111122223333:user/alice',
  Operations: ['Decrypt'],
}));
print('GrantId:', grant.GrantId);

// A second client, signed with alice's access key, through the same in-page request handler.
const alice = new kms.KMSClient({
  region: await client.config.region(),
  credentials: { accessKeyId: 'AKIAALICEEXAMPLE', secretAccessKey: 'sandbox' },
  requestHandler: client.config.requestHandler,
});
// A new grant can take a moment to be visible; its grant token makes it usable at once.
const { Plaintext } = await alice.send(new kms.DecryptCommand({ CiphertextBlob, GrantTokens: [grant.GrantToken] }));
print('alice decrypted:', new TextDecoder().decode(Plaintext));

await client.send(new kms.RevokeGrantCommand({ KeyId: KeyMetadata.KeyId, GrantId: grant.GrantId }));
try {
  await alice.send(new kms.DecryptCommand({ CiphertextBlob }));
} catch (e) {
  print('After RevokeGrant:', e.name, '-', e.message);
}
`;

const REENCRYPT = `// ReEncrypt: move a ciphertext to another key without the plaintext ever leaving KMS.
const source = await client.send(new kms.CreateKeyCommand({ Description: 'ReEncrypt source' }));
const target = await client.send(new kms.CreateKeyCommand({ Description: 'ReEncrypt destination' }));

const encrypted = await client.send(new kms.EncryptCommand({
  KeyId: source.KeyMetadata.KeyId,
  Plaintext: new TextEncoder().encode('quarterly numbers'),
  EncryptionContext: { app: 'reports' },
}));
const moved = await client.send(new kms.ReEncryptCommand({
  CiphertextBlob: encrypted.CiphertextBlob,
  SourceEncryptionContext: { app: 'reports' },
  DestinationKeyId: target.KeyMetadata.KeyId,
  DestinationEncryptionContext: { app: 'reports', stage: 'archived' },
}));
print('SourceKeyId:', moved.SourceKeyId);
print('KeyId:      ', moved.KeyId);

// The new ciphertext decrypts with the destination key and the new context only.
const { Plaintext, KeyId } = await client.send(new kms.DecryptCommand({
  CiphertextBlob: moved.CiphertextBlob,
  EncryptionContext: { app: 'reports', stage: 'archived' },
}));
print(new TextDecoder().decode(Plaintext), 'decrypted by', KeyId);
`;

const ERRORS = `// Errors are real SDK exception classes: catch them by class or by name.
try {
  await client.send(new kms.DescribeKeyCommand({ KeyId: 'alias/does-not-exist' }));
} catch (e) {
  print(e instanceof kms.NotFoundException, e.name, e.$metadata.httpStatusCode, e.message);
}
// Uncaught errors end the run and are shown below as name: message.
await client.send(new kms.EncryptCommand({ KeyId: 'alias/orders', Plaintext: new Uint8Array(5000) }));
`;

/** The examples, first one loaded at start. */
export const EXAMPLES: readonly CodeExample[] = [
  { id: 'hello', title: 'Hello KMS (ListKeys, DescribeKey)', code: HELLO },
  { id: 'envelope', title: 'Envelope encryption (GenerateDataKey + AES-GCM)', code: ENVELOPE },
  { id: 'grants', title: 'Grants (CreateGrant, grant token, RevokeGrant)', code: GRANTS },
  { id: 'reencrypt', title: 'ReEncrypt to another key', code: REENCRYPT },
  { id: 'errors', title: 'Errors (exception classes)', code: ERRORS },
];
