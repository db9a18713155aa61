/**
 * The wire part of the benchmark (issue 4, "Benchmark"): SDK GenerateDataKey + Decrypt pairs per
 * second, each pair two sequential `client.send`s of the real `@aws-sdk/client-kms` (the Decrypt
 * takes the GenerateDataKey's CiphertextBlob), against the sandbox and against a floor that answers
 * the same calls with canned responses and no work:
 *
 *   in-process  sandbox: KMSClient({ requestHandler: createSdkRequestHandler(createWireHandler(service)) })
 *               floor:   KMSClient({ requestHandler: <one precomputed response per target> })
 *   HTTP        sandbox: KMSClient({ endpoint }) → startHttpServer (src/server, the transport of
 *                        `npm run serve`) → createWireHandler(service), on 127.0.0.1
 *               floor:   KMSClient({ endpoint }) → a plain node:http server writing the canned bytes
 *
 * The canned responses are real ones: one GenerateDataKey and one Decrypt answered by the wire
 * handler before the measurement, kept as bytes (same size, same headers). The SDK itself is the
 * bottleneck, so the target is a ratio: sandbox within 1.25× of the floor (floor pairs/s ÷
 * sandbox pairs/s ≤ 1.25), for each transport.
 *
 * Runs from bench/core.ts in both environments. The in-process pair runs everywhere (the page
 * bundles the SDK); the HTTP pair is Node only: the page cannot open a server, and its fetch-based
 * SDK handler would be measuring Chromium's network stack instead. Node modules are imported
 * dynamically behind a Node check with specifiers Vite leaves alone, so the page bundle has none.
 *
 * Sampling as in core.ts: a warm-up, then `samples` rounds, each taking one ≥ `sampleMs` sample of
 * floor then sandbox (interleaved); each sandbox sample starts on a fresh in-memory sandbox (the
 * trail grows only within a sample). Ratios are of the medians, with the min–max of per-round ratios.
 * For information, the in-process rounds also time the two `service.call`s alone and the wire
 * handler alone (over a stub service), so the report can say where a sandbox pair's time goes.
 */
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { createKmsService, type KmsService } from '../src/kms';
import { autoBackend, createSeededRandom, webCryptoBackend } from '../src/kms/crypto';
import type { CryptoBackend } from '../src/kms';
import { createMemoryRepository } from '../src/kms/store';
import { toTrailRecord } from '../src/trail';
import { createSdkRequestHandler, createWireHandler, type WireHandler, type WireRequest, type WireResponse } from '../src/wire';
import type { BenchHost, Stat } from './core';

/** Target of issue 4: the sandbox within this factor of the canned floor, per transport. */
export const WIRE_RATIO_TARGET = 1.25;

/** Floor vs sandbox for one transport. */
export interface WirePairResult {
  /** pairs/s against canned responses. */
  readonly floor: Stat;
  /** pairs/s against the sandbox. */
  readonly sandbox: Stat;
  /** floor ÷ sandbox (of the medians); lower is better, 1.0 = no cost over the floor. */
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  /**
   * In-process only, for information (where a sandbox pair's time goes), sampled in the same
   * rounds: the two `service.call`s alone (no SDK, no wire), and the wire handler alone over a
   * stub service that returns the canned response objects (no SDK, no service work).
   */
  readonly parts?: { readonly servicePair: Stat; readonly wirePair: Stat };
}

/** What the wire part measured in one environment (null: not measured there, see `notes`). */
export interface WireResult {
  readonly inProcess: WirePairResult | null;
  readonly http: WirePairResult | null;
  /** Why a part was skipped, and what exactly ran. */
  readonly notes: readonly string[];
}

/** Sampling parameters and the median helper, passed in by core.ts (which owns them). */
export interface WireBenchOptions {
  readonly samples: number;
  readonly sampleMs: number;
  readonly stat: (samples: readonly number[]) => Stat;
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' };
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

const CALLER = { principalArn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', region: REGION } as Parameters<KmsService['call']>[2];

/**
 * The sandbox's CryptoBackend, as each environment's production wiring has it: `autoBackend` in
 * Node (as the local endpoint, src/server: noble for small inputs, no thread-pool hop) and
 * `webCryptoBackend` in the browser (as the app).
 */
export function serviceBackend(): CryptoBackend {
  return isNode() ? autoBackend : webCryptoBackend;
}

/** A fresh in-memory sandbox (fixed clock, seeded DRBG, `serviceBackend()`) with one symmetric key. */
async function sandbox(): Promise<{ service: KmsService; wire: WireHandler; keyId: string }> {
  const service = await createKmsService({
    repository: createMemoryRepository(),
    clock: { now: () => T0 },
    random: createSeededRandom(new Uint8Array(32).fill(4)),
    crypto: serviceBackend(),
    recordTrail: toTrailRecord,
  });
  const created = await service.call('CreateKey', { Description: 'wire bench' }, CALLER);
  return { service, wire: createWireHandler(service), keyId: (created.KeyMetadata as { KeyId: string }).KeyId };
}

/** A real GenerateDataKey and Decrypt response, answered once by the wire handler, as bytes. */
interface Canned {
  readonly headers: Readonly<Record<string, string>>;
  readonly generateDataKey: Uint8Array;
  readonly decrypt: Uint8Array;
  /** The same two responses as the service returned them (for the wire-only stub). */
  readonly objects: { readonly generateDataKey: Record<string, unknown>; readonly decrypt: Record<string, unknown> };
  /** The requests' JSON bodies as the SDK sends them. */
  readonly requests: { readonly generateDataKey: string; readonly decrypt: string };
}

/** A JSON 1.1 request with the headers the SDK sends (the signature is not checked). */
function wireRequest(target: string, body: string): WireRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${target}`,
      'x-amz-date': '20260115T120000Z',
      'x-amz-user-agent': 'aws-sdk-js/3.1164.0 ua/2.1 api/kms#3.1164.0',
      authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260115/${REGION}/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    },
    body,
  };
}

async function cannedResponses(): Promise<Canned> {
  const { service, wire, keyId } = await sandbox();
  const ok = (r: WireResponse): WireResponse => {
    if (r.statusCode !== 200) throw new Error(`canned response: ${r.statusCode} ${r.body}`);
    return r;
  };
  const gdkRequest = JSON.stringify({ KeyId: keyId, KeySpec: 'AES_256' });
  const gdk = ok(await wire(wireRequest('GenerateDataKey', gdkRequest)));
  const decRequest = JSON.stringify({ CiphertextBlob: (JSON.parse(gdk.body) as { CiphertextBlob: string }).CiphertextBlob });
  const dec = ok(await wire(wireRequest('Decrypt', decRequest)));
  const gdkObject = await service.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }, CALLER);
  const decObject = await service.call('Decrypt', { CiphertextBlob: gdkObject.CiphertextBlob }, CALLER);
  const enc = new TextEncoder();
  return {
    headers: gdk.headers,
    generateDataKey: enc.encode(gdk.body),
    decrypt: enc.encode(dec.body),
    objects: { generateDataKey: gdkObject, decrypt: decObject },
    requests: { generateDataKey: gdkRequest, decrypt: decRequest },
  };
}

const isDecrypt = (target: string | string[] | undefined) => target === 'TrentService.Decrypt';

/** The in-process floor: the SDK's requestHandler answering each call with its canned bytes. */
function cannedRequestHandler(canned: Canned) {
  return {
    metadata: { handlerProtocol: 'kms-playground/canned' },
    async handle(request: { headers: Record<string, string> }) {
      const body = isDecrypt(request.headers['x-amz-target']) ? canned.decrypt : canned.generateDataKey;
      return { response: { statusCode: 200, headers: { ...canned.headers }, body } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {},
  };
}

/** Runs SDK GenerateDataKey + Decrypt pairs for ≥ `ms`; returns pairs/s. */
async function pairsPerSecond(client: KMSClient, keyId: string, ms: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    const dk = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    await client.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    n++;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** One checked pair (the figures must come from calls that work). */
async function checkPair(client: KMSClient, keyId: string, label: string): Promise<void> {
  const dk = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
  const back = await client.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
  const a = dk.Plaintext;
  const b = back.Plaintext;
  if (!a || !b || a.length !== 32 || b.length !== 32 || a.some((x, i) => x !== b[i])) throw new Error(`${label}: the GenerateDataKey + Decrypt pair does not round-trip`);
}

/**
 * Floor vs sandbox, interleaved per round. `sandboxClient(wire)` points a client at a fresh
 * sandbox's handler for each sample; `floorClient` answers canned.
 */
async function measurePair(
  host: BenchHost,
  label: string,
  opts: WireBenchOptions,
  floorClient: KMSClient,
  sandboxClient: (wire: WireHandler) => KMSClient,
  extras: Record<string, (sb: { service: KmsService; keyId: string }) => () => Promise<unknown>> = {},
): Promise<{ pair: WirePairResult; extras: Record<string, Stat> }> {
  let sb = await sandbox();
  await checkPair(floorClient, sb.keyId, `${label} floor`);
  await checkPair(sandboxClient(sb.wire), sb.keyId, `${label} sandbox`);
  host.log(`wire ${label}: warm-up`);
  await pairsPerSecond(floorClient, sb.keyId, 300);
  await pairsPerSecond(sandboxClient(sb.wire), sb.keyId, 300);
  for (const f of Object.values(extras)) await loopPerSecond(f(await sandbox()), 300);
  const floor: number[] = [];
  const sandboxed: number[] = [];
  const extraSamples: Record<string, number[]> = Object.fromEntries(Object.keys(extras).map((k) => [k, []]));
  for (let round = 0; round < opts.samples; round++) {
    floor.push(await pairsPerSecond(floorClient, sb.keyId, opts.sampleMs));
    sb = await sandbox();
    sandboxed.push(await pairsPerSecond(sandboxClient(sb.wire), sb.keyId, opts.sampleMs));
    for (const [k, f] of Object.entries(extras)) extraSamples[k]!.push(await loopPerSecond(f(await sandbox()), opts.sampleMs));
    host.log(
      `wire ${label}: round ${round + 1}/${opts.samples} floor ${floor[round]!.toFixed(0)} pairs/s, sandbox ${sandboxed[round]!.toFixed(0)} pairs/s` +
        Object.keys(extras).map((k) => `, ${k} ${extraSamples[k]![round]!.toFixed(0)}/s`).join(''),
    );
    await host.gc();
  }
  const f = opts.stat(floor);
  const s = opts.stat(sandboxed);
  const perRound = floor.map((x, i) => x / sandboxed[i]!);
  return {
    pair: { floor: f, sandbox: s, ratio: f.median / s.median, ratioMin: Math.min(...perRound), ratioMax: Math.max(...perRound) },
    extras: Object.fromEntries(Object.entries(extraSamples).map(([k, v]) => [k, opts.stat(v)])),
  };
}

/** Runs `f` sequentially for ≥ `ms`; returns runs/s. */
async function loopPerSecond(f: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    await f();
    n++;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** In-process: the SDK's requestHandler over the wire handler vs a canned requestHandler. */
async function benchInProcess(host: BenchHost, opts: WireBenchOptions, canned: Canned): Promise<WirePairResult> {
  const config = { region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  const floorClient = new KMSClient({ ...config, requestHandler: cannedRequestHandler(canned) });
  // One client per sandbox, as an app makes one client per sandbox it talks to.
  const clients = new Map<WireHandler, KMSClient>();
  const sandboxClient = (wire: WireHandler) => {
    let c = clients.get(wire);
    if (!c) clients.set(wire, (c = new KMSClient({ ...config, requestHandler: createSdkRequestHandler(wire) })));
    return c;
  };
  // Where the time goes: the service's two calls alone, and the wire handler alone over a stub
  // service answering the canned response objects (what the sandbox adds beyond the SDK's floor).
  const real = (await sandbox()).service;
  const stub: KmsService = { ...real, world: real.world, call: async (op) => (op === 'Decrypt' ? canned.objects.decrypt : canned.objects.generateDataKey) };
  const stubWire = createWireHandler(stub);
  for (const [target, body] of [['GenerateDataKey', canned.requests.generateDataKey], ['Decrypt', canned.requests.decrypt]] as const) {
    const r = await stubWire(wireRequest(target, body));
    if (r.statusCode !== 200) throw new Error(`wire-only stub: ${target} answered ${r.statusCode} ${r.body}`);
  }
  const extras = {
    'service pair': (sb: { service: KmsService; keyId: string }) => async () => {
      const dk = await sb.service.call('GenerateDataKey', { KeyId: sb.keyId, KeySpec: 'AES_256' }, CALLER);
      await sb.service.call('Decrypt', { CiphertextBlob: dk.CiphertextBlob }, CALLER);
    },
    'wire pair': () => async () => {
      await stubWire(wireRequest('GenerateDataKey', canned.requests.generateDataKey));
      await stubWire(wireRequest('Decrypt', canned.requests.decrypt));
    },
  };
  try {
    const r = await measurePair(host, 'in-process', opts, floorClient, sandboxClient, extras);
    return { ...r.pair, parts: { servicePair: r.extras['service pair']!, wirePair: r.extras['wire pair']! } };
  } finally {
    floorClient.destroy();
    for (const c of clients.values()) c.destroy();
  }
}

/**
 * The three in-process clients the wire part compares, built as `benchInProcess` builds them, for
 * bench/instructions.ts (instruction counts under valgrind): `floor` answers canned bytes,
 * `wireOnly` runs the wire handler over a stub service answering the canned response objects, and
 * `sandbox` runs the wire handler over a fresh in-memory sandbox. Each is one SDK client; `pair()`
 * is one GenerateDataKey + Decrypt through it.
 */
export async function inProcessSubjects(): Promise<{ keyId: string; pair: Record<'floor' | 'wireOnly' | 'sandbox', () => Promise<void>> }> {
  const canned = await cannedResponses();
  const config = { region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  const sb = await sandbox();
  const stub: KmsService = { ...sb.service, world: sb.service.world, call: async (op) => (op === 'Decrypt' ? canned.objects.decrypt : canned.objects.generateDataKey) };
  const clients = {
    floor: new KMSClient({ ...config, requestHandler: cannedRequestHandler(canned) }),
    wireOnly: new KMSClient({ ...config, requestHandler: createSdkRequestHandler(createWireHandler(stub)) }),
    sandbox: new KMSClient({ ...config, requestHandler: createSdkRequestHandler(sb.wire) }),
  };
  const pairOf = (client: KMSClient) => async () => {
    const dk = await client.send(new GenerateDataKeyCommand({ KeyId: sb.keyId, KeySpec: 'AES_256' }));
    await client.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
  };
  for (const [label, client] of Object.entries(clients)) await checkPair(client, sb.keyId, label);
  return { keyId: sb.keyId, pair: { floor: pairOf(clients.floor), wireOnly: pairOf(clients.wireOnly), sandbox: pairOf(clients.sandbox) } };
}

// ---- Node only: HTTP on loopback ----

type NodeHttp = typeof import('node:http');
type ServerModule = typeof import('../src/server/httpServer');

/** Specifiers in variables: Vite leaves `import(x)` alone, so the page bundle holds no Node module. */
const NODE_HTTP = 'node:http';
const SERVER_MODULE = '../src/server/httpServer.ts';

const isNode = (): boolean => typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** HTTP: KMSClient({ endpoint }) against startHttpServer + the wire handler vs a plain canned node:http server. */
async function benchHttp(host: BenchHost, opts: WireBenchOptions, canned: Canned): Promise<WirePairResult> {
  const http = (await import(/* @vite-ignore */ NODE_HTTP)) as NodeHttp;
  const { startHttpServer } = (await import(/* @vite-ignore */ new URL(SERVER_MODULE, import.meta.url).href)) as ServerModule;
  const plain = http.createServer((req, res) => {
    const body = isDecrypt(req.headers['x-amz-target']) ? canned.decrypt : canned.generateDataKey;
    req.on('data', () => {});
    req.on('end', () => res.writeHead(200, { ...canned.headers, 'content-length': body.length }).end(body));
  });
  await new Promise<void>((ok) => plain.listen(0, '127.0.0.1', ok));
  const plainUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
  // One server for every sample; each sample swaps in its fresh sandbox's handler.
  let current: WireHandler | undefined;
  const served = await startHttpServer({ host: '127.0.0.1', port: 0, handler: (req) => current!(req) });
  const config = { region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  const floorClient = new KMSClient({ ...config, endpoint: plainUrl });
  const client = new KMSClient({ ...config, endpoint: served.url });
  try {
    const r = await measurePair(host, 'HTTP', opts, floorClient, (wire) => {
      current = wire;
      return client;
    });
    return r.pair;
  } finally {
    floorClient.destroy();
    client.destroy();
    plain.closeAllConnections();
    await new Promise<void>((ok) => plain.close(() => ok()));
    await served.close();
  }
}

/** Runs the wire part in this environment. */
export async function benchWire(host: BenchHost, opts: WireBenchOptions): Promise<WireResult> {
  const notes: string[] = [];
  const canned = await cannedResponses();
  notes.push(`canned responses: GenerateDataKey ${canned.generateDataKey.length} bytes, Decrypt ${canned.decrypt.length} bytes (real responses of the wire handler)`);
  const inProcess = await benchInProcess(host, opts, canned);
  let http: WirePairResult | null = null;
  if (isNode()) {
    http = await benchHttp(host, opts, canned);
    notes.push('HTTP: the SDK\'s default Node handler (keep-alive) to 127.0.0.1; sandbox = startHttpServer of src/server (npm run serve\'s transport) + createWireHandler');
  } else {
    notes.push('HTTP: Node only (a page cannot listen on a port; the in-page SDK talks to the sandbox in-process)');
  }
  return { inProcess, http, notes };
}
