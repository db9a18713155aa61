import { describe, expect, it } from 'vitest';
import { applyCompletion, CommandHistory, completionsAt } from '../../../src/cli';

const hints = { aliases: ['alias/orders', 'alias/other'], keyIds: ['1234abcd-0000'], principals: ['arn:aws:iam::111122223333:user/alice'], regions: ['us-east-1', 'eu-west-1'] };
const candidates = (line: string) => completionsAt(line, line.length, hints).candidates;

describe('completion', () => {
  it('completes aws, the service and commands', () => {
    expect(candidates('')).toEqual(['aws']);
    expect(candidates('aws ')).toEqual(['kms', 'help']);
    expect(candidates('aws kms list-k')).toEqual(['list-key-policies', 'list-key-rotations', 'list-keys']);
    expect(candidates('aws kms ')).toContain('re-encrypt');
    expect(candidates('aws kms ')).toContain('help');
    expect(candidates('ls ')).toEqual([]);
  });

  it('completes the command\'s flags not given yet, required first, then globals', () => {
    const flags = candidates('aws kms encrypt --');
    expect(flags.slice(0, 6)).toEqual(['--key-id', '--plaintext', '--encryption-context', '--grant-tokens', '--encryption-algorithm', '--dry-run']);
    expect(flags).toContain('--output');
    expect(flags).toContain('--query');
    expect(flags).not.toContain('--profile');
    expect(candidates('aws kms encrypt --key-id alias/orders --')).not.toContain('--key-id');
    expect(candidates('aws kms encrypt --no-')).toEqual(['--no-dry-run', '--no-cli-pager', '--no-verify-ssl', '--no-sign-request']);
    expect(candidates('aws kms list-keys --')).toContain('--max-items');
    expect(candidates('aws kms describe-key --')).not.toContain('--max-items');
  });

  it('completes values: enumerations and sandbox hints', () => {
    expect(candidates('aws kms list-keys --output ')).toEqual(['json', 'text', 'table']);
    expect(candidates('aws kms encrypt --cli-binary-format r')).toEqual(['raw-in-base64-out']);
    expect(candidates('aws kms generate-data-key --key-spec ')).toEqual(['AES_256', 'AES_128']);
    expect(candidates('aws kms describe-key --key-id alias/o')).toEqual(['alias/orders', 'alias/other']);
    expect(candidates('aws kms describe-key --key-id 12')).toEqual(['1234abcd-0000']);
    expect(candidates('aws kms create-grant --grantee-principal ')).toEqual(['arn:aws:iam::111122223333:user/alice']);
    expect(candidates('aws kms create-grant --operations Encrypt De')).toEqual(['Decrypt', 'DescribeKey', 'DeriveSharedSecret', 'Decapsulate']);
    expect(candidates('aws kms sign --signing-algorithm ECDSA_SHA_')).toEqual(['ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512']);
    expect(candidates('aws kms generate-mac --mac-algorithm HMAC_SHA_2')).toEqual(['HMAC_SHA_224', 'HMAC_SHA_256']);
    expect(candidates('aws kms replicate-key --replica-region e')).toEqual(['eu-west-1']);
    expect(completionsAt('aws kms connect-custom-key-store --custom-key-store-id c', undefined, { customKeyStoreIds: ['cks-1234567890abcdef0'] }).candidates).toEqual(['cks-1234567890abcdef0']);
    expect(candidates('aws kms list-keys --region e')).toEqual(['eu-west-1']);
    expect(candidates('aws kms describe-key --key-id alias/orders --out')).toEqual(['--output']);
  });

  it('applies: one candidate completes the word, several extend the common prefix and are listed', () => {
    expect(applyCompletion('aws kms list-al', 15, hints)).toEqual({ line: 'aws kms list-aliases ', cursor: 21, candidates: [] });
    const several = applyCompletion('aws kms gen', 11, hints);
    expect(several.line).toBe('aws kms generate-');
    expect(several.candidates).toEqual(['generate-data-key', 'generate-data-key-pair', 'generate-data-key-pair-without-plaintext', 'generate-data-key-without-plaintext', 'generate-mac', 'generate-random']);
    expect(applyCompletion('aws kms describe-key --key-id alias/o', 37, hints)).toMatchObject({ line: 'aws kms describe-key --key-id alias/o', candidates: ['alias/orders', 'alias/other'] });
    expect(applyCompletion('aws kms zz', 10, hints)).toEqual({ line: 'aws kms zz', cursor: 10, candidates: [] });
    // Completion in the middle of a line keeps what follows the cursor.
    expect(applyCompletion('aws kms describe-k --key-id x', 18, hints)).toEqual({ line: 'aws kms describe-key  --key-id x', cursor: 21, candidates: [] });
  });
});

describe('history', () => {
  it('walks back and forth and restores the draft', () => {
    const h = new CommandHistory();
    h.push('aws kms list-keys');
    h.push('aws kms list-aliases');
    expect(h.previous('aws kms des')).toBe('aws kms list-aliases');
    expect(h.previous('ignored')).toBe('aws kms list-keys');
    expect(h.previous('ignored')).toBeNull();
    expect(h.next()).toBe('aws kms list-aliases');
    expect(h.next()).toBe('aws kms des');
    expect(h.next()).toBeNull();
  });

  it('skips empty lines and repeats, and keeps a bounded list', () => {
    const h = new CommandHistory([], 3);
    for (const l of ['a', 'a', '  ', 'b', 'c', 'd']) h.push(l);
    expect(h.entries).toEqual(['b', 'c', 'd']);
    expect(new CommandHistory(['x', 'y']).previous('')).toBe('y');
  });
});
