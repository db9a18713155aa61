/**
 * Where each statement of a policy document sits, in lines, so the "why" panel can number the
 * document's lines and highlight the statement a decision refers to.
 *
 * Documents are shown pretty-printed (2 spaces) when they are valid JSON, since a policy sent on
 * one line (`aws kms put-key-policy --policy '{...}'`) would otherwise be a single line; an
 * unparseable document is shown verbatim, with no statement ranges. Statement indexes are those of
 * the authorization trace (`StatementTrace.index`): the position in the `Statement` array, or 0
 * for a single statement object.
 */

/** Lines (1-based, inclusive) of one statement. */
export interface StatementLines {
  readonly index: number;
  readonly startLine: number;
  readonly endLine: number;
}

/** The text to show for a stored policy document. */
export function displayPolicy(document: string): string {
  try {
    return JSON.stringify(JSON.parse(document), null, 2);
  } catch {
    return document;
  }
}

/** Line ranges of the statements of `text` (as displayed); [] when it is not a JSON object. */
export function statementLineRanges(text: string): StatementLines[] {
  let root: Node;
  try {
    const p = new SpanParser(text);
    root = p.value();
    p.end();
  } catch {
    return [];
  }
  if (root.kind !== 'object') return [];
  let statement: Node | undefined;
  for (const m of root.members) if (m.key === 'Statement') statement = m.value; // JSON.parse keeps the last duplicate
  if (!statement) return [];
  const lineOf = lineIndex(text);
  const range = (n: Node, index: number): StatementLines => ({ index, startLine: lineOf(n.start), endLine: lineOf(n.end - 1) });
  if (statement.kind === 'array') return statement.items.map(range);
  if (statement.kind === 'object') return [range(statement, 0)];
  return [];
}

/** Maps an offset of `text` to its 1-based line. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

type Node =
  | { kind: 'object'; start: number; end: number; members: { key: string; value: Node }[] }
  | { kind: 'array'; start: number; end: number; items: Node[] }
  | { kind: 'scalar'; start: number; end: number };

// Sticky (`y`): they match exactly at lastIndex, without slicing the text.
const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** A JSON parser that keeps where each value starts and ends (offsets, end exclusive). Throws on bad JSON. */
class SpanParser {
  #i = 0;
  readonly #s: string;

  constructor(s: string) {
    this.#s = s;
  }

  value(): Node {
    this.#ws();
    const start = this.#i;
    const c = this.#s[this.#i];
    if (c === '{') {
      this.#i++;
      const members: { key: string; value: Node }[] = [];
      this.#ws();
      if (this.#s[this.#i] === '}') return { kind: 'object', start, end: ++this.#i, members };
      for (;;) {
        this.#ws();
        const key = this.#string();
        this.#ws();
        this.#expect(':');
        members.push({ key, value: this.value() });
        this.#ws();
        if (this.#s[this.#i] === ',') this.#i++;
        else {
          this.#expect('}');
          return { kind: 'object', start, end: this.#i, members };
        }
      }
    }
    if (c === '[') {
      this.#i++;
      const items: Node[] = [];
      this.#ws();
      if (this.#s[this.#i] === ']') return { kind: 'array', start, end: ++this.#i, items };
      for (;;) {
        items.push(this.value());
        this.#ws();
        if (this.#s[this.#i] === ',') this.#i++;
        else {
          this.#expect(']');
          return { kind: 'array', start, end: this.#i, items };
        }
      }
    }
    if (c === '"') {
      this.#string();
      return { kind: 'scalar', start, end: this.#i };
    }
    LITERAL.lastIndex = this.#i;
    const m = LITERAL.exec(this.#s);
    if (!m) throw new SyntaxError(`unexpected character at ${this.#i}`);
    this.#i += m[0].length;
    return { kind: 'scalar', start, end: this.#i };
  }

  end(): void {
    this.#ws();
    if (this.#i !== this.#s.length) throw new SyntaxError('trailing text');
  }

  #string(): string {
    STRING.lastIndex = this.#i;
    const m = STRING.exec(this.#s);
    if (!m) throw new SyntaxError(`bad string at ${this.#i}`);
    this.#i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  #expect(c: string): void {
    if (this.#s[this.#i] !== c) throw new SyntaxError(`expected ${c} at ${this.#i}`);
    this.#i++;
  }

  #ws(): void {
    while (/[ \t\n\r]/.test(this.#s[this.#i] ?? '')) this.#i++;
  }
}
