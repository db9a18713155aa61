/**
 * The simulated AWS services around KMS (issue 8, src/services) as lesson steps and matchers use
 * them: each module is loaded with `import()` the first time a lesson needs it, so the lesson
 * engine (and the page's Lessons tab) carries no S3, Secrets Manager or load generator until a
 * lesson of part 06 runs.
 *
 * Service API methods take `(caller, input)` in the service's own shapes and throw only
 * ServiceError (src/services/serviceErrors.ts); `callService` turns that into an outcome.
 */
import type { CallerContext, KmsService } from '../kms';

const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | null = null;
  return () => (p ??= load());
};

export const loadS3 = once(() => import('../services/s3'));
export const loadSecretsManager = once(() => import('../services/secretsManager'));
export const loadWorkloads = once(() => import('../services/workloads'));
export const loadLoadGenerator = once(() => import('../services/loadGenerator'));
const loadErrors = once(() => import('../services/serviceErrors'));

/** A service API: operation name → `(caller, input) => output`. */
export type ServiceApi = Readonly<Record<string, unknown>>;

/** The outcome of a service call: its output, or the service's error (name as the service spells it). */
export type ServiceOutcome =
  | { readonly ok: true; readonly response: Record<string, unknown> }
  | {
      readonly ok: false;
      readonly error: {
        readonly name: string;
        readonly message: string;
        readonly kmsError?: { readonly name: string; readonly message: string };
        /** The KMS calls the failed request made, the failing one last (with their request ids). */
        readonly kmsCalls?: readonly { readonly operation: string; readonly requestId?: string }[];
      };
    };

/**
 * Calls `operation` of a service API. A ServiceError is an outcome; an operation the API does not
 * have is reported as the service's InvalidAction; anything else is a bug and propagates.
 */
export async function callService(api: ServiceApi, operation: string, caller: CallerContext, input: unknown): Promise<ServiceOutcome> {
  const { isServiceError } = await loadErrors();
  // Only the API's own operations (never `call`, `constructor` or other inherited members).
  const fn = Object.hasOwn(api, operation) && operation !== 'call' ? api[operation] : undefined;
  if (typeof fn !== 'function') return { ok: false, error: { name: 'InvalidAction', message: `The service has no operation ${operation}.` } };
  try {
    const response = (await (fn as (c: CallerContext, i: unknown) => Promise<unknown>).call(api, caller, input)) as Record<string, unknown>;
    return { ok: true, response };
  } catch (e) {
    if (!isServiceError(e)) throw e;
    return { ok: false, error: { name: e.name, message: e.message, ...(e.kmsError ? { kmsError: e.kmsError } : {}), ...(e.kmsCalls ? { kmsCalls: e.kmsCalls } : {}) } };
  }
}

/** The S3 API over `kms` (its Bucket Key caches live as long as the returned object). */
export async function s3Api(kms: KmsService): Promise<ServiceApi> {
  return (await loadS3()).createS3(kms) as unknown as ServiceApi;
}

/** The Secrets Manager API over `kms`. */
export async function secretsManagerApi(kms: KmsService): Promise<ServiceApi> {
  return (await loadSecretsManager()).createSecretsManager(kms) as unknown as ServiceApi;
}
