/**
 * Conformance with the real AWS CLI v2: the same command lines run through the real `aws` (over
 * HTTP, against a sandbox twin) and through the console (in-process, against an identical sandbox:
 * same seed, same clock) must print the same stdout and stderr and exit with the same status.
 *
 * Runs when Debian's AWS CLI v2 is installed at /usr/bin/aws (`apt-get install awscli`); skipped
 * otherwise. The lines avoid members and commands newer than that CLI's model (e.g.
 * `CurrentKeyMaterialId`, `RotationPeriodInDays`, `DryRun`, `derive-shared-secret`, `encapsulate`),
 * which an older CLI drops or refuses; known, deliberate
 * differences (no files, no profiles, JSON/JMESPath parser wording) are covered in parse.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine } from '../../../src/cli';
import { createWireHandler, type WireHandler } from '../../../src/wire';
import { makeHarness } from '../kms/harness';

const AWS = '/usr/bin/aws';
const hasCli = existsSync(AWS);
const exec = promisify(execFile);

/** Lines run in order on both sides (`@alice ` runs as alice). Key ids are the seed's. */
const LINES = [
  'aws kms create-key --description "demo ☕ key" --tags TagKey=team,TagValue=orders TagKey=env,TagValue=dev --query KeyMetadata.KeyId --output text',
  'aws kms create-alias --alias-name alias/demo --target-key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792',
  'aws kms list-keys',
  'aws kms list-keys --output text',
  'aws kms list-keys --output table',
  'aws kms describe-key --key-id alias/demo --query "KeyMetadata.{D:Description,S:KeyState,E:Enabled,C:CreationDate}" --output table',
  'aws kms describe-key --key-id alias/demo --query "KeyMetadata.[KeyId,KeyState,Enabled]" --output text',
  'aws kms describe-key --key-id alias/nope',
  'aws kms list-resource-tags --key-id alias/demo',
  'aws kms list-resource-tags --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --output table',
  'aws kms tag-resource --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --tags TagKey=a,TagValue',
  `aws kms tag-resource --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --tags '[{"TagKey":"x","TagValue":"y"}]'`,
  'aws kms untag-resource --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --tag-keys x env',
  'aws kms encrypt --key-id alias/demo --plaintext aGVsbG8= --encryption-context purpose=test,env=dev --query "[KeyId,EncryptionAlgorithm]" --output text',
  'aws kms encrypt --key-id alias/demo --plaintext hello --cli-binary-format raw-in-base64-out --query KeyId',
  'aws kms encrypt --key-id alias/demo --plaintext aGk= --encryption-context a=b,c',
  'aws kms encrypt --key-id alias/demo --plaintext aGk= --encryption-context a',
  `aws kms encrypt --cli-input-json '{"KeyId":5,"Plaintext":"aGk="}'`,
  'aws kms encrypt',
  'aws kms list-keys --foo bar',
  'aws kms describe-key --key-id',
  'aws kms create-key --bypass-policy-lockout-safety-check=true',
  'aws kms generate-random --number-of-bytes 0',
  'aws kms generate-random --number-of-bytes 2000',
  'aws kms generate-random --number-of-bytes 8 --output text --query "length(Plaintext)"',
  'aws kms create-grant --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --grantee-principal arn:aws:iam::111122223333:user/alice --operations Encrypt Decrypt --constraints "EncryptionContextSubset={purpose=test}" --query "length(GrantId)"',
  'aws kms list-grants --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --query "Grants[].[Operations,Constraints,GranteePrincipal]"',
  'aws kms list-grants --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --output table --query "Grants[].{Ops:Operations,Who:GranteePrincipal,C:Constraints}"',
  'aws kms list-aliases --max-items 2',
  'aws kms list-aliases --max-items 3 --page-size 2 --output text',
  'aws kms list-aliases --page-size 5 --max-items 7 --output text --query "Aliases[].AliasName"',
  'aws kms list-aliases --starting-token eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ== --max-items 1',
  'aws kms list-keys --no-paginate --limit 1 --output text',
  'aws kms schedule-key-deletion --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --pending-window-in-days 7',
  'aws kms describe-key --key-id alias/demo --query KeyMetadata.[KeyState,DeletionDate] --output text',
  'aws kms cancel-key-deletion --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --output table',
  '@alice aws kms encrypt --key-id alias/demo --plaintext aGk=',
  'aws kms get-key-policy --key-id 6ed15222-73e9-4ea8-a599-b1f9a22e2792 --policy-name default --output text --query Policy',
  'aws kms list-keys --query "foo(@)"',
  // issue 7: asymmetric and HMAC keys, blobs in and out, their modeled errors
  'aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --description signer --query KeyMetadata.KeyId --output text',
  'aws kms create-alias --alias-name alias/signer --target-key-id 2d585eb8-2bf3-401a-b8ea-a3c57d3b241d',
  'aws kms describe-key --key-id alias/signer --query "KeyMetadata.[KeySpec,KeyUsage,SigningAlgorithms]" --output text',
  'aws kms get-public-key --key-id alias/signer',
  'aws kms get-public-key --key-id alias/signer --output table --query "{Spec:KeySpec,Usage:KeyUsage,Algorithms:SigningAlgorithms}"',
  'aws kms sign --key-id alias/signer --message aGVsbG8= --message-type RAW --signing-algorithm ECDSA_SHA_256 --query "[KeyId,SigningAlgorithm]" --output text',
  "aws kms sign --key-id alias/signer --message hello --cli-binary-format raw-in-base64-out --signing-algorithm ECDSA_SHA_256 --query 'length(Signature) > `60`'",
  'aws kms sign --key-id alias/signer --message aGVsbG8= --signing-algorithm RSASSA_PSS_SHA_256',
  'aws kms sign --key-id alias/signer --message aGVsbG8=',
  'aws kms verify --key-id alias/signer --message aGVsbG8= --signature MEUCIQDm --signing-algorithm ECDSA_SHA_256',
  'aws kms encrypt --key-id alias/signer --plaintext aGk=',
  'aws kms create-key --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC --description mac --query KeyMetadata.KeyId --output text',
  'aws kms create-alias --alias-name alias/mac --target-key-id d463c37c-ee20-4009-8003-a794349da655',
  'aws kms generate-mac --key-id alias/mac --message aGk= --mac-algorithm HMAC_SHA_256',
  'aws kms generate-mac --key-id alias/mac --message aGk= --mac-algorithm HMAC_SHA_256 --output text',
  'aws kms verify-mac --key-id alias/mac --message aGk= --mac-algorithm HMAC_SHA_256 --mac AAAA',
  'aws kms generate-mac --key-id alias/mac --message aGk= --mac-algorithm HMAC_SHA_512',
  'aws kms describe-custom-key-stores',
  'aws kms generate-data-key-pair-without-plaintext --key-id alias/demo --key-pair-spec ECC_NIST_P256',
  'aws kms create-key --multi-region --description mrk --query "KeyMetadata.[KeyId,MultiRegionConfiguration.MultiRegionKeyType]" --output text',
  'aws kms replicate-key --key-id mrk-26f11a1cde02e12df8fe047504607bd9 --replica-region eu-west-1 --description replica --query "ReplicaKeyMetadata.{Id:KeyId,State:KeyState,Primary:MultiRegionConfiguration.PrimaryKey.Region}" --output table',
  'aws kms describe-key --key-id mrk-26f11a1cde02e12df8fe047504607bd9 --region eu-west-1 --query KeyMetadata.MultiRegionConfiguration',
  `aws kms create-custom-key-store --custom-key-store-name xks --custom-key-store-type EXTERNAL_KEY_STORE --xks-proxy-uri-endpoint https://xks.example.com --xks-proxy-uri-path /kms/xks/v1 --xks-proxy-connectivity PUBLIC_ENDPOINT --xks-proxy-authentication-credential AccessKeyId=ABCDEFGHIJKLMNOPQRST,RawSecretAccessKey=${'a'.repeat(43)} --query "length(CustomKeyStoreId)"`,
  'aws kms describe-custom-key-stores',
  'aws kms describe-custom-key-stores --output table --query "CustomKeyStores[].{Name:CustomKeyStoreName,State:ConnectionState,Proxy:XksProxyConfiguration}"',
  'aws kms describe-custom-key-stores --custom-key-store-id cks-1234567890abcdef0',
  'aws kms create-custom-key-store --custom-key-store-name c --cloud-hsm-cluster-id cluster-1 --key-store-password short',
  'aws kms update-custom-key-store --custom-key-store-id cks-1234567890abcdef0 --xks-proxy-authentication-credential AccessKeyId=A,Secret=B',
];

async function twin() {
  const h = await makeHarness();
  return createWireHandler(h.service, { newRequestId: () => 'request-id' });
}

describe.skipIf(!hasCli)('the console prints what the real AWS CLI v2 prints', () => {
  let server: Server;
  let port = 0;
  let real: WireHandler;
  let mine: WireHandler;

  beforeAll(async () => {
    [real, mine] = [await twin(), await twin()];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void real({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers as Record<string, string>, body: new Uint8Array(Buffer.concat(chunks)) }).then((r) => {
          res.writeHead(r.statusCode, r.headers);
          res.end(r.body);
        });
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('for every line', async () => {
    const diffs: string[] = [];
    for (const entry of LINES) {
      const accessKeyId = entry.startsWith('@alice ') ? 'AKIAALICEEXAMPLE' : 'AKIAIOSFODNN7EXAMPLE';
      const line = entry.replace(/^@alice /, '');
      let cli: { stdout: string; stderr: string; exitCode: number };
      try {
        const r = await exec('bash', ['-c', line.replace(/^aws /, `${AWS} --endpoint-url http://127.0.0.1:${port} `)], {
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            HOME: '/nonexistent',
            TZ: 'UTC',
            AWS_ACCESS_KEY_ID: accessKeyId,
            AWS_SECRET_ACCESS_KEY: 'sandbox',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_PAGER: '',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
          encoding: 'utf8',
        });
        cli = { stdout: r.stdout, stderr: r.stderr, exitCode: 0 };
      } catch (e) {
        const x = e as { stdout: string; stderr: string; code: number };
        cli = { stdout: x.stdout, stderr: x.stderr, exitCode: x.code };
      }
      const ours = await runCommandLine(line, { wire: mine, accessKeyId, region: 'us-east-1' });
      if (JSON.stringify(ours) !== JSON.stringify(cli)) diffs.push(`$ ${entry}\n  aws:     ${JSON.stringify(cli)}\n  console: ${JSON.stringify(ours)}`);
    }
    expect(diffs.join('\n')).toBe('');
  }, 180_000);
});
