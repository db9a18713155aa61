/**
 * Turns a domain `KmsEvent` into the CloudTrail record KMS would write (kms-semantics.md §10,
 * STYLE §12): one record per API call, success or failure, plus one per service event.
 *
 * Fields are emitted in the order CloudTrail prints them, so a record shown as JSON reads like
 * the AWS documentation examples:
 *
 *   eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress,
 *   userAgent, [errorCode, errorMessage], requestParameters, responseElements,
 *   [additionalEventData], requestID, eventID, readOnly, [resources], eventType,
 *   managementEvent, recipientAccountId, [serviceEventDetails], eventCategory, [tlsDetails]
 *
 * What each field holds:
 * - API calls: `userIdentity` from the caller's principal ARN (./userIdentity.ts);
 *   `sourceIPAddress`/`userAgent` from the caller, defaulting to `127.0.0.1` / `kms-playground`;
 *   `requestParameters`/`responseElements` redacted by ./redact.ts; `errorCode`/`errorMessage`
 *   only on failures (whose `responseElements` is null); `resources` only when the call resolved
 *   a key (GenerateRandom, or a NotFound, has none); `recipientAccountId` is the key owner's
 *   account when there is a key, else the caller's; `additionalEventData.keyMaterialId` when the
 *   call used identifiable material; `tlsDetails` always (every call is "over TLS").
 * - Calls an AWS service made for a principal (`caller.viaService`, e.g. S3 with SSE-KMS): the
 *   principal's `userIdentity` with `invokedBy: "s3.amazonaws.com"`, and that host as
 *   `sourceIPAddress` and `userAgent` (how CloudTrail shows S3's GenerateDataKey for a PutObject).
 * - Service events (RotateKey, DeleteKey): `userIdentity {accountId, invokedBy: "AWS Internal"}`,
 *   source and agent `AWS Internal`, null parameters and elements, `readOnly: false`,
 *   `eventType: "AwsServiceEvent"`, `serviceEventDetails {keyId: <bare key id>}`, the key in `resources`.
 *
 * Not modelled: `sharedEventID` (a cross-account call yields one record, in the key owner's
 * account), `vpcEndpointId`, `sessionCredentialFromConsole`, insight and data events.
 */
import type { KmsCallEvent, KmsEvent, KmsServiceEvent } from '../kms/events';
import type { CloudTrailRecord, JsonValue, TrailEventRecord } from '../kms/model';
import { toRequestParameters, toResponseElements } from './redact';
import { formatEventTime } from './trailTime';
import { invokedByOf, userIdentityFor } from './userIdentity';

/** CloudTrail record format version written by current KMS (§10). */
export const EVENT_VERSION = '1.11';
/** `sourceIPAddress` when the caller gave none. */
export const DEFAULT_SOURCE_IP = '127.0.0.1';
/** `userAgent` when the caller gave none. */
export const DEFAULT_USER_AGENT = 'kms-playground';
/** Source, agent and invoker of KMS's own service events. */
export const AWS_INTERNAL = 'AWS Internal';
/** TLS parameters recorded for every API call (what KMS endpoints negotiate with current SDKs). */
export const TLS_VERSION = 'TLSv1.3';
export const TLS_CIPHER_SUITE = 'TLS_AES_256_GCM_SHA384';

/** The persisted trail record for `event`, at position `seq` of the sandbox's trail. */
export function toTrailRecord(event: KmsEvent, seq: number): TrailEventRecord {
  const record = event.kind === 'call' ? callRecord(event) : serviceRecord(event);
  const decisions = event.kind === 'call' ? event.authorization : undefined;
  // The authorization trace rides next to the CloudTrail record (never inside it): the "why" panel.
  // Decisions are plain JSON-safe data made for this call alone (policy/types.ts), so no copy.
  return decisions && decisions.length > 0
    ? { typeName: 'trailEvent', id: event.eventId, seq, record, authorization: { decisions: decisions as unknown as JsonValue } }
    : { typeName: 'trailEvent', id: event.eventId, seq, record };
}

/** The CloudTrail record of one API call (success or failure). */
function callRecord(e: KmsCallEvent): CloudTrailRecord {
  const eventTime = formatEventTime(e.time);
  const resources: { accountId: string; type: 'AWS::KMS::Key'; ARN: string }[] = [];
  for (const r of e.resources) resources.push({ accountId: r.accountId as string, type: 'AWS::KMS::Key', ARN: r.arn as string });
  const owner = resources[0]?.accountId ?? e.caller.accountId;
  const via = invokedByOf(e.caller);
  // Member by member in CloudTrail's order (module comment), optional members only when present.
  const r: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentityFor(e.caller, eventTime),
    eventTime,
    eventSource: 'kms.amazonaws.com',
    eventName: e.operation,
    awsRegion: e.caller.region,
    sourceIPAddress: via ?? e.caller.sourceIPAddress ?? DEFAULT_SOURCE_IP,
    userAgent: via ?? e.caller.userAgent ?? DEFAULT_USER_AGENT,
  };
  if (e.error) {
    r.errorCode = e.error.name;
    r.errorMessage = e.error.message;
  }
  r.requestParameters = toRequestParameters(e.operation, e.request);
  // A failed call has no response to log, whatever the event carries.
  r.responseElements = e.error ? null : toResponseElements(e.response, e.readOnly);
  if (e.keyMaterialId !== undefined) r.additionalEventData = { keyMaterialId: e.keyMaterialId };
  r.requestID = e.requestId;
  r.eventID = e.eventId;
  r.readOnly = e.readOnly;
  if (resources.length > 0) r.resources = resources;
  r.eventType = 'AwsApiCall';
  r.managementEvent = true;
  r.recipientAccountId = owner;
  r.eventCategory = 'Management';
  r.tlsDetails = {
    tlsVersion: TLS_VERSION,
    cipherSuite: TLS_CIPHER_SUITE,
    clientProvidedHostHeader: `kms.${e.caller.region}.amazonaws.com`,
  };
  return r as unknown as CloudTrailRecord;
}

/** The CloudTrail record of something KMS did by itself (RotateKey, DeleteKey). */
function serviceRecord(e: KmsServiceEvent): CloudTrailRecord {
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: { accountId: e.accountId, invokedBy: AWS_INTERNAL },
    eventTime: formatEventTime(e.time),
    eventSource: 'kms.amazonaws.com',
    eventName: e.eventName,
    awsRegion: e.region,
    sourceIPAddress: AWS_INTERNAL,
    userAgent: AWS_INTERNAL,
    requestParameters: null,
    responseElements: null,
    requestID: e.requestId,
    eventID: e.eventId,
    readOnly: false,
    resources: [{ accountId: e.accountId, type: 'AWS::KMS::Key', ARN: e.keyArn }],
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: e.accountId,
    serviceEventDetails: { keyId: bareKeyId(e.keyArn) },
    eventCategory: 'Management',
  };
}

/** `1234abcd-…` from `arn:aws:kms:<region>:<acct>:key/1234abcd-…` (a bare id passes through). */
export function bareKeyId(arnOrId: string): string {
  const i = arnOrId.indexOf(':key/');
  return i < 0 ? arnOrId : arnOrId.slice(i + ':key/'.length);
}
