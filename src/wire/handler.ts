/**
 * The KMS JSON 1.1 protocol (kms-semantics.md §13): `POST /` with
 * `X-Amz-Target: TrentService.<Operation>`, a JSON body of PascalCase members, blobs as base64,
 * timestamps as epoch seconds. One transport-neutral handler for the Node server, the in-page SDK
 * request handler and tests; it only translates, `KmsService.call` does the work.
 *
 *   request ─► method/path/size ─► X-Amz-Target ─► SigV4 credential (caller, Region)
 *           ─► JSON body ─► member types (SerializationException) ─► service.call
 *           ─► response: base64 blobs, epoch-second dates, x-amzn-RequestId = trail requestID
 *
 * Errors are `{"__type": "<Name>", "message": "…"}` with 400 for client errors and 500 for
 * internal ones (what AWS really sends, §13.3). A failure never crashes the handler and never
 * puts a stack trace in a response. The SigV4 signature itself is not verified (a sandbox has no
 * secrets worth protecting); the access key id picks the principal.
 */
import { decodeBase64, encodeBase64, isKmsError, isOperationName, isRegion, requestIdOf, type AccountId, type CallerContext, type KmsService, type Region } from '../kms';
import { jsonTypeName, REQUEST_MEMBERS, STRUCTURE_SHAPES, type MemberType } from './shapes';
import { MAX_BODY_BYTES, type WireHandler, type WireRequest, type WireResponse } from './types';

/** The learner's root: the principal of every access key id the sandbox does not know. */
export const DEFAULT_PRINCIPAL = { arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' };
export const DEFAULT_REGION = 'us-east-1';
const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Shared decoder (a TextDecoder without `stream` keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: false });
const CREDENTIAL_RE = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export interface WireOptions {
  /** Region when the request carries no SigV4 credential scope. */
  readonly defaultRegion?: string;
  /** Request ids for failures that never reach the service (no trail record). */
  readonly newRequestId?: () => string;
}

class WireError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A header by its lower-case name: the exact key first (Node and the SDK send lower case), then any case. */
function header(req: WireRequest, lower: string): string | undefined {
  const exact = req.headers[lower];
  if (exact !== undefined) return exact;
  for (const k in req.headers) if (k.toLowerCase() === lower && req.headers[k] !== undefined) return req.headers[k];
  return undefined;
}

/** The caller from the SigV4 Authorization header (access key id → principal, scope → Region). */
export function callerFromRequest(service: KmsService, req: WireRequest, defaultRegion = DEFAULT_REGION): CallerContext {
  const auth = header(req, 'authorization') ?? '';
  const m = credentialOf(auth);
  const accessKeyId = m?.[1];
  const region = m?.[2] ?? defaultRegion;
  if (!isRegion(region)) throw new WireError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${region}'.`);
  if (m && m[3] !== 'kms') throw new WireError('InvalidSignatureException', `Credential should be scoped to correct service: 'kms'.`);
  const principal = (accessKeyId && service.world.principalForAccessKey(accessKeyId)) || DEFAULT_PRINCIPAL;
  const agent = header(req, 'x-amz-user-agent') ?? header(req, 'user-agent');
  // Built member by member in this order (the spread-free equivalent of the optional members).
  const caller: { -readonly [K in keyof CallerContext]: CallerContext[K] } = {
    principalArn: principal.arn,
    accountId: principal.accountId as AccountId,
    region: region as Region,
  };
  if (accessKeyId) caller.accessKeyId = accessKeyId;
  if (req.sourceIp) caller.sourceIPAddress = req.sourceIp;
  if (agent) caller.userAgent = agent.slice(0, 512);
  return caller;
}

/**
 * The credential scope's captures of an Authorization header (null: none). A client signs every
 * request with the same access key and scope, so the last header's parse is kept: a pure function
 * of the header text, shared safely by every handler.
 */
let lastAuth: { readonly header: string; readonly match: readonly string[] | null } | undefined;
function credentialOf(auth: string): readonly string[] | null {
  if (lastAuth?.header === auth) return lastAuth.match;
  const m = CREDENTIAL_RE.exec(auth);
  const match = m ? [m[0], m[1]!, m[2]!, m[3]!] : null;
  lastAuth = { header: auth, match };
  return match;
}

/**
 * `out[k] = v`, except that a key named `__proto__` (a legal encryption-context key) becomes an own
 * member: plain assignment would set the prototype instead, and silently drop the pair.
 */
function setMember<T>(out: Record<string, T>, k: string, v: T): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function serializationError(member: string, v: unknown, expected: string): WireError {
  return new WireError('SerializationException', `${jsonTypeName(v)} can not be converted to ${expected} (member ${member})`);
}

/** One JSON member → the service's shape (throws SerializationException on a wrong JSON type). */
function fromJson(member: string, type: MemberType, v: unknown): unknown {
  if (v === null) return undefined;
  switch (type) {
    case 'string':
      if (typeof v !== 'string') throw serializationError(member, v, 'a String');
      return v;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw serializationError(member, v, 'an Integer');
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw serializationError(member, v, 'a Boolean');
      return v;
    case 'blob': {
      if (typeof v !== 'string') throw serializationError(member, v, 'a Blob');
      const bytes = decodeBase64(v);
      if (!bytes) throw new WireError('SerializationException', `Base64 encoded data for member ${member} is not valid`);
      return bytes;
    }
    case 'timestamp':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw serializationError(member, v, 'a Timestamp');
      return new Date(v * 1000);
    case 'stringMap': {
      if (typeof v !== 'object' || Array.isArray(v)) throw serializationError(member, v, 'a Map');
      const out: Record<string, string> = {};
      for (const k of Object.keys(v as object)) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x !== 'string') throw serializationError(`${member}.${k}`, x, 'a String');
        setMember(out, k, x);
      }
      return out;
    }
    case 'stringList':
      if (!Array.isArray(v)) throw serializationError(member, v, 'a List');
      return v.map((x, i) => fromJson(`${member}[${i}]`, 'string', x));
    case 'tagList':
      if (!Array.isArray(v)) throw serializationError(member, v, 'a List');
      return v.map((t, i) => {
        if (typeof t !== 'object' || t === null || Array.isArray(t)) throw serializationError(`${member}[${i}]`, t, 'a Tag');
        const tag = t as Record<string, unknown>;
        return {
          ...(tag.TagKey !== undefined ? { TagKey: fromJson(`${member}[${i}].TagKey`, 'string', tag.TagKey) } : {}),
          ...(tag.TagValue !== undefined ? { TagValue: fromJson(`${member}[${i}].TagValue`, 'string', tag.TagValue) } : {}),
        };
      });
    case 'grantConstraints': {
      if (typeof v !== 'object' || Array.isArray(v)) throw serializationError(member, v, 'a GrantConstraints');
      const c = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of ['EncryptionContextSubset', 'EncryptionContextEquals'] as const) {
        if (c[k] !== undefined && c[k] !== null) out[k] = fromJson(`${member}.${k}`, 'stringMap', c[k]);
      }
      return out;
    }
    case 'document': {
      const structure = Object.hasOwn(STRUCTURE_SHAPES, member) ? STRUCTURE_SHAPES[member] : undefined;
      if (!structure) return v;
      if (typeof v !== 'object' || Array.isArray(v)) throw serializationError(member, v, `a ${structure.shape}`);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as object)) {
        const t = Object.hasOwn(structure.members, k) ? structure.members[k] : undefined;
        const value = t ? fromJson(`${member}.${k}`, t, x) : undefined;
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
  }
}

/** The JSON body → the service request (known members only). */
export function requestFromJson(body: Uint8Array | string): Record<string, unknown> {
  const text = typeof body === 'string' ? body : UTF8.decode(body);
  if (text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WireError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new WireError('SerializationException', `${jsonTypeName(json)} can not be converted to a request structure`);
  }
  const out: Record<string, unknown> = {};
  for (const member of Object.keys(json)) {
    const type = Object.hasOwn(REQUEST_MEMBERS, member) ? REQUEST_MEMBERS[member] : undefined;
    if (!type) continue;
    const value = fromJson(member, type, (json as Record<string, unknown>)[member]);
    if (value !== undefined) out[member] = value;
  }
  return out;
}

/** A service response → JSON 1.1 (bytes → base64, Date → epoch seconds, absent members omitted). */
export function toJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return encodeBase64(v);
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) setMember(out, k, toJson(x));
    }
    return out;
  }
  return v;
}

function respond(status: number, requestId: string, body: unknown): WireResponse {
  return {
    statusCode: status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

function errorBody(type: string, message: string): Record<string, string> {
  return message ? { __type: type, message } : { __type: type };
}

/** Whether the body's UTF-8 size exceeds `max` (a string is only encoded when it could: UTF-8 takes at most 3 bytes per UTF-16 unit). */
function bodyTooLarge(body: Uint8Array | string, max: number): boolean {
  if (typeof body !== 'string') return body.length > max;
  return body.length * 3 > max && new TextEncoder().encode(body).length > max;
}

/** `/`, optionally with a query string (`path.split('?')[0] === '/'` without the split). */
function isRootPath(path: string): boolean {
  return path === '/' || (path.charCodeAt(0) === 47 && path.charCodeAt(1) === 63);
}

/** Builds the JSON 1.1 handler over a service. */
export function createWireHandler(service: KmsService, opts: WireOptions = {}): WireHandler {
  const newRequestId = opts.newRequestId ?? (() => globalThis.crypto.randomUUID());
  return async (req) => {
    try {
      if (bodyTooLarge(req.body, MAX_BODY_BYTES)) {
        throw new WireError('RequestEntityTooLargeException', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
      }
      if (req.method.toUpperCase() !== 'POST' || !isRootPath(req.path)) {
        throw new WireError('UnknownOperationException', 'KMS accepts POST / with an X-Amz-Target header.');
      }
      const target = header(req, 'x-amz-target') ?? '';
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      if (!isOperationName(operation)) {
        throw new WireError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header.');
      }
      const caller = callerFromRequest(service, req, opts.defaultRegion);
      const request = requestFromJson(req.body);
      try {
        const response = await service.call(operation, request, caller);
        return respond(200, requestIdOf(response) ?? newRequestId(), toJson(response));
      } catch (e) {
        if (isKmsError(e)) return respond(e.httpStatus, requestIdOf(e) ?? newRequestId(), errorBody(e.name, e.message));
        throw e;
      }
    } catch (e) {
      if (e instanceof WireError) return respond(e.status, newRequestId(), errorBody(e.type, e.message));
      if (isKmsError(e)) return respond(e.httpStatus, requestIdOf(e) ?? newRequestId(), errorBody(e.name, e.message));
      // A bug: never leak its details (or a stack trace) to the client.
      return respond(500, newRequestId(), errorBody('KMSInternalException', 'The request was rejected because an internal exception occurred. The request can be retried.'));
    }
  };
}
