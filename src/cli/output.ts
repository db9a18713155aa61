/**
 * Output of the console as the AWS CLI v2 prints it (`awscli/formatter.py`, `awscli/text.py`):
 *
 * - Responses come off the wire as JSON 1.1 (blobs already base64, the CLI shows them so).
 *   Timestamps arrive as epoch seconds; CLI v2 (`cli_timestamp_format = iso8601`, its default)
 *   prints them as Python's `datetime.isoformat()` — `2026-01-15T12:00:00.123000+00:00`. The real
 *   CLI uses the machine's local offset; the console always uses UTC (`+00:00`), as the sandbox does.
 * - `--query` runs on that shaped response; then `json` (4-space indented JSON, non-ASCII kept;
 *   an empty `{}` response prints nothing), `text` (tab-separated, see `formatText`) or `table`.
 */
import type { OutputFormat } from './parse';
import { applyQuery } from './query';
import { formatTable, pyStr } from './table';

/** Response members that are timestamps in the KMS model (epoch seconds on the wire). */
export const TIMESTAMP_MEMBERS: ReadonlySet<string> = new Set([
  'CreationDate',
  'DeletionDate',
  'ValidTo',
  'LastUpdatedDate',
  'NextRotationDate',
  'OnDemandRotationStartDate',
  'RotationDate',
  'ParametersValidTo',
  'TrackingStartDate',
  'KeyCreationDate',
]);

/** Python's `datetime.isoformat()` of an epoch-seconds time, in UTC. */
export function isoTimestamp(epochSeconds: number): string {
  const ms = Math.round(epochSeconds * 1000);
  const d = new Date(ms);
  const base = d.toISOString().slice(0, 19);
  const micros = (((ms % 1000) + 1000) % 1000) * 1000;
  return `${base}${micros === 0 ? '' : `.${String(micros).padStart(6, '0')}`}+00:00`;
}

/** Replaces epoch-second timestamps (by member name) with their ISO 8601 text, recursively. */
export function shapeResponse(value: unknown, member = ''): unknown {
  if (typeof value === 'number' && TIMESTAMP_MEMBERS.has(member)) return isoTimestamp(value);
  if (Array.isArray(value)) return value.map((v) => shapeResponse(v, member));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shapeResponse(v, k);
    return out;
  }
  return value;
}

function sortedEntries(d: Record<string, unknown>): [string, unknown][] {
  return Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const isScalar = (v: unknown) => typeof v !== 'object' || v === null;

/**
 * `--output text`: a dict prints its scalar values (sorted by key) tab-separated on one line,
 * prefixed with the upper-cased name of the member it came from; each non-scalar member
 * follows under its own name. Lists of dicts use the union of their scalar keys as columns.
 */
export function formatText(value: unknown): string {
  const out: string[] = [];
  textOf(value, out, null, null);
  return out.map((l) => `${l}\n`).join('');
}

function textOf(item: unknown, out: string[], identifier: string | null, scalarKeys: readonly string[] | null): void {
  if (Array.isArray(item)) textList(item, out, identifier);
  else if (typeof item === 'object' && item !== null) textDict(item as Record<string, unknown>, out, identifier, scalarKeys);
  else out.push(pyStr(item));
}

function textList(list: readonly unknown[], out: string[], identifier: string | null): void {
  if (list.length === 0) return;
  const isDict = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (list.some(isDict)) {
    const keys = new Set<string>();
    for (const el of list) if (isDict(el)) for (const [k, v] of Object.entries(el as object)) if (isScalar(v)) keys.add(k);
    const all = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const el of list) textOf(el, out, identifier, all);
  } else if (list.some(Array.isArray)) {
    const scalars = list.filter(isScalar);
    if (scalars.length > 0) scalarList(scalars, out, identifier);
    for (const el of list) if (!isScalar(el)) textOf(el, out, identifier, null);
  } else scalarList(list, out, identifier);
}

function scalarList(list: readonly unknown[], out: string[], identifier: string | null): void {
  if (identifier !== null) for (const v of list) out.push(`${identifier.toUpperCase()}\t${pyStr(v)}`);
  else out.push(list.map(pyStr).join('\t'));
}

function textDict(d: Record<string, unknown>, out: string[], identifier: string | null, scalarKeys: readonly string[] | null): void {
  const scalars: string[] = [];
  const nonScalars: [string, unknown][] = [];
  if (scalarKeys === null) {
    for (const [k, v] of sortedEntries(d)) {
      if (isScalar(v)) scalars.push(pyStr(v));
      else nonScalars.push([k, v]);
    }
  } else {
    for (const k of scalarKeys) scalars.push(k in d ? pyStr(d[k]) : '');
    for (const [k, v] of sortedEntries(d)) if (!scalarKeys.includes(k)) nonScalars.push([k, v]);
  }
  if (scalars.length > 0) out.push([...(identifier !== null ? [identifier.toUpperCase()] : []), ...scalars].join('\t'));
  for (const [k, v] of nonScalars) textOf(v, out, k, null);
}

/** `--output json`: Python's `json.dump(indent=4)`; nothing for an empty `{}` response. */
export function formatJson(value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) return '';
  if (value === undefined) return '';
  return `${JSON.stringify(value, null, 4)}\n`;
}

/** How to render a response. */
export interface RenderOptions {
  readonly output: OutputFormat;
  readonly query: string | null;
  /** Columns for `table` (default 80). */
  readonly terminalWidth?: number;
  /** When the response is a paginator's merged result: its result key and each page's items (text prints per page). */
  readonly pagination?: { readonly resultKey: string; readonly pages: readonly (readonly unknown[])[] };
}

/**
 * Shapes a JSON 1.1 response, applies `--query`, and renders it. Throws a query evaluation error.
 * Paginated text output follows the CLI's TextFormatter: each page on its own (the query applied
 * to `{Key: [page items]}`), then `{"NextToken": {"NextToken": token}}` through the same query.
 */
export function renderOutput(operation: string, wireResponse: unknown, options: RenderOptions): string {
  const shaped = shapeResponse(wireResponse);
  const query = (v: unknown) => (options.query !== null ? (applyQuery(v, options.query) ?? null) : v);
  if (options.output === 'text' && options.pagination) {
    const { resultKey, pages } = options.pagination;
    const text = pages.map((items) => formatText(query({ [resultKey]: shapeResponse(items, resultKey) }))).join('');
    const token = (shaped as Record<string, unknown>)['NextToken'];
    return token === undefined ? text : text + formatText(query({ NextToken: { NextToken: token } }));
  }
  const data = query(shaped);
  switch (options.output) {
    case 'json':
      return formatJson(data);
    case 'text':
      return formatText(data);
    case 'table':
      return formatTable(operation, data, options.terminalWidth);
  }
}
