import { describe, expect, it } from 'vitest';
import { parseShorthand, ShorthandError } from '../../../src/cli';

describe('CLI shorthand syntax', () => {
  it('parses structures, maps, implicit and explicit lists, nested hashes', () => {
    expect(parseShorthand('TagKey=team,TagValue=orders')).toEqual({ TagKey: 'team', TagValue: 'orders' });
    expect(parseShorthand('a=b,c')).toEqual({ a: ['b', 'c'] });
    expect(parseShorthand('a=b,c,d=e')).toEqual({ a: ['b', 'c'], d: 'e' });
    expect(parseShorthand('a=[x,y],b=[]')).toEqual({ a: ['x', 'y'], b: [] });
    expect(parseShorthand('k={a=b,c=d}')).toEqual({ k: { a: 'b', c: 'd' } });
    expect(parseShorthand('EncryptionContextSubset={purpose=test},EncryptionContextEquals={}')).toEqual({
      EncryptionContextSubset: { purpose: 'test' },
      EncryptionContextEquals: {},
    });
    expect(parseShorthand('l=[{a=1},{b=2}]')).toEqual({ l: [{ a: '1' }, { b: '2' }] });
  });

  it('follows botocore on blanks, quotes, escaped commas and empty keys', () => {
    expect(parseShorthand('a= b ,c=d')).toEqual({ a: 'b', c: 'd' });
    expect(parseShorthand('a=b c')).toEqual({ a: 'b c' });
    expect(parseShorthand(`a='x,y',b="q"`)).toEqual({ a: 'x,y', b: 'q' });
    expect(parseShorthand('x="a\\"b"')).toEqual({ x: 'a"b' });
    expect(parseShorthand('Name=a\\,b')).toEqual({ Name: 'a,b' });
    expect(parseShorthand('a=b,=c')).toEqual({ a: 'b', '': 'c' });
    expect(parseShorthand('a=')).toEqual({ a: '' });
  });

  it('explains errors with a caret under the position', () => {
    expect(() => parseShorthand('foo')).toThrow(ShorthandError);
    expect(() => parseShorthand('foo')).toThrow("Expected: '=', received: 'EOF' for input:\nfoo\n   ^");
    expect(() => parseShorthand('a={b=c')).toThrow("Expected: '}', received: 'EOF'");
    expect(() => parseShorthand(`a='open`)).toThrow(`Expected: "'", received: 'EOF'`);
  });
});
