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
        "create-alias",
        "create-grant",
        "create-key",
        "decrypt",
        "delete-alias",
        "describe-key",
        "disable-key",
        "disable-key-rotation",
        "enable-key",
        "enable-key-rotation",
        "encrypt",
        "generate-data-key",
        "generate-data-key-without-plaintext",
        "generate-random",
        "get-key-policy",
        "get-key-rotation-status",
        "list-aliases",
        "list-grants",
        "list-key-policies",
        "list-key-rotations",
        "list-keys",
        "list-resource-tags",
        "list-retirable-grants",
        "put-key-policy",
        "re-encrypt",
        "retire-grant",
        "revoke-grant",
        "rotate-key-on-demand",
        "schedule-key-deletion",
        "tag-resource",
        "untag-resource",
        "update-alias",
        "update-key-description",
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
    });
  });

  it('offers data key specs for GenerateDataKey and key specs for CreateKey', () => {
    expect(memberChoices(commandNamed('generate-data-key')!, 'KeySpec')).toEqual(['AES_256', 'AES_128']);
    expect(memberChoices(commandNamed('create-key')!, 'KeySpec')).toContain('SYMMETRIC_DEFAULT');
    expect(memberChoices(commandNamed('create-key')!, 'Description')).toEqual([]);
  });
});
