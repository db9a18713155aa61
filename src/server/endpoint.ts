/**
 * The local endpoint, wired (issue 4, "A local endpoint"): a sandbox (in memory, or in a `--data`
 * file, optionally started from an exported `--sandbox` file), the KMS service over it (`autoBackend`:
 * noble for small inputs, WebCrypto for large ones, so a call skips WebCrypto's thread-pool hop; wall
 * clock, CloudTrail recorder, as the app builds it), the JSON 1.1 wire handler, the HTTP server
 * and the trail followers. The process glue (flags, signals, exit codes) is in main.ts.
 *
 * Start order: bind the port first, so a port in use fails before any file is created; requests
 * that arrive while the sandbox opens wait for it. Stop order: the HTTP server (every received call
 * answered, hence committed and written), then pending file writes, then the trail file.
 */
import { readFile, stat } from 'node:fs/promises';
import { openSandboxService, autoBackend, type AnyRecord, type Clock, type KmsService, type Repository } from '../kms';
import { createMemoryRepository } from '../kms/store/memory';
import { toTrailRecord } from '../trail';
import { createWireHandler, DEFAULT_PRINCIPAL, DEFAULT_REGION, type WireHandler } from '../wire';
import { formatBanner } from './banner';
import { loadSnapshotFile, openFileRepository, type FileRepository } from './fileRepository';
import { isShareFile, sandboxFromLink, sandboxFromShareFile } from './sharedSandbox';
import { ListenError, startHttpServer, type RunningHttpServer } from './httpServer';
import { followTrail, type TrailFollower } from './trailOutput';

export interface EndpointOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Sandbox file (`--data`); absent: in memory. */
  readonly dataFile?: string;
  /** Exported sandbox to start from (`--sandbox`): a store snapshot or a share export file. */
  readonly sandboxFile?: string;
  /** Share link to start from (`--sandbox LINK`, issue 6). */
  readonly sandboxLink?: string;
  /** Print one line per call (`--trail`) through `out`. */
  readonly isTrail?: boolean;
  /** Append every new CloudTrail record as JSON Lines (`--trail-file`). */
  readonly trailFile?: string;
  /** Seed of a new sandbox (ignored, with a note, when the sandbox already has one). */
  readonly seed?: Uint8Array;
  /** Standard output, one line per call (no trailing newline). */
  readonly out: (line: string) => void;
  /** Warnings and notes, one line per call. */
  readonly err: (line: string) => void;
  /** Time source (default: wall clock). */
  readonly clock?: Clock;
  /** Builds the handler over the service (default: `createWireHandler`). Tests pass stubs. */
  readonly createHandler?: (service: KmsService) => WireHandler;
  /** See `HttpServerOptions.closeGraceMs`. */
  readonly closeGraceMs?: number;
}

/** Why the endpoint did not start; every reason exits with code 1. `message` is for the learner. */
export type StartFailureReason = 'listen-failed' | 'data-refused' | 'sandbox-refused' | 'sandbox-missing' | 'data-exists' | 'data-unwritable';

export type StartResult =
  | { readonly ok: true; readonly value: Endpoint }
  | { readonly ok: false; readonly reason: StartFailureReason; readonly message: string };

/** A running endpoint. */
export interface Endpoint {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly service: KmsService;
  /** The start text (URL, Region, access keys, examples). */
  readonly banner: string;
  /** Graceful stop (see the module header). Idempotent. */
  stop(): Promise<void>;
}

type Failure = Extract<StartResult, { ok: false }>;

/** Answers requests that arrived while a start was failing (so the server can close). */
const NOT_STARTED: WireHandler = async () => ({
  statusCode: 500,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify({ __type: 'KMSInternalException', message: 'The endpoint failed to start.' }),
});

function failure(reason: StartFailureReason, message: string): Failure {
  return { ok: false, reason, message };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The repository the flags ask for, or why there is none. Touches no file on failure. */
async function openRepository(opts: EndpointOptions): Promise<{ repository: Repository; file?: FileRepository; storage: string } | Failure> {
  let imported: AnyRecord[] | undefined;
  const source = opts.sandboxLink !== undefined ? 'the share link' : opts.sandboxFile;
  if (source !== undefined) {
    if (opts.dataFile !== undefined && (await exists(opts.dataFile))) {
      return failure(
        'data-exists',
        `--sandbox: ${opts.dataFile} already holds a sandbox; --sandbox only starts a new --data file. Remove --sandbox to continue that sandbox, or pick another --data file.`,
      );
    }
    if (opts.sandboxLink !== undefined) {
      const shared = await sandboxFromLink(opts.sandboxLink);
      if (!shared.ok) return failure('sandbox-refused', `--sandbox: ${shared.message}`);
      imported = shared.records;
    } else {
      const file = opts.sandboxFile!;
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text !== null && isShareFile(text)) {
        const shared = await sandboxFromShareFile(file, text);
        if (!shared.ok) return failure('sandbox-refused', `--sandbox: ${shared.message}`);
        imported = shared.records;
      } else {
        const loaded = await loadSnapshotFile(file);
        if (!loaded.ok) return failure('sandbox-refused', `--sandbox: ${file} was refused (${loaded.reason}): ${loaded.detail}`);
        if (loaded.value === null) return failure('sandbox-missing', `--sandbox: ${file} does not exist.`);
        imported = loaded.value.records;
      }
    }
  }
  if (opts.dataFile === undefined) {
    const from = source !== undefined ? `, started from ${source}` : '';
    return { repository: createMemoryRepository(imported), storage: `in memory${from} (gone when the server stops; keep it with --data FILE)` };
  }
  const opened = await openFileRepository(opts.dataFile, imported !== undefined ? { initialRecords: imported } : {});
  if (!opened.ok) {
    if (opened.reason === 'unwritable') return failure('data-unwritable', `--data: ${opts.dataFile}: ${opened.detail}`);
    return failure(
      'data-refused',
      `--data: ${opts.dataFile} was refused (${opened.reason}): ${opened.detail}. The file was left as it is.`,
    );
  }
  const { repository, isNew } = opened.value;
  const how = isNew ? (imported !== undefined ? `new, copied from ${source}` : 'new') : 'loaded';
  return { repository, file: repository, storage: `${opts.dataFile} (${how}; every call is saved before it is answered)` };
}

/** Starts the endpoint. Never throws for expected failures (port in use, refused files): see `StartResult`. */
export async function startEndpoint(opts: EndpointOptions): Promise<StartResult> {
  let resolveHandler!: (h: WireHandler) => void;
  const ready = new Promise<WireHandler>((r) => (resolveHandler = r));
  let http: RunningHttpServer;
  try {
    http = await startHttpServer({
      host: opts.host,
      port: opts.port,
      handler: async (req) => (await ready)(req),
      ...(opts.closeGraceMs !== undefined ? { closeGraceMs: opts.closeGraceMs } : {}),
    });
  } catch (e) {
    if (e instanceof ListenError) return failure('listen-failed', e.message);
    throw e;
  }

  let file: FileRepository | undefined;
  let follower: TrailFollower | undefined;
  try {
    const repo = await openRepository(opts);
    if ('ok' in repo) {
      resolveHandler(NOT_STARTED);
      await http.close();
      return repo;
    }
    file = repo.file;
    const hadSandbox = repo.repository.get('meta', 'sandbox') !== undefined;
    if (hadSandbox && opts.seed !== undefined) opts.err('--seed ignored: this sandbox already has its seed (it keeps its keys and random streams).');
    let service: KmsService;
    try {
      service = await openSandboxService({
        repository: repo.repository,
        clock: opts.clock ?? { now: () => Date.now() },
        crypto: autoBackend,
        recordTrail: toTrailRecord,
        // On the wall clock, a script can burst past a quota as against AWS (a test's fixed clock cannot).
        throttleOwnCalls: opts.clock === undefined,
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      });
    } catch (e) {
      // Opening commits only for a new sandbox; with --data, that commit writes the file.
      if (file === undefined) throw e;
      resolveHandler(NOT_STARTED);
      await http.close();
      const code = (e as { code?: unknown } | null)?.code;
      return failure('data-unwritable', `--data: ${file.path}: cannot write the new sandbox (${typeof code === 'string' ? code : 'error'}).`);
    }

    if (opts.isTrail || opts.trailFile !== undefined) {
      follower = followTrail(service, {
        ...(opts.isTrail ? { onLine: opts.out } : {}),
        ...(opts.trailFile !== undefined ? { file: opts.trailFile } : {}),
        onError: opts.err,
      });
    }
    resolveHandler((opts.createHandler ?? ((s) => createWireHandler(s, { defaultRegion: DEFAULT_REGION })))(service));

    const trail = [opts.isTrail ? 'one line per call below' : '', opts.trailFile !== undefined ? `appended to ${opts.trailFile} (JSON Lines)` : '']
      .filter(Boolean)
      .join('; ');
    const banner = formatBanner({
      url: http.url,
      principals: service.world.listPrincipals(),
      storage: repo.storage,
      ...(trail ? { trail } : {}),
      fallbackPrincipal: DEFAULT_PRINCIPAL.arn,
      region: DEFAULT_REGION,
    });

    let stopping: Promise<void> | null = null;
    return {
      ok: true,
      value: {
        url: http.url,
        host: http.host,
        port: http.port,
        service,
        banner,
        stop() {
          stopping ??= (async () => {
            await http.close();
            await file?.flush();
            await follower?.stop();
          })();
          return stopping;
        },
      },
    };
  } catch (e) {
    resolveHandler(NOT_STARTED);
    await http.close();
    await follower?.stop();
    throw e;
  }
}
