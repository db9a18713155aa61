/**
 * The simulated AWS services around KMS (issue 8, src/services) as lesson steps and matchers use
 * them: loaded with `import()` the first time a lesson needs one, so the lesson engine (and the
 * page's Lessons tab) does not carry S3, Secrets Manager or the load generator until a lesson of
 * part 06 runs.
 *
 * Service API methods take `(caller, input)` in the service's own shapes and throw only
 * ServiceError (src/services/serviceErrors.ts); `callService` turns that into an outcome.
 */
import type { CallerContext, KmsService } from '../kms';

/** The services modules, loaded once. */
export type ServicesModules = Awaited<ReturnType<typeof loadModules>>;

async function loadModules() {
  const [s3, secretsManager, workloads, loadGenerator, errors] = await Promise.all([
    import('../services/s3'),
    import('../services/secretsManager'),
    import('../services/workloads'),
    import('../services/loadGenerator'),
    import('../services/serviceErrors'),
  ]);
  return { s3, secretsManager, workloads, loadGenerator, errors };
}

let modules: Promise<ServicesModules> | null = null;

/** Loads the services layer (once). */
export function loadServices(): Promise<ServicesModules> {
  modules ??= loadModules();
  return modules;
}

/** A service API: operation name → `(caller, input) => output`. */
export type ServiceApi = Readonly<Record<string, unknown>>;

/** The outcome of a service call: its output, or the service's error (name as the service spells it). */
export type ServiceOutcome =
  | { readonly ok: true; readonly response: Record<string, unknown> }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly kmsError?: { readonly name: string; readonly message: string } } };

/**
 * Calls `operation` of a service API. A ServiceError is an outcome; an operation the API does not
 * have is reported as the service's InvalidAction; anything else is a bug and propagates.
 */
export async function callService(svc: ServicesModules, api: ServiceApi, operation: string, caller: CallerContext, input: unknown): Promise<ServiceOutcome> {
  const fn = api[operation];
  if (typeof fn !== 'function') return { ok: false, error: { name: 'InvalidAction', message: `The service has no operation ${operation}.` } };
  try {
    const response = (await (fn as (c: CallerContext, i: unknown) => Promise<unknown>).call(api, caller, input)) as Record<string, unknown>;
    return { ok: true, response };
  } catch (e) {
    if (!svc.errors.isServiceError(e)) throw e;
    return { ok: false, error: { name: e.name, message: e.message, ...(e.kmsError ? { kmsError: e.kmsError } : {}) } };
  }
}

/** The S3 API over `kms` (its caches live as long as the returned object). */
export function s3Api(svc: ServicesModules, kms: KmsService): ServiceApi {
  return svc.s3.createS3(kms) as unknown as ServiceApi;
}

/** The Secrets Manager API over `kms`. */
export function secretsManagerApi(svc: ServicesModules, kms: KmsService): ServiceApi {
  return svc.secretsManager.createSecretsManager(kms) as unknown as ServiceApi;
}
