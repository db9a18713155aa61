/**
 * The AWS CLI's shorthand syntax ("Using shorthand syntax with the AWS CLI", CLI user guide):
 *
 *   parameter     = keyval *("," keyval)
 *   keyval        = key "=" [value]
 *   value         = explicit-list / hash / csv-value
 *   explicit-list = "[" [item *("," item)] "]"
 *   hash          = "{" [keyval *("," keyval)] "}"
 *   csv-value     = item *("," item)        ; `Key=a,b,c` is a list when `b` is not a `key=`
 *   item          = 'single quoted' / "double quoted" (\ escapes the quote) / bare text
 *                   (up to , or the closing bracket; \, is a literal comma)
 *
 * Examples: `TagKey=team,TagValue=orders`, `purpose=test,env=dev`,
 * `EncryptionContextSubset={purpose=test}`. Whitespace around items is dropped. Errors read as
 * the CLI's ("Expected: '=', received: 'EOF' for input: …" with a caret under the position).
 */

/** A parsed shorthand value: strings, lists and structures. */
export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue };

/** Parsing failed; `message` is the CLI-style explanation. */
export class ShorthandError extends Error {
  override readonly name = 'ShorthandError';
}

const KEY_RE = /^[A-Za-z0-9_\-.#/:]*/;

class Parser {
  #i = 0;
  constructor(readonly input: string) {}

  parse(): Record<string, ShorthandValue> {
    const out = this.#keyvals('');
    this.#ws();
    if (this.#i < this.input.length) this.#fail("','", this.input[this.#i]!);
    return out;
  }

  #keyvals(closer: string): Record<string, ShorthandValue> {
    const out: Record<string, ShorthandValue> = {};
    this.#ws();
    if (closer && this.input[this.#i] === closer) return out;
    for (;;) {
      this.#ws();
      const key = KEY_RE.exec(this.input.slice(this.#i))![0];
      this.#i += key.length;
      this.#ws();
      if (this.input[this.#i] !== '=') this.#fail("'='", this.#peekDescription());
      this.#i += 1;
      out[key] = this.#value(closer);
      this.#ws();
      if (this.input[this.#i] !== ',') return out;
      this.#i += 1;
    }
  }

  #value(closer: string): ShorthandValue {
    this.#ws();
    const c = this.input[this.#i];
    if (c === '[') {
      this.#i += 1;
      const items: ShorthandValue[] = [];
      this.#ws();
      if (this.input[this.#i] === ']') {
        this.#i += 1;
        return items;
      }
      for (;;) {
        this.#ws();
        const d = this.input[this.#i];
        if (d === '{') {
          this.#i += 1;
          items.push(this.#keyvals('}'));
          this.#expect('}');
        } else if (d === '[') {
          items.push(this.#value(']'));
        } else items.push(this.#item(']'));
        this.#ws();
        if (this.input[this.#i] === ',') {
          this.#i += 1;
          continue;
        }
        this.#expect(']');
        return items;
      }
    }
    if (c === '{') {
      this.#i += 1;
      const hash = this.#keyvals('}');
      this.#expect('}');
      return hash;
    }
    const first = this.#item(closer);
    const rest: string[] = [];
    // An implicit list: `Key=a,b,c` — a following item that is not itself `key=...`.
    while (this.input[this.#i] === ',' && !this.#isKeyvalAt(this.#i + 1)) {
      this.#i += 1;
      rest.push(this.#item(closer));
    }
    return rest.length > 0 ? [first, ...rest] : first;
  }

  #item(closer: string): string {
    this.#ws();
    const q = this.input[this.#i];
    if (q === "'" || q === '"') {
      // A quoted value; a backslash escapes the quote character.
      let s = '';
      let j = this.#i + 1;
      while (j < this.input.length && this.input[j] !== q) {
        if (this.input[j] === '\\' && this.input[j + 1] === q) j += 1;
        s += this.input[j];
        j += 1;
      }
      if (j >= this.input.length) {
        this.#i = this.input.length;
        this.#fail(q === '"' ? "'\"'" : `"'"`, 'EOF');
      }
      this.#i = j + 1;
      this.#ws();
      return s;
    }
    // A bare value ends at a comma (or the closing bracket); `\,` is a literal comma.
    const stops = closer ? [',', closer] : [','];
    let s = '';
    let j = this.#i;
    while (j < this.input.length && !stops.includes(this.input[j]!)) {
      if (this.input[j] === '\\' && this.input[j + 1] === ',') j += 1;
      s += this.input[j];
      j += 1;
    }
    this.#i = j;
    return s.trim();
  }

  #isKeyvalAt(at: number): boolean {
    return /^\s*[A-Za-z0-9_\-.#/:]*\s*=/.test(this.input.slice(at));
  }

  #expect(c: string): void {
    this.#ws();
    if (this.input[this.#i] !== c) this.#fail(`'${c}'`, this.#peekDescription());
    this.#i += 1;
  }

  #ws(): void {
    while (this.#i < this.input.length && /\s/.test(this.input[this.#i]!)) this.#i += 1;
  }

  #peekDescription(): string {
    return this.#i < this.input.length ? this.input[this.#i]! : 'EOF';
  }

  #fail(expected: string, received: string): never {
    throw new ShorthandError(`Expected: ${expected}, received: '${received}' for input:\n${this.input}\n${' '.repeat(this.#i)}^`);
  }
}

/** Parses one shorthand argument (a structure or a map). Throws `ShorthandError`. */
export function parseShorthand(input: string): Record<string, ShorthandValue> {
  return new Parser(input).parse();
}

/** True when a CLI argument is JSON rather than shorthand (the CLI's own test: it starts with { or [). */
export function looksLikeJson(value: string): boolean {
  return /^\s*[[{]/.test(value);
}
