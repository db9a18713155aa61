/**
 * The Regions the UI offers for the Code panel and the CLI console: the sandbox world's Regions
 * (kms/world.ts `SANDBOX_REGIONS`, which src/kms/index.ts does not export yet), default first.
 */
export const REGIONS: readonly string[] = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
