/**
 * Client-side parameter validation, as botocore's `ParamValidator` does it before a request is
 * sent: missing required members, unknown members, wrong types — reported together as
 * "Parameter validation failed:" with botocore's wording and Python's spelling of values and
 * types (`value: ['a', 'b'], type: <class 'list'>, valid types: <class 'str'>`).
 *
 * It covers the member types of the console's commands; timestamps are passed through to the
 * service, which validates them. Structure members typed `document` on the wire are checked
 * against their model shape (`STRUCTURES`).
 */
import type { MemberType } from '../wire';
import type { CliCommand } from './model';

/** Python's `repr()` of a JSON value. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    return `${q}${v.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t')}${q}`;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** Python's `type()` of a JSON value. */
function pyType(v: unknown): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (Array.isArray(v)) return "<class 'list'>";
  return "<class 'dict'>";
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Report {
  readonly errors: string[] = [];
  type(path: string, v: unknown, valid: string): void {
    this.errors.push(`Invalid type for parameter ${path}, value: ${pyRepr(v)}, type: ${pyType(v)}, valid types: ${valid}`);
  }
}

const STR = "<class 'str'>";

/** Model minimums botocore checks client-side (values of integers, lengths of strings; list items by the list's name). */
const MIN_VALUE: Readonly<Record<string, number>> = { NumberOfBytes: 1, Limit: 1, PendingWindowInDays: 1, RotationPeriodInDays: 90 };
const MIN_LENGTH: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    [
      'KeyId', 'TargetKeyId', 'SourceKeyId', 'DestinationKeyId', 'AliasName', 'Policy', 'PolicyName', 'GrantId', 'GrantToken', 'Name',
      'Marker', 'GranteePrincipal', 'RetiringPrincipal', 'CustomKeyStoreId', 'XksKeyId', 'TagKey', 'GrantTokens', 'TagKeys',
      'CustomKeyStoreName', 'NewCustomKeyStoreName', 'TrustAnchorCertificate', 'ReplicaRegion', 'PrimaryRegion',
    ].map((k) => [k, 1]),
  ),
  // custom key stores (botocore kms/2014-11-01 service-2.json; nested credential members by their own name)
  CloudHsmClusterId: 19,
  KeyStorePassword: 7,
  XksProxyUriEndpoint: 10,
  XksProxyUriPath: 10,
  XksProxyVpcEndpointServiceName: 20,
  AccessKeyId: 20,
  RawSecretAccessKey: 43,
};

/** The last member name of a path (`Tags[0].TagKey` → `TagKey`, `GrantTokens[1]` → `GrantTokens`). */
function memberOf(path: string): string {
  return path.replace(/\[\d+\]$/, '').split('.').at(-1)!;
}

function checkLength(r: Report, path: string, length: number): void {
  const min = MIN_LENGTH[memberOf(path)];
  if (min !== undefined && length < min) r.errors.push(`Invalid length for parameter ${path}, value: ${length}, valid min length: ${min}`);
}

function checkString(r: Report, path: string, v: unknown): void {
  if (typeof v !== 'string') r.type(path, v, STR);
  else checkLength(r, path, v.length);
}

function checkMap(r: Report, path: string, v: unknown): void {
  if (!isDict(v)) return r.type(path, v, "<class 'dict'>");
  for (const [k, x] of Object.entries(v)) checkString(r, `${path}.${k}`, x);
}

function checkStructure(r: Report, path: string, v: unknown, members: readonly string[], required: readonly string[], each: (p: string, x: unknown) => void): void {
  if (!isDict(v)) return r.type(path, v, "<class 'dict'>");
  // botocore's _validate_structure order: missing members, then unknown ones, then the known ones' values.
  for (const m of required) if (v[m] === undefined) r.errors.push(`Missing required parameter in ${path}: "${m}"`);
  const entries = Object.entries(v);
  for (const [k] of entries) if (!members.includes(k)) r.errors.push(`Unknown parameter in ${path}: "${k}", must be one of: ${members.join(', ')}`);
  for (const [k, x] of entries) if (members.includes(k)) each(`${path}.${k}`, x);
}

/** The model shapes of the `document`-typed members: their members (all strings but the blobs) and required ones. */
const STRUCTURES: Readonly<Record<string, { members: readonly string[]; required: readonly string[]; blobs?: readonly string[] }>> = {
  XksProxyAuthenticationCredential: { members: ['AccessKeyId', 'RawSecretAccessKey'], required: ['AccessKeyId', 'RawSecretAccessKey'] },
  Recipient: { members: ['KeyEncryptionAlgorithm', 'AttestationDocument'], required: [], blobs: ['AttestationDocument'] },
};

function checkDocument(r: Report, path: string, v: unknown): void {
  const shape = STRUCTURES[path];
  if (!shape) return;
  checkStructure(r, path, v, shape.members, shape.required, (p, x) => {
    if (shape.blobs?.includes(memberOf(p))) checkMember(r, p, 'blob', x);
    else checkString(r, p, x);
  });
}

function checkMember(r: Report, path: string, type: MemberType, v: unknown): void {
  switch (type) {
    case 'string':
      return checkString(r, path, v);
    case 'integer': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return r.type(path, v, "<class 'int'>");
      const min = MIN_VALUE[path];
      if (min !== undefined && v < min) r.errors.push(`Invalid value for parameter ${path}, value: ${v}, valid min value: ${min}`);
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') r.type(path, v, "<class 'bool'>");
      return;
    case 'blob':
      // botocore checks a blob's type only; its length bounds are the service's to enforce.
      if (typeof v !== 'string') r.type(path, v, "<class 'bytes'>, <class 'bytearray'>, file-like object");
      return;
    case 'stringMap':
      return checkMap(r, path, v);
    case 'stringList':
      if (!Array.isArray(v)) return r.type(path, v, "<class 'list'>, <class 'tuple'>");
      v.forEach((x, i) => checkString(r, `${path}[${i}]`, x));
      return;
    case 'tagList':
      if (!Array.isArray(v)) return r.type(path, v, "<class 'list'>, <class 'tuple'>");
      v.forEach((tag, i) => checkStructure(r, `${path}[${i}]`, tag, ['TagKey', 'TagValue'], ['TagKey', 'TagValue'], (p, x) => checkString(r, p, x)));
      return;
    case 'grantConstraints':
      return checkStructure(r, path, v, ['EncryptionContextSubset', 'EncryptionContextEquals'], [], (p, x) => checkMap(r, p, x));
    case 'document':
      return checkDocument(r, path, v);
    case 'timestamp':
      return;
  }
}

/** botocore-style validation of a request; the error lines (empty when valid). */
export function validateRequest(command: CliCommand, request: Readonly<Record<string, unknown>>): string[] {
  const r = new Report();
  for (const m of command.members) {
    if (m.isRequired && request[m.name] === undefined) r.errors.push(`Missing required parameter in input: "${m.name}"`);
  }
  const entries = Object.entries(request);
  for (const [k] of entries) {
    if (!command.members.some((x) => x.name === k)) r.errors.push(`Unknown parameter in input: "${k}", must be one of: ${command.members.map((x) => x.name).join(', ')}`);
  }
  for (const [k, v] of entries) {
    const m = command.members.find((x) => x.name === k);
    if (m) checkMember(r, k, m.type, v);
  }
  return r.errors;
}
