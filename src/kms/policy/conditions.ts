/**
 * Condition evaluation (kms-semantics.md §6.3; IAM JSON policy reference, "Condition operators",
 * "Single-valued vs. multivalued context keys"; KMS developer guide, conditions-kms.md).
 *
 * Operators: String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,NotLike},
 * Arn{Equals,NotEquals,Like,NotLike}, Bool, Null, Numeric{Equals,NotEquals,LessThan,
 * LessThanEquals,GreaterThan,GreaterThanEquals}, Date{…same six…}, IpAddress/NotIpAddress (IPv4
 * CIDR), BinaryEquals; each with `IfExists` (not Null) and the `ForAnyValue:`/`ForAllValues:`
 * set qualifiers. The engine is key-agnostic: it reads the request's condition context, a map
 * of lower-cased key names to value lists (types.ts `ConditionContext`).
 *
 * Semantics (one condition = one operator + one key + the policy's values):
 * - the policy's values for one key are ORed; keys and operators are ANDed by the caller;
 * - condition key NAMES are case-insensitive, including the `<context-key>` part of
 *   `kms:EncryptionContext:<context-key>` (conditions-kms.md, "Case sensitivity of the encryption
 *   context condition"); values are case-sensitive unless the operator says IgnoreCase;
 * - a key absent from the request (or present with no values): Null tests exactly that;
 *   `ForAllValues:` passes (the empty set); `ForAnyValue:` fails (even with `IfExists`, which it
 *   ignores); otherwise `…IfExists` passes, a negated operator (`StringNotEquals`, `ArnNotLike`,
 *   `NumericNotEquals`, `DateNotEquals`, `NotIpAddress`, …) passes, and every other operator fails;
 * - several request values: `ForAnyValue:` needs one request value to pass the operator,
 *   `ForAllValues:` needs every one; without a qualifier a positive operator passes when any
 *   request value matches any policy value, and a negated one when none does (a single-valued
 *   key is the one-element case of the same rule);
 * - a negated operator passes for a request value that matches NONE of the policy values;
 * - a policy value the operator cannot read (a non-number for Numeric, a non-date for Date, a
 *   malformed ARN for Arn) matches nothing; an operator the simulator does not know fails closed
 *   (the condition is not satisfied) and says so.
 * Policy variables (`${aws:username}`) are not substituted.
 */
import type { ConditionContext, ConditionTrace } from './types';
import { arnMatcher, wildcardMatcher, type Matcher } from './wildcard';

/** How one request value is compared with one (pre-read) policy value. */
type Family = 'string' | 'stringIgnoreCase' | 'like' | 'arn' | 'bool' | 'numeric' | 'date' | 'ip' | 'binary' | 'null';
type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

interface BaseOperator {
  readonly name: string;
  readonly family: Family;
  readonly negated: boolean;
  readonly comparison: Comparison;
}

function op(name: string, family: Family, negated = false, comparison: Comparison = 'eq'): BaseOperator {
  return { name, family, negated, comparison };
}

const BASE_OPERATORS: readonly BaseOperator[] = [
  op('StringEquals', 'string'),
  op('StringNotEquals', 'string', true),
  op('StringEqualsIgnoreCase', 'stringIgnoreCase'),
  op('StringNotEqualsIgnoreCase', 'stringIgnoreCase', true),
  op('StringLike', 'like'),
  op('StringNotLike', 'like', true),
  op('ArnEquals', 'arn'),
  op('ArnLike', 'arn'),
  op('ArnNotEquals', 'arn', true),
  op('ArnNotLike', 'arn', true),
  op('Bool', 'bool'),
  op('Null', 'null'),
  op('NumericEquals', 'numeric'),
  op('NumericNotEquals', 'numeric', true),
  op('NumericLessThan', 'numeric', false, 'lt'),
  op('NumericLessThanEquals', 'numeric', false, 'le'),
  op('NumericGreaterThan', 'numeric', false, 'gt'),
  op('NumericGreaterThanEquals', 'numeric', false, 'ge'),
  op('DateEquals', 'date'),
  op('DateNotEquals', 'date', true),
  op('DateLessThan', 'date', false, 'lt'),
  op('DateLessThanEquals', 'date', false, 'le'),
  op('DateGreaterThan', 'date', false, 'gt'),
  op('DateGreaterThanEquals', 'date', false, 'ge'),
  op('IpAddress', 'ip'),
  op('NotIpAddress', 'ip', true),
  op('BinaryEquals', 'binary'),
];
const BY_NAME = new Map(BASE_OPERATORS.map((o) => [o.name.toLowerCase(), o]));

/** A condition operator as written, taken apart. `base` is null when the name is unknown. */
export interface ParsedOperator {
  readonly text: string;
  readonly qualifier: 'ForAnyValue' | 'ForAllValues' | null;
  readonly ifExists: boolean;
  readonly base: BaseOperator | null;
}

/** Takes an operator such as `ForAnyValue:StringLikeIfExists` apart (names compared case-insensitively). */
export function parseOperator(text: string): ParsedOperator {
  let rest = text;
  let qualifier: ParsedOperator['qualifier'] = null;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'foranyvalue') qualifier = 'ForAnyValue';
    else if (q === 'forallvalues') qualifier = 'ForAllValues';
    else return { text, qualifier: null, ifExists: false, base: null };
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = BY_NAME.get(rest.toLowerCase()) ?? null;
  if (base?.family === 'null' && (ifExists || qualifier)) return { text, qualifier, ifExists, base: null };
  return { text, qualifier, ifExists, base };
}

/** True when `text` names a condition operator the simulator knows (used by the parser). */
export function isKnownOperator(text: string): boolean {
  return parseOperator(text).base !== null;
}

const EPOCH_SECONDS = /^\d+(\.\d+)?$/;
/** Request dates seen recently (aws:CurrentTime repeats across statements and calls). */
const dateCache = new Map<string, number>();

/** Reads a Date policy/request value: ISO-8601, or epoch seconds. NaN when unreadable. */
export function parseDate(v: string): number {
  let t = dateCache.get(v);
  if (t === undefined) {
    t = EPOCH_SECONDS.test(v) ? Number(v) * 1000 : Date.parse(v);
    if (dateCache.size >= 1000) dateCache.clear();
    dateCache.set(v, t);
  }
  return t;
}

function parseNumber(v: string): number {
  return v.trim() === '' ? NaN : Number(v);
}

/** An IPv4 address as a 32-bit unsigned number, or NaN. */
function parseIpv4(v: string): number {
  const parts = v.split('.');
  if (parts.length !== 4) return NaN;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return NaN;
    n = n * 256 + Number(p);
  }
  return n;
}

function compare(c: Comparison, r: number, p: number): boolean {
  switch (c) {
    case 'eq':
      return r === p;
    case 'lt':
      return r < p;
    case 'le':
      return r <= p;
    case 'gt':
      return r > p;
    case 'ge':
      return r >= p;
  }
}

/** Tests one request value against one policy value; compiled once per policy value. */
type ValueTest = (requestValue: string) => boolean;

function compileValue(base: BaseOperator, policyValue: string): ValueTest {
  switch (base.family) {
    case 'string':
      return (r) => r === policyValue;
    case 'stringIgnoreCase': {
      const p = policyValue.toLowerCase();
      return (r) => r.toLowerCase() === p;
    }
    case 'like': {
      const m: Matcher = wildcardMatcher(policyValue);
      return m;
    }
    case 'arn':
      return arnMatcher(policyValue);
    case 'bool': {
      const p = policyValue.toLowerCase();
      if (p !== 'true' && p !== 'false') return () => false;
      return (r) => r.toLowerCase() === p;
    }
    case 'numeric': {
      const p = parseNumber(policyValue);
      if (Number.isNaN(p)) return () => false;
      return (r) => {
        const n = parseNumber(r);
        return !Number.isNaN(n) && compare(base.comparison, n, p);
      };
    }
    case 'date': {
      const p = parseDate(policyValue);
      if (Number.isNaN(p)) return () => false;
      return (r) => {
        const t = parseDate(r);
        return !Number.isNaN(t) && compare(base.comparison, t, p);
      };
    }
    case 'ip': {
      const [addr, bitsText] = policyValue.split('/');
      const a = parseIpv4(addr ?? '');
      const bits = bitsText === undefined ? 32 : Number(bitsText);
      if (Number.isNaN(a) || !Number.isInteger(bits) || bits < 0 || bits > 32) return (r) => r === policyValue;
      const size = 2 ** (32 - bits);
      const lo = Math.floor(a / size) * size;
      return (r) => {
        const n = parseIpv4(r);
        return !Number.isNaN(n) && n >= lo && n < lo + size;
      };
    }
    case 'binary':
      return (r) => r === policyValue;
    case 'null':
      return () => false;
  }
}

/** One condition (operator + key + values) compiled for repeated evaluation. */
export interface CompiledCondition {
  /** Operator as written. */
  readonly operator: string;
  /** Key as written. */
  readonly key: string;
  /** Key lower-cased: the name looked up in the context. */
  readonly keyLower: string;
  readonly values: readonly string[];
  readonly parsed: ParsedOperator;
  readonly tests: readonly ValueTest[];
}

/** Compiles one condition of a statement (done once per policy document). */
export function compileCondition(operator: string, key: string, values: readonly string[]): CompiledCondition {
  const parsed = parseOperator(operator);
  const base = parsed.base;
  return {
    operator,
    key,
    keyLower: key.toLowerCase(),
    values,
    parsed,
    tests: base ? values.map((v) => compileValue(base, v)) : [],
  };
}

/** Compiles a statement's whole Condition block, in document order (operator, then key). */
export function compileConditionBlock(block: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> | undefined): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  if (!block) return out;
  for (const operator of Object.keys(block)) {
    const keys = block[operator]!;
    for (const key of Object.keys(keys)) out.push(compileCondition(operator, key, keys[key]!));
  }
  return out;
}

function anyPolicyValue(tests: readonly ValueTest[], r: string): boolean {
  for (const t of tests) if (t(r)) return true;
  return false;
}

function quoteList(values: readonly string[]): string {
  if (values.length === 1) return `"${values[0]!}"`;
  let out = '';
  for (const v of values) out += `${out === '' ? '' : ', '}"${v}"`;
  return `[${out}]`;
}

/** Why an absent key decided the outcome. kms:ViaService gets the sentence learners look for. */
function absentPhrase(c: CompiledCondition): string {
  if (c.keyLower === 'kms:viaservice') return `the call was direct (${c.key} is absent)`;
  return `${c.key} is absent from the request`;
}

/**
 * Evaluates one condition against the request's condition context and explains the outcome in
 * a sentence (the "why" panel).
 */
export function evaluateCondition(c: CompiledCondition, context: ConditionContext): ConditionTrace {
  const found = context[c.keyLower];
  const requestValues = found !== undefined && found.length > 0 ? found : null;
  const [passed, explanation] = outcome(c, requestValues);
  return { operator: c.operator, key: c.key, values: c.values, requestValues, passed, explanation };
}

/** The verdict and its sentence (a plain function: no closure per call on the hot path). */
function outcome(c: CompiledCondition, requestValues: readonly string[] | null): [boolean, string] {
  const { base, qualifier, ifExists } = c.parsed;
  if (!base) return [false, `unknown condition operator "${c.operator}": the simulator fails closed (the condition is not satisfied)`];

  if (base.family === 'null') {
    // Null: "true" asks for the key to be absent, "false" for it to be present; values ORed.
    const want = requestValues === null ? 'true' : 'false';
    let passed = false;
    for (const v of c.values) if (v.toLowerCase() === want) passed = true;
    return [passed, requestValues === null ? `${c.key} is absent` : `${c.key} is present (${quoteList(requestValues)})`];
  }

  if (requestValues === null) {
    if (qualifier === 'ForAllValues') return [true, `${absentPhrase(c)}, and ForAllValues passes on an empty set`];
    if (qualifier === 'ForAnyValue') return [false, `${absentPhrase(c)}, and ForAnyValue needs at least one value`];
    if (ifExists) return [true, `${absentPhrase(c)}, and …IfExists passes when the key is absent`];
    if (base.negated) return [true, `${absentPhrase(c)}, and a negated operator passes when the key is absent`];
    return [false, absentPhrase(c)];
  }

  const shown = `${c.key} is ${quoteList(requestValues)}`;
  if (qualifier === 'ForAllValues') {
    for (const r of requestValues) {
      if (anyPolicyValue(c.tests, r) === base.negated)
        return [false, `${shown}: "${r}" ${base.negated ? 'matches a listed value' : 'matches none of the listed values'} (ForAllValues needs every value to pass)`];
    }
    return [true, `${shown}: every value passes`];
  }
  if (qualifier === 'ForAnyValue') {
    for (const r of requestValues) if (anyPolicyValue(c.tests, r) !== base.negated) return [true, `${shown}: "${r}" passes`];
    return [false, `${shown}: no value passes (ForAnyValue needs one)`];
  }
  let hit = false;
  for (const r of requestValues) {
    if (anyPolicyValue(c.tests, r)) {
      hit = true;
      break;
    }
  }
  if (base.negated) return hit ? [false, `${shown}, which matches a listed value`] : [true, `${shown}, which matches none of the listed values`];
  return hit ? [true, `${shown}, which matches`] : [false, `${shown}, which does not match`];
}

/**
 * Builds a ConditionContext from plain entries: lower-cases the names, wraps single values in a
 * list and drops `undefined` (an absent key). For the service and tests.
 */
export function conditionContext(entries: Readonly<Record<string, string | readonly string[] | undefined>>): ConditionContext {
  const out: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const list = typeof value === 'string' ? [value] : value;
    const prev = out[key];
    // Names that differ only by case (two encryption context keys "App" and "app") both apply.
    out[key] = prev ? [...prev, ...list] : list;
  }
  return out;
}
