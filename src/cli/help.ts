/**
 * `aws help`, `aws kms help` and `aws kms <command> help` for the console: short, plain-text
 * versions of the CLI's man pages (name, one-line description, synopsis with the required
 * members first, each option's type, how to write it, and its allowed values).
 */
import type { MemberType } from '../wire';
import { COMMANDS, memberChoices, type CliCommand, type CliMember } from './model';

const TYPE_NAMES: Record<MemberType, string> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  blob: 'blob',
  timestamp: 'timestamp',
  stringMap: 'map',
  stringList: 'list',
  tagList: 'list',
  grantConstraints: 'structure',
  document: 'structure',
};

const SYNTAX: Partial<Record<MemberType, string>> = {
  blob: 'base64 text (CLI v2 default); for --plaintext and --message, add --cli-binary-format raw-in-base64-out to pass plain text',
  stringMap: 'Shorthand: key1=value1,key2=value2   JSON: {"key1":"value1"}',
  stringList: 'Syntax: value1 value2 ...   (or one JSON list)',
  tagList: 'Shorthand: TagKey=string,TagValue=string TagKey=string,TagValue=string   JSON: [{"TagKey":"string","TagValue":"string"}]',
  grantConstraints: 'Shorthand: EncryptionContextSubset={k1=v1},EncryptionContextEquals={k2=v2}   or JSON',
  document: 'JSON',
  timestamp: 'ISO 8601 (2026-01-15T12:00:00Z) or epoch seconds',
};

/** Syntax lines of members whose type alone does not say how to write them. */
const MEMBER_SYNTAX: Readonly<Record<string, string>> = {
  XksProxyAuthenticationCredential: 'Shorthand: AccessKeyId=string,RawSecretAccessKey=string   JSON: {"AccessKeyId":"string","RawSecretAccessKey":"string"}',
  Recipient: 'Shorthand: KeyEncryptionAlgorithm=string,AttestationDocument=blob   or JSON',
  Message: 'base64 text (CLI v2 default), or plain text with --cli-binary-format raw-in-base64-out; a DIGEST message is the digest itself',
  Signature: 'base64 text: the Signature that sign printed',
  Mac: 'base64 text: the Mac that generate-mac printed',
  PublicKey: 'base64 text of a DER SubjectPublicKeyInfo (what get-public-key printed)',
  ImportToken: 'base64 text: the ImportToken that get-parameters-for-import printed',
  EncryptedKeyMaterial: 'base64 text: the key material wrapped with the PublicKey of get-parameters-for-import',
};

function synopsisOf(m: CliMember): string {
  const body = m.type === 'boolean' ? `${m.flag} | --no-${m.flag.slice(2)}` : `${m.flag} <value>`;
  return m.isRequired ? body : `[${body}]`;
}

/** `aws kms <command> help`. */
export function commandHelp(c: CliCommand): string {
  const members = [...c.members.filter((m) => m.isRequired), ...c.members.filter((m) => !m.isRequired)];
  const lines = [
    'NAME',
    `       ${c.name} -`,
    '',
    'DESCRIPTION',
    `       ${c.summary}`,
    `       (API operation ${c.operation}.)`,
    '',
    'SYNOPSIS',
    `            ${c.name}`,
    ...members.map((m) => `          ${synopsisOf(m)}`),
    ...(c.paginator ? ['          [--starting-token <value>]', '          [--page-size <value>]', '          [--max-items <value>]'] : []),
    '          [--cli-input-json <value>]',
    '          [--generate-cli-skeleton <value>]',
    '',
    'OPTIONS',
  ];
  for (const m of members) {
    lines.push(`       ${m.flag} (${TYPE_NAMES[m.type]})${m.isRequired ? ' [required]' : ''}`);
    lines.push(`          Member ${m.name}.`);
    const syntax = MEMBER_SYNTAX[m.name] ?? SYNTAX[m.type];
    if (syntax) lines.push(`          ${syntax}`);
    const choices = memberChoices(c, m.name);
    if (choices.length > 0) lines.push(`          Possible values: ${choices.join(', ')}`);
    lines.push('');
  }
  if (c.paginator) {
    lines.push(
      `       ${c.name} is a paginated operation: the console calls ${c.operation} until the last page and`,
      `       merges "${c.paginator.resultKey}". --no-paginate makes one call (with --limit / --marker as given).`,
      '',
    );
  }
  lines.push(...GLOBAL_NOTES);
  return `${lines.join('\n')}\n`;
}

const GLOBAL_NOTES = [
  'GLOBAL OPTIONS (this console)',
  '       --output json|text|table   --query <JMESPath>   --cli-binary-format base64|raw-in-base64-out',
  '       --region <region> overrides the Region picked above the console. The principal is the',
  '       access key picked above the console (--profile does not exist here). --endpoint-url is',
  '       ignored: the console always talks to this sandbox, through its KMS JSON 1.1 handler.',
];

/** `aws kms help`: every command with its one-line description. */
export function serviceHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'KMS',
    '',
    'DESCRIPTION',
    '       AWS Key Management Service, simulated in this page. Each command calls the sandbox\'s',
    '       KMS through the same JSON 1.1 wire protocol the real AWS CLI speaks, as the access key',
    '       picked above the console. Every call writes a CloudTrail record.',
    '',
    'AVAILABLE COMMANDS',
    ...COMMANDS.map((c) => `       o ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '       aws kms <command> help   shows a command\'s options.',
    '',
    ...GLOBAL_NOTES,
    '',
  ].join('\n');
}

/** `aws help`. */
export function awsHelp(): string {
  return [
    'AWS',
    '',
    'DESCRIPTION',
    '       The AWS Command Line Interface, as far as this page goes: the kms service against your',
    '       sandbox. Try:',
    '',
    '         aws kms list-keys',
    '         aws kms describe-key --key-id alias/orders',
    '         aws kms encrypt --key-id alias/orders --plaintext "SGVsbG8=" --query CiphertextBlob --output text',
    '',
    'AVAILABLE SERVICES',
    '       o kms',
    '',
    '       aws kms help   lists the commands.',
    '',
  ].join('\n');
}

/** A request skeleton (`--generate-cli-skeleton input`) with the CLI's placeholder values. */
export function inputSkeleton(c: CliCommand): Record<string, unknown> {
  const placeholder: Record<MemberType, unknown> = {
    string: '',
    integer: 0,
    boolean: true,
    blob: null,
    timestamp: '1970-01-01T00:00:00',
    stringMap: { KeyName: '' },
    stringList: [''],
    tagList: [{ TagKey: '', TagValue: '' }],
    grantConstraints: { EncryptionContextSubset: { KeyName: '' }, EncryptionContextEquals: { KeyName: '' } },
    document: {},
  };
  return Object.fromEntries(c.members.map((m) => [m.name, placeholder[m.type]]));
}
