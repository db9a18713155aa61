/**
 * Number fields of the Load & cost tab: parsing what people type ("30,000", "30 000", "1e6") into
 * checked numbers, and formatting counts, bytes and money for the page. Pure (unit-tested).
 */

/** A parsed field: the number, or why it was refused (shown next to the field). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Reads `text` as a number in [min, max] (integers only unless `integer` is false). Thousands
 * separators (`,`, `_`, spaces) are ignored; an empty field is refused with `${label} is required`.
 */
export function parseNumber(text: string, label: string, opts: { min: number; max: number; integer?: boolean }): Parsed<number> {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  if (cleaned === '') return { ok: false, reason: `${label} is required.` };
  if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+]?\d+)?$/i.test(cleaned)) return { ok: false, reason: `${label}: "${text.trim()}" is not a number.` };
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return { ok: false, reason: `${label}: "${text.trim()}" is not a number.` };
  if ((opts.integer ?? true) && !Number.isInteger(value)) return { ok: false, reason: `${label} must be a whole number.` };
  if (value < opts.min || value > opts.max) return { ok: false, reason: `${label} must be from ${formatCount(opts.min)} to ${formatCount(opts.max)}.` };
  return { ok: true, value };
}

/** Like `parseNumber`, but an empty field is `undefined` (an optional limit left out). */
export function parseOptionalNumber(text: string, label: string, opts: { min: number; max: number; integer?: boolean }): Parsed<number | undefined> {
  return text.trim() === '' ? { ok: true, value: undefined } : parseNumber(text, label, opts);
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 12,345 (one decimal at most). */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** A billed quantity: whole thousands as counts, small fractions (0.0042 key-months) to three significant digits. */
export function formatQuantity(n: number): string {
  if (n === 0 || Math.abs(n) >= 100) return formatCount(n);
  return Number(n.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 8 });
}

/** 1.5 KiB, 3 MiB: bytes for people. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${formatCount(n)} bytes` : `${Number(v.toFixed(1))} ${units[i]}`;
}

/** $1,234.56 (USD), −$0.000039, or "EUR 3.00": two decimals, two significant digits below one cent. */
export function formatMoney(amount: number, currency = 'USD'): string {
  const abs = Math.abs(amount);
  const text =
    abs !== 0 && abs < 0.01
      ? abs.toLocaleString('en-US', { maximumSignificantDigits: 2 })
      : abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const sign = amount < 0 && text !== '0.00' ? '−' : '';
  return currency === 'USD' ? `${sign}$${text}` : `${sign}${currency} ${text}`;
}
