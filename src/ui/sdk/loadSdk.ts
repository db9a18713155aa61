/**
 * Lazy door to the AWS SDK: `loadSdk()` fetches `sandboxClient.ts` (and with it
 * `@aws-sdk/client-kms`) the first time it is called, as a separate chunk (Vite splits on
 * dynamic `import()`), so the app's first load stays small.
 */

/** The SDK module: `kms` (the @aws-sdk/client-kms namespace) and `createSandboxClient`. */
export type SdkModule = typeof import('./sandboxClient');

let loading: Promise<SdkModule> | null = null;

/** Loads the SDK module once; later calls share the same promise (a failed load is retried). */
export function loadSdk(): Promise<SdkModule> {
  loading ??= import('./sandboxClient').catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}
