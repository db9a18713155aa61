import { describe, expect, it } from 'vitest';
import { COMMANDS, commandFor, commandNamed, memberChoices, toKebab } from '../../../src/cli';
import { OPERATIONS } from '../../../src/kms';
import { REQUEST_MEMBERS } from '../../../src/wire';

describe('command table', () => {
  it('has one kebab-case command for every operation, and maps back', () => {
    expect(COMMANDS.map((c) => c.operation).sort()).toEqual([...OPERATIONS].sort());
    for (const op of OPERATIONS) {
      const c = commandFor(op);
      expect(c.name).toBe(toKebab(op));
      expect(commandNamed(c.name)?.operation).toBe(op);
    }
  });

  it('spells commands as the AWS CLI does (botocore xform_name)', () => {
    expect(COMMANDS.map((c) => c.name)).toMatchInlineSnapshot(`
      [
        "cancel-key-deletion",
        "connect-custom-key-store",
        "create-alias",
        "create-custom-key-store",
        "create-grant",
        "create-key",
        "decapsulate",
        "decrypt",
        "delete-alias",
        "delete-custom-key-store",
        "delete-imported-key-material",
        "derive-shared-secret",
        "describe-custom-key-stores",
        "describe-key",
        "disable-key",
        "disable-key-rotation",
        "disconnect-custom-key-store",
        "enable-key",
        "enable-key-rotation",
        "encapsulate",
        "encrypt",
        "generate-data-key",
        "generate-data-key-pair",
        "generate-data-key-pair-without-plaintext",
        "generate-data-key-without-plaintext",
        "generate-mac",
        "generate-random",
        "get-key-policy",
        "get-key-rotation-status",
        "get-parameters-for-import",
        "get-public-key",
        "import-key-material",
        "list-aliases",
        "list-grants",
        "list-key-policies",
        "list-key-rotations",
        "list-keys",
        "list-resource-tags",
        "list-retirable-grants",
        "put-key-policy",
        "re-encrypt",
        "replicate-key",
        "retire-grant",
        "revoke-grant",
        "rotate-key-on-demand",
        "schedule-key-deletion",
        "sign",
        "tag-resource",
        "untag-resource",
        "update-alias",
        "update-custom-key-store",
        "update-key-description",
        "update-primary-region",
        "verify",
        "verify-mac",
      ]
    `);
    expect(toKebab('AWSAccountId')).toBe('aws-account-id');
    expect(toKebab('BypassPolicyLockoutSafetyCheck')).toBe('bypass-policy-lockout-safety-check');
    expect(toKebab('XksKeyId')).toBe('xks-key-id');
  });

  it('types every member from the wire layer and flags it as --kebab-case', () => {
    for (const c of COMMANDS) {
      for (const m of c.members) {
        expect(m.type).toBe(REQUEST_MEMBERS[m.name]);
        expect(m.flag).toBe(`--${toKebab(m.name)}`);
      }
    }
  });

  it('requires what the API model requires (kms-semantics §2.1)', () => {
    const required = (name: string) => commandNamed(name)!.members.filter((m) => m.isRequired).map((m) => m.flag);
    expect(required('encrypt')).toEqual(['--key-id', '--plaintext']);
    expect(required('create-grant')).toEqual(['--key-id', '--operations']);
    expect(required('re-encrypt')).toEqual(['--destination-key-id']);
    expect(required('put-key-policy')).toEqual(['--key-id', '--policy']);
    expect(required('decrypt')).toEqual([]);
    expect(required('create-key')).toEqual([]);
    expect(required('untag-resource')).toEqual(['--key-id', '--tag-keys']);
    // issue 7's operations (botocore kms/2014-11-01 service-2.json)
    expect(required('sign')).toEqual(['--key-id', '--message', '--signing-algorithm']);
    expect(required('verify')).toEqual(['--key-id', '--message', '--signature', '--signing-algorithm']);
    expect(required('get-public-key')).toEqual(['--key-id']);
    expect(required('generate-mac')).toEqual(['--message', '--key-id', '--mac-algorithm']);
    expect(required('verify-mac')).toEqual(['--message', '--key-id', '--mac-algorithm', '--mac']);
    expect(required('derive-shared-secret')).toEqual(['--key-id', '--key-agreement-algorithm', '--public-key']);
    expect(required('encapsulate')).toEqual(['--key-id', '--encapsulation-algorithm']);
    expect(required('decapsulate')).toEqual(['--key-id', '--shared-secret-ciphertext-blob', '--encapsulation-algorithm']);
    expect(required('generate-data-key-pair')).toEqual(['--key-id', '--key-pair-spec']);
    expect(required('generate-data-key-pair-without-plaintext')).toEqual(['--key-id', '--key-pair-spec']);
    expect(required('get-parameters-for-import')).toEqual(['--key-id', '--wrapping-algorithm', '--wrapping-key-spec']);
    expect(required('import-key-material')).toEqual(['--key-id', '--import-token', '--encrypted-key-material']);
    expect(required('delete-imported-key-material')).toEqual(['--key-id']);
    expect(required('replicate-key')).toEqual(['--key-id', '--replica-region']);
    expect(required('update-primary-region')).toEqual(['--key-id', '--primary-region']);
    expect(required('create-custom-key-store')).toEqual(['--custom-key-store-name']);
    for (const c of ['connect-custom-key-store', 'disconnect-custom-key-store', 'delete-custom-key-store', 'update-custom-key-store']) {
      expect(required(c)).toEqual(['--custom-key-store-id']);
    }
    expect(required('describe-custom-key-stores')).toEqual([]);
  });

  it('knows the paginated commands and their result keys', () => {
    const paginated = Object.fromEntries(COMMANDS.filter((c) => c.paginator).map((c) => [c.name, c.paginator!.resultKey]));
    expect(paginated).toEqual({
      'list-aliases': 'Aliases',
      'list-grants': 'Grants',
      'list-key-policies': 'PolicyNames',
      'list-key-rotations': 'Rotations',
      'list-keys': 'Keys',
      'list-resource-tags': 'Tags',
      'list-retirable-grants': 'Grants',
      'describe-custom-key-stores': 'CustomKeyStores',
    });
  });

  it('offers data key specs for GenerateDataKey and key specs for CreateKey', () => {
    expect(memberChoices(commandNamed('generate-data-key')!, 'KeySpec')).toEqual(['AES_256', 'AES_128']);
    expect(memberChoices(commandNamed('create-key')!, 'KeySpec')).toContain('SYMMETRIC_DEFAULT');
    expect(memberChoices(commandNamed('create-key')!, 'Description')).toEqual([]);
    expect(memberChoices(commandNamed('sign')!, 'MessageType')).toEqual(['RAW', 'DIGEST', 'EXTERNAL_MU']);
    expect(memberChoices(commandNamed('generate-mac')!, 'MacAlgorithm')).toEqual(['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512']);
    expect(memberChoices(commandNamed('get-parameters-for-import')!, 'WrappingKeySpec')).toEqual(['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2']);
    expect(memberChoices(commandNamed('create-custom-key-store')!, 'CustomKeyStoreType')).toEqual(['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']);
  });
});
