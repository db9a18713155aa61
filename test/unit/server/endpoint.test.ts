import { createServer } from 'node:net';
import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLE_OF, type AnyRecord, type LogEntry, type TypeName } from '../../../src/kms';
import { startEndpoint, type Endpoint, type EndpointOptions } from '../../../src/server/endpoint';
import { snapshotText } from '../../../src/server/fileRepository';
import { createWireHandler, type WireHandler } from '../../../src/wire';
import { CURRENT_SEM, encodeShare, exportSandboxFile, FORMAT_VERSION, SHARE_FORMAT, withoutInputs, type ShareEnvelope } from '../../../src/share';
import { makeHarness } from '../kms/harness';
import { ALICE_KEY, kmsCall, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
const running: Endpoint[] = [];
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  await cleanup();
});

interface Started {
  endpoint: Endpoint;
  out: string[];
  err: string[];
}

async function start(opts: Partial<EndpointOptions> = {}): Promise<Started> {
  const out: string[] = [];
  const err: string[] = [];
  const r = await startEndpoint({ host: '127.0.0.1', port: 0, out: (l) => out.push(l), err: (l) => err.push(l), ...opts });
  if (!r.ok) throw new Error(`did not start: ${r.reason}: ${r.message}`);
  running.push(r.value);
  return { endpoint: r.value, out, err };
}

async function refusedStart(opts: Partial<EndpointOptions>) {
  const r = await startEndpoint({ host: '127.0.0.1', port: 0, out: () => undefined, err: () => undefined, ...opts });
  if (r.ok) {
    running.push(r.value);
    throw new Error('started');
  }
  return r;
}

async function createKey(url: string, description = 'k'): Promise<string> {
  const r = await kmsCall(url, 'CreateKey', { Description: description });
  expect(r.status).toBe(200);
  return (r.json.KeyMetadata as { KeyId: string }).KeyId;
}

async function listKeyIds(url: string): Promise<string[]> {
  const r = await kmsCall(url, 'ListKeys');
  return (r.json.Keys as { KeyId: string }[]).map((k) => k.KeyId);
}

function records(repoLike: { list<T extends TypeName>(t: T): readonly unknown[] }): unknown[] {
  return (Object.keys(TABLE_OF) as TypeName[]).flatMap((t) => [...repoLike.list(t)]);
}

describe('startEndpoint', () => {
  it('prints the endpoint, the Region hint, every access key and examples', async () => {
    const { endpoint } = await start();
    const lines = endpoint.banner.split('\n');
    expect(lines[0]).toBe(`KMS Playground endpoint: ${endpoint.url}`);
    expect(endpoint.banner).toMatch(/Region: .*us-east-1/);
    expect(endpoint.banner).toMatch(/Sandbox: +in memory/);
    for (const p of endpoint.service.world.listPrincipals()) {
      expect(lines.some((l) => l.includes(p.accessKeyId) && l.includes(p.arn)), p.arn).toBe(true);
    }
    expect(endpoint.banner).toContain("(e.g. `test`) act as the learner's root, arn:aws:iam::111122223333:root");
    expect(endpoint.banner).toContain(`aws kms create-key --description demo --endpoint-url ${endpoint.url}`);
    expect(endpoint.banner).toContain(`new KMSClient({ region: 'us-east-1', endpoint: '${endpoint.url}',`);
    expect(endpoint.banner).toContain('Ctrl-C');
  });

  it('serves calls as the principal of each access key; unknown keys act as the learner’s root', async () => {
    const { endpoint } = await start();
    const keyId = await createKey(endpoint.url);
    const enc = await kmsCall(endpoint.url, 'Encrypt', { KeyId: keyId, Plaintext: 'aGVsbG8=' }, 'test');
    expect(enc.status).toBe(200);
    const dec = await kmsCall(endpoint.url, 'Decrypt', { CiphertextBlob: enc.json.CiphertextBlob });
    expect(dec.json.Plaintext).toBe('aGVsbG8=');

    const denied = await kmsCall(endpoint.url, 'Encrypt', { KeyId: keyId, Plaintext: 'aGVsbG8=' }, ALICE_KEY);
    expect(denied.status).toBe(400);
    expect(denied.json.__type).toBe('AccessDeniedException');
    expect(String(denied.json.message)).toContain('arn:aws:iam::111122223333:user/alice');
  });

  it('--trail prints one line per call with the request id the caller saw', async () => {
    const { endpoint, out } = await start({ isTrail: true });
    expect(endpoint.banner).toMatch(/Trail: +one line per call/);
    const created = await kmsCall(endpoint.url, 'CreateKey');
    const denied = await kmsCall(endpoint.url, 'ListKeys', {}, ALICE_KEY);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}CreateKey by root on key [0-9a-f]{8}… — OK {2}requestID /);
    expect(out[0]!.endsWith(`requestID ${created.requestId}`)).toBe(true);
    expect(out[1]).toContain('ListKeys by user/alice — AccessDeniedException');
    expect(out[1]!.endsWith(`requestID ${denied.requestId}`)).toBe(true);
  });

  it('--trail-file appends every new CloudTrail record as one JSON line, across restarts', async () => {
    const trailFile = join(dir, 'trail.jsonl');
    const data = join(dir, 'sb.json');
    const first = await start({ trailFile, dataFile: data });
    const a = await kmsCall(first.endpoint.url, 'CreateKey');
    const b = await kmsCall(first.endpoint.url, 'Encrypt', { KeyId: (a.json.KeyMetadata as { KeyId: string }).KeyId, Plaintext: 'c2VjcmV0' });
    await first.endpoint.stop();
    const second = await start({ trailFile, dataFile: data });
    const c = await kmsCall(second.endpoint.url, 'ListKeys');
    await second.endpoint.stop();

    const lines = (await readFile(trailFile, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    const recs = lines.slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.map((r) => r.eventName)).toEqual(['CreateKey', 'Encrypt', 'ListKeys']);
    expect(recs.map((r) => r.requestID)).toEqual([a.requestId, b.requestId, c.requestId]);
    expect(recs[1]!.eventSource).toBe('kms.amazonaws.com');
    // CloudTrail never holds plaintext or ciphertext (§10).
    expect(lines.join('\n')).not.toContain('c2VjcmV0');
    expect(lines.join('\n')).not.toContain(String(b.json.CiphertextBlob));
  });

  it('--data keeps the sandbox across a restart', async () => {
    const dataFile = join(dir, 'sb.json');
    const first = await start({ dataFile, seed: new Uint8Array(32).fill(1) });
    expect(first.endpoint.banner).toContain(`Sandbox:  ${dataFile} (new;`);
    const keyId = await createKey(first.endpoint.url, 'kept');
    const enc = await kmsCall(first.endpoint.url, 'Encrypt', { KeyId: keyId, Plaintext: 'AQID' });
    await first.endpoint.stop();

    const second = await start({ dataFile, seed: new Uint8Array(32).fill(2) });
    expect(second.endpoint.banner).toContain(`Sandbox:  ${dataFile} (loaded;`);
    expect(second.err).toEqual(['--seed ignored: this sandbox already has its seed (it keeps its keys and random streams).']);
    expect(await listKeyIds(second.endpoint.url)).toEqual([keyId]);
    const dec = await kmsCall(second.endpoint.url, 'Decrypt', { CiphertextBlob: enc.json.CiphertextBlob });
    expect(dec.json.Plaintext).toBe('AQID');
  });

  it('--seed makes a new sandbox reproducible', async () => {
    const seed = new Uint8Array(32).fill(9);
    const a = await start({ seed });
    const b = await start({ seed });
    expect(await createKey(a.endpoint.url)).toBe(await createKey(b.endpoint.url));
  });

  it('stop() finishes a call in flight and its write before resolving', async () => {
    const dataFile = join(dir, 'sb.json');
    let entered!: () => void;
    const isEntered = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const createHandler = (service: Parameters<typeof createWireHandler>[0]): WireHandler => {
      const real = createWireHandler(service);
      return async (req) => {
        entered();
        await gate;
        return real(req);
      };
    };
    const { endpoint } = await start({ dataFile, createHandler });
    const pending = kmsCall(endpoint.url, 'CreateKey', { Description: 'in flight' });
    await isEntered;
    let isStopped = false;
    const stopping = endpoint.stop().then(() => (isStopped = true));
    await expect(fetch(endpoint.url, { method: 'POST' })).rejects.toThrow();
    expect(isStopped).toBe(false);
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    await stopping;

    const saved = JSON.parse(await readFile(dataFile, 'utf8')) as { records: { typeName: string; description?: string }[] };
    expect(saved.records.some((r) => r.typeName === 'key' && r.description === 'in flight')).toBe(true);
  });
});

describe('startEndpoint --sandbox', () => {
  async function exported(): Promise<{ path: string; records: AnyRecord[]; keyId: string }> {
    const h = await makeHarness({ seed: 3 });
    const { keyId } = await h.createKey({ Description: 'exported' });
    const recs = records(h.repo) as AnyRecord[];
    const path = join(dir, 'export.json');
    await writeFile(path, snapshotText(recs));
    return { path, records: recs, keyId };
  }

  it('starts an in-memory sandbox from an exported file', async () => {
    const src = await exported();
    const { endpoint } = await start({ sandboxFile: src.path });
    expect(endpoint.banner).toContain(`in memory, started from ${src.path}`);
    expect(await listKeyIds(endpoint.url)).toEqual([src.keyId]);
  });

  it('copies it into a new --data file at once', async () => {
    const src = await exported();
    const dataFile = join(dir, 'work.json');
    const { endpoint } = await start({ sandboxFile: src.path, dataFile });
    expect(endpoint.banner).toContain(`(new, copied from ${src.path};`);
    const saved = JSON.parse(await readFile(dataFile, 'utf8')) as { records: unknown[] };
    expect(saved.records).toHaveLength(src.records.length);
    expect(await listKeyIds(endpoint.url)).toEqual([src.keyId]);
  });

  it('refuses when the --data file already exists, touching neither file', async () => {
    const src = await exported();
    const dataFile = join(dir, 'work.json');
    await writeFile(dataFile, 'existing');
    const r = await refusedStart({ sandboxFile: src.path, dataFile });
    expect(r.reason).toBe('data-exists');
    expect(r.message).toContain(`${dataFile} already holds a sandbox`);
    expect(await readFile(dataFile, 'utf8')).toBe('existing');
  });

  it('refuses a missing or unreadable export with the reason', async () => {
    const missing = await refusedStart({ sandboxFile: join(dir, 'nope.json') });
    expect(missing).toMatchObject({ reason: 'sandbox-missing' });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"schema":{"schemaVersion":7,"sequences":{}},"records":[]}');
    const refused = await refusedStart({ sandboxFile: bad });
    expect(refused.reason).toBe('sandbox-refused');
    expect(refused.message).toContain('(version-too-new)');
  });
});

describe('startEndpoint --sandbox with a share link or share file (issue 6)', () => {
  /** A sandbox shared the way the page shares it: seed + call log, inputs left out. */
  async function shared() {
    const h = await makeHarness({ seed: 9 });
    const { keyId } = await h.createKey({ Description: 'shared' });
    const enc = await h.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1, 2, 3]) });
    const meta = h.repo.get('meta', 'sandbox')!;
    const envelope: ShareEnvelope<LogEntry> = {
      format: SHARE_FORMAT,
      formatVersion: FORMAT_VERSION,
      sem: CURRENT_SEM,
      seed: meta.seed,
      start: meta.createdAt,
      log: withoutInputs(h.repo.list('logEntry').map((r) => r.entry)),
      inputsIncluded: false,
    };
    const link = await encodeShare(envelope);
    if (!link.ok) throw new Error(link.message);
    return { keyId, ciphertext: enc.CiphertextBlob as Uint8Array, envelope, link: `https://playground.example/#sandbox=${link.fragment}`, trail: h.repo.list('trailEvent').length };
  }

  it('starts from a share link: same keys, and a ciphertext made before sharing decrypts', async () => {
    const src = await shared();
    const { endpoint } = await start({ sandboxLink: src.link });
    expect(endpoint.banner).toContain('started from the share link');
    expect(await listKeyIds(endpoint.url)).toEqual([src.keyId]);
    const r = await kmsCall(endpoint.url, 'Decrypt', { CiphertextBlob: Buffer.from(src.ciphertext).toString('base64') });
    expect(r.status).toBe(200);
    expect(Buffer.from(r.json.Plaintext as string, 'base64')).toEqual(Buffer.from([1, 2, 3]));
  });

  it('starts from a share export file', async () => {
    const src = await shared();
    const path = join(dir, 'shared.kms-sandbox.json');
    await writeFile(path, exportSandboxFile(src.envelope));
    const { endpoint } = await start({ sandboxFile: path });
    expect(await listKeyIds(endpoint.url)).toEqual([src.keyId]);
  });

  it('refuses a damaged or hostile link with the reason, and starts nothing', async () => {
    for (const [link, reason] of [
      ['https://x.example/#sandbox=1.%%%', 'bad-base64'],
      ['https://x.example/#sandbox=9.abc', 'unknown-encoding'],
      ['https://x.example/#nothing', 'no #sandbox= part'],
    ] as const) {
      const r = await refusedStart({ sandboxLink: link });
      expect(r.reason).toBe('sandbox-refused');
      expect(r.message).toContain(reason);
    }
  });
});

describe('startEndpoint failures', () => {
  it('refuses a --data file it cannot load and leaves it untouched', async () => {
    const dataFile = join(dir, 'sb.json');
    await writeFile(dataFile, 'not json at all');
    const r = await refusedStart({ dataFile });
    expect(r.reason).toBe('data-refused');
    expect(r.message).toMatch(/^--data: .*sb\.json was refused \(unknown-format\): snapshot: not JSON \(SyntaxError\)\. The file was left as it is\.$/);
    expect(await readFile(dataFile, 'utf8')).toBe('not json at all');
    expect(await readdir(dir)).toEqual(['sb.json']);
  });

  it('a call whose write fails is a KMSInternalException, and changes nothing', async () => {
    const dataFile = join(dir, 'sb.json');
    const { endpoint, out } = await start({ dataFile, isTrail: true });
    const before = await readFile(dataFile, 'utf8');
    await mkdir(`${dataFile}.tmp`); // the temporary file cannot be created
    const failed = await kmsCall(endpoint.url, 'CreateKey');
    expect(failed.status).toBe(500);
    expect(failed.json.__type).toBe('KMSInternalException');
    expect(await readFile(dataFile, 'utf8')).toBe(before);
    expect(out).toEqual([]); // nothing committed, so no trail line either
    await rmdir(`${dataFile}.tmp`);
    expect(await listKeyIds(endpoint.url)).toEqual([]);
  });

  it('a port in use fails before any file is created', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await refusedStart({ port, dataFile: join(dir, 'sb.json') });
      expect(r.reason).toBe('listen-failed');
      expect(r.message).toBe(`Port ${port} on 127.0.0.1 is already in use (another endpoint, LocalStack or moto?). Stop it, or pick another port with --port.`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
