/**
 * Following the trail from a terminal (issue 4, "A local endpoint"; kms-semantics.md §10):
 * `--trail` prints one line per CloudTrail record as calls commit, `--trail-file FILE` appends each
 * new record as one JSON line (JSON Lines, the export). Both read the records the service already
 * wrote and redacted (CloudTrail never holds plaintext or ciphertext), via `service.subscribe`.
 */
import { appendFile } from 'node:fs/promises';
import type { KmsService, TrailEventRecord } from '../kms';
import { describeTrailRecord } from '../trail';

/** One `--trail` line: the record's summary and its request id (the `x-amzn-RequestId` the caller saw). */
export function trailLine(t: TrailEventRecord): string {
  return `${t.record.eventTime}  ${describeTrailRecord(t)}  requestID ${t.record.requestID}`;
}

/** One `--trail-file` line: the CloudTrail record as compact JSON, newline-terminated. */
export function trailJsonLine(t: TrailEventRecord): string {
  return `${JSON.stringify(t.record)}\n`;
}

export interface TrailFollowOptions {
  /** Called with each `--trail` line (omit to print nothing). */
  readonly onLine?: (line: string) => void;
  /** JSON Lines file to append to (created if missing). */
  readonly file?: string;
  /** Told once per failed append, with a message naming the file and the error code. */
  readonly onError: (message: string) => void;
}

/** A running follower. */
export interface TrailFollower {
  /** Unsubscribes, then resolves when every record received so far is in the file. */
  stop(): Promise<void>;
}

/** Subscribes to `service` commits and forwards every new trail record. */
export function followTrail(service: KmsService, opts: TrailFollowOptions): TrailFollower {
  let pending: Promise<void> = Promise.resolve();
  const { file, onLine, onError } = opts;
  const unsubscribe = service.subscribe(({ trail }) => {
    if (trail.length === 0) return;
    if (onLine) for (const t of trail) onLine(trailLine(t));
    if (file !== undefined) {
      const text = trail.map(trailJsonLine).join('');
      // Appends are chained so the file keeps commit order.
      pending = pending.then(() =>
        appendFile(file, text, { encoding: 'utf8', mode: 0o600 }).catch((e: unknown) => {
          const code = (e as { code?: unknown } | null)?.code;
          onError(`trail file ${file}: append failed (${typeof code === 'string' ? code : 'error'}); those records are only in the sandbox`);
        }),
      );
    }
  });
  return {
    stop() {
      unsubscribe();
      return pending;
    },
  };
}
