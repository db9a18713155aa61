/**
 * Runs one console line: parse → JSON 1.1 request(s) to the sandbox's wire handler → output, as
 * the AWS CLI v2 would print it (stdout, stderr, exit status: 0 ok, 252 command line, 254 service
 * error, 255 other).
 *
 * The console speaks the wire protocol directly (`WireHandler`, the handler `npm run serve` puts
 * behind HTTP): the request carries a SigV4-shaped `Authorization` header whose credential scope
 * names the picked access key id and Region (the handler maps the key to its principal and does
 * not verify signatures), so every command is a real KMS JSON 1.1 round trip and writes one
 * CloudTrail record, as the real CLI's calls do. Paginated commands follow `NextMarker` as the
 * CLI's paginator does (one call, and one trail record, per page).
 */
import type { WireHandler } from '../wire';
import { awsHelp, commandHelp, inputSkeleton, serviceHelp } from './help';
import type { CliCommand } from './model';
import { renderOutput } from './output';
import { parseLine, type PagingOptions } from './parse';

/** Who and where the console calls as. */
export interface CliContext {
  readonly wire: WireHandler;
  /** Access key id the requests are "signed" with: it picks the principal. */
  readonly accessKeyId: string;
  /** Region of the credential scope (unless `--region` overrides it). */
  readonly region: string;
  /** Clock for the `X-Amz-Date` header (default: `Date.now`). */
  readonly now?: () => number;
  /** Columns of the console (table output turns vertical past it). Default 80. */
  readonly terminalWidth?: number;
}

/** What the CLI printed and its exit status. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** The console's `aws --version` line. */
export const VERSION_LINE = 'aws-cli/2 (KMS Playground in-page console; speaks KMS JSON 1.1 to this sandbox)\n';
const USER_AGENT = 'aws-cli/2 kms-playground-console';

/** A failed call: the AWS error code and message from the response body. */
class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

async function send(ctx: CliContext, region: string, operation: string, request: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const stamp = amzDate((ctx.now ?? Date.now)());
  const response = await ctx.wire({
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${operation}`,
      'x-amz-date': stamp,
      authorization:
        `AWS4-HMAC-SHA256 Credential=${ctx.accessKeyId}/${stamp.slice(0, 8)}/${region}/kms/aws4_request, ` +
        `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
      'user-agent': USER_AGENT,
    },
    body: JSON.stringify(request),
    sourceIp: '127.0.0.1',
  });
  let body: unknown;
  try {
    body = response.body.trim() === '' ? {} : JSON.parse(response.body);
  } catch {
    body = {};
  }
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (response.statusCode >= 300) {
    // botocore: the code is __type without its namespace; the message is `message` or `Message`, else
    // empty (InvalidCiphertextException, KMSInvalidSignatureException and KMSInvalidMacException carry none).
    const type = typeof obj['__type'] === 'string' ? obj['__type'] : `HTTP ${response.statusCode}`;
    const code = type.slice(type.lastIndexOf('#') + 1).split(':')[0]!;
    const message = obj['message'] ?? obj['Message'];
    throw new ServiceError(code, typeof message === 'string' ? message : '');
  }
  return obj;
}

interface StartingToken {
  readonly Marker?: string | undefined;
  readonly boto_truncate_amount?: number;
}

function decodeToken(token: string): StartingToken {
  try {
    const v: unknown = JSON.parse(atob(token));
    if (typeof v === 'object' && v !== null) return v as StartingToken;
  } catch {
    // fall through: the CLI reports a bad token the same way
  }
  throw new ServiceError('InvalidStartingToken', `Bad starting token: ${token}`);
}

/** botocore's token: base64 of Python's `json.dumps` (", " and ": " separators, ASCII only). */
function encodeToken(t: StartingToken): string {
  const json = `{${Object.entries(t).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v ?? null)}`).join(', ')}}`;
  return btoa(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A paginator's result: the merged response (`{Key: [...], NextToken?}`) and the items of each page. */
interface Paginated {
  readonly merged: Record<string, unknown>;
  readonly pages: readonly (readonly unknown[])[];
}

/** The CLI paginator: calls page after page and merges the result key (max 1000 pages). */
async function paginate(
  ctx: CliContext,
  region: string,
  command: CliCommand,
  request: Readonly<Record<string, unknown>>,
  paging: PagingOptions,
): Promise<Paginated> {
  const key = command.paginator!.resultKey;
  const start = paging.startingToken ? decodeToken(paging.startingToken) : {};
  let marker = start.Marker ?? undefined;
  let skip = start.boto_truncate_amount ?? 0;
  const items: unknown[] = [];
  const pages: unknown[][] = [];
  let next: StartingToken | null = null;
  for (let page = 0; page < 1000; page++) {
    const req = { ...request, ...(paging.pageSize !== null ? { Limit: paging.pageSize } : {}), ...(marker !== undefined ? { Marker: marker } : {}) };
    const res = await send(ctx, region, command.operation, req);
    const all = Array.isArray(res[key]) ? (res[key] as unknown[]) : [];
    const fresh = all.slice(skip);
    const consumedBefore = skip;
    skip = 0;
    const nextMarker = res['Truncated'] === true && typeof res['NextMarker'] === 'string' ? res['NextMarker'] : undefined;
    if (paging.maxItems !== null && items.length + fresh.length >= paging.maxItems) {
      const take = paging.maxItems - items.length;
      items.push(...fresh.slice(0, take));
      pages.push(fresh.slice(0, take));
      if (take < fresh.length) next = { Marker: marker, boto_truncate_amount: consumedBefore + take };
      else if (nextMarker !== undefined) next = { Marker: nextMarker };
      break;
    }
    items.push(...fresh);
    pages.push(fresh);
    if (nextMarker === undefined) break;
    marker = nextMarker;
  }
  return { merged: { [key]: items, ...(next ? { NextToken: encodeToken(next) } : {}) }, pages };
}

/** Runs one console line against the sandbox. Never throws. */
export async function runCommandLine(line: string, ctx: CliContext): Promise<CliResult> {
  const parsed = parseLine(line);
  const ok = (stdout: string): CliResult => ({ stdout, stderr: '', exitCode: 0 });
  switch (parsed.kind) {
    case 'empty':
      return ok('');
    case 'version':
      return ok(VERSION_LINE);
    case 'error':
      return { stdout: '', stderr: parsed.stderr, exitCode: parsed.exitCode };
    case 'help':
      return ok(parsed.topic === 'aws' ? awsHelp() : parsed.topic === 'kms' ? serviceHelp() : commandHelp(parsed.topic));
    case 'skeleton':
      if (parsed.which === 'output') return { stdout: '', stderr: '\nOutput skeletons are not available in this console; see the command\'s help.\n', exitCode: 252 };
      return ok(`${JSON.stringify(inputSkeleton(parsed.command), null, 4)}\n`);
    case 'call':
      break;
  }
  const { command, request, globals, paging } = parsed;
  const region = globals.region ?? ctx.region;
  try {
    const paginated = paging.isPaginating ? await paginate(ctx, region, command, request, paging) : null;
    const response = paginated ? paginated.merged : await send(ctx, region, command.operation, request);
    const stdout = renderOutput(command.operation, response, {
      output: globals.output,
      query: globals.query,
      ...(paginated ? { pagination: { resultKey: command.paginator!.resultKey, pages: paginated.pages } } : {}),
      ...(ctx.terminalWidth !== undefined ? { terminalWidth: ctx.terminalWidth } : {}),
    });
    return ok(stdout);
  } catch (e) {
    if (e instanceof ServiceError) {
      if (e.code === 'InvalidStartingToken') return { stdout: '', stderr: `\n${e.message}\n`, exitCode: 255 };
      return { stdout: '', stderr: `\nAn error occurred (${e.code}) when calling the ${command.operation} operation: ${e.message}\n`, exitCode: 254 };
    }
    // A --query evaluation error (e.g. an unknown function) prints its message alone, as jmespath.py's does.
    const err = e instanceof Error ? e : new Error(String(e));
    return { stdout: '', stderr: `\n${err.message}\n`, exitCode: 255 };
  }
}
