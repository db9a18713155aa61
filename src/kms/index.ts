/**
 * Public surface of the headless KMS core (STYLE §2: other layers import only this file).
 * Nothing here touches the DOM; it runs the same in Node and in the browser.
 */
export type { AwsShape, AdvanceResult, CommitNotice, KmsService, OperationName } from './api';
export { OPERATIONS, isOperationName } from './api';
export { keyMetadata, multiRegionPeers } from './context';
export { SANDBOX_REGIONS, LEARNER_ACCOUNT, PARTNER_ACCOUNT, defaultWorld } from './world';
export { createKmsService, requestIdOf, type KmsServicePorts, type TrailRecorder } from './service';
export { openSandboxService, type SandboxOptions } from './sandbox';
export {
  decodeLogRequest,
  encodeLogRequest,
  isPlaceholder,
  logEntryId,
  MAX_REDACTED_BYTES,
  OutputIndex,
  OutputLog,
  OUTPUT_MEMBERS,
  OUTPUT_WINDOW,
  outputsOf,
  type OutputRef,
  type OutputResolver,
  placeholderBytes,
  redactLogEntry,
  SECRET_REQUEST_MEMBERS,
  secretMembersOf,
  type CallLogEntry,
  type ClockLogEntry,
  type DecodedRequest,
  type LogEntry,
  type LoggedRequest,
  type LogOutcome,
  type WorldEdit,
  type WorldLogEntry,
} from './log';
// replay.ts is imported directly (`kms/replay`), so the page loads it only when it replays a log.
export type { ReplayFailureReason, ReplayOptions, ReplayResult, ReplayedSandbox } from './replay';
export { KmsError, KMS_ERROR_NAMES, isKmsError, kmsError, InvariantError, type KmsErrorName } from './errors';
export type { CallerContext, KmsCallEvent, KmsEvent, KmsServiceEvent } from './events';
export * from './ids';
export type * from './model';
export { KEY_STATES, KEY_SPECS, KEY_USAGES, ORIGINS, TABLE_OF } from './model';
export type { ChangeSet, Clock, CryptoBackend, RandomSource, RandomStream, Repository, AesKeyHandle } from './ports';
export { allRecords, AuthenticationError } from './ports';
export { webCryptoBackend, nobleBackend, autoBackend, createSeededRandom, randomSeed, encodeBase64, decodeBase64 } from './crypto';
export { OPERATION_STATE_MATRIX, MATRIX_STATES, cellFor } from './lifecycle/matrix';
export { keyStateMachine, nextKeyState } from './lifecycle/keyStateMachine';
export {
  accountRootArn,
  defaultKeyPolicy,
  INVALID_PRINCIPALS_MESSAGE,
  LOCKOUT_MESSAGE,
  lockoutSafetyCheck,
  matchesArn,
  MAX_POLICY_BYTES,
  parsePolicyDocument,
  policyByteLength,
  policyPrincipals,
  unknownPrincipals,
  type AuthorizationDecision,
  type AuthzPrincipal,
  type ConditionContext,
  type ConditionTrace,
  type GrantTrace,
  type NamedPolicy,
  type PolicyDocument,
  type PolicyStatement,
  type PolicyTrace,
  type StatementTrace,
} from './policy';
export { grantOperationsFor, supportsGrantConstraints } from './policy/grants';
export { authzPrincipalOf, callerConditionContext, findCallerPrincipal, identityPoliciesOf, type RecordReader } from './authorization';
