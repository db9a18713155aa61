/**
 * Parsing every flag style of the CLI: `--flag value`, `--flag=value`, lists, booleans and their
 * `--no-` form, integers, blobs (base64 and raw-in-base64-out), maps, tags and constraints in
 * shorthand and JSON, JSON text members, `--cli-input-json`, globals anywhere, and the CLI's errors.
 */
import { describe, expect, it } from 'vitest';
import { parseLine, type ParsedLine } from '../../../src/cli';

function call(line: string) {
  const p = parseLine(line);
  if (p.kind !== 'call') throw new Error(`expected a call, got ${JSON.stringify(p)}`);
  return p;
}

function error(line: string): Extract<ParsedLine, { kind: 'error' }> {
  const p = parseLine(line);
  if (p.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(p)}`);
  return p;
}

const USAGE_HEAD = '\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n';

describe('parseLine', () => {
  it('maps a command and its flags to the operation and members', () => {
    const p = call('aws kms describe-key --key-id alias/orders');
    expect(p.command.operation).toBe('DescribeKey');
    expect(p.request).toEqual({ KeyId: 'alias/orders' });
    expect(p.globals).toEqual({ output: 'json', query: null, binaryFormat: 'base64', region: null });
  });

  it('takes --flag=value and quoted values', () => {
    expect(call('aws kms describe-key --key-id=alias/orders').request).toEqual({ KeyId: 'alias/orders' });
    expect(call(`aws kms update-key-description --key-id k --description "two words"`).request).toEqual({ KeyId: 'k', Description: 'two words' });
    expect(call(`aws kms update-key-description --key-id k --description=--dashes`).request['Description']).toBe('--dashes');
  });

  it('reads blobs as base64, or --plaintext as text with raw-in-base64-out', () => {
    expect(call('aws kms encrypt --key-id k --plaintext SGVsbG8=').request['Plaintext']).toBe('SGVsbG8=');
    expect(call('aws kms encrypt --key-id k --plaintext Hello --cli-binary-format raw-in-base64-out').request['Plaintext']).toBe('SGVsbG8=');
    expect(call('aws kms encrypt --cli-binary-format raw-in-base64-out --key-id k --plaintext "☕ é"').request['Plaintext']).toBe(btoa('\u00e2\u0098\u0095 \u00c3\u00a9'));
    // Ciphertext stays base64 (it is what encrypt printed), whatever the binary format.
    expect(call('aws kms decrypt --ciphertext-blob AQID --cli-binary-format raw-in-base64-out').request['CiphertextBlob']).toBe('AQID');
    const bad = error('aws kms encrypt --key-id k --plaintext hello');
    expect(bad.stderr).toBe('\nInvalid base64: "hello"\n(CLI v2 reads blobs as base64; add --cli-binary-format raw-in-base64-out to pass text)\n');
    expect(bad.exitCode).toBe(255);
    expect(error('aws kms encrypt --key-id k --plaintext fileb://secret.bin').stderr).toContain("Error parsing parameter '--plaintext': fileb:// is not available in the page console");
    expect(error('aws kms put-key-policy --key-id k --policy file://p.json').stderr).toContain("Error parsing parameter '--policy': file://");
  });

  it('reads --message like --plaintext, and signatures, MACs, public keys and import blobs as base64', () => {
    const sign = call('aws kms sign --key-id alias/signer --message "release 1.0" --message-type RAW --signing-algorithm ECDSA_SHA_256 --cli-binary-format raw-in-base64-out');
    expect(sign.command.operation).toBe('Sign');
    expect(sign.request).toEqual({ KeyId: 'alias/signer', Message: btoa('release 1.0'), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(call('aws kms generate-mac --key-id k --message aGk= --mac-algorithm HMAC_SHA_256').request['Message']).toBe('aGk=');
    expect(error('aws kms sign --key-id k --message hello --signing-algorithm ECDSA_SHA_256').stderr).toContain('add --cli-binary-format raw-in-base64-out to pass text');
    expect(error('aws kms sign --key-id k --message fileb://manifest.json --signing-algorithm ECDSA_SHA_256').stderr).toContain(
      "Error parsing parameter '--message': fileb:// is not available in the page console",
    );
    // What sign, generate-mac, get-public-key and get-parameters-for-import printed: base64, even under raw-in.
    const raw = ' --cli-binary-format raw-in-base64-out';
    expect(call(`aws kms verify --key-id k --message aGk= --signature MEUCIQ== --signing-algorithm ECDSA_SHA_256${raw}`).request).toMatchObject({ Message: btoa('aGk='), Signature: 'MEUCIQ==' });
    expect(call(`aws kms verify-mac --key-id k --message aGk= --mac AAEC --mac-algorithm HMAC_SHA_256${raw}`).request['Mac']).toBe('AAEC');
    expect(call(`aws kms derive-shared-secret --key-id k --key-agreement-algorithm ECDH --public-key MFkwEw==${raw}`).request['PublicKey']).toBe('MFkwEw==');
    expect(call(`aws kms decapsulate --key-id k --shared-secret-ciphertext-blob AAEC --encapsulation-algorithm ML_KEM${raw}`).request['SharedSecretCiphertextBlob']).toBe('AAEC');
    expect(call(`aws kms import-key-material --key-id k --import-token AAEC --encrypted-key-material AwQF --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE${raw}`).request).toEqual({
      KeyId: 'k',
      ImportToken: 'AAEC',
      EncryptedKeyMaterial: 'AwQF',
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    });
    expect(error('aws kms verify --key-id k --message aGk= --signature not-base64 --signing-algorithm ECDSA_SHA_256').stderr).toBe('\nInvalid base64: "not-base64"\n');
  });

  it('reads issue 7\'s other members: timestamps, Regions, custom key store structures', () => {
    expect(call('aws kms import-key-material --key-id k --import-token AA== --encrypted-key-material AA== --valid-to 2026-02-01T00:00:00Z --expiration-model KEY_MATERIAL_EXPIRES').request['ValidTo']).toBe(
      Date.UTC(2026, 1, 1) / 1000,
    );
    expect(call('aws kms import-key-material --key-id k --import-token AA== --encrypted-key-material AA== --valid-to 1769904000').request['ValidTo']).toBe(1769904000);
    expect(call('aws kms replicate-key --key-id mrk-1234 --replica-region eu-west-1 --description copy --tags TagKey=a,TagValue=b').request).toEqual({
      KeyId: 'mrk-1234',
      ReplicaRegion: 'eu-west-1',
      Description: 'copy',
      Tags: [{ TagKey: 'a', TagValue: 'b' }],
    });
    expect(call('aws kms update-primary-region --key-id mrk-1234 --primary-region eu-west-1').request).toEqual({ KeyId: 'mrk-1234', PrimaryRegion: 'eu-west-1' });
    const xks = call(
      'aws kms create-custom-key-store --custom-key-store-name ext --custom-key-store-type EXTERNAL_KEY_STORE --xks-proxy-uri-endpoint https://xks.example.com ' +
        `--xks-proxy-uri-path /kms/xks/v1 --xks-proxy-connectivity PUBLIC_ENDPOINT --xks-proxy-authentication-credential AccessKeyId=ABCDEFGHIJKLMNOPQRST,RawSecretAccessKey=${'a'.repeat(43)}`,
    );
    expect(xks.command.operation).toBe('CreateCustomKeyStore');
    expect(xks.request['XksProxyAuthenticationCredential']).toEqual({ AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) });
    const secret = 'b'.repeat(43);
    expect(
      call(`aws kms update-custom-key-store --custom-key-store-id cks-1 --xks-proxy-authentication-credential '{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","RawSecretAccessKey":"${secret}"}'`).request,
    ).toEqual({ CustomKeyStoreId: 'cks-1', XksProxyAuthenticationCredential: { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: secret } });
    // botocore checks the structure's members and the model's minimum lengths client-side.
    expect(error('aws kms update-custom-key-store --custom-key-store-id cks-1 --xks-proxy-authentication-credential AccessKeyId=A,Secret=B').stderr).toBe(
      '\nParameter validation failed:\nMissing required parameter in XksProxyAuthenticationCredential: "RawSecretAccessKey"\n' +
        'Unknown parameter in XksProxyAuthenticationCredential: "Secret", must be one of: AccessKeyId, RawSecretAccessKey\n' +
        'Invalid length for parameter XksProxyAuthenticationCredential.AccessKeyId, value: 1, valid min length: 20\n',
    );
    expect(error('aws kms create-custom-key-store --custom-key-store-name c --cloud-hsm-cluster-id cluster-1 --key-store-password short').stderr).toBe(
      '\nParameter validation failed:\nInvalid length for parameter CloudHsmClusterId, value: 9, valid min length: 19\n' +
        'Invalid length for parameter KeyStorePassword, value: 5, valid min length: 7\n',
    );
    expect(call('aws kms describe-custom-key-stores --custom-key-store-name ext --max-items 1')).toMatchObject({ request: { CustomKeyStoreName: 'ext' } });
    expect(call('aws kms generate-data-key-pair --key-id k --key-pair-spec ECC_NIST_P256 --encryption-context a=b').request).toEqual({
      KeyId: 'k',
      KeyPairSpec: 'ECC_NIST_P256',
      EncryptionContext: { a: 'b' },
    });
    expect(error('aws kms sign --key-id k --message aGk=').stderr).toContain('aws: error: the following arguments are required: --signing-algorithm');
    expect(error('aws kms get-parameters-for-import --key-id k').stderr).toContain('the following arguments are required: --wrapping-algorithm, --wrapping-key-spec');
  });

  it('reads maps as shorthand or JSON', () => {
    expect(call('aws kms encrypt --key-id k --plaintext AA== --encryption-context purpose=test,env=dev').request['EncryptionContext']).toEqual({ purpose: 'test', env: 'dev' });
    expect(call(`aws kms encrypt --key-id k --plaintext AA== --encryption-context '{"purpose":"test"}'`).request['EncryptionContext']).toEqual({ purpose: 'test' });
    expect(error(`aws kms encrypt --key-id k --plaintext AA== --encryption-context '{a:b}'`).stderr).toMatch(
      /^\nError parsing parameter '--encryption-context': Invalid JSON: .*\nJSON received: \{a:b\}\n$/,
    );
    expect(error('aws kms encrypt --key-id k --plaintext AA== --encryption-context a=b,c').stderr).toBe(
      "\nParameter validation failed:\nInvalid type for parameter EncryptionContext.a, value: ['b', 'c'], type: <class 'list'>, valid types: <class 'str'>\n",
    );
    expect(error('aws kms encrypt --key-id k --plaintext AA== --encryption-context a').stderr).toContain("Error parsing parameter '--encryption-context': Expected: '='");
  });

  it('reads lists as words, commas or JSON', () => {
    expect(call('aws kms create-grant --key-id k --grantee-principal p --operations Encrypt Decrypt').request['Operations']).toEqual(['Encrypt', 'Decrypt']);
    expect(call('aws kms create-grant --key-id k --grantee-principal p --operations Encrypt,Decrypt').request['Operations']).toEqual(['Encrypt', 'Decrypt']);
    expect(call(`aws kms create-grant --key-id k --operations '["Encrypt"]' --grantee-principal p`).request['Operations']).toEqual(['Encrypt']);
    expect(call('aws kms encrypt --key-id k --plaintext AA== --grant-tokens t1 t2').request['GrantTokens']).toEqual(['t1', 't2']);
    expect(call('aws kms untag-resource --key-id k --tag-keys a b').request['TagKeys']).toEqual(['a', 'b']);
    expect(error('aws kms encrypt --key-id k --plaintext AA== --grant-tokens').stderr).toContain('aws: error: argument --grant-tokens: expected at least one argument');
  });

  it('reads tags as shorthand structures or JSON, and validates them as botocore does', () => {
    expect(call('aws kms tag-resource --key-id k --tags TagKey=a,TagValue=1 TagKey=b,TagValue=2').request['Tags']).toEqual([
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'b', TagValue: '2' },
    ]);
    expect(call(`aws kms tag-resource --key-id k --tags '[{"TagKey":"a","TagValue":"1"}]'`).request['Tags']).toEqual([{ TagKey: 'a', TagValue: '1' }]);
    expect(error('aws kms tag-resource --key-id k --tags TagKey=a,TagValue').stderr).toBe(
      '\nParameter validation failed:\nMissing required parameter in Tags[0]: "TagValue"\n' +
        "Invalid type for parameter Tags[0].TagKey, value: ['a', 'TagValue'], type: <class 'list'>, valid types: <class 'str'>\n",
    );
    expect(error('aws kms tag-resource --key-id k --tags Key=a,Value=b').stderr).toBe(
      '\nParameter validation failed:\nMissing required parameter in Tags[0]: "TagKey"\nMissing required parameter in Tags[0]: "TagValue"\n' +
        'Unknown parameter in Tags[0]: "Key", must be one of: TagKey, TagValue\nUnknown parameter in Tags[0]: "Value", must be one of: TagKey, TagValue\n',
    );
  });

  it('reads grant constraints as shorthand or JSON', () => {
    expect(call('aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --constraints EncryptionContextSubset={purpose=test}').request['Constraints']).toEqual({
      EncryptionContextSubset: { purpose: 'test' },
    });
    expect(call(`aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --constraints '{"EncryptionContextEquals":{"a":"b"}}'`).request['Constraints']).toEqual({
      EncryptionContextEquals: { a: 'b' },
    });
    expect(error('aws kms create-grant --key-id k --grantee-principal p --operations Decrypt --constraints Foo={a=b}').stderr).toContain(
      'Unknown parameter in Constraints: "Foo", must be one of: EncryptionContextSubset, EncryptionContextEquals',
    );
  });

  it('passes a policy as JSON text', () => {
    const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}';
    expect(call(`aws kms put-key-policy --key-id k --policy '${policy}'`).request).toEqual({ KeyId: 'k', Policy: policy });
  });

  it('reads booleans as --flag / --no-flag and refuses a value', () => {
    expect(call('aws kms create-key --bypass-policy-lockout-safety-check').request).toEqual({ BypassPolicyLockoutSafetyCheck: true });
    expect(call('aws kms create-key --no-bypass-policy-lockout-safety-check').request).toEqual({ BypassPolicyLockoutSafetyCheck: false });
    expect(call('aws kms encrypt --key-id k --plaintext AA== --dry-run').request['DryRun']).toBe(true);
    expect(call('aws kms encrypt --key-id k --plaintext AA== --dry-run --no-dry-run').request['DryRun']).toBe(false);
    expect(call('aws kms create-key --multi-region').request).toEqual({ MultiRegion: true });
    expect(error('aws kms create-key --bypass-policy-lockout-safety-check=true').stderr).toContain(
      "aws: error: argument --bypass-policy-lockout-safety-check: ignored explicit argument 'true'",
    );
    expect(error('aws kms encrypt --key-id k --plaintext AA== --dry-run true').stderr).toContain('Unknown options: true');
  });

  it('reads integers and checks the model minimums', () => {
    expect(call('aws kms generate-random --number-of-bytes 32').request).toEqual({ NumberOfBytes: 32 });
    expect(call('aws kms schedule-key-deletion --key-id k --pending-window-in-days 7').request['PendingWindowInDays']).toBe(7);
    const bad = error('aws kms generate-random --number-of-bytes abc');
    expect(bad).toEqual({ kind: 'error', stderr: "\ninvalid literal for int() with base 10: 'abc'\n", exitCode: 255 });
    expect(error('aws kms generate-random --number-of-bytes 0').stderr).toBe('\nParameter validation failed:\nInvalid value for parameter NumberOfBytes, value: 0, valid min value: 1\n');
    expect(error('aws kms describe-key --key-id ""').stderr).toBe('\nParameter validation failed:\nInvalid length for parameter KeyId, value: 0, valid min length: 1\n');
  });

  it('takes global options anywhere after aws', () => {
    const p = call('aws --output text kms list-keys --query Keys --region eu-west-1 --cli-binary-format raw-in-base64-out');
    expect(p.globals).toEqual({ output: 'text', query: 'Keys', binaryFormat: 'raw-in-base64-out', region: 'eu-west-1' });
    expect(call('aws kms list-keys --no-cli-pager --endpoint-url http://127.0.0.1:4566 --debug').command.name).toBe('list-keys');
  });

  it('takes pagination options on paginated commands', () => {
    expect(call('aws kms list-keys').paging).toEqual({ isPaginating: true, maxItems: null, startingToken: null, pageSize: null });
    expect(call('aws kms list-aliases --max-items 2 --page-size 5 --starting-token abc').paging).toEqual({ isPaginating: true, maxItems: 2, startingToken: 'abc', pageSize: 5 });
    expect(call('aws kms list-keys --no-paginate --limit 1').paging.isPaginating).toBe(false);
    expect(call('aws kms list-keys --no-paginate --limit 1').request).toEqual({ Limit: 1 });
    expect(call('aws kms describe-key --key-id k').paging.isPaginating).toBe(false);
    expect(error('aws kms describe-key --key-id k --max-items 2').stderr).toContain('Unknown options: --max-items, 2');
  });

  it('merges --cli-input-json with flags and validates it as botocore does', () => {
    expect(call(`aws kms encrypt --cli-input-json '{"KeyId":"k","Plaintext":"AA=="}' --key-id other`).request).toEqual({ KeyId: 'other', Plaintext: 'AA==' });
    expect(error(`aws kms encrypt --cli-input-json '{"KeyId":"k","Foo":1}'`).stderr).toBe(
      '\nParameter validation failed:\nMissing required parameter in input: "Plaintext"\n' +
        'Unknown parameter in input: "Foo", must be one of: KeyId, Plaintext, EncryptionContext, GrantTokens, EncryptionAlgorithm, DryRun\n',
    );
    expect(error(`aws kms encrypt --cli-input-json '{"KeyId":5,"Plaintext":"AA=="}'`).stderr).toContain(
      "Invalid type for parameter KeyId, value: 5, type: <class 'int'>, valid types: <class 'str'>",
    );
    expect(parseLine('aws kms encrypt --generate-cli-skeleton')).toMatchObject({ kind: 'skeleton', which: 'input' });
  });

  it('gives argparse errors with the usage banner (exit 252)', () => {
    const missing = error('aws kms encrypt');
    expect(missing.exitCode).toBe(252);
    expect(missing.stderr).toBe(
      `${USAGE_HEAD}To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\n` +
        'aws: error: the following arguments are required: --key-id, --plaintext\n\n',
    );
    expect(error('aws kms describe-key --key-id').stderr).toContain('aws: error: argument --key-id: expected one argument\n\n');
    expect(error('aws kms list-keys --foo bar').stderr).toMatch(/\n\nUnknown options: --foo, bar\n\n$/);
    expect(error('aws kms').stderr).toContain('aws: error: the following arguments are required: operation');
    const typo = error('aws kms encryp').stderr;
    expect(typo).toContain('aws: error: argument operation: Invalid choice, valid choices are:\n\ncancel-key-deletion                      | connect-custom-key-store                \n');
    expect(typo).toMatch(/Invalid choice: 'encryp', maybe you meant:\n\n {2}\* encrypt\n\n$/);
    expect(error('aws s3 ls').stderr).toContain("argument command: Invalid choice, valid choices are:\n\nkms");
    expect(error('aws kms list-keys --output yaml2').stderr).toContain("Invalid choice: 'yaml2', maybe you meant:\n\n  * yaml");
  });

  it('explains what the page does not have', () => {
    expect(error('aws kms list-keys --profile dev')).toMatchObject({ exitCode: 255, stderr: expect.stringContaining('The config profile (dev) could not be found') });
    expect(error('aws kms list-keys --output yaml').stderr).toContain('not available in the page console');
    expect(error('kms list-keys')).toMatchObject({ exitCode: 127 });
    expect(error(`aws kms describe-key --key-id 'x`).stderr).toContain("Unterminated ' quote");
  });

  it('checks --query syntax before calling', () => {
    expect(error('aws kms list-keys --query "Keys[0"').stderr).toMatch(/^\nBad value for --query Keys\[0: Invalid jmespath expression: .+\n$/);
    expect(call('aws kms list-keys --query "Keys[?KeyId==\'x\'].KeyArn | [0]"').globals.query).toBe("Keys[?KeyId=='x'].KeyArn | [0]");
  });

  it('recognizes help, version and empty lines', () => {
    expect(parseLine('')).toEqual({ kind: 'empty' });
    expect(parseLine('aws')).toEqual({ kind: 'help', topic: 'aws' });
    expect(parseLine('aws help')).toEqual({ kind: 'help', topic: 'aws' });
    expect(parseLine('aws kms help')).toEqual({ kind: 'help', topic: 'kms' });
    expect(parseLine('aws kms encrypt help')).toMatchObject({ kind: 'help', topic: { name: 'encrypt' } });
    expect(parseLine('aws --version')).toEqual({ kind: 'version' });
  });
});
