/**
 * Public surface of the wire layer (issue 4): the KMS JSON 1.1 handler and the in-process SDK
 * request handler. wire → kms only (STYLE §2).
 */
export { createWireHandler, callerFromRequest, requestFromJson, toJson, DEFAULT_PRINCIPAL, DEFAULT_REGION, type WireOptions } from './handler';
export { createSdkRequestHandler, type SdkHttpRequest, type SdkHttpResponse } from './sdkRequestHandler';
export { REQUEST_MEMBERS, type MemberType } from './shapes';
export { MAX_BODY_BYTES, type WireHandler, type WireRequest, type WireResponse } from './types';
