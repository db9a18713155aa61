/** The workbench's pure helpers: byte previews, sizes, the context editor, file names, wire errors. */
import { describe, expect, it } from 'vitest';
import { isKmsError } from '../../../src/kms';
import { formatBytes, formatSize, percent, toBase64Text, toHex } from '../../../src/ui/workbench/bytes';
import { contextSummary, fromEncryptionContext, toEncryptionContext } from '../../../src/ui/workbench/context';
import { decryptedFileName, envelopeFileName, safeFileName } from '../../../src/ui/workbench/naming';
import { abortError, fromWireError, isAbortError, ownBytes, toWireError } from '../../../src/ui/workbench/protocol';

describe('byte previews', () => {
  const b = Uint8Array.from([0, 1, 0xab, 0xff, 0x10]);
  it('formats hex and base64 whole when short', () => {
    expect(toHex(b)).toBe('0001abff10');
    expect(formatBytes(b, 'hex')).toEqual({ text: '0001abff10', shownBytes: 5, totalBytes: 5, isTruncated: false });
    expect(formatBytes(b, 'base64').text).toBe(Buffer.from(b).toString('base64'));
  });
  it('cuts long values and says so; base64 prefixes end on a 3-byte boundary (no inner padding)', () => {
    const big = new Uint8Array(1000).fill(7);
    const hex = formatBytes(big, 'hex', 10);
    expect(hex).toMatchObject({ shownBytes: 10, totalBytes: 1000, isTruncated: true });
    expect(hex.text).toBe('07'.repeat(10));
    const b64 = formatBytes(big, 'base64', 10);
    expect(b64.shownBytes).toBe(9);
    expect(b64.text).not.toContain('=');
    expect(Buffer.from(b64.text, 'base64')).toEqual(Buffer.alloc(9, 7));
  });
  it('previews a head that stands for a larger value', () => {
    expect(formatBytes(new Uint8Array(4), 'hex', 256, 20_000_000)).toMatchObject({ shownBytes: 4, totalBytes: 20_000_000, isTruncated: true });
  });
  it('encodes large inputs in base64 without overflowing the stack', () => {
    const big = new Uint8Array(300_000).fill(1);
    expect(toBase64Text(big)).toBe(Buffer.from(big).toString('base64'));
  });
  it('prints sizes and percentages', () => {
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(4096)).toBe('4,096 bytes');
    expect(formatSize(20_000_000)).toBe('20.0 MB');
    expect(formatSize(209_715_200)).toBe('209.7 MB');
    expect(percent(0, 0)).toBe(100);
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 3)).toBe(100);
  });
});

describe('encryption context editor', () => {
  it('ignores blank rows; no pairs means no context', () => {
    expect(toEncryptionContext([])).toEqual({ ok: true, value: undefined });
    expect(toEncryptionContext([{ key: '', value: '' }])).toEqual({ ok: true, value: undefined });
  });
  it('builds the map in row order, keeping empty values and spaces as typed', () => {
    expect(toEncryptionContext([{ key: 'orderId', value: '1001' }, { key: '', value: '' }, { key: ' team', value: '' }])).toEqual({
      ok: true,
      value: { orderId: '1001', ' team': '' },
    });
  });
  it('refuses a value without key and a repeated key', () => {
    expect(toEncryptionContext([{ key: '', value: 'x' }])).toEqual({ ok: false, problem: 'Pair 1 has a value but no key.' });
    const dup = toEncryptionContext([{ key: 'a', value: '1' }, { key: 'a', value: '2' }]);
    expect(dup.ok).toBe(false);
  });
  it('round-trips through editor rows and summarizes', () => {
    const ctx = { a: '1', b: '2' };
    expect(toEncryptionContext(fromEncryptionContext(ctx))).toEqual({ ok: true, value: ctx });
    expect(contextSummary(undefined)).toBe('(none)');
    expect(contextSummary(ctx)).toBe('{"a":"1","b":"2"}');
  });
  it('does not treat prototype names as existing keys', () => {
    expect(toEncryptionContext([{ key: 'constructor', value: 'x' }])).toEqual({ ok: true, value: { constructor: 'x' } });
  });
});

describe('file names', () => {
  it('names envelopes after their input and decrypted files after their envelope', () => {
    expect(envelopeFileName('report.pdf')).toBe('report.pdf.kmsenv');
    expect(envelopeFileName(undefined)).toBe('text.txt.kmsenv');
    expect(decryptedFileName('report.pdf.kmsenv')).toBe('report.pdf');
    expect(decryptedFileName('REPORT.KMSENV')).toBe('REPORT');
    expect(decryptedFileName('blob.bin')).toBe('blob.bin.decrypted');
    expect(decryptedFileName('.kmsenv')).toBe('.kmsenv.decrypted');
  });
  it('keeps only a safe base name', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\x\\y.txt')).toBe('y.txt');
    expect(safeFileName('a\u0000b\nc')).toBe('abc');
    expect(safeFileName('..')).toBe('data');
  });
});

describe('errors across the worker boundary', () => {
  it('keeps AWS error names as KmsErrors and other names as plain errors', () => {
    const back = fromWireError(toWireError(Object.assign(new Error('Key not found'), { name: 'NotFoundException' })));
    expect(isKmsError(back, 'NotFoundException')).toBe(true);
    expect(back.message).toBe('Key not found');
    const other = fromWireError({ name: 'TypeError', message: 'bad' });
    expect(isKmsError(other)).toBe(false);
    expect(other.name).toBe('TypeError');
    expect(toWireError('oops')).toEqual({ name: 'Error', message: 'oops' });
  });
  it('recognizes cancellation', () => {
    expect(isAbortError(fromWireError(toWireError(abortError())))).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });
  it('copies a view into its own exact buffer', () => {
    const big = new Uint8Array(100).fill(3);
    const own = ownBytes(big.subarray(10, 20));
    expect(own.buffer.byteLength).toBe(10);
    expect([...own]).toEqual(Array(10).fill(3));
  });
});
