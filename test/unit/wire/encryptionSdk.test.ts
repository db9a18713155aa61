/**
 * The AWS Encryption SDK for JavaScript (`@aws-crypto/client-node` 5.0.2) against a sandbox (issue 4,
 * "Tests"): `KmsKeyringNode` with a `clientProvider` that returns an SDK client pointed at the
 * sandbox encrypts and decrypts a message with an encryption context under the strictest
 * commitment policy; its caching materials manager reuses data keys, so fewer GenerateDataKey and
 * Decrypt calls reach the trail; and a key policy that denies the caller surfaces as the
 * sandbox's AccessDeniedException.
 *
 * The ESDK calls KMS through the aggregated `KMS` client (`generateDataKey`, `decrypt`) and
 * insists on what real KMS returns: a key ARN in `KeyId` that matches the one it asked for, and a
 * plaintext data key of the suite's length. Runs in-process, over HTTP on loopback, and against the
 * local endpoint as `npm run serve` builds it.
 */
import {
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
} from '@aws-crypto/client-node';
import { CreateKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT } from '../kms/harness';
import { KEYS, openSandbox, TRANSPORTS, type WireSandbox } from './transports';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
const CONTEXT = { purpose: 'invoice', tenant: 'acme' };

describe.each(TRANSPORTS)('AWS Encryption SDK over %s', (transport) => {
  let s: WireSandbox;
  let keyArn: string;

  beforeEach(async () => {
    s = await openSandbox(transport);
    const r = await s.client().send(new CreateKeyCommand({ Description: 'esdk' }));
    keyArn = r.KeyMetadata!.Arn!;
  });
  afterEach(() => s.close());

  /** A keyring acting as `accessKeyId`; every client it asks for points at the sandbox. */
  function keyring(accessKeyId: string = KEYS.appRole): KmsKeyringNode {
    return new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: (region: string) => s.kms(accessKeyId, region) });
  }

  const count = (eventName: string) => s.trail().filter((r) => r.eventName === eventName && r.errorCode === undefined).length;

  it('encrypts and decrypts a message with an encryption context (GenerateDataKey, then Decrypt, as AppRole)', async () => {
    const ring = keyring();
    const plaintext = new TextEncoder().encode('Invoice 42: 1,000 EUR');
    const { result, messageHeader } = await encrypt(ring, plaintext, { encryptionContext: CONTEXT });
    expect(messageHeader.encryptionContext).toMatchObject(CONTEXT);
    expect(messageHeader.encryptedDataKeys).toHaveLength(1);
    expect(messageHeader.encryptedDataKeys[0]!.providerId).toBe('aws-kms');
    expect(messageHeader.encryptedDataKeys[0]!.providerInfo).toBe(keyArn);
    expect(Buffer.from(result).includes(Buffer.from(plaintext))).toBe(false);

    const gdk = s.trail().filter((r) => r.eventName === 'GenerateDataKey');
    expect(gdk).toHaveLength(1);
    expect(gdk[0]!.errorCode).toBeUndefined();
    expect((gdk[0]!.userIdentity as { arn: string }).arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/AppRole/kms-playground`);
    // The ESDK sends the message's encryption context (plus its signing public key) to KMS.
    expect(gdk[0]!.requestParameters).toMatchObject({ keyId: keyArn, encryptionContext: CONTEXT, numberOfBytes: 32 });

    const out = await decrypt(ring, result);
    expect(new TextDecoder().decode(out.plaintext)).toBe('Invoice 42: 1,000 EUR');
    expect(out.messageHeader.encryptionContext).toMatchObject(CONTEXT);
    expect(count('Decrypt')).toBe(1);
  });

  it('with the caching materials manager, several messages cost one GenerateDataKey and one Decrypt', async () => {
    const cmm = new NodeCachingMaterialsManager({
      backingMaterials: keyring(),
      cache: getLocalCryptographicMaterialsCache(100),
      // Wall-clock limits of the ESDK cache; generous so nothing expires during the test.
      maxAge: 10 * 60_000,
      maxMessagesEncrypted: 10,
    });
    const messages: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) messages.push((await encrypt(cmm, `message ${i}`, { encryptionContext: CONTEXT })).result);
    expect(count('GenerateDataKey')).toBe(1);
    for (let i = 0; i < 5; i++) expect(new TextDecoder().decode((await decrypt(cmm, messages[i]!)).plaintext)).toBe(`message ${i}`);
    expect(count('Decrypt')).toBe(1);

    // Without the cache, every message asks KMS again.
    const plain = keyring();
    for (let i = 0; i < 3; i++) await encrypt(plain, `message ${i}`, { encryptionContext: CONTEXT });
    expect(count('GenerateDataKey')).toBe(4);
  });

  it('fails when the key policy denies the caller: AccessDeniedException surfaces and reaches the trail', async () => {
    const ring = keyring();
    const { result } = await encrypt(ring, 'before the deny', { encryptionContext: CONTEXT });
    await s.client().send(
      new PutKeyPolicyCommand({
        KeyId: keyArn,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
            { Sid: 'DenyAppRole', Effect: 'Deny', Principal: { AWS: APP_ROLE }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' },
          ],
        }),
      }),
    );
    // Encrypt: the generator's GenerateDataKey error propagates as the SDK raised it.
    const e = (await encrypt(ring, 'after the deny', { encryptionContext: CONTEXT }).catch((x: unknown) => x)) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toMatch(/is not authorized to perform: kms:GenerateDataKey on resource: .* with an explicit deny in a resource-based policy/);
    expect(e.$metadata?.httpStatusCode).toBe(400);
    expect(s.lastTrail()).toMatchObject({ eventName: 'GenerateDataKey', errorCode: 'AccessDeniedException' });

    // Decrypt: the keyring collects each KMS error and reports them in one error.
    const d = (await decrypt(ring, result).catch((x: unknown) => x)) as Error;
    expect(d).toBeInstanceOf(Error);
    expect(d.message).toContain('AccessDeniedException');
    expect(s.lastTrail()).toMatchObject({ eventName: 'Decrypt', errorCode: 'AccessDeniedException' });

    // Another principal the policy does not deny still decrypts.
    expect(new TextDecoder().decode((await decrypt(keyring(KEYS.root), result)).plaintext)).toBe('before the deny');
  });
});
