/**
 * KMS errors, named exactly as AWS names them (kms-semantics.md §2.1, §13.3).
 *
 * Operations throw these, as the AWS SDK does. Each error carries the AWS code in `name`, an
 * AWS-style `message`, the HTTP status the wire layer answers with (§13.3: real KMS sends 400 for
 * every client error and 500 for internal ones) and optional structured `details` for the UI and
 * lessons. Bugs are not KmsErrors: they are `InvariantError`s from `assert`.
 */

/** Every error code the simulator can answer with (modeled and unmodeled AWS names). */
export const KMS_ERROR_NAMES = [
  'AccessDeniedException',
  'AlreadyExistsException',
  'CloudHsmClusterInUseException',
  'CloudHsmClusterInvalidConfigurationException',
  'CloudHsmClusterNotActiveException',
  'CloudHsmClusterNotFoundException',
  'CloudHsmClusterNotRelatedException',
  'ConflictException',
  'CustomKeyStoreHasCMKsException',
  'CustomKeyStoreInvalidStateException',
  'CustomKeyStoreNameInUseException',
  'CustomKeyStoreNotFoundException',
  'DependencyTimeoutException',
  'DisabledException',
  'DryRunOperationException',
  'ExpiredImportTokenException',
  'IncorrectKeyException',
  'IncorrectKeyMaterialException',
  'IncorrectTrustAnchorException',
  'InvalidAliasNameException',
  'InvalidArnException',
  'InvalidCiphertextException',
  'InvalidGrantIdException',
  'InvalidGrantTokenException',
  'InvalidImportTokenException',
  'InvalidKeyUsageException',
  'InvalidMarkerException',
  'KMSInternalException',
  'KMSInvalidMacException',
  'KMSInvalidSignatureException',
  'KMSInvalidStateException',
  'KeyUnavailableException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'NotFoundException',
  'NotAuthorizedException',
  'TagException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'ThrottlingException',
  'UnsupportedOperationException',
  'ValidationException',
  'XksKeyAlreadyInUseException',
  'XksKeyInvalidConfigurationException',
  'XksKeyNotFoundException',
  'XksProxyIncorrectAuthenticationCredentialException',
  'XksProxyInvalidConfigurationException',
  'XksProxyInvalidResponseException',
  'XksProxyUriEndpointInUseException',
  'XksProxyUriInUseException',
  'XksProxyUriUnreachableException',
  'XksProxyVpcEndpointServiceInUseException',
  'XksProxyVpcEndpointServiceInvalidConfigurationException',
  'XksProxyVpcEndpointServiceNotFoundException',
] as const;

export type KmsErrorName = (typeof KMS_ERROR_NAMES)[number];

/** Errors that are server faults (HTTP 500 on the wire); everything else is a 400 client error. */
const SERVER_ERRORS: ReadonlySet<KmsErrorName> = new Set(['KMSInternalException', 'KeyUnavailableException']);

/** A KMS error as AWS answers it. */
export class KmsError extends Error {
  /** The AWS error code, e.g. `NotFoundException`. */
  override readonly name: KmsErrorName;
  /** Structured detail for the UI and lessons (which statement denied you, ...). Never secrets. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(name: KmsErrorName, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = name;
    this.details = details;
  }

  /** HTTP status the wire protocol uses (§13.3: recorded AWS behaviour). */
  get httpStatus(): number {
    return SERVER_ERRORS.has(this.name) ? 500 : 400;
  }
}

/** Makes a KmsError; the single place that builds one, so names stay in the closed set. */
export function kmsError(name: KmsErrorName, message: string, details?: Record<string, unknown>): KmsError {
  return new KmsError(name, message, details);
}

/** True when `e` is a KmsError, optionally of the given name. */
export function isKmsError(e: unknown, name?: KmsErrorName): e is KmsError {
  return e instanceof KmsError && (name === undefined || e.name === name);
}

/** A broken invariant: a bug in the simulator, never a user error. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Throws an InvariantError when `cond` is false. */
export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new InvariantError(msg);
}
