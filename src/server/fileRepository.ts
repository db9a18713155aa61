/**
 * A sandbox kept in one JSON file, for the local endpoint's `--data FILE` (issue 4, "A local
 * endpoint"). Node only.
 *
 * Records live in memory: the `RecordTables` of src/kms/store/memory.ts, wrapped by the same
 * `repositoryOver` as the in-memory repository, so reads stay synchronous. What this module adds is
 * the commit: before a commit resolves, the whole sandbox after the change set is written as the
 * store's JSON snapshot (`toJsonSnapshot`, the format exports use), atomically:
 *
 *   FILE.tmp ◀── write + fsync ──▶ rename(FILE.tmp, FILE) ──▶ fsync(dir) ──▶ apply to memory ──▶ resolve
 *
 * A crash or a failed write leaves FILE as it was (rename is atomic on POSIX file systems), and
 * memory is changed only after the file was, so a rejected commit changed nothing anywhere
 * (Repository.commit: all or none). Commits are serialized: one write at a time, in order.
 *
 * Loading goes through the one migrator (STYLE §7): `fromJsonSnapshot` then `migrateSnapshot`,
 * which validates every record. A refused file is never written to: the caller reports the reason
 * and exits. A file written under an older schema is rewritten in the current one at the first commit.
 *
 * Deliberately not done: locking the file against a second server (two servers on one file
 * overwrite each other's commits), and incremental writes (every commit rewrites the whole file,
 * which grows with the trail; fine for a learner's sandbox, not for millions of calls).
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AnyRecord, ChangeSet, Repository } from '../kms';
import { RecordTables, repositoryOver } from '../kms/store/memory';
import { fromJsonSnapshot, migrateSnapshot, toJsonSnapshot, type FailureReason, type Result } from '../kms/store/schema';

/** Why a sandbox file cannot be loaded: the store's reasons, or `unreadable` (the file system refused). */
export type LoadFailureReason = FailureReason | 'unreadable';

/** Why a file repository cannot be opened: the file was refused, or a new file could not be written. */
export type OpenFailureReason = LoadFailureReason | 'unwritable';

/** A file that was read and accepted; `records` are migrated to the current schema and validated. */
export interface LoadedSandbox {
  readonly records: AnyRecord[];
}

/** A Repository whose commits are durable in a JSON snapshot file before they resolve. */
export interface FileRepository extends Repository {
  /** The sandbox file. */
  readonly path: string;
  /** Resolves once every commit started so far has been written (or has failed). */
  flush(): Promise<void>;
}

/** How `openFileRepository` went. */
export interface OpenedFileRepository {
  readonly repository: FileRepository;
  /** True when the file did not exist (a new sandbox, or one copied from `initialRecords`). */
  readonly isNew: boolean;
}

export interface FileRepositoryOptions {
  /**
   * Records for a file that does not exist yet (an imported sandbox, already migrated and
   * validated). They are written to the file before `openFileRepository` returns.
   */
  readonly initialRecords?: readonly AnyRecord[];
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.name : 'error';
}

/**
 * Reads a sandbox file (a JSON snapshot, as `--data` writes and exports contain) and migrates it
 * to the current schema. Resolves to `null` when the file does not exist. Never throws; failure
 * details name fields and positions, never values (the file holds key material).
 */
export async function loadSnapshotFile(path: string): Promise<Result<LoadedSandbox | null, LoadFailureReason>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT') return { ok: true, value: null };
    return { ok: false, reason: 'unreadable', detail: `cannot read the file (${code})` };
  }
  const parsed = fromJsonSnapshot(text);
  if (!parsed.ok) return parsed;
  const migrated = migrateSnapshot(parsed.value);
  if (!migrated.ok) return migrated;
  return { ok: true, value: { records: migrated.value.records } };
}

/**
 * The snapshot file's text: valid JSON with one record per line, so a learner can read it and a
 * diff between two saves shows which records a call changed.
 */
export function snapshotText(records: readonly AnyRecord[]): string {
  const lines = records.map(recordLine);
  return `{"schema":${SCHEMA_TEXT},"records":[${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/** The current schema as JSON text (what `toJsonSnapshot` embeds). */
const SCHEMA_TEXT = JSON.stringify(toJsonSnapshot([]).schema);

/**
 * Each record's JSON line, kept while the record object lives. Records are immutable values (an
 * update is a new object, STYLE §5), so a commit encodes only the records it wrote: without this,
 * every call re-encoded the whole trail (about 60 ms per call at 5,000 trail records).
 */
const LINES = new WeakMap<AnyRecord, string>();

function recordLine(r: AnyRecord): string {
  let line = LINES.get(r);
  if (line === undefined) {
    line = JSON.stringify(toJsonSnapshot([r]).records[0]);
    LINES.set(r, line);
  }
  return line;
}

/**
 * Replaces `path` with `text` atomically: writes `path.tmp`, fsyncs it, renames it over `path`,
 * then fsyncs the directory so the rename itself survives a power cut. On failure the old file is
 * untouched and the temporary file is removed.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  let isTmpCreated = false;
  try {
    const handle = await open(tmp, 'w', 0o600);
    isTmpCreated = true;
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    isTmpCreated = false;
  } catch (e) {
    if (isTmpCreated) await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(path));
}

/** fsync of a directory (makes a rename durable); some platforms refuse it, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
  }
}

/**
 * Opens the sandbox file at `path` as a repository. An existing file is loaded (and must be
 * accepted: otherwise the result says why, and the file is left untouched); a missing file starts
 * empty, or with `initialRecords`, which are written at once.
 */
export async function openFileRepository(
  path: string,
  opts: FileRepositoryOptions = {},
): Promise<Result<OpenedFileRepository, OpenFailureReason>> {
  const loaded = await loadSnapshotFile(path);
  if (!loaded.ok) return loaded;
  const isNew = loaded.value === null;
  const tables = new RecordTables(loaded.value?.records ?? opts.initialRecords ?? []);
  if (isNew && opts.initialRecords !== undefined) {
    try {
      await writeFileAtomic(path, snapshotText(tables.all()));
    } catch (e) {
      return { ok: false, reason: 'unwritable', detail: `cannot write the file (${errorCode(e)})` };
    }
  }

  let queue: Promise<void> = Promise.resolve();
  const commit = (changes: ChangeSet): Promise<void> => {
    const run = queue.then(async () => {
      tables.check(changes);
      // The state after the commit, built beside the live tables: they change only once the file has.
      const next = new RecordTables(tables.all());
      next.apply(changes);
      await writeFileAtomic(path, snapshotText(next.all()));
      tables.apply(changes);
    });
    queue = run.catch(() => undefined);
    return run;
  };
  const repository: FileRepository = {
    ...repositoryOver(tables, commit),
    path,
    flush: () => queue,
  };
  return { ok: true, value: { repository, isNew } };
}
