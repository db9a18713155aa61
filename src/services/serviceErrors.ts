/**
 * The one error type of the simulated AWS services around KMS (issue 8: S3, EBS, Secrets Manager).
 *
 * A simulated service answers bad input and failures the way the real service does: an error
 * `name` spelled as that service spells its error codes (S3 `NoSuchBucket`, `AccessDenied`,
 * `KMS.DisabledException`; Secrets Manager `ResourceNotFoundException`; EC2
 * `InvalidVolume.NotFound`), its message, and the HTTP status. When a KMS call the service made
 * failed, `kmsError` keeps what KMS answered (name and message), so the UI and the lessons can show
 * the cause behind the service's error. Nothing else is ever thrown by a service's API method:
 * malformed input is a ServiceError too, never a TypeError.
 */
import { isKmsError, isRegion, requestIdOf, type AwsShape, type CallerContext, type KmsService } from '../kms';

/** What KMS answered when a service's KMS call failed. */
export interface KmsErrorInfo {
  /** The KMS error code (`AccessDeniedException`, `ThrottlingException`, …). */
  readonly name: string;
  readonly message: string;
}

/** A KMS call a service request made (the UI and lessons show them). */
export interface KmsCallSummary {
  /** KMS operation (`GenerateDataKey`, `Decrypt`, `DescribeKey`, `CreateGrant`, …). */
  readonly operation: string;
  /** KMS request id (the trail record's requestID). */
  readonly requestId?: string;
  /** What KMS answered when the call failed. */
  readonly error?: KmsErrorInfo;
}

/** An error of a simulated AWS service, named as that service names it. */
export class ServiceError extends Error {
  /** HTTP status the real service answers with (400, 403, 404, 409, 503, …). */
  readonly httpStatus: number;
  /** The KMS failure behind this error, when a KMS call failed. */
  readonly kmsError?: KmsErrorInfo;
  /** The KMS calls the failed request made, the failing one last (set by the service when any). */
  kmsCalls?: readonly KmsCallSummary[];

  constructor(name: string, message: string, httpStatus: number, kmsError?: KmsErrorInfo) {
    super(message);
    this.name = name;
    this.httpStatus = httpStatus;
    if (kmsError !== undefined) this.kmsError = kmsError;
  }
}

/** Whether `e` is a ServiceError. */
export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}

/** The KMS error of a rejected `service.call`, or null when `e` is not a KmsError. */
export function kmsErrorInfo(e: unknown): KmsErrorInfo | null {
  return isKmsError(e) ? { name: e.name, message: e.message } : null;
}

/**
 * Runs one KMS call a service request makes and records it in `calls` (with its request id, and
 * what KMS answered when it failed). A KMS failure becomes the service's error (`toServiceError`)
 * carrying the calls made so far; anything else that rejects is rethrown as it is.
 */
export async function recordedKmsCall(
  kms: KmsService,
  operation: string,
  request: AwsShape,
  caller: CallerContext,
  calls: KmsCallSummary[],
  toServiceError: (info: KmsErrorInfo) => ServiceError,
): Promise<AwsShape> {
  try {
    const r = await kms.call(operation, request, caller);
    const requestId = requestIdOf(r);
    calls.push(requestId === undefined ? { operation } : { operation, requestId });
    return r;
  } catch (e) {
    const info = kmsErrorInfo(e);
    if (info === null) throw e;
    const requestId = requestIdOf(e);
    calls.push(requestId === undefined ? { operation, error: info } : { operation, requestId, error: info });
    const se = toServiceError(info);
    se.kmsCalls = calls;
    throw se;
  }
}

/** Runs the given requests one at a time, in call order (a failed one does not stop the next). */
export function oneAtATime(): <T>(fn: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
}

/** How a service names the two failures every request can meet before or after its own logic. */
export interface ServiceGuardErrors {
  /** A caller the sandbox does not know (S3 `InvalidAccessKeyId`, Secrets Manager `UnrecognizedClientException`). */
  readonly unknownCaller: () => ServiceError;
  /** Anything else that went wrong (storing the resource failed, a bug): the service's internal error. */
  readonly internal: (message: string) => ServiceError;
}

/**
 * Runs one request of a service, so that it answers only ServiceErrors: a caller that is not a
 * principal of the sandbox (in its account, in a valid Region) is refused before anything runs, and
 * any other error (a KmsError from storing the resource, an invariant) becomes the internal error.
 */
export async function guarded<T>(kms: KmsService, caller: CallerContext, errors: ServiceGuardErrors, work: () => Promise<T>): Promise<T> {
  const known =
    typeof caller === 'object' && caller !== null && isRegion(caller.region) &&
    kms.world.listPrincipals().some((p) => p.arn === caller.principalArn && p.accountId === caller.accountId);
  if (!known) throw errors.unknownCaller();
  try {
    return await work();
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    const info = kmsErrorInfo(e);
    const se = errors.internal(info ? `${info.name}: ${info.message}` : 'An internal error occurred.');
    throw info ? new ServiceError(se.name, se.message, se.httpStatus, info) : se;
  }
}
