/**
 * The pure grant rules (src/kms/policy/grants.ts; kms-semantics.md §7): grant operations per key
 * type, id and token formats, principal matching, each constraint kind, propagation and tokens,
 * child grants created with a grant's CreateGrant permission, and who may retire a grant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GrantRecord, KeyRecord } from '../../../../src/kms/model';
import {
  childGrantWithin,
  constraintsSatisfied,
  encodeGrantToken,
  evaluateGrants,
  GRANT_OPERATIONS,
  GRANT_PROPAGATION_MS,
  grantIdFromBytes,
  grantOperationsFor,
  isGrantIdFormat,
  isGrantOperation,
  parseGrantToken,
  principalMatches,
  retireRight,
  supportsGrantConstraints,
  type GrantEvaluationInput,
} from '../../../../src/kms/policy/grants';

const ACCT = '111122223333';
const APP = `arn:aws:iam::${ACCT}:role/AppRole`;
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
const ROOT = `arn:aws:iam::${ACCT}:root`;
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const T = 1_700_000_000_000;
const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

function grant(over: Partial<GrantRecord> = {}): GrantRecord {
  const id = over.id ?? ID_A;
  return {
    typeName: 'grant',
    id,
    keyArn: KEY as GrantRecord['keyArn'],
    name: null,
    granteePrincipal: APP,
    retiringPrincipal: null,
    issuingAccount: ROOT,
    operations: ['Decrypt', 'Encrypt'],
    constraints: null,
    creationDate: T - GRANT_PROPAGATION_MS,
    grantToken: encodeGrantToken(id, new Uint8Array(16).fill(7)),
    ...over,
  };
}

function input(over: Partial<GrantEvaluationInput> = {}): GrantEvaluationInput {
  return { operation: 'Decrypt', granteeArn: APP, encryptionContext: undefined, now: T, grantTokens: [], ...over };
}

const key = (keySpec: KeyRecord['keySpec'], keyUsage: KeyRecord['keyUsage']) => ({ keySpec, keyUsage });

describe('grant operations', () => {
  it('lists the 19 GrantOperation values and recognizes only them', () => {
    expect(GRANT_OPERATIONS).toHaveLength(19);
    expect(isGrantOperation('ReEncryptFrom')).toBe(true);
    expect(isGrantOperation('ReEncrypt')).toBe(false);
    expect(isGrantOperation('ScheduleKeyDeletion')).toBe(false);
    expect(isGrantOperation('decrypt')).toBe(false);
  });

  it('a symmetric key supports encryption and data-key operations, never Sign/Verify/GetPublicKey/MAC', () => {
    const ops = grantOperationsFor(key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'));
    expect(ops).toEqual([
      'Decrypt',
      'Encrypt',
      'GenerateDataKey',
      'GenerateDataKeyWithoutPlaintext',
      'ReEncryptFrom',
      'ReEncryptTo',
      'CreateGrant',
      'RetireGrant',
      'DescribeKey',
      'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext',
    ]);
  });

  it('asymmetric and HMAC keys support their own operations only', () => {
    expect(grantOperationsFor(key('RSA_2048', 'ENCRYPT_DECRYPT'))).toEqual(['Decrypt', 'Encrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey']);
    expect(grantOperationsFor(key('ECC_NIST_P256', 'SIGN_VERIFY'))).toEqual(['Sign', 'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey']);
    expect(grantOperationsFor(key('HMAC_256', 'GENERATE_VERIFY_MAC'))).toEqual(['CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateMac', 'VerifyMac']);
    expect(grantOperationsFor(key('ECC_NIST_P384', 'KEY_AGREEMENT'))).toContain('DeriveSharedSecret');
    expect(grantOperationsFor(key('ML_KEM_768', 'ENCAPSULATE_DECAPSULATE'))).toContain('Decapsulate');
    expect(supportsGrantConstraints(key('SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'))).toBe(true);
    expect(supportsGrantConstraints(key('RSA_2048', 'ENCRYPT_DECRYPT'))).toBe(false);
  });
});

describe('grant ids and tokens', () => {
  it('a grant id is 64 lowercase hex chars from 32 bytes', () => {
    const id = grantIdFromBytes(Uint8Array.from({ length: 32 }, (_, i) => i * 7));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(isGrantIdFormat(id)).toBe(true);
    expect(isGrantIdFormat(id.toUpperCase())).toBe(false);
    expect(isGrantIdFormat(id.slice(1))).toBe(false);
    expect(() => grantIdFromBytes(new Uint8Array(31))).toThrow(RangeError);
  });

  it('a token is unpadded base64url, starts like an AWS token (AQpA) and names its grant', () => {
    const token = encodeGrantToken(ID_A, new Uint8Array(160).fill(1));
    expect(token).toMatch(/^AQpA[A-Za-z0-9_-]+$/);
    expect(token.length).toBeGreaterThan(200);
    expect(parseGrantToken(token)).toEqual({ grantId: ID_A });
  });

  it('round-trips every id and payload length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 1, maxLength: 300 }), (idBytes, payload) => {
        const id = grantIdFromBytes(idBytes);
        expect(parseGrantToken(encodeGrantToken(id, payload))).toEqual({ grantId: id });
      }),
      { numRuns: 150 },
    );
  });

  it('rejects malformed tokens: garbage, truncated, extended, wrong version, bad id', () => {
    const token = encodeGrantToken(ID_A, new Uint8Array(160).fill(1));
    expect(parseGrantToken('')).toBeNull();
    expect(parseGrantToken('not a token')).toBeNull();
    expect(parseGrantToken(ID_A)).toBeNull();
    expect(parseGrantToken(token.slice(0, -4))).toBeNull();
    expect(parseGrantToken(token + 'AAAA')).toBeNull();
    expect(parseGrantToken('B' + token.slice(1))).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const r = parseGrantToken(s);
        expect(r === null || isGrantIdFormat(r.grantId)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to encode a bad id or payload', () => {
    expect(() => encodeGrantToken('xyz', new Uint8Array(4))).toThrow(RangeError);
    expect(() => encodeGrantToken(ID_A, new Uint8Array(0))).toThrow(RangeError);
  });
});

describe('principal matching', () => {
  it('matches the same ARN and sessions of a named role, nothing else', () => {
    expect(principalMatches(APP, APP)).toBe(true);
    expect(principalMatches(APP, `arn:aws:sts::${ACCT}:assumed-role/AppRole/session-1`)).toBe(true);
    expect(principalMatches(`arn:aws:iam::${ACCT}:role/team/AppRole`, `arn:aws:sts::${ACCT}:assumed-role/AppRole/s`)).toBe(true);
    expect(principalMatches(APP, `arn:aws:sts::444455556666:assumed-role/AppRole/s`)).toBe(false);
    expect(principalMatches(APP, ALICE)).toBe(false);
    expect(principalMatches(ROOT, ALICE)).toBe(false);
    expect(principalMatches(ALICE, ROOT)).toBe(false);
  });
});

describe('constraints', () => {
  const eq = { encryptionContextEquals: { Department: 'IT' } };
  const sub = { encryptionContextSubset: { Department: 'Finance', Classification: 'Public' } };

  it('EncryptionContextEquals: exactly the pairs, in any order', () => {
    expect(constraintsSatisfied(eq, { Department: 'IT' }).ok).toBe(true);
    expect(constraintsSatisfied(eq, { Department: 'IT', Purpose: 'Test' }).ok).toBe(false);
    expect(constraintsSatisfied(eq, {}).ok).toBe(false);
    expect(constraintsSatisfied(eq, undefined).ok).toBe(false);
    expect(constraintsSatisfied(eq, { Department: 'it' }).ok).toBe(false);
  });

  it('EncryptionContextSubset: every pair present, extra pairs allowed (the guide example)', () => {
    expect(constraintsSatisfied(sub, { Department: 'Finance', Classification: 'Public' }).ok).toBe(true);
    expect(constraintsSatisfied(sub, { Classification: 'Public', Department: 'Finance' }).ok).toBe(true);
    expect(constraintsSatisfied(sub, { Customer: '12345', Department: 'Finance', Classification: 'Public', Purpose: 'Test' }).ok).toBe(true);
    expect(constraintsSatisfied(sub, { Department: 'Finance' }).ok).toBe(false);
    expect(constraintsSatisfied(sub, { department: 'finance', classification: 'public' }).ok).toBe(false);
    expect(constraintsSatisfied(sub, { Classification: 'Public', Customer: '12345' }).ok).toBe(false);
  });

  it('keys match case-insensitively, values case-sensitively (API reference, GrantConstraints)', () => {
    expect(constraintsSatisfied(eq, { department: 'IT' }).ok).toBe(true);
    expect(constraintsSatisfied(sub, { DEPARTMENT: 'Finance', classification: 'Public' }).ok).toBe(true);
  });

  it('explains itself', () => {
    expect(constraintsSatisfied(eq, { Department: 'HR' }).explanation).toBe(
      "its EncryptionContextEquals {Department=IT} does not match the request's encryption context {Department=HR}",
    );
    expect(constraintsSatisfied(null, {}).explanation).toBe('it has no constraints');
  });
});

describe('evaluateGrants', () => {
  it('a propagated grant for the caller and operation applies, and says why', () => {
    const [t] = evaluateGrants([grant({ name: 'app-decrypt' })], input());
    expect(t).toEqual({
      grantId: ID_A,
      name: 'app-decrypt',
      applies: true,
      summary: 'Grant aaaaaaaaaaaa… ("app-decrypt") applies: the caller is its grantee, Decrypt is one of its operations and it is in effect.',
    });
  });

  it('a grant for someone else does not apply', () => {
    const [t] = evaluateGrants([grant()], input({ granteeArn: ALICE }));
    expect(t!.applies).toBe(false);
    expect(t!.summary).toBe(`Grant aaaaaaaaaaaa… does not apply: its grantee is ${APP}, not the caller ${ALICE}.`);
  });

  it('a session of the grantee role is the grantee', () => {
    expect(evaluateGrants([grant()], input({ granteeArn: `arn:aws:sts::${ACCT}:assumed-role/AppRole/x` }))[0]!.applies).toBe(true);
  });

  it('an operation the grant lacks, or one no grant can allow, does not apply', () => {
    expect(evaluateGrants([grant()], input({ operation: 'GenerateDataKey' }))[0]!.summary).toContain('it does not allow GenerateDataKey (it allows Decrypt, Encrypt)');
    const [t] = evaluateGrants([grant()], input({ operation: 'ScheduleKeyDeletion' }));
    expect(t!.applies).toBe(false);
    expect(t!.summary).toContain('ScheduleKeyDeletion is not an operation a grant can allow');
  });

  it('EncryptionContextEquals / Subset decide crypto operations', () => {
    const g = grant({ constraints: { encryptionContextSubset: { tenant: 'a' } } });
    expect(evaluateGrants([g], input({ encryptionContext: { tenant: 'a', x: '1' } }))[0]!.applies).toBe(true);
    expect(evaluateGrants([g], input({ encryptionContext: { tenant: 'b' } }))[0]!.applies).toBe(false);
    expect(evaluateGrants([g], input({ encryptionContext: undefined }))[0]!.applies).toBe(false);
    const e = grant({ constraints: { encryptionContextEquals: { tenant: 'a' } } });
    expect(evaluateGrants([e], input({ encryptionContext: { tenant: 'a' } }))[0]!.applies).toBe(true);
    expect(evaluateGrants([e], input({ encryptionContext: { tenant: 'a', x: '1' } }))[0]!.applies).toBe(false);
  });

  it('constraints do not apply to operations without an encryption context (DescribeKey, RetireGrant)', () => {
    const g = grant({ operations: ['Decrypt', 'DescribeKey', 'RetireGrant'], constraints: { encryptionContextEquals: { tenant: 'a' } } });
    const [t] = evaluateGrants([g], input({ operation: 'DescribeKey' }));
    expect(t!.applies).toBe(true);
    expect(t!.summary).toContain('its encryption context constraint does not apply to DescribeKey');
    expect(evaluateGrants([g], input({ operation: 'RetireGrant' }))[0]!.applies).toBe(true);
  });

  it('a new grant is not in effect until it propagates, unless a token of the request names it', () => {
    const g = grant({ creationDate: T - 5_000 });
    const [t] = evaluateGrants([g], input());
    expect(t!.applies).toBe(false);
    expect(t!.summary).toContain('it is not in effect yet: it was created 5 s ago and a grant takes 30 s to reach all of KMS');
    expect(evaluateGrants([g], input({ grantTokens: [g.grantToken] }))[0]!.applies).toBe(true);
    // Any token of the grant will do (every CreateGrant call returns a new one).
    expect(evaluateGrants([g], input({ grantTokens: [encodeGrantToken(ID_A, new Uint8Array([9]))] }))[0]!.applies).toBe(true);
    expect(evaluateGrants([g], input({ now: T - 5_000 + GRANT_PROPAGATION_MS }))[0]!.applies).toBe(true);
  });

  it("another grant's token does not make a grant effective", () => {
    const g = grant({ creationDate: T });
    const other = encodeGrantToken(ID_B, new Uint8Array([1]));
    const traces = evaluateGrants([g], input({ grantTokens: [other] }));
    expect(traces[0]!.applies).toBe(false);
    expect(traces[1]).toEqual({
      grantId: ID_B,
      name: null,
      applies: false,
      summary: 'A grant token of the request names grant bbbbbbbbbbbb…, which is not a grant of this key: it was retired or revoked, or it belongs to another key.',
    });
  });

  it('a retired grant (no longer in the list) gives nothing, even with its token', () => {
    const retired = grant({ creationDate: T });
    const traces = evaluateGrants([], input({ grantTokens: [retired.grantToken] }));
    expect(traces).toHaveLength(1);
    expect(traces[0]!.applies).toBe(false);
  });

  it('malformed tokens are ignored (the operation rejects them)', () => {
    expect(evaluateGrants([grant()], input({ grantTokens: ['garbage'] }))).toHaveLength(1);
  });

  it('reports every failing reason, in order', () => {
    const g = grant({ creationDate: T, constraints: { encryptionContextSubset: { a: '1' } } });
    const [t] = evaluateGrants([g], input({ granteeArn: ALICE, encryptionContext: {} }));
    expect(t!.summary.split('; ')).toHaveLength(3);
  });

  it('CreateGrant from a grant covers only grants within it', () => {
    const parent = grant({ operations: ['GenerateDataKey', 'Decrypt', 'CreateGrant'], constraints: { encryptionContextSubset: { Department: 'IT' } } });
    const ok = { operations: ['Decrypt', 'CreateGrant'], constraints: { encryptionContextEquals: { Department: 'IT' } } };
    const wider = { operations: ['Decrypt', 'Encrypt'], constraints: { encryptionContextSubset: { Department: 'IT' } } };
    expect(evaluateGrants([parent], input({ operation: 'CreateGrant', childGrant: ok }))[0]!.applies).toBe(true);
    const [t] = evaluateGrants([parent], input({ operation: 'CreateGrant', childGrant: wider }));
    expect(t!.applies).toBe(false);
    expect(t!.summary).toContain('the new grant would add Encrypt, which this grant does not allow');
  });
});

describe('childGrantWithin', () => {
  const ops = ['Decrypt', 'CreateGrant'];
  const subset = { operations: ops, constraints: { encryptionContextSubset: { Department: 'IT' } } };
  const equals = { operations: ops, constraints: { encryptionContextEquals: { Department: 'IT' } } };

  it('a Subset parent allows added pairs and a switch to Equals, not fewer pairs or no constraint', () => {
    expect(childGrantWithin(subset, { operations: ['Decrypt'], constraints: { encryptionContextSubset: { Department: 'IT', Team: 'a' } } }).ok).toBe(true);
    expect(childGrantWithin(subset, { operations: ['Decrypt'], constraints: { encryptionContextEquals: { Department: 'IT', Team: 'a' } } }).ok).toBe(true);
    expect(childGrantWithin(subset, { operations: ['Decrypt'], constraints: { encryptionContextSubset: { Team: 'a' } } }).ok).toBe(false);
    expect(childGrantWithin(subset, { operations: ['Decrypt'], constraints: null }).ok).toBe(false);
  });

  it('an Equals parent allows only the same Equals (never a Subset)', () => {
    expect(childGrantWithin(equals, { operations: ['Decrypt'], constraints: { encryptionContextEquals: { department: 'IT' } } }).ok).toBe(true);
    expect(childGrantWithin(equals, { operations: ['Decrypt'], constraints: { encryptionContextSubset: { Department: 'IT' } } }).ok).toBe(false);
    expect(childGrantWithin(equals, { operations: ['Decrypt'], constraints: { encryptionContextEquals: { Department: 'IT', x: '1' } } }).ok).toBe(false);
  });

  it('an unconstrained parent limits operations only', () => {
    const parent = { operations: ops, constraints: null };
    expect(childGrantWithin(parent, { operations: ['Decrypt'], constraints: null }).ok).toBe(true);
    expect(childGrantWithin(parent, { operations: ['Encrypt'], constraints: null })).toEqual({
      ok: false,
      explanation: 'the new grant would add Encrypt, which this grant does not allow',
    });
  });
});

describe('retireRight', () => {
  it('the retiring principal may retire', () => {
    expect(retireRight(grant({ retiringPrincipal: ALICE }), ALICE).by).toBe('retiring-principal');
  });

  it('the grantee only when the grant allows RetireGrant', () => {
    expect(retireRight(grant(), APP).by).toBeNull();
    expect(retireRight(grant({ operations: ['Decrypt', 'RetireGrant'] }), APP).by).toBe('grantee');
  });

  it('the account that created the grant (its root) may retire', () => {
    expect(retireRight(grant(), ROOT).by).toBe('issuing-account');
    expect(retireRight(grant({ issuingAccount: 'arn:aws:iam::444455556666:root' }), ROOT).by).toBeNull();
  });

  it('nobody else, and it says who could', () => {
    const r = retireRight(grant({ retiringPrincipal: ROOT, issuingAccount: 'arn:aws:iam::444455556666:root' }), ALICE);
    expect(r.by).toBeNull();
    expect(r.summary).toBe(
      `Grant aaaaaaaaaaaa… can be retired by its retiring principal ${ROOT}, its grantee (only when the grant allows RetireGrant, which it does not) or the account that created it (arn:aws:iam::444455556666:root); the caller is none of these.`,
    );
  });
});
