/**
 * Helpers for the local endpoint's tests: temporary folders, JSON 1.1 requests with a SigV4-shaped
 * Authorization header (the handler reads the access key id and the scope; it does not verify the
 * signature), and a spawned `src/server/main.ts` with a bounded wait for its banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const ALICE_KEY = 'AKIAALICEEXAMPLE';
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** A fresh temporary folder; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kms-serve-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Headers of a JSON 1.1 call signed (in shape only) with `accessKeyId` in `region`. */
export function kmsHeaders(operation: string, accessKeyId = ROOT_KEY, region = 'us-east-1'): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `TrentService.${operation}`,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260115/${region}/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
  };
}

/** POSTs one KMS call to `url` with fetch; returns status, request id and parsed body. */
export async function kmsCall(
  url: string,
  operation: string,
  body: Record<string, unknown> = {},
  accessKeyId = ROOT_KEY,
): Promise<{ status: number; requestId: string | null; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: kmsHeaders(operation, accessKeyId), body: JSON.stringify(body) });
  return { status: res.status, requestId: res.headers.get('x-amzn-requestid'), json: (await res.json()) as Record<string, unknown> };
}

/** A spawned `npm run serve` (as `node --import tsx src/server/main.ts`, so signals reach it directly). */
export interface ServeProcess {
  readonly proc: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process ended. */
  readonly exited: Promise<number | string>;
  /** Resolves with the endpoint URL from the banner; rejects if the process exits first or after `timeoutMs`. */
  url(timeoutMs?: number): Promise<string>;
  /** SIGKILLs the process if it is still running (for cleanup after a failure). */
  kill(): void;
  /** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILLs; resolves with the exit code or signal. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

/** Starts the server CLI with `args` (no shell). */
export function spawnServe(args: readonly string[], env: NodeJS.ProcessEnv = {}): ServeProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  let isExited = false;
  const exited = new Promise<number | string>((done) =>
    proc.on('exit', (code, signal) => {
      isExited = true;
      done(code ?? signal ?? 'unknown');
    }),
  );
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    url(timeoutMs = 30_000) {
      return new Promise((resolveUrl, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no banner within ${timeoutMs} ms; stderr: ${err}`));
        }, timeoutMs);
        const check = (): void => {
          const m = /KMS Playground endpoint: (http:\/\/\S+)/.exec(out);
          if (m) {
            cleanup();
            resolveUrl(m[1]!);
          }
        };
        const onExit = (): void => {
          cleanup();
          reject(new Error(`server exited before its banner; stderr: ${err}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          proc.stdout!.off('data', check);
          proc.off('exit', onExit);
        };
        proc.stdout!.on('data', check);
        proc.on('exit', onExit);
        check();
        if (isExited) onExit();
      });
    },
    kill() {
      if (!isExited) proc.kill('SIGKILL');
    },
    async stop(signal: NodeJS.Signals = 'SIGINT', timeoutMs = 15_000) {
      if (!isExited) proc.kill(signal);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((done) => (timer = setTimeout(done, timeoutMs)));
      await Promise.race([exited, late]);
      clearTimeout(timer);
      if (!isExited) proc.kill('SIGKILL');
      return exited;
    },
  };
}
