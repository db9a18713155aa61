/**
 * "Acting as" (issue 5): the caller a principal and a Region make, and its persistence per
 * sandbox database: what is stored, what a reload trusts (an existing principal, an offered
 * Region), what it refuses (anything else falls back).
 */
import { describe, expect, it } from 'vitest';
import { defaultWorld, SANDBOX_REGIONS, type CallerContext, type PrincipalRecord } from '../../../src/kms';
import {
  callerFor,
  callerStorageKey,
  defaultPrincipalOf,
  isSandboxRegion,
  parseStoredCaller,
  principalLabel,
  principalsOf,
  serializeCaller,
  withAccessKey,
  type PrincipalEntry,
} from '../../../src/ui/identity/caller';

const PRINCIPALS: PrincipalEntry[] = defaultWorld()
  .filter((r): r is PrincipalRecord => r.typeName === 'principal')
  .map((p) => ({ arn: p.id, accountId: p.accountId, kind: p.kind, name: p.name, accessKeyId: p.accessKeyId }));
const ALICE = PRINCIPALS.find((p) => p.name === 'alice')!;
const ROOT_ARN = 'arn:aws:iam::111122223333:root';

describe('caller persistence', () => {
  it('keys the storage by database name', () => {
    expect(callerStorageKey('kms-playground')).toBe('kms-playground.caller.kms-playground');
    expect(callerStorageKey('kms-playground-abc')).not.toBe(callerStorageKey('kms-playground'));
  });

  it('round-trips a caller through its stored text, with the access key id re-read from the world', () => {
    const caller = callerFor(ALICE, 'eu-west-1' as CallerContext['region']);
    expect(caller).toEqual({
      principalArn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      region: 'eu-west-1',
      accessKeyId: 'AKIAALICEEXAMPLE',
    });
    const text = serializeCaller(caller);
    expect(JSON.parse(text)).toEqual({ principalArn: ALICE.arn, region: 'eu-west-1' });
    expect(parseStoredCaller(text, PRINCIPALS)).toEqual(caller);
  });

  it('refuses what a reload cannot trust', () => {
    expect(parseStoredCaller(null, PRINCIPALS)).toBeNull();
    expect(parseStoredCaller('not json', PRINCIPALS)).toBeNull();
    expect(parseStoredCaller('null', PRINCIPALS)).toBeNull();
    expect(parseStoredCaller('{"principalArn":42,"region":"us-east-1"}', PRINCIPALS)).toBeNull();
    // A principal of another sandbox (e.g. a temporary one) that this world does not have.
    expect(parseStoredCaller('{"principalArn":"arn:aws:iam::111122223333:user/bob","region":"us-east-1"}', PRINCIPALS)).toBeNull();
    // A Region the sandbox does not offer, or no Region at all.
    expect(parseStoredCaller(`{"principalArn":"${ALICE.arn}","region":"mars-north-1"}`, PRINCIPALS)).toBeNull();
    expect(parseStoredCaller(`{"principalArn":"${ALICE.arn}","region":"us-west-2"}`, PRINCIPALS)).toBeNull();
    expect(parseStoredCaller(`{"principalArn":"${ALICE.arn}"}`, PRINCIPALS)).toBeNull();
  });

  it('offers exactly the sandbox Regions', () => {
    for (const r of SANDBOX_REGIONS) expect(isSandboxRegion(r)).toBe(true);
    expect(isSandboxRegion('us-west-2')).toBe(false);
    expect(isSandboxRegion('')).toBe(false);
  });

  it('completes a default caller with its access key id when the world knows the principal', () => {
    const root: CallerContext = { principalArn: ROOT_ARN, accountId: '111122223333' as CallerContext['accountId'], region: 'us-east-1' as CallerContext['region'] };
    expect(withAccessKey(root, PRINCIPALS).accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
    expect(withAccessKey(root, [])).toBe(root);
  });
});

describe('principals of an account', () => {
  it('lists the root first, then the others by ARN, and lands on the root when switching account', () => {
    expect(principalsOf('111122223333', PRINCIPALS).map(principalLabel)).toEqual(['root', 'role/AppRole', 'role/KeyAdmin', 'user/alice']);
    expect(principalsOf('444455556666', PRINCIPALS).map(principalLabel)).toEqual(['root', 'role/PartnerApp']);
    expect(defaultPrincipalOf('444455556666', PRINCIPALS)?.arn).toBe('arn:aws:iam::444455556666:root');
    expect(defaultPrincipalOf('999999999999', PRINCIPALS)).toBeNull();
  });
});
