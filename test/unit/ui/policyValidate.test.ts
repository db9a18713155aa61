/**
 * The policy editor's validation as you type (src/ui/policy/jsonSource.ts, validate.ts): JSON
 * syntax with positions (checked against JSON.parse on valid and broken inputs), the core
 * grammar's reasons mapped to the statement or element they name, the character set and quota.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultKeyPolicy } from '../../../src/kms/policy';
import { lineColumn, readJsonSource } from '../../../src/ui/policy/jsonSource';
import { checkPolicyText } from '../../../src/ui/policy/validate';

const ROOT_POLICY = defaultKeyPolicy('111122223333');

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

const ROOT_STATEMENT = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

describe('readJsonSource', () => {
  it('accepts what JSON.parse accepts, with the same value', () => {
    for (const text of [ROOT_POLICY, '[]', '{}', ' 1 ', '-0.5e+3', '"a\\u00e9\\n\\"b"', '{"a":[true,false,null,{"b":[]}]}', '{"__proto__": 1}']) {
      const r = readJsonSource(text);
      expect(r.ok, text).toBe(true);
      if (r.ok) expect(r.value).toEqual(JSON.parse(text));
    }
  });

  it('refuses what JSON.parse refuses, at the offending offset', () => {
    const cases: [string, number][] = [
      ['{"a": 1,}', 8],
      ['{"a" 1}', 5],
      ['[1 2]', 3],
      ["{'a': 1}", 1],
      ['{"a": 01}', 7],
      ['{"a": "x\ny"}', 8],
      ['{"a": tru}', 6],
      ['{"a": 1} x', 9],
      ['{"a": "\\x"}', 7],
      ['', 0],
      ['-', 0],
    ];
    for (const [text, offset] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      const r = readJsonSource(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.offset, text).toBe(offset);
    }
  });

  it('agrees with JSON.parse on generated documents and on mangled ones (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const r = readJsonSource(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(JSON.parse(text));
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '0', ' ', '\n', 'e'), (value, at, insert) => {
        const base = JSON.stringify(value);
        const i = at % (base.length + 1);
        const text = base.slice(0, i) + insert + base.slice(i + (insert === '' ? 1 : 0));
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(readJsonSource(text).ok).toBe(parses);
      }),
      { numRuns: 500 },
    );
  });

  it('reports an unterminated string at its opening quote and refuses absurd nesting', () => {
    const r = readJsonSource('{"a": "abc');
    expect(r).toMatchObject({ ok: false, offset: 6, message: 'Unterminated string' });
    expect(readJsonSource('['.repeat(10_000))).toMatchObject({ ok: false, message: 'The document is nested too deeply' });
  });

  it('records member spans from the key to the end of the value', () => {
    const text = '{\n  "Statement": [ { "Effect": "Allow" } ]\n}';
    const r = readJsonSource(text);
    if (!r.ok) throw new Error(r.message);
    const s = r.spans.get('/Statement/0/Effect')!;
    expect(text.slice(s.from, s.to)).toBe('"Effect": "Allow"');
    const st = r.spans.get('/Statement/0')!;
    expect(text.slice(st.from, st.to)).toBe('{ "Effect": "Allow" }');
  });

  it('gives 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('checkPolicyText', () => {
  it('accepts the default key policy', () => {
    const c = checkPolicyText(ROOT_POLICY);
    expect(c.problems).toEqual([]);
    expect(c.document?.Statement).toHaveLength(1);
  });

  it('reports a JSON syntax error with its line and column', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n}';
    const c = checkPolicyText(text);
    expect(c.document).toBeNull();
    expect(c.problems).toHaveLength(1);
    expect(c.problems[0]).toMatchObject({ level: 'error', source: 'JSON', line: 4, column: 1 });
    expect(c.problems[0]!.message).toMatch(/\(line 4, column 1\)\.$/);
  });

  it("maps the core grammar's reason to the statement element it names", () => {
    const text = policy(ROOT_STATEMENT, { Sid: 'Bad', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': { nested: 1 } } } });
    const c = checkPolicyText(text);
    expect(c.document).toBeNull();
    const [p] = c.problems;
    expect(p).toMatchObject({ source: 'Policy grammar', statement: 1 });
    expect(p!.message).toBe('Statement[1].Condition.StringEquals.kms:ViaService must be a value or a list of values');
    expect(text.slice(p!.from, p!.to)).toMatch(/^"kms:ViaService": \{/);
  });

  it('points at the statement when the reason names no element, and at top-level elements', () => {
    const text = policy(ROOT_STATEMENT, { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    const p = checkPolicyText(text).problems[0]!;
    expect(p.message).toMatch(/^Statement\[1\] must have exactly one of Principal or NotPrincipal/);
    expect(JSON.parse(text.slice(p.from, p.to))).toEqual({ Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    const top = '{"Version": "2012-10-17", "Foo": 1, "Statement": []}';
    const q = checkPolicyText(top).problems[0]!;
    expect(top.slice(q.from, q.to)).toBe('"Foo": 1');
  });

  it("finds the ForAllValues condition KMS calls overly permissive", () => {
    const text = policy(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/AppRole' }, Action: 'kms:Decrypt', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:tenant': 'a' } } });
    const p = checkPolicyText(text).problems[0]!;
    expect(p.message).toMatch(/^OverlyPermissiveCondition/);
    expect(p.statement).toBe(1);
    expect(text.slice(p.from, p.to)).toBe('"kms:EncryptionContext:tenant": "a"');
    const tags = policy(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/AppRole' }, Action: 'kms:TagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'a' } } });
    const q = checkPolicyText(tags).problems[0]!;
    expect(q.message).toMatch(/^OverlyPermissiveCondition.*specified tag/);
    expect(tags.slice(q.from, q.to)).toBe('"aws:RequestTag/team": "a"');
  });

  it('refuses characters outside the Policy pattern and texts over 32 KB', () => {
    const c = checkPolicyText(ROOT_POLICY.replace('Enable IAM', 'Enable ☃ IAM'));
    expect(c.problems[0]).toMatchObject({ source: 'Policy grammar', line: 5 });
    expect(c.problems[0]!.message).toMatch(/U\+2603/);
    const big = policy({ ...ROOT_STATEMENT, Sid: 'x'.repeat(33_000) });
    expect(checkPolicyText(big).problems.map((p) => p.source)).toEqual(['Quota']);
    expect(checkPolicyText('  ').problems[0]!.message).toBe('The policy is empty.');
  });
});
