/**
 * The console end to end against a real in-process sandbox, through the JSON 1.1 wire handler:
 * output, errors as the CLI prints them, principals from the access key, pagination, one trail
 * record per call, help and skeletons.
 */
import { describe, expect, it } from 'vitest';
import { commandHelp, COMMANDS, serviceHelp } from '../../../src/cli';
import { ALICE_KEY, makeConsole } from './harness';

describe('runCommandLine', () => {
  it('creates a key, encrypts and decrypts through the console', async () => {
    const c = await makeConsole();
    const keyId = (await c.ok('aws kms create-key --description "console key" --query KeyMetadata.KeyId --output text')).trim();
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await c.ok(`aws kms create-alias --alias-name alias/console --target-key-id ${keyId}`)).toBe('');
    const blob = (
      await c.ok('aws kms encrypt --key-id alias/console --plaintext "attack at dawn" --cli-binary-format raw-in-base64-out --encryption-context app=demo --query CiphertextBlob --output text')
    ).trim();
    expect(blob).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const plain = await c.ok(`aws kms decrypt --ciphertext-blob ${blob} --encryption-context app=demo --query Plaintext --output text`);
    expect(atob(plain.trim())).toBe('attack at dawn');

    const decrypted = JSON.parse(await c.ok(`aws kms decrypt --ciphertext-blob ${blob} --encryption-context app=demo`));
    expect(decrypted.KeyId).toBe(`arn:aws:kms:us-east-1:111122223333:key/${keyId}`);
    expect(decrypted.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');

    const described = JSON.parse(await c.ok(`aws kms describe-key --key-id ${keyId}`));
    expect(described.KeyMetadata.CreationDate).toBe('2026-01-15T12:00:00+00:00');
    expect(described.KeyMetadata.Description).toBe('console key');
  });

  it('prints service errors as the CLI does (exit 254), one trail record each', async () => {
    const c = await makeConsole();
    const r = await c.run('aws kms describe-key --key-id alias/none');
    expect(r).toEqual({
      stdout: '',
      stderr: '\nAn error occurred (NotFoundException) when calling the DescribeKey operation: Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found.\n',
      exitCode: 254,
    });
    const trail = c.h.repo.list('trailEvent');
    expect(trail.at(-1)!.record.errorCode).toBe('NotFoundException');
    expect(trail.at(-1)!.record.userAgent).toContain('aws-cli/2');
    // Errors sent without a message (as AWS sends them) print an empty one, as botocore does.
    const { keyId } = await c.h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(await c.run(`aws kms verify --key-id ${keyId} --message aGk= --signature MEUCIQDm --signing-algorithm ECDSA_SHA_256`)).toEqual({
      stdout: '',
      stderr: '\nAn error occurred (KMSInvalidSignatureException) when calling the Verify operation: \n',
      exitCode: 254,
    });
  });

  it('runs issue 7\'s commands: sign, verify, get-public-key, generate-mac, verify-mac, blobs printed as base64', async () => {
    const c = await makeConsole();
    const { keyId } = await c.h.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const raw = '--cli-binary-format raw-in-base64-out';
    const signed = await c.run(`aws kms sign --key-id ${keyId} --message "release 1.0" --signing-algorithm ECDSA_SHA_256 ${raw} --query Signature --output text`);
    expect(signed.exitCode).toBe(0);
    const signature = signed.stdout.trim();
    expect(signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    const verified = await c.run(`aws kms verify --key-id ${keyId} --message "release 1.0" --signature ${signature} --signing-algorithm ECDSA_SHA_256 ${raw}`);
    expect(JSON.parse(verified.stdout)).toMatchObject({ SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
    const pub = JSON.parse((await c.run(`aws kms get-public-key --key-id ${keyId}`)).stdout) as { PublicKey: string; KeySpec: string };
    expect(pub.KeySpec).toBe('ECC_NIST_P256');
    expect(atob(pub.PublicKey).length).toBe(91); // DER SubjectPublicKeyInfo of a P-256 key
    const mac = await c.h.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const made = JSON.parse((await c.run(`aws kms generate-mac --key-id ${mac.keyId} --message aGk= --mac-algorithm HMAC_SHA_256`)).stdout) as { Mac: string };
    expect(atob(made.Mac)).toHaveLength(32);
    const ok = await c.run(`aws kms verify-mac --key-id ${mac.keyId} --message aGk= --mac-algorithm HMAC_SHA_256 --mac ${made.Mac} --query MacValid`);
    expect(ok).toEqual({ stdout: 'true\n', stderr: '', exitCode: 0 });
    const bad = await c.run(`aws kms verify-mac --key-id ${mac.keyId} --message aGo= --mac-algorithm HMAC_SHA_256 --mac ${made.Mac}`);
    expect(bad).toMatchObject({ exitCode: 254, stderr: expect.stringContaining('(KMSInvalidMacException) when calling the VerifyMac operation') });
  });

  it('paginates describe-custom-key-stores over CustomKeyStores', async () => {
    const c = await makeConsole();
    for (const name of ['a', 'b', 'c']) {
      await c.h.call('CreateCustomKeyStore', {
        CustomKeyStoreName: `store-${name}`,
        CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
        XksProxyUriEndpoint: `https://xks-${name}.example.com`,
        XksProxyUriPath: '/kms/xks/v1',
        XksProxyConnectivity: 'PUBLIC_ENDPOINT',
        XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) },
      });
    }
    const before = c.h.repo.list('trailEvent').length;
    const r = await c.run('aws kms describe-custom-key-stores --page-size 1 --query "CustomKeyStores[].CustomKeyStoreName" --output text');
    expect(r.exitCode).toBe(0);
    // Text output of a paginated --query prints one line per page (as the CLI does); stores come in id order.
    expect(r.stdout.trim().split('\n').sort()).toEqual(['store-a', 'store-b', 'store-c']);
    // One DescribeCustomKeyStores call (and trail record) per page, as the CLI's paginator makes them.
    expect(c.h.repo.list('trailEvent').length - before).toBe(3);
  });

  it('calls as the principal of the picked access key', async () => {
    const c = await makeConsole();
    const { keyId } = await c.h.createKey();
    const denied = await c.run(`aws kms encrypt --key-id ${keyId} --plaintext SGk=`, ALICE_KEY);
    expect(denied.exitCode).toBe(254);
    expect(denied.stderr).toMatch(
      /^\nAn error occurred \(AccessDeniedException\) when calling the Encrypt operation: User: arn:aws:iam::111122223333:user\/alice is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:us-east-1:111122223333:key\/.+\n$/,
    );
    const record = c.h.repo.list('trailEvent').at(-1)!.record as unknown as { userIdentity: { arn: string } };
    expect(record.userIdentity.arn).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('uses --region for the credential scope', async () => {
    const c = await makeConsole();
    const arn = (await c.ok('aws kms create-key --region eu-west-1 --query KeyMetadata.Arn --output text')).trim();
    expect(arn).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    expect(await c.ok('aws kms list-keys --query "length(Keys)"', undefined)).toBe('0\n');
    expect(await c.ok('aws kms list-keys --region eu-west-1 --query "length(Keys)"')).toBe('1\n');
  });

  it('paginates like the CLI: pages, --max-items, NextToken and --starting-token', async () => {
    const c = await makeConsole();
    for (let i = 0; i < 5; i++) await c.h.createKey();
    const before = c.h.repo.list('trailEvent').length;
    const all = JSON.parse(await c.ok('aws kms list-keys --page-size 2'));
    expect(all.Keys).toHaveLength(5);
    expect(all.NextToken).toBeUndefined();
    expect(c.h.repo.list('trailEvent').length - before).toBe(3);

    const first = JSON.parse(await c.ok('aws kms list-keys --page-size 2 --max-items 3'));
    expect(first.Keys).toHaveLength(3);
    expect(atob(first.NextToken)).toMatch(/^\{"Marker": ".+", "boto_truncate_amount": 1\}$/);
    const rest = JSON.parse(await c.ok(`aws kms list-keys --page-size 2 --starting-token ${first.NextToken}`));
    expect([...first.Keys, ...rest.Keys].map((k: { KeyId: string }) => k.KeyId)).toEqual(all.Keys.map((k: { KeyId: string }) => k.KeyId));

    const single = JSON.parse(await c.ok('aws kms list-keys --no-paginate --limit 2'));
    expect(single.Keys).toHaveLength(2);
    expect(single.Truncated).toBe(true);
    expect(typeof single.NextMarker).toBe('string');

    const bad = await c.run('aws kms list-keys --starting-token nonsense');
    expect(bad.exitCode).toBe(255);
    expect(bad.stderr).toContain('Bad starting token');
  });

  it('prints table and text output of real responses', async () => {
    const c = await makeConsole();
    const { keyId } = await c.h.createKey({ Description: 'tabled' });
    const table = await c.ok(`aws kms describe-key --key-id ${keyId} --output table`);
    expect(table.split('\n')[1]).toMatch(/^\|\s+DescribeKey\s+\|$/);
    expect(table).toContain('||  KeyState             |  Enabled ');
    const text = await c.ok(`aws kms list-keys --output text`);
    expect(text).toBe(`KEYS\tarn:aws:kms:us-east-1:111122223333:key/${keyId}\t${keyId}\n`);
  });

  it('sends nothing for command-line errors', async () => {
    const c = await makeConsole();
    const before = c.h.repo.list('trailEvent').length;
    expect((await c.run('aws kms encrypt --key-id k')).exitCode).toBe(252);
    expect((await c.run('aws kms encrypt --key-id k --plaintext nope!')).exitCode).toBe(255);
    expect(c.h.repo.list('trailEvent').length).toBe(before);
  });

  it('answers help, version and skeletons without calling', async () => {
    const c = await makeConsole();
    expect(await c.ok('aws kms help')).toBe(serviceHelp());
    expect(await c.ok('aws kms encrypt help')).toBe(commandHelp(COMMANDS.find((x) => x.name === 'encrypt')!));
    expect(await c.ok('aws help')).toContain('aws kms list-keys');
    expect(await c.ok('aws --version')).toMatch(/^aws-cli\/2 /);
    expect(JSON.parse(await c.ok('aws kms tag-resource --generate-cli-skeleton'))).toEqual({ KeyId: '', Tags: [{ TagKey: '', TagValue: '' }] });
    expect((await c.run('aws kms tag-resource --generate-cli-skeleton output')).exitCode).toBe(252);
    expect(c.h.repo.list('trailEvent')).toHaveLength(0);
  });

  it('reports a --query evaluation error as jmespath does (exit 255)', async () => {
    const c = await makeConsole();
    expect(await c.run('aws kms list-keys --query "foo(@)"')).toEqual({ stdout: '', stderr: '\nUnknown function: foo()\n', exitCode: 255 });
  });

  it('never throws, whatever the line', async () => {
    const c = await makeConsole();
    for (const line of ['aws kms list-keys --query', 'aws kms create-grant --constraints {', `aws kms tag-resource --key-id k --tags '[1,2]'`, 'aws kms encrypt --cli-input-json [1]', '"', 'aws kms ""']) {
      const r = await c.run(line);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });
});

describe('help', () => {
  it('lists every command with its description', () => {
    const help = serviceHelp();
    const width = 'generate-data-key-pair-without-plaintext'.length;
    for (const c of COMMANDS) expect(help).toContain(`o ${c.name.padEnd(width)}  ${c.summary}`);
  });

  it('lists a command\'s members, required first, with types and syntax', () => {
    const help = commandHelp(COMMANDS.find((c) => c.name === 'create-grant')!);
    expect(help).toContain('          --key-id <value>\n          --operations <value>\n          [--grantee-principal <value>]');
    expect(help).toContain('       --operations (list) [required]');
    expect(help).toContain('          Possible values: Decrypt, Encrypt,');
    expect(help).toContain('[--dry-run | --no-dry-run]');
    expect(commandHelp(COMMANDS.find((c) => c.name === 'encrypt')!)).toContain('--cli-binary-format raw-in-base64-out');
    expect(commandHelp(COMMANDS.find((c) => c.name === 'list-keys')!)).toContain('[--max-items <value>]');
    const verify = commandHelp(COMMANDS.find((c) => c.name === 'verify')!);
    expect(verify).toContain('--signature (blob) [required]\n          Member Signature.\n          base64 text: the Signature that sign printed');
    expect(verify).toContain('Possible values: RAW, DIGEST, EXTERNAL_MU');
    expect(commandHelp(COMMANDS.find((c) => c.name === 'create-custom-key-store')!)).toContain('Shorthand: AccessKeyId=string,RawSecretAccessKey=string');
  });
});
