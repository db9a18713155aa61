/**
 * Command-line flags of `npm run serve` (issue 4, "A local endpoint"). Parsing returns a result
 * (STYLE §6: untrusted input): the entry point prints the message with `USAGE` and exits 2.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Default interface: loopback only, so the sandbox is not reachable from the network. */
export const DEFAULT_HOST = '127.0.0.1';
/** Default port: LocalStack's, so tools already configured for a local AWS endpoint find it. */
export const DEFAULT_PORT = 4566;
/** Hex characters in `--seed` (a 32-byte sandbox seed). */
const SEED_HEX_CHARS = 64;

/** What `npm run serve -- --help` prints (and every flag error, before exit code 2). */
export const USAGE = `Usage: npm run serve -- [options]

Serves a KMS Playground sandbox over the AWS KMS JSON 1.1 protocol, for the AWS CLI and SDKs.

Options:
  --port N              port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDR           interface to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)
  --data FILE           keep the sandbox in FILE (JSON snapshot; created if missing). Default: in memory
  --sandbox FILE|LINK   start from an exported sandbox file or a share link (with --data: only when that file does not exist yet)
  --trail               print one line per call (the CloudTrail record, summarised)
  --trail-file FILE     append every new CloudTrail record to FILE as one JSON line (JSON Lines)
  --seed HEX            seed of a new sandbox (64 hex characters): same seed and calls, same keys
  -h, --help            show this text
`;

/** Parsed flags. Paths are absolute. */
export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly dataFile?: string;
  readonly sandboxFile?: string;
  /** A share link given to `--sandbox` (issue 6). */
  readonly sandboxLink?: string;
  readonly isTrail: boolean;
  readonly trailFile?: string;
  /** 32-byte seed for a new sandbox. */
  readonly seed?: Uint8Array;
  readonly isHelp: boolean;
}

/** Why the flags were refused: `usage` (unknown or malformed flag); exits with code 2. */
export type ArgsFailureReason = 'usage';

export type ParseArgsResult =
  | { readonly ok: true; readonly value: ServeOptions }
  | { readonly ok: false; readonly reason: ArgsFailureReason; readonly message: string };

function usageError(message: string): ParseArgsResult {
  return { ok: false, reason: 'usage', message };
}

/** True for a URL or a share-link fragment rather than a file path. */
function isLink(s: string): boolean {
  return (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !/^file:/i.test(s)) || s.includes('#sandbox=');
}

function parseSeed(hex: string): Uint8Array | null {
  if (hex.length !== SEED_HEX_CHARS || !/^[0-9a-f]+$/i.test(hex)) return null;
  const out = new Uint8Array(SEED_HEX_CHARS / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Parses the arguments after `npm run serve --` (or `tsx src/server/main.ts`). Never throws. */
export function parseServeArgs(argv: readonly string[], cwd: string = process.cwd()): ParseArgsResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        sandbox: { type: 'string' },
        trail: { type: 'boolean' },
        'trail-file': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    // parseArgs names the flag at fault (never a secret: flags carry paths and numbers).
    return usageError(e instanceof Error ? e.message : 'invalid arguments');
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;

  let port = DEFAULT_PORT;
  const portText = str('port');
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return usageError(`--port: expected a number from 0 to 65535, got '${portText}'`);
    port = Number(portText);
  }
  const host = str('host') ?? DEFAULT_HOST;
  if (host.trim() === '') return usageError('--host: expected an address, e.g. 127.0.0.1');

  for (const name of ['data', 'sandbox', 'trail-file']) {
    if (str(name) === '') return usageError(`--${name}: expected a file name`);
  }
  const sandbox = str('sandbox');
  const sandboxLink = sandbox !== undefined && isLink(sandbox) ? sandbox : undefined;
  let sandboxPath: string | undefined;
  if (sandbox !== undefined && sandboxLink === undefined) {
    try {
      sandboxPath = sandbox.startsWith('file:') ? fileURLToPath(sandbox) : resolve(cwd, sandbox);
    } catch {
      return usageError(`--sandbox: '${sandbox}' is not a file path, a file: URL of this machine, or a share link`);
    }
  }

  let seed: Uint8Array | undefined;
  const seedText = str('seed');
  if (seedText !== undefined) {
    const parsed = parseSeed(seedText);
    if (parsed === null) return usageError(`--seed: expected ${SEED_HEX_CHARS} hex characters (32 bytes)`);
    seed = parsed;
  }

  const abs = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(cwd, p));
  const dataFile = abs(str('data'));
  const trailFile = abs(str('trail-file'));
  if (dataFile !== undefined && dataFile === trailFile) return usageError('--trail-file: must not be the --data file');

  return {
    ok: true,
    value: {
      host,
      port,
      isTrail: values['trail'] === true,
      isHelp: values['help'] === true,
      ...(dataFile !== undefined ? { dataFile } : {}),
      ...(sandboxLink !== undefined ? { sandboxLink } : {}),
      ...(sandboxPath !== undefined ? { sandboxFile: sandboxPath } : {}),
      ...(trailFile !== undefined ? { trailFile } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}
