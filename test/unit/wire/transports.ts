/**
 * Test transports for the wire suites (issue 4, "Tests"; kms-semantics.md §13.4): one sandbox reached
 * by the real `@aws-sdk/client-kms` through
 * - `in-process`: `createSdkRequestHandler(createWireHandler(service))` over the kms test harness,
 *   no network;
 * - `http`: the harness behind a bare `node:http` server started here on 127.0.0.1:0 that forwards
 *   every request to `createWireHandler`;
 * - `serve`: the local endpoint as `npm run serve` builds it (`startEndpoint` of src/server: its
 *   HTTP transport, `openSandboxService`, its wire handler), in memory on 127.0.0.1:0, with a fixed
 *   clock and seed so figures stay deterministic.
 * Each client signs as an access key id of the default world and takes its Region from its config,
 * exactly as an application would configure it. The trail is read from the service's commit
 * notices, the same way for every transport.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMS, KMSClient } from '@aws-sdk/client-kms';
import type { KmsService, TrailEventRecord } from '../../../src/kms';
import { startEndpoint } from '../../../src/server/endpoint';
import { createSdkRequestHandler, createWireHandler, type WireHandler, type WireRequest } from '../../../src/wire';
import { makeHarness, seedOf, T0 } from '../kms/harness';

export type TransportName = 'in-process' | 'http' | 'serve';
export const TRANSPORTS: readonly TransportName[] = ['in-process', 'http', 'serve'];

/** The default world's access key ids (src/kms/world.ts; README). */
export const KEYS = {
  root: 'AKIAIOSFODNN7EXAMPLE',
  keyAdmin: 'AKIAKEYADMINEXAMPLE',
  appRole: 'AKIAAPPROLEEXAMPLE',
  alice: 'AKIAALICEEXAMPLE',
  partnerApp: 'AKIAPARTNEREXAMPLE',
  partnerRoot: 'AKIAPARTNERROOTEXAMPLE',
} as const;

export type TrailRecord = TrailEventRecord['record'];

/** A sandbox reached through one transport. */
export interface WireSandbox {
  readonly transport: TransportName;
  readonly service: KmsService;
  /** An SDK client signing as `accessKeyId` in `region` (one attempt per call: no retries). */
  client(accessKeyId?: string, region?: string): KMSClient;
  /** The aggregated `KMS` client (what the AWS Encryption SDK's keyring calls). */
  kms(accessKeyId?: string, region?: string): KMS;
  /** Every trail record of calls made since the sandbox opened, oldest first. */
  trail(): TrailRecord[];
  lastTrail(): TrailRecord;
  close(): Promise<void>;
}

/** Reads a whole request body (the limit is the handler's job: it answers 413 when over). */
function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((ok, fail) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => ok(new Uint8Array(Buffer.concat(parts))));
    req.on('error', fail);
  });
}

/** A plain `node:http` server forwarding to `wire` on 127.0.0.1, ephemeral port. */
export async function startForwardingServer(wire: WireHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const r = await wire({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' });
      res.writeHead(r.statusCode, r.headers).end(r.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Opens a fresh sandbox (seeded, clock fixed at T0) behind `transport`. */
export async function openSandbox(transport: TransportName, opts: { seed?: number } = {}): Promise<WireSandbox> {
  const seed = opts.seed ?? 1;
  let service: KmsService;
  let endpoint: { url: string; close(): Promise<void> } | undefined;
  if (transport === 'serve') {
    const started = await startEndpoint({ host: '127.0.0.1', port: 0, seed: seedOf(seed), clock: { now: () => T0 }, out: () => {}, err: () => {} });
    if (!started.ok) throw new Error(`the local endpoint did not start: ${started.message}`);
    service = started.value.service;
    endpoint = { url: started.value.url, close: () => started.value.stop() };
  } else {
    service = (await makeHarness({ seed })).service;
    if (transport === 'http') endpoint = await startForwardingServer(createWireHandler(service));
  }
  const records: TrailRecord[] = [];
  const unsubscribe = service.subscribe((n) => void records.push(...n.trail.map((t) => t.record)));
  const clients: { destroy(): void }[] = [];
  const requestHandler = endpoint ? undefined : createSdkRequestHandler(createWireHandler(service));
  const config = (accessKeyId: string, region: string) => ({
    region,
    credentials: { accessKeyId, secretAccessKey: 'sandbox-secret' },
    maxAttempts: 1,
    ...(endpoint ? { endpoint: endpoint.url } : { requestHandler }),
  });
  return {
    transport,
    service,
    client(accessKeyId = KEYS.root, region = 'us-east-1') {
      const c = new KMSClient(config(accessKeyId, region));
      clients.push(c);
      return c;
    },
    kms(accessKeyId = KEYS.root, region = 'us-east-1') {
      const c = new KMS(config(accessKeyId, region));
      clients.push(c);
      return c;
    },
    trail: () => [...records],
    lastTrail: () => records.at(-1)!,
    async close() {
      unsubscribe();
      for (const c of clients) c.destroy();
      await endpoint?.close();
    },
  };
}

/** A SigV4 Authorization header as the SDK writes it (signature not checked by the sandbox). */
export function sigv4(accessKeyId: string, region = 'us-east-1', service = 'kms'): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260115/${region}/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;
}

/** A JSON 1.1 request as the SDK sends it. */
export function jsonRequest(operation: string, body: unknown, headers: Record<string, string> = {}): WireRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${operation}`,
      authorization: sigv4('AKIAIOSFODNN7EXAMPLE'),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}
