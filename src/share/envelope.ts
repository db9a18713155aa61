/**
 * The share envelope (STYLE §8): what a link or an export file carries, once unpacked.
 *
 *   { format: 'kms-playground', formatVersion: 1, sem, seed, start, log, inputsIncluded, lesson? }
 *
 * The envelope is a contract (STYLE §0.2): it carries its version, has a runtime validator here,
 * and changes only through an append-only migration in `ENVELOPE_MIGRATIONS` with a test.
 * Validation is generic over the log entry type: `validateEnvelope` takes the entry check, so this
 * module knows the envelope, and `logEntry.ts` knows the entries.
 */
import { isPlainObject } from '../kms/store/schema';

/** The `format` value of every envelope. */
export const SHARE_FORMAT = 'kms-playground';
/** The envelope version written today. */
export const FORMAT_VERSION = 1;
/** The oldest envelope version still migrated from. */
export const MIN_FORMAT_VERSION = 1;

/** What a lesson link adds: which lesson, with which per-attempt parameters. */
export interface ShareLesson {
  /** The lesson id (its folder name under `lessons/`). */
  readonly id: string;
  /** Randomized lesson parameters of this attempt (names, tenants, account roles). */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** The step the learner was on. */
  readonly step?: number;
  /** True for a proof link: the recipient replays the log and checks the goals. */
  readonly proof?: boolean;
}

/** The envelope, generic over the log entry type. */
export interface ShareEnvelope<E = unknown> {
  readonly format: typeof SHARE_FORMAT;
  readonly formatVersion: typeof FORMAT_VERSION;
  /** Simulator semantics version the log was recorded under (replay under the same rules). */
  readonly sem: number;
  /** The sandbox seed, 64 lowercase hex digits as in the meta record (all randomness derives from it). */
  readonly seed: string;
  /** Sandbox clock (epoch ms) when the sandbox was created (meta.createdAt): replay's `startTime`. */
  readonly start: number;
  /** The call log, in order. */
  readonly log: readonly E[];
  /** True when secret inputs (typed plaintexts) were kept ("include my inputs"). */
  readonly inputsIncluded: boolean;
  readonly lesson?: ShareLesson;
}

/** Checks one log entry: null when fine, else what is wrong (a path and an expectation, never a value). */
export type EntryCheck = (entry: unknown, index: number) => string | null;

export type EnvelopeRefusal =
  | 'not-an-envelope'
  | 'version-too-new'
  | 'version-too-old'
  | 'semantics-too-new'
  | 'invalid-envelope'
  | 'too-many-entries'
  | 'invalid-entry';

export type EnvelopeResult<E> =
  | { readonly ok: true; readonly envelope: ShareEnvelope<E> }
  | { readonly ok: false; readonly reason: EnvelopeRefusal; readonly message: string; readonly entryIndex?: number };

/**
 * Append-only migrations: `ENVELOPE_MIGRATIONS[n]` turns a version-n envelope object into a
 * version n+1 one. None yet (v1 is the first version).
 */
export const ENVELOPE_MIGRATIONS: Readonly<Record<number, (env: Record<string, unknown>) => Record<string, unknown>>> = {};

export interface EnvelopeLimits {
  /** Most log entries accepted. */
  readonly maxEntries: number;
  /** Newest simulator semantics version this build can replay. */
  readonly maxSem: number;
}

const ENVELOPE_FIELDS = new Set(['format', 'formatVersion', 'sem', 'seed', 'start', 'log', 'inputsIncluded', 'lesson']);
const LESSON_FIELDS = new Set(['id', 'params', 'step', 'proof']);
const SEED_RE = /^[0-9a-f]{64}$/;
const LESSON_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function refuse<E>(reason: EnvelopeRefusal, message: string, entryIndex?: number): EnvelopeResult<E> {
  return entryIndex === undefined ? { ok: false, reason, message } : { ok: false, reason, message, entryIndex };
}

function lessonProblem(v: unknown): string | null {
  if (!isPlainObject(v)) return 'lesson: expected an object';
  for (const k of Object.keys(v)) if (!LESSON_FIELDS.has(k)) return `lesson: unexpected field "${k.slice(0, 40)}"`;
  if (typeof v.id !== 'string' || !LESSON_ID_RE.test(v.id)) return 'lesson.id: expected a lesson id (letters, digits, . _ -; at most 128)';
  if (v.params !== undefined) {
    if (!isPlainObject(v.params)) return 'lesson.params: expected an object';
    const keys = Object.keys(v.params);
    if (keys.length > 64) return 'lesson.params: more than 64 parameters';
    for (const k of keys) {
      const p = v.params[k];
      if (k.length > 64) return 'lesson.params: a parameter name longer than 64 characters';
      if (!(typeof p === 'boolean' || (typeof p === 'number' && Number.isFinite(p)) || (typeof p === 'string' && p.length <= 256))) {
        return `lesson.params.${k}: expected a string (≤ 256 chars), number or boolean`;
      }
    }
  }
  if (v.step !== undefined && !(Number.isSafeInteger(v.step) && (v.step as number) >= 0)) return 'lesson.step: expected an integer ≥ 0';
  if (v.proof !== undefined && typeof v.proof !== 'boolean') return 'lesson.proof: expected a boolean';
  return null;
}

/**
 * Checks a parsed value as an envelope: format, version (migrating older ones), fields, entry
 * count, then every entry with `checkEntry`. Never throws (hostile getters included).
 */
export function validateEnvelope<E>(value: unknown, checkEntry: EntryCheck, limits: EnvelopeLimits): EnvelopeResult<E> {
  try {
    if (!isPlainObject(value) || value.format !== SHARE_FORMAT) {
      return refuse('not-an-envelope', 'This is not a KMS Playground sandbox (the format field is missing or different).');
    }
    let env: Record<string, unknown> = value;
    const version = env.formatVersion;
    if (!Number.isSafeInteger(version)) {
      return refuse('not-an-envelope', 'formatVersion: expected an integer.');
    }
    if ((version as number) > FORMAT_VERSION) {
      return refuse('version-too-new', `This sandbox was shared by a newer version of KMS Playground (format ${version as number}; this one reads up to ${FORMAT_VERSION}). Reload the page to update.`);
    }
    if ((version as number) < MIN_FORMAT_VERSION) {
      return refuse('version-too-old', `This sandbox uses format ${version as number}, older than the oldest this version reads (${MIN_FORMAT_VERSION}).`);
    }
    for (let v = version as number; v < FORMAT_VERSION; v++) {
      const step = ENVELOPE_MIGRATIONS[v];
      if (step === undefined) return refuse('version-too-old', `No migration from format ${v}.`);
      env = step(env);
    }
    for (const k of Object.keys(env)) {
      if (!ENVELOPE_FIELDS.has(k)) return refuse('invalid-envelope', `Unexpected envelope field "${k.slice(0, 40)}".`);
    }
    if (!Number.isSafeInteger(env.sem) || (env.sem as number) < 1) return refuse('invalid-envelope', 'sem: expected a positive integer.');
    if ((env.sem as number) > limits.maxSem) {
      return refuse('semantics-too-new', `This sandbox was recorded with newer simulator rules (semantics ${env.sem as number}; this version has ${limits.maxSem}). Reload the page to update.`);
    }
    if (typeof env.seed !== 'string' || !SEED_RE.test(env.seed)) {
      return refuse('invalid-envelope', 'seed: expected 64 lowercase hex digits (32 bytes).');
    }
    if (!Number.isSafeInteger(env.start) || (env.start as number) < 0) return refuse('invalid-envelope', 'start: expected epoch ms (an integer ≥ 0).');
    if (typeof env.inputsIncluded !== 'boolean') return refuse('invalid-envelope', 'inputsIncluded: expected a boolean.');
    if (env.lesson !== undefined) {
      const p = lessonProblem(env.lesson);
      if (p !== null) return refuse('invalid-envelope', `${p}.`);
    }
    const log = env.log;
    if (!Array.isArray(log)) return refuse('invalid-envelope', 'log: expected an array.');
    if (log.length > limits.maxEntries) {
      return refuse('too-many-entries', `The log has ${log.length.toLocaleString('en-US')} entries; a sandbox may have at most ${limits.maxEntries.toLocaleString('en-US')}.`);
    }
    for (let i = 0; i < log.length; i++) {
      const p = checkEntry(log[i], i);
      if (p !== null) return refuse('invalid-entry', `Log entry ${i}: ${p}.`, i);
    }
    return { ok: true, envelope: env as unknown as ShareEnvelope<E> };
  } catch (e) {
    return refuse('invalid-envelope', `The envelope could not be read (${e instanceof Error ? e.name : typeof e}).`);
  }
}
