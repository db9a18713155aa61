/**
 * Test transports for the wire suites (issue 4, "Tests"; kms-semantics.md §13.4): one sandbox (the
 * kms test harness) reached by the real `@aws-sdk/client-kms` through
 * - `in-process`: `createSdkRequestHandler(createWireHandler(service))`, no network;
 * - `http`: a `node:http` server started here on 127.0.0.1:0 that forwards every request to
 *   `createWireHandler` (the smallest possible stand-in for `npm run serve`);
 * - `serve`: the local endpoint's own transport (`src/server/httpServer.ts`, `startHttpServer`),
 *   the one `npm run serve` listens with.
 * Each client signs as an access key id of the default world and takes its Region from its config,
 * exactly as an application would configure it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMS, KMSClient } from '@aws-sdk/client-kms';
import type { TrailEventRecord } from '../../../src/kms';
import { createSdkRequestHandler, createWireHandler, type WireHandler, type WireRequest } from '../../../src/wire';
import { makeHarness, type Harness } from '../kms/harness';

export type TransportName = 'in-process' | 'http' | 'serve';
export const TRANSPORTS: readonly TransportName[] = ['in-process', 'http'];

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
  readonly h: Harness;
  /** The wire handler every transport ends in (wrapped: `seen` lists what it answered). */
  readonly wire: WireHandler;
  /** Operation (X-Amz-Target suffix) and status of every request the handler answered. */
  readonly seen: { operation: string; status: number }[];
  /** An SDK client signing as `accessKeyId` in `region` (one retry-free attempt per call). */
  client(accessKeyId?: string, region?: string): KMSClient;
  /** The aggregated `KMS` client (what the AWS Encryption SDK's keyring calls). */
  kms(accessKeyId?: string, region?: string): KMS;
  /** Every trail record, oldest first. */
  trail(): TrailRecord[];
  lastTrail(): TrailRecord;
  close(): Promise<void>;
}

/** Reads a whole request body (the limit is the handler's job: it answers 413 when over). */
function readBody(req: import('node:http').IncomingMessage): Promise<Uint8Array> {
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

/** Opens a fresh sandbox (seeded harness) behind `transport`. */
export async function openSandbox(transport: TransportName, opts: { seed?: number } = {}): Promise<WireSandbox> {
  const h = await makeHarness({ seed: opts.seed ?? 1 });
  const inner = createWireHandler(h.service);
  const seen: { operation: string; status: number }[] = [];
  const wire: WireHandler = async (req) => {
    const res = await inner(req);
    const target = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? '';
    seen.push({ operation: target.replace(/^TrentService\./, ''), status: res.statusCode });
    return res;
  };
  let endpoint: { url: string; close(): Promise<void> } | undefined;
  if (transport === 'http') endpoint = await startForwardingServer(wire);
  if (transport === 'serve') throw new Error('the serve transport arrives with src/server');
  const clients: { destroy(): void }[] = [];
  const config = (accessKeyId: string, region: string) => ({
    region,
    credentials: { accessKeyId, secretAccessKey: 'sandbox-secret' },
    maxAttempts: 1,
    ...(endpoint ? { endpoint: endpoint.url } : { requestHandler: createSdkRequestHandler(wire) }),
  });
  const trail = () => h.repo.list('trailEvent').map((t) => t.record);
  return {
    transport,
    h,
    wire,
    seen,
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
    trail,
    lastTrail: () => trail().at(-1)!,
    async close() {
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
