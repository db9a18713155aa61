/**
 * Domain events the service emits (STYLE §2: kms never imports trail). `src/trail` turns them
 * into CloudTrail records; the service persists each record in the same transaction as the call.
 *
 * Events carry the raw request and response, secrets included: the trail layer must redact
 * (CloudTrail never logs Plaintext, CiphertextBlob, ... §10). Nothing else may persist an event.
 */
import type { AccountId, KeyArn, Region } from './ids';
import type { KmsErrorName } from './errors';
import type { AuthorizationDecision } from './policy/types';

/** Who is calling (more fields arrive with authorization, issue 3). */
export interface CallerContext {
  /** Principal ARN, e.g. `arn:aws:iam::111122223333:role/AppRole` or `...:root`. */
  readonly principalArn: string;
  /** The caller's account. */
  readonly accountId: AccountId;
  /** The Region of the KMS endpoint called. */
  readonly region: Region;
  /** Access key id used to sign (wire protocol), if any. */
  readonly accessKeyId?: string;
  /** Caller IP for the trail; default `127.0.0.1`. */
  readonly sourceIPAddress?: string;
  /** SDK user agent for the trail; default `kms-playground`. */
  readonly userAgent?: string;
  /**
   * Set when an AWS service calls KMS on the principal's behalf (e.g. `s3.us-east-1.amazonaws.com`):
   * the `kms:ViaService` condition key (§6.3). Absent for direct calls. The simulated services of
   * issue 8 set it.
   */
  readonly viaService?: string;
}

/** An API call, successful or not: exactly one per call. */
export interface KmsCallEvent {
  readonly kind: 'call';
  /** KMS request id (wire: `x-amzn-RequestId`). */
  readonly requestId: string;
  /** CloudTrail eventID. */
  readonly eventId: string;
  /** Sandbox time of the call (ms). */
  readonly time: number;
  /** AWS operation name, e.g. `Encrypt`. */
  readonly operation: string;
  /** The request as received (may be malformed: it failed validation then). */
  readonly request: Readonly<Record<string, unknown>>;
  /** The response, when the call succeeded. */
  readonly response?: Readonly<Record<string, unknown>>;
  /** The error, when it failed. */
  readonly error?: { readonly name: KmsErrorName; readonly message: string };
  readonly caller: CallerContext;
  /** Keys the call resolved to (CloudTrail `resources`), with their owning account. */
  readonly resources: readonly { readonly arn: KeyArn; readonly accountId: AccountId }[];
  /** Material used, for CloudTrail `additionalEventData.keyMaterialId`. */
  readonly keyMaterialId?: string;
  /** The operation reads only (CloudTrail `readOnly`). */
  readonly readOnly: boolean;
  /** Authorization decisions made during the call, with their traces (the "why" panel). */
  readonly authorization?: readonly AuthorizationDecision[];
}

/** Something KMS did by itself as sandbox time passed. */
export interface KmsServiceEvent {
  readonly kind: 'service';
  /** CloudTrail service event name. */
  readonly eventName: 'RotateKey' | 'DeleteKey' | 'DeleteExpiredKeyMaterial' | 'SynchronizeMultiRegionKey';
  readonly requestId: string;
  readonly eventId: string;
  readonly time: number;
  readonly keyArn: KeyArn;
  readonly accountId: AccountId;
  readonly region: Region;
}

export type KmsEvent = KmsCallEvent | KmsServiceEvent;
