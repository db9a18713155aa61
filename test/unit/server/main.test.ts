/**
 * End-to-end: the CLI as `npm run serve` starts it (a spawned Node process running
 * src/server/main.ts through tsx), with real sockets, signals and exit codes.
 */
import { createServer, type Server } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kmsCall, spawnServe, tempDir, type ServeProcess } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
const procs: ServeProcess[] = [];
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  for (const p of procs.splice(0)) p.kill();
  await cleanup();
});

function serve(args: string[]): ServeProcess {
  const p = spawnServe(args);
  procs.push(p);
  return p;
}

/** Output must explain, not dump: no stack frames. */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

describe('npm run serve (spawned)', () => {
  it('--port 0 prints the real port; --data persists across a SIGINT stop and a restart', async () => {
    const dataFile = join(dir, 'sandbox.json');
    const first = serve(['--port', '0', '--data', dataFile, '--trail']);
    const url = await first.url();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    expect(first.stdout()).toContain('AKIAALICEEXAMPLE');

    const created = await kmsCall(url, 'CreateKey', { Description: 'survives restarts' });
    expect(created.status).toBe(200);
    const keyId = (created.json.KeyMetadata as { KeyId: string }).KeyId;
    const enc = await kmsCall(url, 'Encrypt', { KeyId: keyId, Plaintext: 'c3Vydml2ZQ==' });

    expect(await first.stop('SIGINT')).toBe(0);
    expect(first.stderr()).toContain('stopped.');
    expect(first.stdout()).toContain(`requestID ${created.requestId}`);
    expectNoStack(first.stderr());

    const second = serve(['--port', '0', '--data', dataFile]);
    const url2 = await second.url();
    expect(second.stdout()).toContain('(loaded;');
    const keys = await kmsCall(url2, 'ListKeys');
    expect(keys.json.Keys).toEqual([expect.objectContaining({ KeyId: keyId })]);
    const dec = await kmsCall(url2, 'Decrypt', { CiphertextBlob: enc.json.CiphertextBlob });
    expect(dec.json.Plaintext).toBe('c3Vydml2ZQ==');

    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('a port in use: one clear line, exit code 1, no stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const p = serve(['--port', String(port)]);
      expect(await p.exited).toBe(1);
      expect(p.stderr()).toBe(`serve: Port ${port} on 127.0.0.1 is already in use (another endpoint, LocalStack or moto?). Stop it, or pick another port with --port.\n`);
      expect(p.stdout()).toBe('');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('bad flags: the message and the usage text, exit code 2', async () => {
    const p = serve(['--port', 'many']);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/^serve: --port: expected a number/);
    expect(p.stderr()).toContain('Usage: npm run serve -- [options]');
    expectNoStack(p.stderr());
  });

  it('a damaged share link for --sandbox: the reason, exit code 1', async () => {
    const p = serve(['--port', '0', '--sandbox', 'https://example.com/#sandbox=1.abc']);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/^serve: --sandbox: the link was refused \([a-z-]+\): /);
  });

  it('a refused --data file: the reason, exit code 1, file untouched', async () => {
    const dataFile = join(dir, 'newer.json');
    const text = '{"schema":{"schemaVersion":1,"sequences":{"kms.key":99}},"records":[]}';
    await writeFile(dataFile, text);
    const p = serve(['--port', '0', '--data', dataFile]);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/^serve: --data: .*newer\.json was refused \(version-too-new\): .*The file was left as it is\.\n$/);
    expectNoStack(p.stderr());
    expect(await readFile(dataFile, 'utf8')).toBe(text);
  });

  it('--help prints the usage and exits 0', async () => {
    const p = serve(['--help']);
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toContain('--trail-file FILE');
  });
});
