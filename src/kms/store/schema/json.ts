/**
 * JSON-safe snapshots for exports and share links (STYLE §8): records plus the schema they were
 * written under, with every Uint8Array turned into base64 so `JSON.stringify` keeps it.
 *
 * Encoding of values (a bijection, so decode∘encode is the identity):
 *
 *   Uint8Array                 ──▶ { "$bytes": "<base64, RFC 4648 §4, padded>" }
 *   object key starting "$"    ──▶ the same key with one more "$" in front ("$x" ─▶ "$$x")
 *   -0                         ──▶ 0 (JSON text cannot say -0)
 *   anything else              ──▶ itself (undefined object fields are dropped, as JSON does)
 *
 * Escaping `$` keys keeps user-controlled keys (an encryption context `{ "$bytes": "…" }` logged in
 * a trail record) from ever being read back as bytes. Decoding is untrusted-input parsing: it
 * returns a result, never throws, and does not migrate or validate records (`migrateSnapshot` does).
 */
import type { AnyRecord, JsonValue } from '../../model';
import { isBytes, isPlainObject, setOwn } from './check';
import { parseSerializedSchema, type MigratableSnapshot } from './migrate';
import type { SerializedSchema } from './migrations';
import { CURRENT_SCHEMA } from './records';
import { errorName, fail, ok, type Result } from './result';
import { decodeBase64, encodeBase64 } from '../../crypto/base64';

/** A snapshot in JSON-safe form: what exports embed and `JSON.stringify` can write. */
export interface JsonSnapshot {
  readonly schema: SerializedSchema;
  readonly records: JsonValue[];
}

/** Base64 of bytes, padded (the project's one codec: kms/crypto/base64.ts). */
export function bytesToBase64(b: Uint8Array): string {
  return encodeBase64(b);
}

/** Bytes of canonical padded base64 (the output of `bytesToBase64`); null for anything else. */
export function base64ToBytes(s: string): Uint8Array | null {
  return decodeBase64(s, { requirePadding: true });
}

const BYTES_TAG = '$bytes';

function encodeValue(v: unknown): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (isBytes(v)) return { [BYTES_TAG]: bytesToBase64(v) };
  if (Array.isArray(v)) return v.map((e) => encodeValue(e) ?? null);
  if (isPlainObject(v)) {
    const out: { [k: string]: JsonValue } = {};
    for (const k of Object.keys(v)) {
      const e = encodeValue(v[k]);
      if (e !== undefined) setOwn(out, k.startsWith('$') ? `$${k}` : k, e);
    }
    return out;
  }
  // JSON text has no -0: write 0, so the value equals what JSON.parse gives back.
  if (Object.is(v, -0)) return 0;
  return v as JsonValue;
}

/** Nesting limit when decoding, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 100;

/** Decodes one value; a string result is the failure detail. */
function decodeValue(v: unknown, path: string, depth: number): { value: unknown } | string {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return { value: v };
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : `${path}: expected a finite number`;
  if (depth > MAX_DEPTH) return `${path}: nested too deeply`;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const d = decodeValue(v[i], `${path}[${i}]`, depth + 1);
      if (typeof d === 'string') return d;
      out.push(d.value);
    }
    return { value: out };
  }
  if (!isPlainObject(v)) return `${path}: expected JSON data`;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === BYTES_TAG) {
    const b = typeof v[BYTES_TAG] === 'string' ? base64ToBytes(v[BYTES_TAG]) : null;
    return b === null ? `${path}: expected canonical base64 bytes` : { value: b };
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    // Encoded `$` keys always start with `$$` (see the table above); a lone `$` is not ours.
    if (k.startsWith('$') && !k.startsWith('$$')) return `${path}: unexpected $-prefixed field`;
    const d = decodeValue(v[k], path, depth + 1);
    if (typeof d === 'string') return d;
    setOwn(out, k.startsWith('$') ? k.slice(1) : k, d.value);
  }
  return { value: out };
}

/** The JSON-safe form of `records` under `schema` (default: the current one). Pure; input untouched. */
export function toJsonSnapshot(records: readonly AnyRecord[], schema: SerializedSchema = CURRENT_SCHEMA): JsonSnapshot {
  return {
    schema: { schemaVersion: schema.schemaVersion, sequences: { ...schema.sequences } },
    records: records.map((r) => encodeValue(r) ?? null),
  };
}

/**
 * Reads a JSON snapshot (the parsed value, or JSON text) back to records of its own schema, ready
 * for `migrateSnapshot`. Checks the envelope and the schema and decodes bytes; it does not migrate
 * or validate records. Never throws.
 */
export function fromJsonSnapshot(json: unknown): Result<MigratableSnapshot, 'unknown-format' | 'version-too-new'> {
  try {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (e) {
        // The parser's message quotes the input, which may hold key material: keep only its name.
        return fail('unknown-format', `snapshot: not JSON (${errorName(e)})`);
      }
    }
    if (!isPlainObject(value)) return fail('unknown-format', 'snapshot: expected an object');
    if (Object.keys(value).some((k) => k !== 'schema' && k !== 'records')) return fail('unknown-format', 'snapshot: unexpected field');
    const schema = parseSerializedSchema(value.schema);
    if (!schema.ok) return schema;
    if (!Array.isArray(value.records)) return fail('unknown-format', 'snapshot.records: expected an array');
    const records: unknown[] = [];
    for (let i = 0; i < value.records.length; i++) {
      const d = decodeValue(value.records[i], `records[${i}]`, 0);
      if (typeof d === 'string') return fail('unknown-format', d);
      records.push(d.value);
    }
    return ok({ schema: schema.value, records });
  } catch (e) {
    return fail('unknown-format', `snapshot: unreadable (${errorName(e)})`);
  }
}
