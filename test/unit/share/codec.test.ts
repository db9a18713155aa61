/**
 * The share codec's pipeline and its refusals (STYLE §8, issue 6 "hostile links"): every step's
 * reason, the limits, `__proto__` at every level, markup as plain data, versions, entry counts.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  CURRENT_SEM,
  decodeShare,
  encodeFragment,
  encodeShare,
  exportSandboxFile,
  importSandboxFile,
  readShareFragment,
  SHARE_LIMITS,
  shareLink,
  type DecodeOptions,
  withoutInputs,
  type ShareEnvelope,
} from '../../../src/share';
import { decodeBase64url, encodeBase64url } from '../../../src/share/base64url';
import type { LogEntry } from '../../../src/kms/log';

/** Results seen loosely, so a test can read `reason` of any result. */
type Loose = { ok: boolean; reason?: string; message?: string; entryIndex?: number; envelope?: unknown; length?: number };
const decode = (text: unknown, opts?: DecodeOptions): Promise<Loose> => decodeShare(text, opts);
const importFile = (text: unknown, opts?: DecodeOptions): Loose => importSandboxFile(text, opts);

const SEED = '01'.repeat(32);
const CALLER = { principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', region: 'us-east-1' };

function call(seq: number, request: Record<string, unknown> | null, operation = 'CreateKey'): LogEntry {
  return { kind: 'call', seq, at: 1_000, operation, request, secretMembers: [], caller: CALLER, outcome: { ok: true } } as unknown as LogEntry;
}

function envelope(log: LogEntry[] = [call(0, { Description: 'demo' })], extra: Record<string, unknown> = {}): ShareEnvelope<LogEntry> {
  return { format: 'kms-playground', formatVersion: 1, sem: CURRENT_SEM, seed: SEED, start: 1_000, log, inputsIncluded: false, ...extra } as ShareEnvelope<LogEntry>;
}

/** A link of arbitrary JSON text (bypassing encodeShare's checks). */
function linkOfText(json: string): string {
  return `1.${encodeBase64url(gzipSync(Buffer.from(json, 'utf8')))}`;
}

describe('base64url', () => {
  test('round trip and strictness', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      const s = encodeBase64url(b);
      expect(s).toBe(Buffer.from(b).toString('base64url'));
      expect(decodeBase64url(s)).toEqual(b);
    }
    expect(decodeBase64url('AAA=')).toBeNull(); // padding
    expect(decodeBase64url('AA+/')).toBeNull(); // standard alphabet
    expect(decodeBase64url('A')).toBeNull(); // impossible length
    expect(decodeBase64url('AB')).toBeNull(); // non-zero unused bits
    expect(decodeBase64url('AAAé')).toBeNull();
  });
});

describe('decodeShare refusals', () => {
  test('the pipeline steps each refuse with their own reason', async () => {
    const good = await encodeFragment(envelope());
    expect((await decode('')).reason).toBe('empty');
    expect((await decode(undefined)).reason).toBe('empty');
    expect((await decode('x'.repeat(SHARE_LIMITS.maxLinkLength + 1))).reason).toBe('too-long');
    expect((await decode('no-dot-here')).reason).toBe('unknown-encoding');
    const v2 = await decode(`2.${good.slice(2)}`);
    expect(v2.reason).toBe('unknown-encoding');
    expect(v2.ok ? '' : v2.message).toMatch(/encoding 2/);
    expect((await decode('1.abc$def')).reason).toBe('bad-base64');
    expect((await decode('1.A')).reason).toBe('bad-base64');
    expect((await decode(`1.${encodeBase64url(new TextEncoder().encode('not gzip at all, just text'))}`)).reason).toBe('decompress-failed');
    expect((await decode(good.slice(0, -4))).reason).toBe('decompress-failed');
    expect((await decode(`1.${encodeBase64url(gzipSync(Buffer.from([0xff, 0xfe, 0xc0])))}`)).reason).toBe('bad-utf8');
    expect((await decode(linkOfText('{"format":'))).reason).toBe('bad-json');
    expect((await decode(linkOfText('[1,2,3]'))).reason).toBe('not-an-envelope');
    expect((await decode(linkOfText('{"format":"excalidraw"}'))).reason).toBe('not-an-envelope');
  });

  test('gzip with several members, or header fields links never use, is refused', async () => {
    const one = gzipSync(Buffer.from(JSON.stringify(envelope())));
    const two = Buffer.concat([one, one]);
    expect((await decode(`1.${encodeBase64url(two)}`)).reason).toBe('decompress-failed');
    const named = gzipSync(Buffer.from(JSON.stringify(envelope())));
    named[4] = 1; // mtime
    expect((await decode(`1.${encodeBase64url(named)}`)).reason).toBe('decompress-failed');
    expect((await decode(`1.${encodeBase64url(one)}`)).ok).toBe(true);
  });

  test('a decompression bomb: 100 MB of zeros is too long as a link, and stopped at the cap when the length limit is lifted', async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 });
    const link = `1.${encodeBase64url(bomb)}`;
    expect(link.length).toBeLessThan(200_000);
    expect((await decode(link)).reason).toBe('too-long');
    const lifted = await decode(link, { limits: { maxLinkLength: Infinity } });
    expect(lifted.reason).toBe('too-large-decompressed');
  });

  test('a bomb that fits in a link (5 MB of zeros) stops at the 2 MB cap, even when its gzip trailer lies about the size', async () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024), { level: 9 });
    expect(bomb.length * 1.34).toBeLessThan(SHARE_LIMITS.maxLinkLength);
    expect((await decode(`1.${encodeBase64url(bomb)}`)).reason).toBe('too-large-decompressed');
    const lying = Buffer.from(bomb);
    lying.writeUInt32LE(10, lying.length - 4); // ISIZE says 10 bytes: the streaming cap still holds
    expect((await decode(`1.${encodeBase64url(lying)}`)).reason).toBe('too-large-decompressed');
  });

  test('__proto__ keys are refused at every level and never reach a prototype', async () => {
    const env = JSON.stringify(envelope([call(0, { Tags: [{ TagKey: 'a', TagValue: 'b' }] })]));
    const spots = [
      env.replace('{"format"', '{"__proto__":{"polluted":1},"format"'),
      env.replace('"log":[{', '"log":[{"__proto__":{"polluted":1},'),
      env.replace('"request":{', '"request":{"__proto__":{"polluted":1},'),
      env.replace('"TagKey"', '"__proto__":{"polluted":1},"TagKey"'),
      env.replace('"caller":{', '"caller":{"__proto__":{"polluted":1},'),
      env.replace('"outcome":{', '"outcome":{"__proto__":{"polluted":1},'),
    ];
    for (const text of spots) {
      expect(text).not.toBe(env);
      const r = await decode(linkOfText(text));
      expect(r.reason).toBe('forbidden-key');
      expect(importFile(text).reason).toBe('forbidden-key');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  test('refusal messages name the path, not the value', async () => {
    const text = JSON.stringify(envelope([call(0, { Tags: [{ TagKey: 'secret-value-1', TagValue: 'x' }] })])).replace('"TagKey"', '"__proto__":{},"TagKey"');
    const r = await decode(linkOfText(text));
    expect(r.message).toContain('$.log[0].request.Tags[0]');
    expect(r.message).not.toContain('secret-value-1');
    const nan = await decode(linkOfText(`{"format":"kms-playground","a":[1,2,${'['.repeat(70)}${']'.repeat(70)}]}`));
    expect(nan).toMatchObject({ reason: 'bad-json', message: expect.stringContaining('$.a[2]') });
  });

  test('half a million numbers are walked without trouble and refused for what they are', async () => {
    const text = JSON.stringify({ ...envelope(), log: new Array(500_000).fill(0) });
    expect(text.length).toBeLessThan(SHARE_LIMITS.maxDecompressedBytes);
    expect((await decode(linkOfText(text))).reason).toBe('too-many-entries');
  });

  test('constructor and prototype keys stay plain data', async () => {
    const env = envelope([call(0, { EncryptionContext: { constructor: 'x', prototype: 'y' } }, 'Encrypt')]);
    const r = await decodeShare(await encodeFragment(env));
    if (!r.ok) throw new Error(r.message);
    const ctx = (r.envelope.log[0] as unknown as { request: { EncryptionContext: Record<string, unknown> } }).request.EncryptionContext;
    expect(Object.getPrototypeOf(ctx)).toBe(Object.prototype);
    expect(ctx.constructor).toBe('x');
    expect(Object.prototype.constructor).toBe(Object);
  });

  test('encodeShare refuses an envelope holding a __proto__ key (every link made decodes)', async () => {
    const request: Record<string, unknown> = {};
    Object.defineProperty(request, '__proto__', { value: { a: 1 }, enumerable: true });
    const r = await encodeShare(envelope([call(0, request)]));
    expect(r.ok ? 'ok' : r.reason).toBe('forbidden-key');
  });

  test('inputsIncluded: false with a plaintext still in the log is refused (encode and decode)', async () => {
    const withInput = { ...call(0, { KeyId: 'alias/a', Plaintext: { $bytes: 'aGVsbG8=' } }, 'Encrypt'), secretMembers: ['Plaintext'] } as LogEntry;
    const enc = await encodeShare(envelope([withInput]));
    expect(enc).toMatchObject({ ok: false, reason: 'invalid-envelope', message: expect.stringMatching(/entry 0 carries a secret input/) });
    expect(await decode(linkOfText(JSON.stringify(envelope([withInput]))))).toMatchObject({ reason: 'invalid-envelope', entryIndex: 0 });
    expect((await encodeShare(envelope([withInput], { inputsIncluded: true }))).ok).toBe(true);
    expect((await encodeShare(envelope(withoutInputs([withInput]), { inputsIncluded: false }))).ok).toBe(true);
  });

  test('HTML and script in every string field decode as plain data', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&</textarea>';
    const log = [
      call(0, { Description: evil, Tags: [{ TagKey: evil, TagValue: evil }], Policy: evil }),
      { kind: 'world', seq: 1, at: 1_000, edit: { op: 'putIdentityPolicy', principalArn: evil, policyName: evil, document: evil } },
      { ...call(2, { AliasName: evil }), outcome: { ok: false, error: evil }, caller: { ...CALLER, userAgent: evil } },
    ] as LogEntry[];
    const env = envelope(log, { lesson: { id: 'lesson-3', params: { tenant: evil } } });
    const enc = await encodeShare(env);
    expect(enc.ok).toBe(true);
    const r = await decode(enc.ok ? enc.fragment : '');
    expect(r).toEqual({ ok: true, envelope: env });
  });

  test('versions too new or too old, and newer simulator semantics, are refused', async () => {
    const text = (patch: Record<string, unknown>) => linkOfText(JSON.stringify({ ...envelope(), ...patch }));
    const newer = await decode(text({ formatVersion: 2 }));
    expect(newer.reason).toBe('version-too-new');
    expect(newer.ok ? '' : newer.message).toMatch(/newer version/);
    const older = await decode(text({ formatVersion: 0 }));
    expect(older.reason).toBe('version-too-old');
    expect(older.ok ? '' : older.message).toMatch(/older than the oldest/);
    expect((await decode(text({ formatVersion: -3 }))).reason).toBe('version-too-old');
    expect((await decode(text({ formatVersion: 1 }), { limits: {} })).ok).toBe(true);
    expect((await decode(text({ sem: CURRENT_SEM + 1 }))).reason).toBe('semantics-too-new');
    expect((await decode(text({ formatVersion: '1' }))).reason).toBe('not-an-envelope');
  });

  test('envelope fields are checked', async () => {
    const text = (patch: Record<string, unknown>) => linkOfText(JSON.stringify({ ...envelope(), ...patch }));
    for (const patch of [{ seed: 'xyz' }, { seed: 'AB'.repeat(32) }, { start: -1 }, { inputsIncluded: 'yes' }, { extra: 1 }, { lesson: { id: '../etc' } }, { lesson: { id: 'a', run: 'code' } }, { log: {} }]) {
      const r = await decode(text(patch));
      expect(r.reason, JSON.stringify(patch)).toBe('invalid-envelope');
    }
  });

  test('100,000 entries are refused as too many (before any entry is looked at)', async () => {
    const text = JSON.stringify({ ...envelope(), log: Array.from({ length: 100_000 }, () => ({})) });
    const link = linkOfText(text);
    expect(link.length).toBeLessThan(SHARE_LIMITS.maxLinkLength);
    const r = await decode(link);
    expect(r.reason).toBe('too-many-entries');
    expect(r.ok ? '' : r.message).toMatch(/100,000/);
    expect(importFile(text).reason).toBe('too-many-entries');
  });

  test('an invalid entry is refused with its index and what is wrong', async () => {
    const log = [call(0, {}), { ...call(1, {}), caller: { ...CALLER, accountId: 'nope' } }] as LogEntry[];
    const r = await decode(linkOfText(JSON.stringify(envelope(log))));
    expect(r).toMatchObject({ ok: false, reason: 'invalid-entry', entryIndex: 1 });
    expect(r.ok ? '' : r.message).toMatch(/Log entry 1: .*caller\.accountId/);
    const gap = await decode(linkOfText(JSON.stringify(envelope([call(0, {}), call(2, {})]))));
    expect(gap).toMatchObject({ reason: 'invalid-entry', entryIndex: 1 });
    const tag = await decode(linkOfText(JSON.stringify(envelope([call(0, { Plaintext: { $eval: 'x' } })]))));
    expect(tag).toMatchObject({ reason: 'invalid-entry', entryIndex: 0 });
    expect(tag.ok ? '' : tag.message).toMatch(/unknown tag/);
  });

  test('an output reference ($output) is a known tag; a malformed one is refused at the door', async () => {
    const ok = await decode(linkOfText(JSON.stringify(envelope([call(0, {}), call(1, { CiphertextBlob: { $output: [0, 'CiphertextBlob'] } })]))));
    expect(ok).toMatchObject({ ok: true });
    for (const bad of [[0], [-1, 'CiphertextBlob'], [0.5, 'CiphertextBlob'], ['0', 'CiphertextBlob'], [0, ''], [0, 'x'.repeat(129)], '0/CiphertextBlob', { seq: 0 }]) {
      const r = await decode(linkOfText(JSON.stringify(envelope([call(0, { CiphertextBlob: { $output: bad } })]))));
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, reason: 'invalid-entry', entryIndex: 0 });
      expect(r.ok ? '' : r.message).toMatch(/malformed \$output/);
    }
    // Whether it names an earlier output is replay's check (typed invalid-entry there).
  });

  test('deep nesting is refused, not a stack overflow', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const r = await decode(linkOfText(`{"format":"kms-playground","x":${deep}}`));
    expect(r.reason).toBe('bad-json');
  });
});

describe('links and files', () => {
  test('shareLink and readShareFragment', async () => {
    const fragment = await encodeFragment(envelope());
    const url = shareLink('https://example.test/app/?x=1#old', fragment);
    expect(url).toBe(`https://example.test/app/?x=1#sandbox=${fragment}`);
    expect(readShareFragment(new URL(url).hash)).toBe(fragment);
    expect(readShareFragment(`#lesson=3&sandbox=${fragment}`)).toBe(fragment);
    expect(readShareFragment('#lesson=3')).toBeNull();
    expect(readShareFragment('')).toBeNull();
  });

  test('encodeShare flags a link longer than 8,000 characters (use a file export) and the file still imports', async () => {
    const log = Array.from({ length: 400 }, (_, i) => call(i, { Description: `${i}-${Math.sin(i).toString(36)}-${Math.cos(i * 7).toString(36)}` }));
    const env = envelope(log);
    const r = await encodeShare(env);
    expect(r.ok).toBe(false);
    expect(r).toMatchObject({ reason: 'too-long' });
    expect(r.length!).toBeGreaterThan(SHARE_LIMITS.maxLinkLength);
    expect(r.ok ? '' : r.message).toMatch(/file export/);
    expect(importFile(exportSandboxFile(env))).toEqual({ ok: true, envelope: env });
  });

  test('importSandboxFile: empty, too long, not JSON', () => {
    expect(importFile('  ').reason).toBe('empty');
    expect(importFile('{}', { limits: { maxFileLength: 1 } }).reason).toBe('too-long');
    expect(importFile('<html>').reason).toBe('bad-json');
  });
});
