/**
 * Public surface of `src/services`: the simulated AWS services around KMS (issue 8). A layer around
 * src/kms (like src/wire): it calls the sandbox KMS through `KmsService.call` and never the other
 * way round. Headless (no DOM); the page loads it lazily. See README.md.
 */
export { ServiceError, isServiceError, kmsErrorInfo, type KmsCallSummary, type KmsErrorInfo } from './serviceErrors';
export { BUCKET_KEY_MODEL, s3KmsRequestsPerSecond } from './s3Model';
export * from './s3';
export * from './secretsManager';
export * from './ebs';
export * from './cachingCmm';
export * from './cost';
export * from './loadGenerator';
export * from './workloads';
