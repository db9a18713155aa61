/**
 * The local endpoint's HTTP transport (issue 4, "A local endpoint"; kms-semantics.md §13): a
 * `node:http` server that hands every request to a transport-neutral `WireHandler` and writes
 * back what it answers. Every path and method goes to the handler, which owns the protocol
 * (including its errors for wrong paths, methods and oversized bodies). Node only.
 *
 * Bodies are buffered up to `MAX_BODY_BYTES + 1` bytes and no further. A request announcing a larger
 * `Content-Length`, or sending more than the limit, is answered at once with the handler's own
 * refusal: the handler is given an oversized stand-in body (the limit + 1 bytes), so the error stays
 * the handler's, and the connection is closed after the answer (the rest of the body is never read).
 *
 * `close()` is the graceful stop: no new connections, idle keep-alive connections closed, every
 * request already received answered (its call committed), then lingering connections closed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MAX_BODY_BYTES, type WireHandler, type WireRequest, type WireResponse } from '../wire';

export interface HttpServerOptions {
  readonly handler: WireHandler;
  /** Interface to listen on (e.g. `127.0.0.1`). */
  readonly host: string;
  /** Port; 0 picks a free one (read it back from `port`). */
  readonly port: number;
  /** Body limit in bytes (default `MAX_BODY_BYTES`, 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * How long `close()` waits for connections that are still sending a request after every
   * received request was answered, before closing them (default 5000 ms).
   */
  readonly closeGraceMs?: number;
}

/** A listening server. */
export interface RunningHttpServer {
  /** The endpoint URL, e.g. `http://127.0.0.1:4566`. */
  readonly url: string;
  readonly host: string;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /** Stops gracefully (see the module header). Idempotent: later calls get the same promise. */
  close(): Promise<void>;
}

/** Why `startHttpServer` could not listen. `code` is Node's (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, …). */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly code: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(listenErrorMessage(code, host, port));
  }
}

/** A one-line, stack-free explanation of a listen failure, with what to do about it. */
export function listenErrorMessage(code: string, host: string, port: number): string {
  switch (code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use (another endpoint, LocalStack or moto?). Stop it, or pick another port with --port.`;
    case 'EACCES':
      return `Not allowed to listen on ${host}:${port} (ports below 1024 need privileges). Pick another port with --port.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `Cannot listen on ${host}: no such local address. Use --host 127.0.0.1, or 0.0.0.0 for every interface.`;
    default:
      return `Cannot listen on ${host}:${port} (${code}).`;
  }
}

/** Used only if a handler breaks its contract and rejects: an AWS-shaped 500 without details. */
const BROKEN_HANDLER_RESPONSE: WireResponse = {
  statusCode: 500,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify({
    __type: 'KMSInternalException',
    message: 'The request was rejected because an internal exception occurred. The request can be retried.',
  }),
};

type BodyResult = { readonly kind: 'ok'; readonly body: Uint8Array } | { readonly kind: 'too-large' } | { readonly kind: 'aborted' };

/**
 * Buffers the body of `req`, reading at most `max + 1` bytes. Stops reading (without draining) as
 * soon as the body is known to be too large.
 */
function readBody(req: IncomingMessage, max: number): Promise<BodyResult> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > max) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isDone = false;
    const finish = (r: BodyResult): void => {
      if (isDone) return;
      isDone = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish({ kind: 'too-large' });
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.on('end', () => finish({ kind: 'ok', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}

/** Header values as one string each (repeated headers joined with `, `, as HTTP allows). */
function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The caller's address, with IPv4-mapped IPv6 (`::ffff:127.0.0.1`) written as plain IPv4. */
function sourceIpOf(socket: Socket): string | undefined {
  const ip = socket.remoteAddress;
  return ip?.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}

/** Starts listening. Rejects with a `ListenError` when the address cannot be bound. */
export function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const max = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const graceMs = opts.closeGraceMs ?? 5000;
  const inFlight = new Set<Promise<void>>();
  let isClosing = false;

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req, max);
    if (read.kind === 'aborted') return;
    const request: WireRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: flattenHeaders(req),
      // The handler refuses bodies over its limit; a stand-in one byte over gets its own error.
      body: read.kind === 'ok' ? read.body : new Uint8Array(max + 1),
      sourceIp: sourceIpOf(req.socket),
    };
    let response: WireResponse;
    try {
      response = await opts.handler(request);
    } catch {
      response = BROKEN_HANDLER_RESPONSE;
    }
    if (res.destroyed) return;
    const body = Buffer.from(response.body, 'utf8');
    const headers: Record<string, string | number> = { ...response.headers, 'content-length': body.length };
    // The unread rest of an oversized body is never consumed: this connection cannot be reused.
    if (read.kind === 'too-large' || isClosing) headers['connection'] = 'close';
    res.writeHead(response.statusCode, headers);
    await new Promise<void>((resolve) => res.end(body, () => resolve()));
    if (read.kind === 'too-large') req.socket.destroySoon();
  }

  const server: Server = createServer((req, res) => {
    const p = respond(req, res).catch(() => {
      if (!res.headersSent) res.destroy();
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });
  // Keep-alive as the SDKs use it; headers must arrive in time so a silent client cannot hold a slot.
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;

  return new Promise((resolve, reject) => {
    const onError = (e: unknown): void => {
      const code = (e as { code?: unknown }).code;
      reject(new ListenError(typeof code === 'string' ? code : 'error', opts.host, opts.port));
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      const port = (server.address() as AddressInfo).port;
      const urlHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      let closing: Promise<void> | null = null;
      resolve({
        url: `http://${urlHost}:${port}`,
        host: opts.host,
        port,
        inFlight: () => inFlight.size,
        close() {
          closing ??= (async () => {
            isClosing = true;
            const isClosed = new Promise<void>((done) => server.close(() => done()));
            server.closeIdleConnections();
            while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
            // Sockets whose last response just went out are idle now; anything else is mid-request.
            server.closeIdleConnections();
            let timer: ReturnType<typeof setTimeout> | undefined;
            const grace = new Promise<void>((done) => {
              timer = setTimeout(done, graceMs);
              timer.unref();
            });
            await Promise.race([isClosed, grace]);
            clearTimeout(timer);
            server.closeAllConnections();
            await isClosed;
            // A request whose body completed during the grace period is still answered by the
            // handler (its call commits) even though its socket is gone: wait for it too.
            while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
          })();
          return closing;
        },
      });
    });
  });
}
