import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ListenError, listenErrorMessage, startHttpServer, type RunningHttpServer } from '../../../src/server/httpServer';
import { createWireHandler, MAX_BODY_BYTES, type WireHandler, type WireRequest } from '../../../src/wire';
import { makeHarness } from '../kms/harness';
import { kmsHeaders } from './helpers';

const servers: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * Starts a server on a free port. The close grace period is longer than the test timeout, so a
 * close() that waited for it (instead of closing idle connections itself) fails the test.
 */
async function serve(handler: WireHandler, opts: { maxBodyBytes?: number } = {}): Promise<RunningHttpServer> {
  const s = await startHttpServer({ handler, host: '127.0.0.1', port: 0, closeGraceMs: 10 * 60_000, ...opts });
  servers.push(s);
  return s;
}

/** A handler that records what it got and answers 200 `{"ok":true}`. */
function recording(): { handler: WireHandler; seen: WireRequest[] } {
  const seen: WireRequest[] = [];
  return {
    seen,
    handler: async (req) => {
      seen.push(req);
      return { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' }, body: '{"ok":true}' };
    },
  };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A raw POST with node:http (control over chunking and Content-Length); resolves on the response. */
function rawPost(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    // Writing may fail once the server answered early and closed: the response is what counts.
    req.on('error', (e) => reject(e));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('startHttpServer', () => {
  it('passes method, path, headers, body and source IP to the handler and writes its answer', async () => {
    const { handler, seen } = recording();
    const s = await serve(handler);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
    const res = await fetch(`${s.url}/`, { method: 'POST', headers: kmsHeaders('ListKeys'), body: '{"Limit":5}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toBe('req-1');
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await res.json()).toEqual({ ok: true });
    const req = seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/');
    expect(req.headers['x-amz-target']).toBe('TrentService.ListKeys');
    expect(new TextDecoder().decode(req.body as Uint8Array)).toBe('{"Limit":5}');
    expect(req.sourceIp).toBe('127.0.0.1');
  });

  it('hands every other path and method to the handler too', async () => {
    const { handler, seen } = recording();
    const s = await serve(handler);
    await fetch(`${s.url}/health?x=1`);
    await fetch(`${s.url}/`, { method: 'PUT', body: 'x' });
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health?x=1', 'PUT /']);
    expect((seen[0]!.body as Uint8Array).length).toBe(0);
  });

  it('with the real handler: a JSON 1.1 call works, and a wrong path is its AWS error', async () => {
    const h = await makeHarness();
    const s = await serve(createWireHandler(h.service));
    const ok = await fetch(s.url, { method: 'POST', headers: kmsHeaders('CreateKey'), body: '{"Description":"over http"}' });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { KeyMetadata: { Description: string; CreationDate: number } };
    expect(body.KeyMetadata.Description).toBe('over http');
    expect(typeof body.KeyMetadata.CreationDate).toBe('number');
    const last = h.repo.list('trailEvent').at(-1)!;
    expect(ok.headers.get('x-amzn-requestid')).toBe(last.record.requestID);
    expect(last.record.sourceIPAddress).toBe('127.0.0.1');

    const wrong = await fetch(`${s.url}/nope`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers a whole oversized body sent by fetch with the handler’s 413', async () => {
    const h = await makeHarness();
    const s = await serve(createWireHandler(h.service));
    const res = await fetch(s.url, { method: 'POST', headers: kmsHeaders('Encrypt'), body: new Uint8Array(MAX_BODY_BYTES + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ __type: 'RequestEntityTooLargeException' });
  });

  it('refuses a body announced over the limit without reading it, with the handler’s error', async () => {
    const h = await makeHarness();
    const s = await serve(createWireHandler(h.service));
    // Content-Length says 2 MiB; only a few bytes are ever sent, and the answer still comes.
    const res = await new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(s.url, { method: 'POST', headers: { ...kmsHeaders('Encrypt'), 'content-length': String(2 * MAX_BODY_BYTES) }, agent: false }, (r) => {
        let body = '';
        r.setEncoding('utf8').on('data', (x: string) => (body += x));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body, connection: r.headers.connection }));
      });
      req.on('error', reject);
      req.write('{"KeyId":');
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
    expect(res.connection).toBe('close');
    expect(h.repo.list('trailEvent')).toHaveLength(0);
  });

  it('stops buffering a chunked body once it passes the limit', async () => {
    const seen: number[] = [];
    const s = await serve(
      async (req) => {
        seen.push((req.body as Uint8Array).length);
        return { statusCode: 413, headers: {}, body: '{"__type":"RequestEntityTooLargeException"}' };
      },
      { maxBodyBytes: 1000 },
    );
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(600, 0x61));
    const res = await rawPost(s.url, { 'transfer-encoding': 'chunked' }, chunks).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    // Either the answer arrives, or the client saw the connection close while still writing;
    // in both cases the handler got exactly limit + 1 bytes (the oversized stand-in).
    if (!(res instanceof Error)) expect(res.status).toBe(413);
    expect(seen).toEqual([1001]);
  });

  it('passes a body of exactly the limit', async () => {
    const { handler, seen } = recording();
    const s = await serve(handler, { maxBodyBytes: 1000 });
    const res = await rawPost(s.url, { 'transfer-encoding': 'chunked' }, [Buffer.alloc(600, 1), Buffer.alloc(400, 2)]);
    expect(res.status).toBe(200);
    expect((seen[0]!.body as Uint8Array).length).toBe(1000);
  });

  it('answers 500 KMSInternalException if a handler breaks its contract and rejects', async () => {
    const s = await serve(async () => {
      throw new Error('secret detail');
    });
    const res = await fetch(s.url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ __type: 'KMSInternalException' });
    expect(text).not.toContain('secret detail');
  });

  it('close() waits for an in-flight call, refuses new connections meanwhile, then resolves', async () => {
    const entered = deferred();
    const gate = deferred();
    const s = await serve(async () => {
      entered.resolve();
      await gate.promise;
      return { statusCode: 200, headers: {}, body: '{"done":true}' };
    });
    const pending = fetch(s.url, { method: 'POST', body: '{}' });
    await entered.promise;
    expect(s.inFlight()).toBe(1);

    let isClosed = false;
    const closing = s.close().then(() => (isClosed = true));
    expect(s.close()).toBe(s.close()); // idempotent
    // New connections are refused at once; the call in flight is not cut off.
    await expect(fetch(s.url, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(isClosed).toBe(false);

    gate.resolve();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(isClosed).toBe(true);
    expect(s.inFlight()).toBe(0);
  });

  it('close() closes idle keep-alive connections at once', async () => {
    const { handler } = recording();
    const s = await serve(handler);
    const res = await fetch(s.url, { method: 'POST', body: '{}' }); // leaves a keep-alive socket in fetch's pool
    await res.text();
    await s.close();
    expect(s.inFlight()).toBe(0);
  });

  it('a port in use is a ListenError with a clear message', async () => {
    const { handler } = recording();
    const first = await serve(handler);
    const second = startHttpServer({ handler, host: '127.0.0.1', port: first.port });
    await expect(second).rejects.toBeInstanceOf(ListenError);
    await expect(second).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: `Port ${first.port} on 127.0.0.1 is already in use (another endpoint, LocalStack or moto?). Stop it, or pick another port with --port.`,
    });
  });

  it('explains the other listen failures', () => {
    expect(listenErrorMessage('EACCES', '127.0.0.1', 80)).toMatch(/privileges.*--port/);
    expect(listenErrorMessage('EADDRNOTAVAIL', '10.9.9.9', 4566)).toMatch(/no such local address.*--host/);
    expect(listenErrorMessage('EWHATEVER', 'h', 1)).toBe('Cannot listen on h:1 (EWHATEVER).');
  });
});
