/**
 * The real `@aws-sdk/client-kms`, wired to the sandbox in the page (issue 4, kms-semantics.md
 * §13.4): a `KMSClient` whose `requestHandler` hands each signed HTTP request to the sandbox's
 * KMS JSON 1.1 handler, so SDK code runs unchanged with no network. The access key id picks the
 * principal (the handler reads it from the SigV4 credential scope; the secret is not checked).
 *
 * Import this module only through `loadSdk()`: the dynamic import keeps the SDK (a few hundred
 * kB) in its own chunk, fetched when the Code panel first needs it.
 */
import * as kms from '@aws-sdk/client-kms';
import type { KmsService } from '../../kms';
import { createSdkRequestHandler, createWireHandler } from '../../wire';

/** The whole `@aws-sdk/client-kms` module namespace (commands, client, exception classes). */
export { kms };

/** Who a client calls as. */
export interface SandboxClientOptions {
  /** One of the sandbox's access key ids (unknown ids act as the learner's account root). */
  readonly accessKeyId: string;
  readonly region: string;
}

/** A `KMSClient` that talks to `service` in-process, as the principal of `accessKeyId`. */
export function createSandboxClient(service: KmsService, options: SandboxClientOptions): kms.KMSClient {
  return new kms.KMSClient({
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: 'sandbox' },
    requestHandler: createSdkRequestHandler(createWireHandler(service), { sourceIp: '127.0.0.1' }),
  });
}
