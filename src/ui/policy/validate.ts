/**
 * Validation of a key policy as the learner types (kms-semantics.md §3.2, §3.5, §6.1): the
 * characters the `Policy` member allows, the 32 KB quota, JSON syntax (with line and column), and
 * the KMS policy grammar, which is the core's own `parsePolicyDocument` (the same check
 * PutKeyPolicy makes), its one-line reason mapped back to the statement or element it names.
 * Pure: no DOM, no CodeMirror; the editor shows these problems as lint diagnostics and as a list.
 */
import { MAX_POLICY_BYTES, parsePolicyDocument, policyByteLength, type PolicyDocument } from '../../kms';
import { lineColumn, readJsonSource, type Span } from './jsonSource';

export type ProblemLevel = 'error' | 'warning' | 'info';

/** One problem or finding, located in the text. */
export interface PolicyProblem {
  readonly level: ProblemLevel;
  /** Where it comes from: `JSON`, `Policy grammar`, `Quota`, or a finding's check name. */
  readonly source: string;
  readonly message: string;
  /** Statement index (0-based) it refers to, or null for the whole document. */
  readonly statement: number | null;
  readonly sid: string | null;
  readonly from: number;
  readonly to: number;
  /** 1-based line and column of `from`, and the line of `to`. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
}

/** The outcome of checking a policy text. */
export interface PolicyCheck {
  /** Syntax, character set, quota and grammar problems (all errors: PutKeyPolicy would refuse). */
  readonly problems: readonly PolicyProblem[];
  /** The validated document, when the grammar accepts it. */
  readonly document: PolicyDocument | null;
  /** Spans of the JSON values (see jsonSource.ts), when the text is JSON. */
  readonly spans: ReadonlyMap<string, Span> | null;
}

/** Model pattern of the `Policy` member: tab, LF, CR, printable ASCII and Latin-1 (§3.2). */
function isAllowedChar(code: number): boolean {
  return code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xff);
}

/** A problem at `span` of `text`. */
export function problemAt(
  text: string,
  span: Span,
  fields: { level: ProblemLevel; source: string; message: string; statement?: number | null; sid?: string | null },
): PolicyProblem {
  const from = Math.max(0, Math.min(span.from, text.length));
  const to = Math.max(from, Math.min(span.to, text.length));
  const { line, column } = lineColumn(text, from);
  return {
    level: fields.level,
    source: fields.source,
    message: fields.message,
    statement: fields.statement ?? null,
    sid: fields.sid ?? null,
    from,
    to,
    line,
    column,
    endLine: lineColumn(text, to).line,
  };
}

/** The span of `Statement[i]`: the array element, or the single statement object written without an array. */
export function statementSpan(spans: ReadonlyMap<string, Span>, index: number): Span | undefined {
  return spans.get(`/Statement/${index}`) ?? (index === 0 ? spans.get('/Statement') : undefined);
}

/** The path prefix of statement `index` in `spans`. */
function statementPath(spans: ReadonlyMap<string, Span>, index: number): string {
  return spans.has(`/Statement/${index}`) ? `/Statement/${index}` : '/Statement';
}

/**
 * Where a grammar reason points: `Statement[2].Condition.StringEquals.kms:ViaService must be ...`
 * → the longest existing path (`.`-separated names may themselves contain dots), else the
 * statement, else a top-level element, else the whole document.
 */
function reasonSpan(reason: string, spans: ReadonlyMap<string, Span>): { span: Span | undefined; statement: number | null } {
  const m = /^Statement\[(\d+)\]((?:\.\S+)?)/.exec(reason);
  if (m) {
    const index = Number(m[1]);
    let path = statementPath(spans, index);
    const segments = m[2] ? m[2].slice(1).split('.') : [];
    let i = 0;
    while (i < segments.length) {
      let next = -1;
      for (let j = segments.length; j > i; j--) {
        if (spans.has(`${path}/${segments.slice(i, j).join('.')}`)) {
          next = j;
          break;
        }
      }
      if (next < 0) break;
      path = `${path}/${segments.slice(i, next).join('.')}`;
      i = next;
    }
    return { span: spans.get(path) ?? statementSpan(spans, index), statement: index };
  }
  if (reason.startsWith('OverlyPermissiveCondition')) {
    // The first ForAllValues test of the single-valued key the reason names, in document order.
    const prefix = reason.includes('encryption context') ? 'kms:encryptioncontext:' : 'aws:requesttag/';
    for (const [path, span] of spans) {
      const c = /^\/Statement(?:\/(\d+))?\/Condition\/forallvalues:[^/]*\/(.+)$/i.exec(path);
      if (c && c[2]!.toLowerCase().startsWith(prefix)) return { span, statement: Number(c[1] ?? 0) };
    }
  }
  const element = /^Unknown policy element "([^"]*)"/.exec(reason)?.[1] ?? /^(Version|Id) must/.exec(reason)?.[1];
  if (element !== undefined) return { span: spans.get(`/${element}`), statement: null };
  if (/at least one statement/.test(reason)) return { span: spans.get('/Statement'), statement: null };
  return { span: undefined, statement: null };
}

function firstBadCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isAllowedChar(text.charCodeAt(i))) return i;
  return -1;
}

/** Checks a key policy text as PutKeyPolicy would (before principals and the lockout check: see findings.ts). */
export function checkPolicyText(text: string): PolicyCheck {
  const problems: PolicyProblem[] = [];
  const whole: Span = { from: 0, to: Math.min(text.length, 1) };
  if (text.trim() === '') {
    return { problems: [problemAt(text, whole, { level: 'error', source: 'JSON', message: 'The policy is empty.' })], document: null, spans: null };
  }
  const bytes = policyByteLength(text);
  if (bytes > MAX_POLICY_BYTES) {
    problems.push(
      problemAt(text, whole, {
        level: 'error',
        source: 'Quota',
        message: `The policy is ${bytes} bytes; a key policy may be at most ${MAX_POLICY_BYTES} bytes (LimitExceededException).`,
      }),
    );
  }
  const bad = firstBadCharacter(text);
  if (bad >= 0) {
    const code = text.codePointAt(bad)!;
    problems.push(
      problemAt(text, { from: bad, to: bad + (code > 0xffff ? 2 : 1) }, {
        level: 'error',
        source: 'Policy grammar',
        message: `Character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed: a key policy may contain printable ASCII and Latin-1 characters, tab, LF and CR only.`,
      }),
    );
  }
  const json = readJsonSource(text);
  if (!json.ok) {
    const at = lineColumn(text, json.offset);
    problems.push(
      problemAt(text, { from: json.offset, to: json.offset + 1 }, {
        level: 'error',
        source: 'JSON',
        message: `${json.message} (line ${at.line}, column ${at.column}).`,
      }),
    );
    return { problems, document: null, spans: null };
  }
  if (bad >= 0) return { problems, document: null, spans: json.spans };
  const parsed = parsePolicyDocument(text, 'key');
  if (!parsed.ok) {
    const { span, statement } = reasonSpan(parsed.reason, json.spans);
    problems.push(problemAt(text, span ?? whole, { level: 'error', source: 'Policy grammar', message: parsed.reason, statement }));
    return { problems, document: null, spans: json.spans };
  }
  return { problems, document: parsed.value, spans: json.spans };
}
