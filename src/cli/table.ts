/**
 * `--output table`: the AWS CLI's table renderer (the behaviour of `awscli/table.py` and
 * `TableFormatter` in `awscli/formatter.py`), rewritten in TypeScript:
 *
 *   -------------------------------------------     ← rule as wide as the widest section
 *   |               DescribeKey               |     ← section title, centred
 *   +-----------------------------------------+
 *   ||              KeyMetadata              ||     ← nested sections indented by one "|" per level
 *   |+--------------------+------------------+|
 *   ||  AWSAccountId      |  111122223333    ||     ← a one-row section shown vertically (key | value)
 *
 * A dict becomes a section: its scalar members (sorted) form a header row and one value row (a
 * single scalar member is one `key | value` row); each non-scalar member (sorted) is a nested
 * section titled with its name. A list of dicts becomes one header row (the union of scalar keys)
 * and one row per element. Columns are scaled to the widest section. When the table is wider
 * than the terminal, one-row sections turn vertical (header | value per line). Wide and ambiguous
 * East Asian characters count as two columns, as in the CLI.
 */
import { isWideCodePoint } from './eastAsianWidth';

/** Python's `str()` of a JSON scalar, as the CLI prints cells. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return String(v);
}

/** Display width of a text (wide characters take two columns). */
export function textWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += isWideCodePoint(ch.codePointAt(0)!) ? 2 : 1;
  return n;
}

/** Python 3 `round()` (half to even). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

class Section {
  title = '';
  headers: string[] = [];
  rows: string[][] = [];
  indent = 0;
  widths: number[] = [];

  addHeader(headers: readonly string[]): void {
    this.#grow(headers);
    this.headers = [...headers];
  }

  addRow(row: readonly unknown[]): void {
    const cells = row.map(pyStr);
    this.rows.push(cells);
    this.#grow(cells);
  }

  #grow(cells: readonly string[]): void {
    if (this.widths.length === 0) this.widths = cells.map(textWidth);
    else cells.forEach((c, i) => (this.widths[i] = Math.max(textWidth(c), this.widths[i] ?? 0)));
  }

  /** Column widths (each + padding) scaled so they add up to `max`. */
  columnWidths(padding: number, max: number): number[] {
    const unscaled = this.widths.map((w) => w + padding);
    if (unscaled.length === 0) return unscaled;
    const scale = max / unscaled.reduce((a, b) => a + b, 0);
    const scaled = unscaled.map((w) => roundHalfEven(scale * w));
    let off = scaled.reduce((a, b) => a + b, 0) - max;
    while (off !== 0) {
      const order = [...scaled.keys()];
      if (off < 0) order.reverse();
      for (const i of order) {
        scaled[i]! += off > 0 ? -1 : 1;
        off += off > 0 ? -1 : 1;
        if (off === 0) break;
      }
    }
    return scaled;
  }

  totalWidth(): number {
    const cols = this.widths.reduce((a, w) => a + w + 4, 0) + 2 + 2 * this.indent;
    return Math.max(textWidth(this.title) + 2 + 2 * this.indent, cols);
  }
}

function center(text: string, length: number, left = '|', right = '|'): string {
  const tl = textWidth(text);
  const start = Math.max(0, Math.floor(length / 2) - Math.floor(tl / 2) - 1);
  const soFar = textWidth(left) + start + tl;
  return `${left}${' '.repeat(start)}${text}${' '.repeat(Math.max(0, length - textWidth(right) - soFar))}${right}`;
}

function alignLeft(text: string, length: number, left: string, right: string): string {
  const tl = textWidth(text);
  const padding = length - (tl + 2 + left.length + right.length) >= 0 ? 2 : 0;
  const soFar = left.length + padding + tl;
  return `${left}${' '.repeat(padding)}${text}${' '.repeat(Math.max(0, length - soFar - right.length))}${right}`;
}

const isScalar = (v: unknown) => typeof v !== 'object' || v === null;
const sortKeys = (keys: Iterable<string>) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

class TableBuilder {
  sections: Section[] = [];
  current: Section | null = null;

  newSection(title: string, indent: number): void {
    this.current = new Section();
    this.current.title = title;
    this.current.indent = indent;
    this.sections.push(this.current);
  }

  #section(): Section {
    if (!this.current) this.newSection('', 0);
    return this.current!;
  }

  build(title: string | null, value: unknown, indent = 0): boolean {
    const isEmpty = value === null || value === undefined || value === false || value === 0 || value === '' ||
      (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
    if (isEmpty) return false;
    if (title !== null) this.newSection(title, indent);
    if (Array.isArray(value)) {
      if (typeof value[0] === 'object' && value[0] !== null && !Array.isArray(value[0])) this.#fromList(value as Record<string, unknown>[], indent, title);
      else {
        for (const item of value) {
          if (isScalar(item)) this.#section().addRow([item]);
          else if (Array.isArray(item) && item.every(isScalar)) this.#section().addRow(item);
          else this.build(null, item);
        }
      }
    } else if (typeof value === 'object') {
      this.#fromDict(value as Record<string, unknown>, indent);
    }
    return true;
  }

  #fromDict(dict: Record<string, unknown>, indent: number): void {
    const headers = sortKeys(Object.keys(dict).filter((k) => isScalar(dict[k])));
    const more = sortKeys(Object.keys(dict).filter((k) => !isScalar(dict[k])));
    if (headers.length === 1) this.#section().addRow([headers[0], dict[headers[0]!]]);
    else if (headers.length > 0) {
      this.#section().addHeader(headers);
      this.#section().addRow(headers.map((h) => dict[h]));
    }
    for (const k of more) this.build(k, dict[k], indent + 1);
  }

  #fromList(list: readonly Record<string, unknown>[], indent: number, title: string | null): void {
    const headerSet = new Set<string>();
    const moreSet = new Set<string>();
    for (const el of list) {
      for (const [k, v] of Object.entries(el ?? {})) (isScalar(v) ? headerSet : moreSet).add(k);
    }
    const headers = sortKeys(headerSet);
    const more = sortKeys(moreSet);
    this.#section().addHeader(headers);
    list.forEach((el, i) => {
      if (i > 0 && more.length > 0) {
        this.newSection(title ?? '', indent);
        this.#section().addHeader(headers);
      }
      this.#section().addRow(headers.map((h) => (el && h in el ? el[h] : '')));
      for (const k of more) if (el && k in el) this.build(k, el[k], indent + 1);
    });
  }
}

function maxWidth(sections: readonly Section[]): number {
  return Math.max(...sections.map((s) => s.totalWidth()));
}

function toVertical(sections: Section[]): void {
  sections.forEach((s, i) => {
    if (s.rows.length !== 1 || s.headers.length === 0) return;
    const v = new Section();
    v.title = s.title;
    v.indent = s.indent;
    s.headers.forEach((h, j) => v.addRow([h, s.rows[0]![j]]));
    sections[i] = v;
  });
}

function lineBreak(widths: readonly number[]): string {
  return widths.map((w, i) => (i === 0 ? `+${'-'.repeat(w - 2)}+` : `${'-'.repeat(w - 1)}+`)).join('');
}

function renderSection(s: Section, total: number, out: string[]): void {
  const bar = '|'.repeat(s.indent);
  const write = (line: string) => out.push(`${bar}${line}${bar}`);
  const width = total - 2 * s.indent;
  if (s.title) {
    write(center(s.title, width));
    if (s.headers.length === 0 && s.rows.length === 0) write(`+${'-'.repeat(width - 2)}+`);
  }
  if (s.headers.length > 0) {
    const widths = s.columnWidths(4, width);
    write(lineBreak(widths));
    write(widths.map((w, i) => center(s.headers[i] ?? '', w, i === 0 ? '|' : '', '|')).join(''));
  }
  if (s.rows.length > 0) {
    const widths = s.columnWidths(4, width);
    if (widths.length === 0) return;
    write(lineBreak(widths));
    for (const row of s.rows) write(widths.map((w, i) => alignLeft(row[i] ?? '', w, i === 0 ? '|' : '', '|')).join(''));
    write(lineBreak(widths));
  }
}

/** Renders a response as the CLI's `--output table` (no trailing newline handling: lines joined by \n). */
export function formatTable(title: string, value: unknown, terminalWidth = 80): string {
  const b = new TableBuilder();
  if (!b.build(title, value)) return '';
  let total = maxWidth(b.sections);
  if (total > terminalWidth) {
    toVertical(b.sections);
    total = maxWidth(b.sections);
  }
  const out = ['-'.repeat(total)];
  for (const s of b.sections) renderSection(s, total, out);
  return `${out.join('\n')}\n`;
}
