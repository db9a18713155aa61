/**
 * The Code panel's headless parts (src/ui/code, src/ui/sdk): every example program runs with the
 * real @aws-sdk/client-kms against an in-process sandbox and prints what it promises; the runner
 * turns thrown and syntax errors into `name: message` and formats printed values. (Kept with the
 * console's tests: both are issue 4's in-page clients, and neither mounts a component.)
 */
import * as kms from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../src/ui/code/examples';
import { formatValue, runSnippet } from '../../../src/ui/code/runSnippet';
import { createSandboxClient } from '../../../src/ui/sdk/sandboxClient';
import { makeHarness } from '../kms/harness';

async function sandboxWithOrders() {
  const h = await makeHarness();
  const { keyId } = await h.createKey({ Description: 'Orders service data key' });
  await h.call('CreateAlias', { AliasName: 'alias/orders', TargetKeyId: keyId });
  return h;
}

async function runExample(id: string, accessKeyId = 'AKIAIOSFODNN7EXAMPLE') {
  const h = await sandboxWithOrders();
  const client = createSandboxClient(h.service, { accessKeyId, region: 'us-east-1' });
  const lines: string[] = [];
  const code = EXAMPLES.find((e) => e.id === id)!.code;
  const result = await runSnippet(code, { client, kms, crypto: globalThis.crypto as Crypto }, (t) => lines.push(t));
  return { h, result, lines };
}

describe('Code panel examples', () => {
  it('hello: lists keys and describes alias/orders', async () => {
    const { result, lines } = await runExample('hello');
    expect(result).toEqual({ ok: true });
    expect(lines[0]).toBe('Keys in this account and Region: 1');
    expect(lines[1]).toMatch(/^[0-9a-f-]{36} Enabled Orders service data key$/);
  });

  it('envelope encryption: GenerateDataKey, AES-GCM, Decrypt', async () => {
    const { h, result, lines } = await runExample('envelope');
    expect(result).toEqual({ ok: true });
    expect(lines.at(-1)).toBe('Decrypted: Order #1002: 3 x flat white');
    expect(h.repo.list('trailEvent').slice(-2).map((t) => t.record.eventName)).toEqual(['GenerateDataKey', 'Decrypt']);
  });

  it('grants: alice decrypts with a grant token, then is denied after RevokeGrant', async () => {
    const { result, lines } = await runExample('grants');
    expect(result).toEqual({ ok: true });
    expect(lines[1]).toBe('alice decrypted: for alice only');
    expect(lines[2]).toMatch(/^After RevokeGrant: AccessDeniedException - User: arn:aws:iam::111122223333:user\/alice is not authorized/);
  });

  it('ReEncrypt: the new ciphertext decrypts under the destination key', async () => {
    const { result, lines } = await runExample('reencrypt');
    expect(result).toEqual({ ok: true });
    const source = lines[0]!.split(/\s+/).at(-1);
    const destination = lines[1]!.split(/\s+/).at(-1);
    expect(source).not.toBe(destination);
    expect(lines[2]).toBe(`quarterly numbers decrypted by ${destination}`);
  });

  it('errors: catches an SDK exception class, then reports the uncaught one', async () => {
    const { result, lines } = await runExample('errors');
    expect(lines[0]).toMatch(/^true NotFoundException 400 Alias arn:aws:kms:us-east-1:111122223333:alias\/does-not-exist is not found\.$/);
    expect(result).toMatchObject({ ok: false, name: 'ValidationException' });
  });

  it('runs as the picked principal', async () => {
    const { result } = await runExample('envelope', 'AKIAALICEEXAMPLE');
    expect(result).toMatchObject({ ok: false, name: 'AccessDeniedException' });
  });
});

describe('runSnippet', () => {
  const scope = { client: null, kms: null, crypto: globalThis.crypto as Crypto };

  it('reports syntax errors and non-Error throws without throwing', async () => {
    expect(await runSnippet('this is not javascript', scope, () => undefined)).toMatchObject({ ok: false, name: 'SyntaxError' });
    expect(await runSnippet('throw "plain"', scope, () => undefined)).toEqual({ ok: false, name: 'Error', message: 'plain' });
    expect(await runSnippet('await Promise.reject(new RangeError("r"))', scope, () => undefined)).toEqual({ ok: false, name: 'RangeError', message: 'r' });
  });

  it('prints values as text', async () => {
    const lines: string[] = [];
    await runSnippet('print("a", 1, null, undefined, new Uint8Array([1, 2]), { d: new Date(0), b: new Uint8Array([255]) }); const o = {}; o.o = o; print(o)', scope, (t) => lines.push(t));
    expect(lines[0]).toBe('a 1 null undefined <2 bytes, base64 AQI=> {\n  "d": "1970-01-01T00:00:00.000Z",\n  "b": "<1 bytes, base64 /w==>"\n}');
    expect(lines[1]).toBe('{\n  "o": "[Circular]"\n}');
    expect(formatValue(new TypeError('t'))).toBe('TypeError: t');
  });
});
