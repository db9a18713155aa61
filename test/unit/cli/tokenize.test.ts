import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteWord, tokenize } from '../../../src/cli';

const words = (line: string) => tokenize(line).tokens.map((t) => t.value);

describe('tokenize (POSIX shell words)', () => {
  it('splits on blanks and keeps spans', () => {
    expect(tokenize('  aws  kms list-keys ').tokens).toEqual([
      { value: 'aws', start: 2, end: 5 },
      { value: 'kms', start: 7, end: 10 },
      { value: 'list-keys', start: 11, end: 20 },
    ]);
  });

  it('handles single quotes, double quotes with escapes, and backslashes', () => {
    expect(words(`--policy '{"a": "b c"}'`)).toEqual(['--policy', '{"a": "b c"}']);
    expect(words(`--description "say \\"hi\\" \\$x \\n"`)).toEqual(['--description', 'say "hi" $x \\n']);
    expect(words(`a\\ b 'it'\\''s' x"y"z`)).toEqual(['a b', "it's", 'xyz']);
    expect(words(`--plaintext ""`)).toEqual(['--plaintext', '']);
  });

  it('reports an open quote', () => {
    expect(tokenize(`aws kms describe-key --key-id "alias/x`).openQuote).toBe('"');
    expect(tokenize(`aws 'x`).openQuote).toBe("'");
    expect(tokenize(`aws "x"`).openQuote).toBeNull();
  });

  it('quoteWord round-trips any word', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(words(quoteWord(s))).toEqual([s]);
      }),
      { numRuns: 300 },
    );
    expect(quoteWord('alias/orders')).toBe('alias/orders');
    expect(quoteWord('a b')).toBe(`'a b'`);
  });
});
