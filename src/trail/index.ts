/**
 * Public surface of the pseudo-CloudTrail layer (STYLE §2, §12; kms-semantics.md §10).
 * Other layers import trail only through this file.
 */
export {
  toTrailRecord,
  bareKeyId,
  EVENT_VERSION,
  DEFAULT_SOURCE_IP,
  DEFAULT_USER_AGENT,
  AWS_INTERNAL,
  TLS_VERSION,
  TLS_CIPHER_SUITE,
} from './toCloudTrail';
export { userIdentityFor, principalIdFor, PLAYGROUND_SESSION_NAME } from './userIdentity';
export {
  toRequestParameters,
  toResponseElements,
  redactForTrail,
  SECRET_MEMBERS,
  RESPONSE_ONLY_SECRET_MEMBERS,
} from './redact';
export { formatEventTime, formatTrailDate } from './trailTime';
export { describeTrailRecord, isFailedRecord, principalLabel, keyLabel, shortKeyId } from './describeTrailRecord';
