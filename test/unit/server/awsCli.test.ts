/**
 * The AWS CLI against `npm run serve` (issue 4: "if an AWS CLI is installable here from Debian
 * packages, a test drives it"). Debian's `awscli` package; `.ci/run` installs it when `aws` is
 * missing. Without an `aws` on PATH the suite is skipped, and its name says why.
 */
import { execFile, execFileSync } from 'node:child_process';
import { constants, createPublicKey, publicEncrypt, verify } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_KEY, ROOT_KEY, spawnServe, tempDir, type ServeProcess } from './helpers';

function awsVersion(): string | null {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
}

const VERSION = awsVersion();
const TITLE = VERSION
  ? `AWS CLI (${VERSION.split(' ')[0]}) against npm run serve`
  : 'AWS CLI against npm run serve — SKIPPED: no `aws` on PATH (apt-get install -y awscli; .ci/run does it)';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(VERSION === null)(TITLE, () => {
  let server: ServeProcess;
  let url: string;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    server = spawnServe(['--port', '0', '--data', join(dir, 'sandbox.json')]);
    url = await server.url();
  }, 60_000);

  afterAll(async () => {
    await server?.stop('SIGINT');
    await cleanup?.();
  });

  /** Runs `aws kms <args>` against the endpoint as `accessKeyId`, isolated from any local AWS config. */
  function aws(args: string[], accessKeyId = ROOT_KEY): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'anything',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    });
    return new Promise((resolve) => {
      execFile('aws', ['kms', ...args, '--endpoint-url', url], { env, cwd: dir, timeout: 30_000, encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  function json(r: CliResult): Record<string, unknown> {
    expect(r.stderr, r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it(
    'create-key, create-alias, encrypt fileb://, decrypt, list-keys; alice is denied',
    async () => {
      const created = json(await aws(['create-key', '--description', 'from the AWS CLI', '--output', 'json']));
      const meta = created.KeyMetadata as { KeyId: string; Arn: string; KeyState: string };
      expect(meta.KeyState).toBe('Enabled');
      // The Region comes from the CLI's signature (AWS_DEFAULT_REGION).
      expect(meta.Arn).toBe(`arn:aws:kms:eu-west-1:111122223333:key/${meta.KeyId}`);

      const alias = await aws(['create-alias', '--alias-name', 'alias/cli-test', '--target-key-id', meta.KeyId]);
      expect(alias).toEqual({ code: 0, stdout: '', stderr: '' });

      const plaintext = Uint8Array.from([0, 1, 2, 250, 255, 10, 13, 0x41]);
      await writeFile(join(dir, 'plain.bin'), plaintext);
      const enc = await aws(['encrypt', '--key-id', 'alias/cli-test', '--plaintext', 'fileb://plain.bin', '--query', 'CiphertextBlob', '--output', 'text']);
      expect(enc.code, enc.stderr).toBe(0);
      await writeFile(join(dir, 'cipher.bin'), Buffer.from(enc.stdout.trim(), 'base64'));

      const dec = json(await aws(['decrypt', '--ciphertext-blob', 'fileb://cipher.bin', '--output', 'json']));
      expect(dec.KeyId).toBe(meta.Arn);
      expect(new Uint8Array(Buffer.from(String(dec.Plaintext), 'base64'))).toEqual(plaintext);

      const keys = json(await aws(['list-keys', '--output', 'json']));
      expect(keys.Keys).toEqual([{ KeyId: meta.KeyId, KeyArn: meta.Arn }]);

      // `test` is not a sandbox access key: it acts as the learner's root, who sees the alias.
      const aliases = json(await aws(['list-aliases', '--output', 'json'], 'test'));
      expect(aliases.Aliases).toContainEqual(expect.objectContaining({ AliasName: 'alias/cli-test', TargetKeyId: meta.KeyId }));

      const denied = await aws(['encrypt', '--key-id', 'alias/cli-test', '--plaintext', 'fileb://plain.bin'], ALICE_KEY);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('AccessDeniedException');
      expect(denied.stderr).toContain('arn:aws:iam::111122223333:user/alice');

      // Every call is in the sandbox file already (written before each answer).
      const saved = JSON.parse(await readFile(join(dir, 'sandbox.json'), 'utf8')) as { records: { typeName: string; record?: { eventName: string } }[] };
      const events = saved.records.filter((r) => r.typeName === 'trailEvent').map((r) => r.record!.eventName);
      expect(events).toEqual(['CreateKey', 'CreateAlias', 'Encrypt', 'Decrypt', 'ListKeys', 'ListAliases', 'Encrypt']);
    },
    180_000,
  );

  it(
    'issue 7: sign fileb:// and verify offline with get-public-key; verify, generate-mac, verify-mac; import key material with fileb://',
    async () => {
      const signer = json(await aws(['create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY', '--output', 'json'])).KeyMetadata as { KeyId: string; Arn: string };
      const manifest = new TextEncoder().encode('release manifest 1.0\n');
      await writeFile(join(dir, 'manifest.txt'), manifest);
      const sig = json(await aws(['sign', '--key-id', signer.KeyId, '--message', 'fileb://manifest.txt', '--message-type', 'RAW', '--signing-algorithm', 'ECDSA_SHA_256', '--output', 'json']));
      expect(sig).toMatchObject({ KeyId: signer.Arn, SigningAlgorithm: 'ECDSA_SHA_256' });
      const signature = Buffer.from(String(sig.Signature), 'base64');
      await writeFile(join(dir, 'manifest.sig'), signature);
      const pem = await aws(['get-public-key', '--key-id', signer.KeyId, '--query', 'PublicKey', '--output', 'text']);
      expect(pem.code, pem.stderr).toBe(0);
      const publicKey = createPublicKey({ key: Buffer.from(pem.stdout.trim(), 'base64'), format: 'der', type: 'spki' });
      expect(verify('sha256', manifest, publicKey, signature)).toBe(true);
      const valid = json(await aws(['verify', '--key-id', signer.KeyId, '--message', 'fileb://manifest.txt', '--signature', 'fileb://manifest.sig', '--signing-algorithm', 'ECDSA_SHA_256', '--output', 'json']));
      expect(valid.SignatureValid).toBe(true);
      await writeFile(join(dir, 'other.txt'), 'tampered manifest\n');
      const invalid = await aws(['verify', '--key-id', signer.KeyId, '--message', 'fileb://other.txt', '--signature', 'fileb://manifest.sig', '--signing-algorithm', 'ECDSA_SHA_256']);
      expect(invalid.code).not.toBe(0);
      expect(invalid.stderr).toContain('(KMSInvalidSignatureException) when calling the Verify operation');

      const hmac = json(await aws(['create-key', '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC', '--output', 'json'])).KeyMetadata as { KeyId: string };
      const mac = json(await aws(['generate-mac', '--key-id', hmac.KeyId, '--message', 'fileb://manifest.txt', '--mac-algorithm', 'HMAC_SHA_256', '--output', 'json']));
      await writeFile(join(dir, 'manifest.mac'), Buffer.from(String(mac.Mac), 'base64'));
      const macValid = json(await aws(['verify-mac', '--key-id', hmac.KeyId, '--message', 'fileb://manifest.txt', '--mac', 'fileb://manifest.mac', '--mac-algorithm', 'HMAC_SHA_256', '--output', 'json']));
      expect(macValid.MacValid).toBe(true);

      // The import flow of the AWS docs: parameters, wrap the material offline, import, use.
      const external = json(await aws(['create-key', '--origin', 'EXTERNAL', '--output', 'json'])).KeyMetadata as { KeyId: string; KeyState: string };
      expect(external.KeyState).toBe('PendingImport');
      const params = json(await aws(['get-parameters-for-import', '--key-id', external.KeyId, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '--wrapping-key-spec', 'RSA_2048', '--output', 'json']));
      const wrappingKey = createPublicKey({ key: Buffer.from(String(params.PublicKey), 'base64'), format: 'der', type: 'spki' });
      await writeFile(join(dir, 'token.bin'), Buffer.from(String(params.ImportToken), 'base64'));
      await writeFile(join(dir, 'material.bin'), publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, new Uint8Array(32).fill(3)));
      const imported = await aws([
        'import-key-material', '--key-id', external.KeyId, '--import-token', 'fileb://token.bin', '--encrypted-key-material', 'fileb://material.bin',
        '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE', '--output', 'json',
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      const state = await aws(['describe-key', '--key-id', external.KeyId, '--query', 'KeyMetadata.KeyState', '--output', 'text']);
      expect(state.stdout.trim()).toBe('Enabled');
    },
    180_000,
  );
});
