/**
 * The wire layer's contract (issue 4; kms-semantics.md §13): one transport-neutral handler for the
 * KMS JSON 1.1 protocol, used by the Node server (`npm run serve`), the in-page SDK
 * `requestHandler`, and tests. It only translates JSON 1.1 to `KmsService.call` and back.
 */

/** An HTTP request as any transport sees it. Header names are matched case-insensitively. */
export interface WireRequest {
  readonly method: string;
  /** Request path (KMS uses `/`); a query string is ignored. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Raw body bytes (or text). */
  readonly body: Uint8Array | string;
  /** Caller IP for the trail (`sourceIPAddress`). */
  readonly sourceIp?: string;
}

/** The HTTP response to send. `body` is UTF-8 JSON text. */
export interface WireResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A transport-neutral JSON 1.1 handler. Never rejects: every failure is an AWS-shaped error response. */
export type WireHandler = (request: WireRequest) => Promise<WireResponse>;

/** Bodies larger than this are refused (issue 4). */
export const MAX_BODY_BYTES = 1024 * 1024;
