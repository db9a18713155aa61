import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../src/kms';
import { createMemoryRepository } from '../../../src/kms/store';
import { displayPolicy, statementLineRanges } from '../../../src/ui/trail/policyLines';
import { policySourceFor } from '../../../src/ui/trail/policySource';
import { explainRecord, readDecisions, type WhyStep } from '../../../src/ui/trail/whySteps';
import { ACCOUNT, ROOT } from '../kms/harness';
import { fakeRecord, seededHarness } from './trailFixtures';

const as = (name: string): CallerContext => ({ ...ROOT, principalArn: `arn:aws:iam::${ACCOUNT}:${name}` });
const phases = (steps: readonly WhyStep[]) => steps.map((s) => s.phase);
const byPhase = (steps: readonly WhyStep[], phase: WhyStep['phase']) => steps.filter((s) => s.phase === phase);

const DENY_APP = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'DenyAppCrypto',
        Effect: 'Deny',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/AppRole` },
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } },
      },
    ],
  });

describe('explainRecord', () => {
  it('explains a key policy Deny step by step, pointing at the statement', async () => {
    const h = await seededHarness();
    const orders = h.repo.list('alias').find((a) => a.aliasName === 'alias/orders')!.targetKeyId;
    await h.call('PutKeyPolicy', { KeyId: orders, PolicyName: 'default', Policy: DENY_APP });
    await h.fail('Encrypt', { KeyId: 'alias/orders', Plaintext: new Uint8Array([1]) }, as('role/AppRole'));
    const record = h.repo.list('trailEvent').at(-1)!;
    const why = explainRecord(record);
    if (why.kind !== 'trace') throw new Error('expected a trace');
    expect(phases(why.steps)).toEqual(['state', 'key-policy', 'iam', 'grant', 'conditions', 'result']);
    const [state, key, iam, grant, cond, result] = why.steps;
    expect(state!.verdict).toBe('not-applicable');
    expect(key!.verdict).toBe('deny');
    expect(key!.title).toContain('"DenyAppCrypto"');
    expect(key!.ref).toMatchObject({ kind: 'key-policy', statementIndex: 1, sid: 'DenyAppCrypto' });
    expect(iam!.verdict).toBe('not-applicable');
    expect(grant!.verdict).toBe('not-applicable');
    expect(cond!.verdict).toBe('deny');
    expect(cond!.details[0]).toMatch(/^✓ StringEquals kms:CallerAccount/);
    expect(result!.verdict).toBe('deny');
    expect(result!.title).toBe('Encrypt failed with AccessDeniedException');
    expect(why.decisions[0]!.decision).toBe('ExplicitDeny');

    // The referenced statement's lines, in the document as the panel shows it.
    const source = policySourceFor(h.repo, key!.ref!)!;
    expect(source.title).toMatch(/^Key policy "default" of arn:aws:kms:/);
    const lines = source.lines.slice(source.highlight!.startLine - 1, source.highlight!.endLine);
    expect(lines[0]!.trim()).toBe('{');
    expect(lines.join('\n')).toContain('"Sid": "DenyAppCrypto"');
    expect(lines.join('\n')).not.toContain('Enable IAM User Permissions');
    expect(lines.at(-1)!.trim()).toBe('}');
  });

  it("explains alice's implicit deny: the key policy delegates, no identity policy allows", async () => {
    const h = await seededHarness();
    const record = h.repo.list('trailEvent').find((r) => r.record.errorCode === 'AccessDeniedException')!;
    const why = explainRecord(record);
    if (why.kind !== 'trace') throw new Error('expected a trace');
    expect(byPhase(why.steps, 'key-policy')[0]).toMatchObject({ verdict: 'allow', ref: { kind: 'key-policy', statementIndex: 0 } });
    expect(byPhase(why.steps, 'iam')[0]).toMatchObject({ verdict: 'deny', title: 'No identity policy allows kms:Encrypt' });
    expect(why.decisions[0]!.reason).toContain('no identity policy of arn:aws:iam::111122223333:user/alice allows it');
    expect(byPhase(why.steps, 'result')[0]!.details[0]).toMatch(/^AccessDeniedException: User: arn:aws:iam::111122223333:user\/alice is not authorized/);
  });

  it('explains an allow through an identity policy, with a link to its statement', async () => {
    const h = await seededHarness();
    await h.call('Encrypt', { KeyId: 'alias/orders', Plaintext: new Uint8Array([1]) }, as('role/AppRole'));
    const why = explainRecord(h.repo.list('trailEvent').at(-1)!);
    if (why.kind !== 'trace') throw new Error('expected a trace');
    const iam = byPhase(why.steps, 'iam')[0]!;
    expect(iam.verdict).toBe('allow');
    expect(iam.ref).toMatchObject({ kind: 'identity-policy', policyName: 'UseKeysOfThisAccount', statementIndex: 0, sid: 'CryptoWithOwnKeys' });
    const source = policySourceFor(h.repo, iam.ref!)!;
    expect(source.title).toBe('Identity policy "UseKeysOfThisAccount" of arn:aws:iam::111122223333:role/AppRole');
    expect(source.highlight).toEqual({ index: 0, startLine: 4, endLine: 15 });
    expect(byPhase(why.steps, 'state')[0]!.verdict).toBe('allow');
    expect(byPhase(why.steps, 'result')[0]).toMatchObject({ verdict: 'allow', title: 'Encrypt succeeded' });
  });

  it('explains a key-state failure after an allowed authorization', async () => {
    const h = await seededHarness();
    const record = h.repo.list('trailEvent').find((r) => r.record.errorCode === 'DisabledException')!;
    const why = explainRecord(record);
    if (why.kind !== 'trace') throw new Error('expected a trace');
    expect(why.steps[0]).toMatchObject({ phase: 'state', verdict: 'deny' });
    expect(why.steps[0]!.details[0]).toMatch(/^DisabledException: /);
    expect(byPhase(why.steps, 'key-policy')[0]!.verdict).toBe('allow');
  });

  it('explains a grant allow and keeps one group of steps per authorization question', async () => {
    const h = await seededHarness();
    const arn = h.repo.list('key')[0]!.id;
    const grant = await h.call('CreateGrant', { KeyId: arn, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/alice`, Operations: ['Encrypt'], Name: 'alice-encrypt' });
    await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([1]), GrantTokens: [grant['GrantToken']] }, as('user/alice'));
    const why = explainRecord(h.repo.list('trailEvent').at(-1)!);
    if (why.kind !== 'trace') throw new Error('expected a trace');
    expect(byPhase(why.steps, 'grant')[0]).toMatchObject({ verdict: 'allow' });
    expect(byPhase(why.steps, 'grant')[0]!.title).toContain('alice-encrypt');
    const alias = explainRecord(h.repo.list('trailEvent').find((r) => r.record.eventName === 'CreateAlias')!);
    if (alias.kind !== 'trace') throw new Error('expected a trace');
    expect(alias.decisions).toHaveLength(2);
    expect(byPhase(alias.steps, 'key-policy').map((s) => s.decision)).toEqual([0, 1]);
    expect(byPhase(alias.steps, 'key-policy')[0]!.verdict).toBe('not-applicable');
  });

  it('says why there is no trace', () => {
    expect(explainRecord(fakeRecord(1, { eventType: 'AwsServiceEvent', eventName: 'DeleteKey' }))).toMatchObject({ kind: 'none', reason: expect.stringContaining('service event') });
    expect(explainRecord(fakeRecord(1, { errorCode: 'ValidationException', errorMessage: 'x' }))).toMatchObject({ kind: 'none', reason: expect.stringContaining('ValidationException before any authorization') });
    expect(explainRecord(fakeRecord(1))).toMatchObject({ kind: 'none' });
    expect(readDecisions({ decisions: [{ decision: 'Allow' }] })).toBeNull();
    expect(readDecisions({ decisions: 'x' })).toBeNull();
  });
});

describe('statement line ranges', () => {
  it('finds each statement of a pretty-printed document', () => {
    const text = displayPolicy('{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow"},{"Sid":"B","Effect":"Deny","Action":["kms:Encrypt","kms:Decrypt"]}]}');
    expect(statementLineRanges(text)).toEqual([
      { index: 0, startLine: 4, endLine: 7 },
      { index: 1, startLine: 8, endLine: 15 },
    ]);
  });
  it('handles a single statement object, odd spacing, escapes and duplicates', () => {
    expect(statementLineRanges('{"Statement": {"Sid": "x"}}')).toEqual([{ index: 0, startLine: 1, endLine: 1 }]);
    const raw = '{\n  "Sid\\"": "{[",\n  "Statement": [\n\n    {"a": "]}"}\r\n  , {\n"b":[1,-2.5e3,true,null]\n}\n  ]\n}';
    expect(statementLineRanges(raw)).toEqual([
      { index: 0, startLine: 5, endLine: 5 },
      { index: 1, startLine: 6, endLine: 8 },
    ]);
    expect(statementLineRanges('{"Statement":[{}],"Statement":[{},{}]}')).toHaveLength(2);
  });
  it('gives nothing for what is not a policy object', () => {
    expect(statementLineRanges('not json')).toEqual([]);
    expect(statementLineRanges('{"Statement":[{}]')).toEqual([]);
    expect(statementLineRanges('[1]')).toEqual([]);
    expect(statementLineRanges('{"Statement":"x"}')).toEqual([]);
    expect(statementLineRanges('{"statement":[{}]}')).toEqual([]);
    expect(displayPolicy('{bad')).toBe('{bad');
  });
  it('is null when the referenced document is gone', () => {
    const repo = createMemoryRepository();
    expect(policySourceFor(repo, { kind: 'key-policy', keyArn: 'arn:x', statementIndex: 0, sid: null })).toBeNull();
  });
});
