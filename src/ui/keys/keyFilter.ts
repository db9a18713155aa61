/**
 * Key list filters (issue 5): by KeyState, alias, tag and KeySpec, plus the free-text filter of
 * `view.matchesFilter`. Pure: the list component keeps a `KeyFilter` in `$state` and derives rows.
 */
import { matchesFilter, type KeyRow } from '../view';

/** Choice meaning "keys without any alias". */
export const NO_ALIAS = '(no alias)';

/** What the learner filters on; '' means "any". */
export interface KeyFilter {
  /** Free text (alias, key id, ARN, state, description, spec, tags). */
  readonly text: string;
  /** A KeyState value, or ''. */
  readonly state: string;
  /** An alias name, NO_ALIAS, or ''. */
  readonly alias: string;
  /** A tag as `TagKey` (any value) or `TagKey=TagValue`, or ''. */
  readonly tag: string;
  /** A KeySpec value, or ''. */
  readonly keySpec: string;
}

export const EMPTY_FILTER: KeyFilter = { text: '', state: '', alias: '', tag: '', keySpec: '' };

/** The values each filter offers, taken from the keys present (sorted, no duplicates). */
export interface FilterOptions {
  readonly states: readonly string[];
  readonly aliases: readonly string[];
  /** Tag keys alone, then each `key=value` pair, grouped by key. */
  readonly tags: readonly string[];
  readonly keySpecs: readonly string[];
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Filter choices built from the rows; NO_ALIAS is offered when some key has no alias. */
export function filterOptions(rows: readonly KeyRow[]): FilterOptions {
  const aliases = sorted(rows.flatMap((r) => r.aliases));
  if (rows.some((r) => r.aliases.length === 0)) aliases.push(NO_ALIAS);
  const tags = sorted(rows.flatMap((r) => r.tags.map((t) => t.TagKey))).flatMap((key) => [
    key,
    ...sorted(rows.flatMap((r) => r.tags.filter((t) => t.TagKey === key).map((t) => `${key}=${t.TagValue}`))),
  ]);
  return {
    states: sorted(rows.map((r) => r.keyState)),
    aliases,
    tags,
    keySpecs: sorted(rows.map((r) => r.keySpec)),
  };
}

/** Whether a row has the tag: `key` matches any value, `key=value` that exact pair (case-sensitive, as tags are). */
function hasTag(row: KeyRow, tag: string): boolean {
  const eq = tag.indexOf('=');
  if (eq < 0) return row.tags.some((t) => t.TagKey === tag);
  const key = tag.slice(0, eq);
  const value = tag.slice(eq + 1);
  return row.tags.some((t) => t.TagKey === key && t.TagValue === value);
}

/** Whether a row passes every filter that is set. */
export function matchesKeyFilter(row: KeyRow, filter: KeyFilter): boolean {
  if (filter.state !== '' && row.keyState !== filter.state) return false;
  if (filter.keySpec !== '' && row.keySpec !== filter.keySpec) return false;
  if (filter.alias === NO_ALIAS && row.aliases.length > 0) return false;
  if (filter.alias !== '' && filter.alias !== NO_ALIAS && !row.aliases.includes(filter.alias)) return false;
  if (filter.tag !== '' && !hasTag(row, filter.tag)) return false;
  return matchesFilter(row, filter.text);
}

/** The rows passing the filter, in their order. */
export function filterKeys(rows: readonly KeyRow[], filter: KeyFilter): KeyRow[] {
  return rows.filter((r) => matchesKeyFilter(r, filter));
}

/** Whether any filter is set. */
export function isFiltering(filter: KeyFilter): boolean {
  return Object.values(filter).some((v) => v.trim() !== '');
}

/**
 * Keyboard selection in the list: the row index after pressing `key` (ArrowUp/ArrowDown/Home/End)
 * from `current` (-1: none selected), or null when the key does not move the selection.
 */
export function nextIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : Math.min(current + 1, count - 1);
    case 'ArrowUp':
      return current < 0 ? count - 1 : Math.max(current - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
