/**
 * Splits a console line into words as a POSIX shell does (the part of it an `aws` command line
 * needs): blanks separate words; '…' keeps everything literally; "…" keeps everything but lets
 * a backslash escape `"`, `\`, `$` and `` ` ``; outside quotes a backslash escapes the next
 * character. No variables, globbing, pipes or redirections: the console runs one command.
 *
 * Every word keeps its span in the line, so tab completion knows what it is completing.
 */

/** A word and where it sits in the line (`start` inclusive, `end` exclusive). */
export interface Token {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** The words of a line; `isOpen` when the line ends inside a quote (an error for running). */
export interface Tokens {
  readonly tokens: readonly Token[];
  /** The quote still open at the end of the line, or null. */
  readonly openQuote: '"' | "'" | null;
}

const DQ_ESCAPABLE = new Set(['"', '\\', '$', '`']);

/** Splits `line` into shell words. Never throws. */
export function tokenize(line: string): Tokens {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i += 1;
    if (i >= line.length) break;
    const start = i;
    let value = '';
    while (i < line.length && !/\s/.test(line[i]!)) {
      const c = line[i]!;
      if (c === "'") {
        const close = line.indexOf("'", i + 1);
        if (close < 0) return { tokens: [...tokens, { value: value + line.slice(i + 1), start, end: line.length }], openQuote: "'" };
        value += line.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        i += 1;
        let closed = false;
        while (i < line.length) {
          const d = line[i]!;
          if (d === '"') {
            closed = true;
            i += 1;
            break;
          }
          if (d === '\\' && i + 1 < line.length && DQ_ESCAPABLE.has(line[i + 1]!)) {
            value += line[i + 1];
            i += 2;
          } else {
            value += d;
            i += 1;
          }
        }
        if (!closed) return { tokens: [...tokens, { value, start, end: line.length }], openQuote: '"' };
      } else if (c === '\\') {
        if (i + 1 < line.length) value += line[i + 1];
        i += 2;
      } else {
        value += c;
        i += 1;
      }
    }
    tokens.push({ value, start, end: Math.min(i, line.length) });
  }
  return { tokens, openQuote: null };
}

/** Quotes a word for the shell only when it needs it (used when completion inserts a value). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
