/**
 * fast-check: decide() against the reference oracle (test/oracles/policyEvaluator.ts) on random
 * policies and requests, and the invariants of issue 3: explicit Deny always wins; statement
 * order never matters; adding an Allow statement never turns Allow into Deny; removing the
 * account-root statement removes IAM's say; cross-account needs both sides.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type AuthzPrincipal, type AuthzRequest, type GrantTrace, type NamedPolicy, type PolicyDocument, type PolicyStatement, type PrincipalSpec } from '../../../../src/kms/policy';
import { oracleDecide } from '../../../oracles/policyEvaluator';
import { ALICE, APP_ROLE, KEY_ADMIN, KEY_ARN, LEARNER, PARTNER, PARTNER_APP, PARTNER_ROOT, ROOT, S3_SERVICE } from './fixtures';

const RUNS = 400;
const PARTNER_KEY = `arn:aws:kms:eu-west-1:${PARTNER}:key/feedface-0000-1111-2222-333344445555`;
const SESSION: AuthzPrincipal = { arn: `arn:aws:sts::${LEARNER}:assumed-role/AppRole/job-7`, accountId: LEARNER, type: 'AssumedRole' };
const CALLERS = [ROOT, KEY_ADMIN, APP_ROLE, ALICE, PARTNER_ROOT, PARTNER_APP, S3_SERVICE, SESSION];

const ACTION_PATTERNS = ['kms:*', '*', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Re*', 'kms:?ncrypt', 'KMS:DECRYPT', 'kms:Describe*', 'kms:PutKeyPolicy', 'kms:Create*'];
const ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:DescribeKey', 'kms:PutKeyPolicy', 'kms:CreateGrant'];
const PRINCIPALS: PrincipalSpec[] = [
  '*',
  { AWS: ['*'] },
  { AWS: [`arn:aws:iam::${LEARNER}:root`] },
  { AWS: [LEARNER] },
  { AWS: [`arn:aws:iam::${PARTNER}:root`] },
  { AWS: [APP_ROLE.arn] },
  { AWS: [ALICE.arn, PARTNER_APP.arn] },
  { Service: ['s3.amazonaws.com'] },
];
const KEY_RESOURCES = ['*', KEY_ARN, PARTNER_KEY, `arn:aws:kms:*:${LEARNER}:key/*`];
const IAM_RESOURCES = ['*', `arn:aws:kms:*:${LEARNER}:key/*`, `arn:aws:kms:*:${PARTNER}:key/*`, KEY_ARN, 'arn:aws:kms:us-east-1:*:key/*'];

/** Condition keys (lower-case in the context) with small value pools, so matches happen. */
const COND_KEYS: Record<string, string[]> = {
  'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com', 's3.*'],
  'kms:CallerAccount': [LEARNER, PARTNER, '1111*'],
  'kms:EncryptionContextKeys': ['AppName', 'Stage', 'App*'],
  'aws:PrincipalArn': [APP_ROLE.arn, `arn:aws:iam::${LEARNER}:role/*`, `arn:aws:iam::*:root`],
  'aws:CurrentTime': ['2026-01-15T12:00:00Z', '2026-06-01T00:00:00Z', '1767225600'],
  'kms:GrantIsForAWSResource': ['true', 'false'],
  'k:Num': ['1', '7', '30'],
};
const OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLikeIfExists', 'StringEqualsIgnoreCase', 'StringEqualsIfExists',
  'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'ForAnyValue:StringNotEquals', 'ForAllValues:StringNotEquals',
  'Null', 'Bool', 'NumericLessThan', 'NumericNotEquals', 'DateGreaterThan', 'DateLessThanEqualsIfExists', 'ArnLike', 'ArnNotEquals',
];

const condition = fc
  .tuple(fc.constantFrom(...OPERATORS), fc.constantFrom(...Object.keys(COND_KEYS)))
  .chain(([op, key]) =>
    fc.tuple(fc.constant(op), fc.constant(key), op === 'Null' ? fc.constantFrom('true', 'false').map((v) => [v]) : fc.subarray(COND_KEYS[key]!, { minLength: 1, maxLength: 2 })),
  );
const conditionBlock = fc.array(condition, { maxLength: 2 }).map((cs) => {
  const block: Record<string, Record<string, string[]>> = {};
  for (const [op, key, values] of cs) (block[op] ??= {})[key] = values;
  return cs.length === 0 ? undefined : block;
});

function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

const keyStatement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    sid: fc.option(fc.constantFrom('A', 'B', 'Users'), { nil: undefined }),
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    notPrincipal: fc.boolean().map((b) => b && Math.random() < 0.2),
    principal: fc.constantFrom(...PRINCIPALS),
    notAction: fc.constantFrom(false, false, false, true),
    actions: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 3 }),
    resources: fc.option(fc.subarray(KEY_RESOURCES, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 8 }),
    condition: conditionBlock,
  })
  .map((r) =>
    withOptional<PolicyStatement>(
      { Effect: r.effect },
      {
        Sid: r.sid,
        [r.notPrincipal ? 'NotPrincipal' : 'Principal']: r.principal,
        [r.notAction ? 'NotAction' : 'Action']: r.actions,
        Resource: r.resources,
        Condition: r.condition,
      },
    ),
  );

const iamStatement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Allow', 'Deny'),
    notAction: fc.constantFrom(false, false, false, true),
    actions: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 3 }),
    notResource: fc.constantFrom(false, false, false, true),
    resources: fc.subarray(IAM_RESOURCES, { minLength: 1, maxLength: 2 }),
    condition: conditionBlock,
  })
  .map((r) =>
    withOptional<PolicyStatement>(
      { Effect: r.effect },
      { [r.notAction ? 'NotAction' : 'Action']: r.actions, [r.notResource ? 'NotResource' : 'Resource']: r.resources, Condition: r.condition },
    ),
  );

const keyPolicyArb: fc.Arbitrary<PolicyDocument> = fc.array(keyStatement, { minLength: 1, maxLength: 6 }).map((Statement) => ({ Version: '2012-10-17', Statement }));
const identityArb: fc.Arbitrary<NamedPolicy[]> = fc
  .array(fc.array(iamStatement, { minLength: 1, maxLength: 3 }), { maxLength: 2 })
  .map((docs) => docs.map((Statement, i) => ({ name: `p${i}`, document: { Version: '2012-10-17', Statement } })));
const grantsArb: fc.Arbitrary<GrantTrace[]> = fc.array(
  fc.record({ grantId: fc.constantFrom('g1', 'g2'), name: fc.constant(null), applies: fc.boolean(), summary: fc.constant('random grant') }),
  { maxLength: 2 },
);

const contextArb = fc
  .record(
    Object.fromEntries(
      Object.entries(COND_KEYS).map(([k, pool]) => [k.toLowerCase(), fc.option(fc.subarray(pool.filter((v) => !v.includes('*')).concat(['other']), { maxLength: 2 }), { nil: undefined })]),
    ),
  )
  .map((rec) => {
    const out: Record<string, readonly string[]> = {};
    for (const [k, v] of Object.entries(rec)) if (v !== undefined) out[k] = v as string[];
    return out;
  });

const requestArb: fc.Arbitrary<{ request: AuthzRequest; keyArn: string }> = fc
  .record({ principal: fc.constantFrom(...CALLERS), action: fc.constantFrom(...ACTIONS), partnerKey: fc.constantFrom(false, false, false, true), context: contextArb })
  .map(({ principal, action, partnerKey, context }) => {
    const keyArn = partnerKey ? PARTNER_KEY : KEY_ARN;
    return { keyArn, request: { action, resource: keyArn, resourceAccount: partnerKey ? PARTNER : LEARNER, principal, context } };
  });

const scenario = fc.record({ key: fc.option(keyPolicyArb, { nil: null, freq: 8 }), ids: identityArb, grants: grantsArb, r: requestArb });
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario, key: PolicyDocument | null = s.key, ids: readonly NamedPolicy[] = s.ids, grants: readonly GrantTrace[] = s.grants) {
  const request = key ? s.r.request : { ...s.r.request, resource: '*', resourceAccount: s.r.request.principal.accountId };
  return decide(request, { keyPolicy: key, keyArn: key ? s.r.keyArn : null, identityPolicies: ids, grants });
}
const short = (d: ReturnType<typeof run>) => ({ decision: d.decision, allowedBy: d.allowedBy, because: d.because });

describe('decide() agrees with the oracle', () => {
  it('on random policies and requests', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const got = run(s);
        const request = s.key ? s.r.request : { ...s.r.request, resource: '*', resourceAccount: s.r.request.principal.accountId };
        expect(short(got)).toEqual(oracleDecide(request, s.key, s.key ? s.r.keyArn : null, s.ids, s.grants));
      }),
      { numRuns: 1500 },
    );
  });
  it('sees every decision kind in the random mix (the generator is not degenerate)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scenario, (s) => {
        const d = run(s);
        seen.add(`${d.decision}/${d.allowedBy}/${d.because.split(' ').slice(0, 5).join(' ')}`);
      }),
      { numRuns: 1500, seed: 42 },
    );
    for (const k of ['Allow/key-policy/', 'Allow/key-policy+iam/', 'Allow/grant/', 'Allow/iam/', 'ExplicitDeny/null/with an explicit deny in', 'ImplicitDeny/null/because no identity-based policy'])
      expect([...seen].some((x) => x.startsWith(k))).toBe(true);
  });
});

const DENY_ALL: PolicyStatement = { Effect: 'Deny', Principal: '*', Action: ['*'], Resource: ['*'] };
const DENY_ALL_IAM: PolicyStatement = { Effect: 'Deny', Action: ['*'], Resource: ['*'] };

function insertAt<T>(list: readonly T[], at: number, x: T): T[] {
  const i = at % (list.length + 1);
  return [...list.slice(0, i), x, ...list.slice(i)];
}

describe('invariants', () => {
  it('an explicit Deny always wins (key policy or identity policy, grants or not)', () => {
    fc.assert(
      fc.property(scenario.filter((s) => s.key !== null), fc.nat(), fc.boolean(), (s, at, inIam) => {
        const key = s.key!;
        const d = inIam
          ? run(s, key, [...s.ids, { name: 'deny', document: { Statement: [DENY_ALL_IAM] } }])
          : run(s, { ...key, Statement: insertAt(key.Statement, at, DENY_ALL) });
        expect(d.decision).toBe('ExplicitDeny');
        expect(d.allowedBy).toBeNull();
        // A Deny already in the key policy is reported first (the resource-based one).
        if (inIam) expect(d.because).toMatch(/^with an explicit deny in (an identity|a resource)-based policy$/);
        else expect(d.because).toBe('with an explicit deny in a resource-based policy');
      }),
      { numRuns: RUNS },
    );
  });

  it('statement order never matters', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (s, seeds) => {
        const shuffle = <T>(xs: readonly T[]) => xs.map((x, i) => ({ x, k: seeds[i % seeds.length]! * 31 + i })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const key = s.key ? { ...s.key, Statement: shuffle(s.key.Statement) } : null;
        const ids = shuffle(s.ids).map((p) => ({ ...p, document: { ...p.document, Statement: shuffle(p.document.Statement) } }));
        expect(short(run(s, key, ids))).toEqual(short(run(s)));
      }),
      { numRuns: RUNS },
    );
  });

  it('adding an Allow statement never turns Allow into a deny', () => {
    fc.assert(
      fc.property(scenario, keyStatement, iamStatement, fc.nat(), (s, extraKey, extraIam, at) => {
        if (run(s).decision !== 'Allow') return;
        const allowKey = { ...extraKey, Effect: 'Allow' as const };
        const allowIam = { ...extraIam, Effect: 'Allow' as const };
        const key = s.key ? { ...s.key, Statement: insertAt(s.key.Statement, at, allowKey) } : null;
        const ids = s.ids.length ? s.ids.map((p, i) => (i === 0 ? { ...p, document: { ...p.document, Statement: insertAt(p.document.Statement, at, allowIam) } } : p)) : s.ids;
        expect(run(s, key, ids).decision).toBe('Allow');
      }),
      { numRuns: RUNS },
    );
  });

  it('without a statement for the caller\'s account, IAM has no say (same account, non-root)', () => {
    const namesAccount = (st: PolicyStatement, account: string) =>
      [st.Principal, st.NotPrincipal].some((p) => p !== undefined && p !== '*' && (p.AWS ?? []).some((v) => v === account || v === `arn:aws:iam::${account}:root`));
    const allowAll: NamedPolicy = { name: 'all', document: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }] } };
    fc.assert(
      fc.property(scenario.filter((s) => s.key !== null && s.r.keyArn === KEY_ARN && s.r.request.principal.accountId === LEARNER && s.r.request.principal.type !== 'Account'), (s) => {
        const rest = s.key!.Statement.filter((st) => !namesAccount(st, LEARNER));
        if (rest.length === 0) return;
        const key = { ...s.key!, Statement: rest };
        expect(run(s, key, [allowAll], []).decision).toBe(run(s, key, [], []).decision);
      }),
      { numRuns: RUNS },
    );
  });

  it('cross-account needs both sides: the key policy admitting the caller AND the caller\'s IAM', () => {
    const admits = (st: PolicyStatement) =>
      st.NotPrincipal !== undefined ||
      st.Principal === '*' ||
      (st.Principal !== undefined && (st.Principal.AWS ?? []).some((v) => ['*', PARTNER, `arn:aws:iam::${PARTNER}:root`, PARTNER_APP.arn].includes(v)));
    fc.assert(
      fc.property(scenario.filter((s) => s.key !== null && s.r.keyArn === KEY_ARN && s.r.request.principal === PARTNER_APP), (s) => {
        if (run(s, s.key, s.ids, []).decision !== 'Allow') return;
        expect(run(s, s.key, [], []).decision).not.toBe('Allow');
        expect(run(s, { ...s.key!, Statement: s.key!.Statement.filter((st) => !admits(st)) }, s.ids, []).decision).not.toBe('Allow');
      }),
      { numRuns: RUNS },
    );
  });
});
