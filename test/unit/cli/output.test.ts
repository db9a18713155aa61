/**
 * Output formatting: timestamps as CLI v2 prints them, JSON as `json.dump(indent=4)`, and text and
 * table output compared with the AWS CLI's own formatters (goldens in formatGoldens.json, made by
 * awscli's TableFormatter and format_text on the same data).
 */
import { describe, expect, it } from 'vitest';
import { formatJson, formatTable, formatText, isoTimestamp, renderOutput, shapeResponse } from '../../../src/cli';
import goldens from './formatGoldens.json';

describe('timestamps', () => {
  it('prints epoch seconds as Python isoformat() in UTC', () => {
    expect(isoTimestamp(1_768_478_400)).toBe('2026-01-15T12:00:00+00:00');
    expect(isoTimestamp(1_768_478_400.123)).toBe('2026-01-15T12:00:00.123000+00:00');
    expect(isoTimestamp(0)).toBe('1970-01-01T00:00:00+00:00');
  });

  it('converts only timestamp members, at any depth', () => {
    expect(
      shapeResponse({
        KeyMetadata: { CreationDate: 1_768_478_400.5, PendingDeletionWindowInDays: 7 },
        Grants: [{ CreationDate: 0 }],
        Rotations: [{ RotationDate: 60 }],
        NumberOfBytes: 32,
      }),
    ).toEqual({
      KeyMetadata: { CreationDate: '2026-01-15T12:00:00.500000+00:00', PendingDeletionWindowInDays: 7 },
      Grants: [{ CreationDate: '1970-01-01T00:00:00+00:00' }],
      Rotations: [{ RotationDate: '1970-01-01T00:01:00+00:00' }],
      NumberOfBytes: 32,
    });
  });
});

describe('json', () => {
  it('indents by four, keeps non-ASCII, prints nothing for {}', () => {
    expect(formatJson({ A: [1, { B: 'é' }], C: [] })).toBe('{\n    "A": [\n        1,\n        {\n            "B": "é"\n        }\n    ],\n    "C": []\n}\n');
    expect(formatJson({})).toBe('');
    expect(formatJson(null)).toBe('null\n');
    expect(formatJson('text')).toBe('"text"\n');
  });
});

describe('text and table, against the CLI formatters', () => {
  for (const [name, c] of Object.entries(goldens.cases)) {
    it(name, () => {
      expect(formatText(c.response)).toBe(c.text);
      expect(formatTable(c.title, c.response)).toBe(c.table);
    });
  }
});

describe('renderOutput', () => {
  it('applies --query after shaping and before formatting', () => {
    const response = { Keys: [{ KeyId: 'a', KeyArn: 'arn:a' }, { KeyId: 'b', KeyArn: 'arn:b' }] };
    expect(renderOutput('ListKeys', response, { output: 'text', query: 'Keys[].KeyId' })).toBe('a\tb\n');
    expect(renderOutput('ListKeys', response, { output: 'json', query: 'Keys[0].Nope' })).toBe('null\n');
    expect(renderOutput('ListKeys', response, { output: 'text', query: 'Keys[0].Nope' })).toBe('None\n');
    expect(renderOutput('ListKeys', response, { output: 'json', query: 'length(Keys)' })).toBe('2\n');
    expect(renderOutput('DescribeKey', { KeyMetadata: { CreationDate: 0 } }, { output: 'text', query: 'KeyMetadata.CreationDate' })).toBe('1970-01-01T00:00:00+00:00\n');
  });

  it('prints paginated text per page, then the NEXTTOKEN line through the same query', () => {
    const merged = { Aliases: [{ AliasName: 'a' }, { AliasName: 'b' }, { AliasName: 'c' }], NextToken: 'tok' };
    const pagination = { resultKey: 'Aliases', pages: [[{ AliasName: 'a' }, { AliasName: 'b' }], [{ AliasName: 'c' }]] };
    expect(renderOutput('ListAliases', merged, { output: 'text', query: null, pagination })).toBe('ALIASES\ta\nALIASES\tb\nALIASES\tc\nNEXTTOKEN\ttok\n');
    expect(renderOutput('ListAliases', merged, { output: 'text', query: 'Aliases[].AliasName', pagination })).toBe('a\tb\nc\nNone\n');
    expect(renderOutput('ListAliases', merged, { output: 'json', query: null, pagination })).toBe(formatJson(merged));
  });

  it('renders tables vertically when they are wider than the terminal', () => {
    const wide = { A: 'x'.repeat(50), B: 'y'.repeat(50) };
    expect(formatTable('T', wide, 200).split('\n')[2]).toMatch(/^\+-+\+-+\+$/);
    expect(formatTable('T', wide, 80)).toContain('|  A|  xxxxxxxx');
  });
});
