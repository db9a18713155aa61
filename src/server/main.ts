/**
 * `npm run serve` (issue 4, "A local endpoint"): serves a sandbox over the KMS JSON 1.1 protocol
 * (kms-semantics.md §13) for the AWS CLI and SDKs. Node only; run with tsx.
 *
 * Exit codes: 0 after a clean stop (Ctrl-C / SIGTERM: in-flight calls finish, writes are flushed);
 * 1 when the endpoint cannot start (port in use, refused sandbox file), with one clear line and no
 * stack trace; 2 for bad flags (the message, then the usage text). A second Ctrl-C while stopping
 * exits at once with 130: the sandbox file is still whole (writes are atomic), but a call in flight
 * may be lost.
 */
import { parseServeArgs, USAGE } from './args';
import { startEndpoint } from './endpoint';

/** Runs the CLI with `argv` (the arguments after the script). Resolves once the server is up, or exits. */
export async function main(argv: readonly string[]): Promise<void> {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (line: string): void => void process.stderr.write(`${line}\n`);

  const parsed = parseServeArgs(argv);
  if (!parsed.ok) {
    err(`serve: ${parsed.message}`);
    err('');
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const opts = parsed.value;
  if (opts.isHelp) {
    process.stdout.write(USAGE);
    process.exit(0);
  }

  const started = await startEndpoint({ ...opts, out, err });
  if (!started.ok) {
    err(`serve: ${started.message}`);
    process.exit(1);
  }
  const endpoint = started.value;
  process.stdout.write(endpoint.banner);

  let isStopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (isStopping) {
      err(`serve: ${signal} again, exiting without waiting.`);
      process.exit(130);
    }
    isStopping = true;
    err(`serve: ${signal}: stopping (finishing calls in flight, flushing writes)…`);
    endpoint.stop().then(
      () => {
        err('serve: stopped.');
        process.exit(0);
      },
      (e: unknown) => {
        err(`serve: stop failed (${e instanceof Error ? e.name : 'error'}).`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  // A bug, not a learner's mistake: say what it was, without a stack trace (error messages never hold secrets, STYLE §6).
  process.stderr.write(`serve: unexpected failure (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}).\n`);
  process.exit(1);
});
