import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterKeys, filterOptions, isFiltering, matchesKeyFilter, NO_ALIAS, nextIndex } from '../../../src/ui/keys/keyFilter';
import type { KeyRow } from '../../../src/ui/view';

function row(id: string, over: Partial<KeyRow> = {}): KeyRow {
  return {
    arn: `arn:aws:kms:us-east-1:111122223333:key/${id}` as KeyRow['arn'],
    keyId: id,
    aliases: [],
    keyState: 'Enabled',
    description: '',
    creationDate: 0,
    accountId: '111122223333',
    region: 'us-east-1',
    keySpec: 'SYMMETRIC_DEFAULT',
    tags: [],
    ...over,
  };
}

const ROWS: KeyRow[] = [
  row('k1', { aliases: ['alias/orders'], tags: [{ TagKey: 'team', TagValue: 'orders' }, { TagKey: 'env', TagValue: 'sandbox' }], description: 'Orders key' }),
  row('k2', { keyState: 'Disabled', tags: [{ TagKey: 'team', TagValue: 'billing' }] }),
  row('k3', { keyState: 'PendingDeletion', aliases: ['alias/b', 'alias/a'], keySpec: 'HMAC_256' }),
];
const ids = (rows: KeyRow[]) => rows.map((r) => r.keyId);

describe('key list filters', () => {
  it('offers the values present, sorted, tags as keys then pairs, and NO_ALIAS when a key has none', () => {
    expect(filterOptions(ROWS)).toEqual({
      states: ['Disabled', 'Enabled', 'PendingDeletion'],
      aliases: ['alias/a', 'alias/b', 'alias/orders', NO_ALIAS],
      tags: ['env', 'env=sandbox', 'team', 'team=billing', 'team=orders'],
      keySpecs: ['HMAC_256', 'SYMMETRIC_DEFAULT'],
    });
    expect(filterOptions([ROWS[0]!]).aliases).toEqual(['alias/orders']);
  });

  it('filters by state, alias, tag key, tag pair and key spec, each alone and combined', () => {
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, state: 'Disabled' }))).toEqual(['k2']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, alias: 'alias/a' }))).toEqual(['k3']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, alias: NO_ALIAS }))).toEqual(['k2']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, tag: 'team' }))).toEqual(['k1', 'k2']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, tag: 'team=billing' }))).toEqual(['k2']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, tag: 'team=Billing' }))).toEqual([]);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, keySpec: 'HMAC_256' }))).toEqual(['k3']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, tag: 'team', state: 'Enabled' }))).toEqual(['k1']);
    expect(ids(filterKeys(ROWS, EMPTY_FILTER))).toEqual(['k1', 'k2', 'k3']);
  });

  it('keeps the free-text filter, which now also finds tags and the key spec', () => {
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, text: 'ORDERS' }))).toEqual(['k1']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, text: 'team=billing' }))).toEqual(['k2']);
    expect(ids(filterKeys(ROWS, { ...EMPTY_FILTER, text: 'hmac' }))).toEqual(['k3']);
    expect(matchesKeyFilter(ROWS[0]!, { ...EMPTY_FILTER, text: 'orders', state: 'Disabled' })).toBe(false);
  });

  it('says whether any filter is set', () => {
    expect(isFiltering(EMPTY_FILTER)).toBe(false);
    expect(isFiltering({ ...EMPTY_FILTER, text: '  ' })).toBe(false);
    expect(isFiltering({ ...EMPTY_FILTER, keySpec: 'HMAC_256' })).toBe(true);
  });
});

describe('keyboard selection', () => {
  it('moves with the arrows, stops at the ends, jumps with Home and End', () => {
    expect(nextIndex('ArrowDown', 0, 3)).toBe(1);
    expect(nextIndex('ArrowDown', 2, 3)).toBe(2);
    expect(nextIndex('ArrowUp', 0, 3)).toBe(0);
    expect(nextIndex('ArrowUp', 2, 3)).toBe(1);
    expect(nextIndex('Home', 2, 3)).toBe(0);
    expect(nextIndex('End', 0, 3)).toBe(2);
  });

  it('starts from the nearest end when nothing is selected, and ignores other keys and empty lists', () => {
    expect(nextIndex('ArrowDown', -1, 3)).toBe(0);
    expect(nextIndex('ArrowUp', -1, 3)).toBe(2);
    expect(nextIndex('Enter', 1, 3)).toBeNull();
    expect(nextIndex('ArrowDown', -1, 0)).toBeNull();
  });
});
