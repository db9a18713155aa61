/**
 * A strict JSON reader (RFC 8259) that remembers where every value sits in the text, for the key
 * policy editor: syntax errors get an offset (line and column), and policy errors and findings
 * can point at the statement or element they are about. It accepts exactly what `JSON.parse`
 * accepts; the value itself is still validated by the core's `parsePolicyDocument`.
 *
 * Positions are recorded per JSON-pointer-like path: `''` (the document), `/Statement`,
 * `/Statement/0`, `/Statement/0/Principal`. An object member's span runs from its key to the end
 * of its value, so highlighting `/Statement/0/Principal` covers `"Principal": "*"`.
 */

/** A range of the text, `from` inclusive, `to` exclusive (UTF-16 offsets, as CodeMirror uses). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

export type JsonSourceResult =
  | { readonly ok: true; readonly value: unknown; readonly spans: ReadonlyMap<string, Span> }
  | { readonly ok: false; readonly message: string; readonly offset: number };

/** Deeper nesting than this is refused (a pasted pathological document must not overflow the stack). */
const MAX_DEPTH = 256;

class SyntaxFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Line and column (both 1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Reads `text` as JSON, with the span of every value; or the first syntax error and its offset. */
export function readJsonSource(text: string): JsonSourceResult {
  const spans = new Map<string, Span>();
  let pos = 0;

  const describe = (i: number): string => (i >= text.length ? 'the end of the text' : `"${text[i]}"`);
  const fail = (expected: string, at = pos): never => {
    throw new SyntaxFailure(`Expected ${expected} but found ${describe(at)}`, at);
  };
  const skipSpace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      pos++;
    }
  };

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) throw new SyntaxFailure('Unterminated string', start);
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) throw new SyntaxFailure('Control character in a string (write it as an escape such as \\n)', pos);
      if (c !== '\\') {
        out += c;
        pos++;
        continue;
      }
      const e = text[pos + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else throw new SyntaxFailure('Invalid escape in a string', pos);
    }
  };

  const readValue = (path: string, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new SyntaxFailure('The document is nested too deeply', pos);
    skipSpace();
    const c = text[pos];
    if (c === '{') return readObject(path, depth);
    if (c === '[') return readArray(path, depth);
    if (c === '"') return readString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m && m[0] !== '-') {
      pos += m[0].length;
      return Number(m[0]);
    }
    return fail('a value (string, number, object, array, true, false or null)');
  };

  const readObject = (path: string, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    pos++;
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail('a property name in double quotes');
      const keyStart = pos;
      const key = readString();
      skipSpace();
      if (text[pos] !== ':') fail('":" after the property name');
      pos++;
      const value = readValue(`${path}/${key}`, depth + 1);
      spans.set(`${path}/${key}`, { from: keyStart, to: pos });
      // Assign as an own property, as JSON.parse does (a "__proto__" key stays a plain member).
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      fail('"," or "}" after a property value');
    }
  };

  const readArray = (path: string, depth: number): unknown[] => {
    const out: unknown[] = [];
    pos++;
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      skipSpace();
      const start = pos;
      out.push(readValue(`${path}/${out.length}`, depth + 1));
      spans.set(`${path}/${out.length - 1}`, { from: start, to: pos });
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      fail('"," or "]" after an array element');
    }
  };

  try {
    skipSpace();
    const start = pos;
    const value = readValue('', 0);
    spans.set('', { from: start, to: pos });
    skipSpace();
    if (pos < text.length) fail('the end of the text after the JSON value');
    return { ok: true, value, spans };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}
