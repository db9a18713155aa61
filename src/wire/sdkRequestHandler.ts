/**
 * A `requestHandler` for `@aws-sdk/client-kms` that answers in-process (kms-semantics.md §13.4):
 * `new KMSClient({ region, credentials, requestHandler: createSdkRequestHandler(wire) })` talks to
 * the sandbox with no network. The SDK's HTTP request goes through the same JSON 1.1 handler as the
 * local endpoint, and the response is shaped like smithy's HttpResponse (duck-typed by the SDK).
 */
import type { WireHandler } from './types';

/** The parts of smithy's HttpRequest the handler reads. */
export interface SdkHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** The smithy HttpResponse shape (statusCode, headers, body bytes). */
export interface SdkHttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

function bodyOf(body: unknown): Uint8Array | string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return String(body);
}

/** An SDK HttpHandler over a wire handler (in the page, in tests). */
export function createSdkRequestHandler(wire: WireHandler, opts: { sourceIp?: string } = {}) {
  const encoder = new TextEncoder();
  return {
    metadata: { handlerProtocol: 'kms-playground/in-process' },
    async handle(request: SdkHttpRequest, options?: { abortSignal?: { aborted?: boolean } }): Promise<{ response: SdkHttpResponse }> {
      if (options?.abortSignal?.aborted) {
        const e = new Error('Request aborted');
        e.name = 'AbortError';
        throw e;
      }
      const res = await wire({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: bodyOf(request.body),
        sourceIp: opts.sourceIp ?? '127.0.0.1',
      });
      return { response: { statusCode: res.statusCode, headers: { ...res.headers }, body: encoder.encode(res.body) } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {},
  };
}
