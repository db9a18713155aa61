/**
 * What `npm run serve` prints on start (issue 4, "A local endpoint"): the endpoint URL, where the
 * Region comes from, the access keys and the principals they sign as, and copy-paste examples for
 * the AWS CLI and the JavaScript SDK. Pure text; the entry point prints it.
 */

/** A principal as `service.world.listPrincipals()` lists it. */
export interface BannerPrincipal {
  readonly arn: string;
  readonly accessKeyId: string;
}

export interface BannerInput {
  /** The endpoint, e.g. `http://127.0.0.1:4566`. The first line carries it (tests parse it). */
  readonly url: string;
  readonly principals: readonly BannerPrincipal[];
  /** Where the sandbox lives, e.g. `in memory (gone when the server stops)`. */
  readonly storage: string;
  /** What happens to the trail (live lines, JSON Lines file), if anything. */
  readonly trail?: string;
  /** Principal of access key ids the sandbox does not know (the learner's root). */
  readonly fallbackPrincipal: string;
  /** Region used in the examples. */
  readonly region: string;
}

/** The first banner line's prefix; the URL follows it. */
export const ENDPOINT_LINE_PREFIX = 'KMS Playground endpoint: ';

/** The start banner, ending with a newline. */
export function formatBanner(b: BannerInput): string {
  const example = b.principals.find((p) => p.arn === b.fallbackPrincipal) ?? b.principals[0];
  const key = example?.accessKeyId ?? 'test';
  const width = Math.max('access key id'.length, ...b.principals.map((p) => p.accessKeyId.length));
  const rows = b.principals.map((p) => `  ${p.accessKeyId.padEnd(width)}  ${p.arn}`);
  const lines = [
    `${ENDPOINT_LINE_PREFIX}${b.url}`,
    `Region:   any; each request's signature names it (the SDK's region, AWS_DEFAULT_REGION), e.g. ${b.region}`,
    `Sandbox:  ${b.storage}`,
    ...(b.trail ? [`Trail:    ${b.trail}`] : []),
    '',
    'Access keys (the secret access key can be anything):',
    `  ${'access key id'.padEnd(width)}  principal`,
    ...rows,
    `Access key ids the sandbox does not know (e.g. \`test\`) act as the learner's root, ${b.fallbackPrincipal}.`,
    '',
    'AWS CLI:',
    `  export AWS_ACCESS_KEY_ID=${key} AWS_SECRET_ACCESS_KEY=secret AWS_DEFAULT_REGION=${b.region}`,
    `  aws kms create-key --description demo --endpoint-url ${b.url}`,
    `  aws kms create-alias --alias-name alias/demo --target-key-id <KeyId> --endpoint-url ${b.url}`,
    `  aws kms encrypt --key-id alias/demo --plaintext fileb://secret.txt --endpoint-url ${b.url}`,
    '',
    'SDK (JavaScript, @aws-sdk/client-kms):',
    `  const kms = new KMSClient({ region: '${b.region}', endpoint: '${b.url}',`,
    `    credentials: { accessKeyId: '${key}', secretAccessKey: 'secret' } });`,
    `  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'demo' }));`,
    '',
    'Ctrl-C stops the server: calls in flight finish and every write is kept.',
  ];
  return `${lines.join('\n')}\n`;
}
