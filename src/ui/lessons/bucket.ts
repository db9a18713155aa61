/**
 * The learner's "bucket" in the page (issue 7): the application storage a lesson keeps its
 * objects in (ciphertexts, a manifest, signatures, offline verification results). The engine's
 * local steps (`store`, `digest`, `verifyOffline`) are the learner's application code: the
 * Lessons tab runs them through `LessonSession.runStep` with the bytes the learner gives, exactly
 * as a reference solution does. No KMS call, no trail record, no call counted.
 *
 * Bytes typed by the learner: base64 (what the AWS CLI prints), hex (`0x…`, or only hex digits of
 * even count: such a string is read as hex, not base64), or a PEM block (a public key copied from
 * the "Use the key" tab).
 */
import { encodeBase64, decodeBase64 } from '../../kms';
import type { BucketObject, LessonSession } from '../../lessons';

/** One bucket object as the page shows it (never a plaintext data key: the page only shows bytes a lesson stored). */
export interface BucketRow {
  readonly name: string;
  readonly kind: 'bytes' | 'text' | 'envelope' | 'verification' | 'value';
  /** Size in bytes (bytes, envelope data), or null. */
  readonly size: number | null;
  /** base64 of the bytes (bytes objects; the signature of a verification). */
  readonly base64: string | null;
  /** One line for people. */
  readonly summary: string;
}

/** Largest object the page accepts from the learner (bytes). */
export const MAX_OBJECT_BYTES = 1 << 20;

const isTextual = (b: Uint8Array): boolean => b.length > 0 && b.every((x) => x === 9 || x === 10 || x === 13 || (x >= 32 && x < 127));

/** The rows of the bucket, by name. */
export function bucketRows(bucket: ReadonlyMap<string, BucketObject>): BucketRow[] {
  return [...bucket.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, o]): BucketRow => {
      if (o.kind === 'envelope') return { name, kind: 'envelope', size: o.data.length, base64: null, summary: `envelope: ${o.data.length} bytes encrypted locally + the encrypted data key` };
      if (o.kind === 'verification') {
        return { name, kind: 'verification', size: null, base64: encodeBase64(o.signature), summary: `offline verification: ${o.valid ? 'valid' : 'INVALID'} (${o.algorithm}, ${o.messageType}, ${o.keySpec ?? 'unreadable public key'})` };
      }
      if (o.value instanceof Uint8Array) {
        const v = o.value;
        return isTextual(v)
          ? { name, kind: 'text', size: v.length, base64: encodeBase64(v), summary: `${v.length} bytes of text` }
          : { name, kind: 'bytes', size: v.length, base64: encodeBase64(v), summary: `${v.length} bytes` };
      }
      return { name, kind: 'value', size: null, base64: null, summary: typeof o.value === 'string' ? o.value : JSON.stringify(o.value) ?? String(o.value) };
    });
}

export type ParsedBytes = { readonly ok: true; readonly bytes: Uint8Array; readonly format: 'base64' | 'hex' | 'pem' } | { readonly ok: false; readonly message: string };

/** Bytes from what the learner typed: a PEM block, hex, or base64. */
export function parseBytes(text: string): ParsedBytes {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'Enter bytes as base64, hex or PEM.' };
  const pem = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----$/.exec(t);
  if (pem) {
    const body = pem[2]!.replace(/\s+/g, '');
    const bytes = decodeB64(body);
    return bytes ? { ok: true, bytes, format: 'pem' } : { ok: false, message: `The ${pem[1]!.toLowerCase()} PEM block is not valid base64.` };
  }
  // Hex: `0x…`, or only hex digits (even count). Base64 from the CLI almost always has other letters.
  const hex = t.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (/^[0-9a-f]+$/i.test(hex) && hex.length % 2 === 0 && (/^0x/i.test(t) || /^[0-9a-f\s:]+$/i.test(t))) {
    return { ok: true, bytes: Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))), format: 'hex' };
  }
  const bytes = decodeB64(t.replace(/\s+/g, ''));
  if (!bytes) return { ok: false, message: 'Not base64, hex (0x…) or PEM.' };
  if (bytes.length > MAX_OBJECT_BYTES) return { ok: false, message: `At most ${MAX_OBJECT_BYTES} bytes.` };
  return { ok: true, bytes, format: 'base64' };
}

function decodeB64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0 || s.length === 0) return null;
  try {
    return decodeBase64(s);
  } catch {
    return null;
  }
}

/** An object name: 1–128 printable characters, no slash at the ends. */
export function checkObjectName(name: string): string | null {
  const n = name.trim();
  if (n === '' || n.length > 128) return 'Give the object a name (1–128 characters).';
  if (!/^[A-Za-z0-9._\-/]+$/.test(n)) return 'Use letters, digits, dot, dash, underscore and slash.';
  return null;
}

/** The bytes of a bucket object (bytes/text objects only). */
export function objectBytes(session: LessonSession, name: string): Uint8Array | null {
  const o = session.bucket.get(name);
  return o?.kind === 'value' && o.value instanceof Uint8Array ? o.value : null;
}

/** Puts bytes in the bucket (the application stores them). */
export async function storeObject(session: LessonSession, name: string, bytes: Uint8Array): Promise<void> {
  await session.runStep({ store: name.trim(), value: bytes as never });
}

/** SHA-256 of a bucket object, stored under `store`; returns the digest. */
export async function digestObject(session: LessonSession, source: string, store: string): Promise<Uint8Array> {
  const bytes = objectBytes(session, source);
  if (!bytes) throw new Error(`"${source}" holds no bytes.`);
  await session.runStep({ digest: { sha256: bytes as never, store: store.trim() } });
  return objectBytes(session, store.trim())!;
}

/** Verifies a stored signature offline with a public key; the result is stored under `store`. */
export async function verifyObjectOffline(
  session: LessonSession,
  v: { publicKey: Uint8Array; signature: string; data: string; messageType: 'RAW' | 'DIGEST'; algorithm: string; store: string },
): Promise<boolean> {
  const signature = objectBytes(session, v.signature);
  const data = objectBytes(session, v.data);
  if (!signature) throw new Error(`"${v.signature}" holds no signature bytes.`);
  if (!data) throw new Error(`"${v.data}" holds no bytes.`);
  const field = v.messageType === 'DIGEST' ? { digest: data as never } : { message: data as never };
  await session.runStep({ verifyOffline: { publicKey: v.publicKey as never, signature: signature as never, algorithm: v.algorithm, store: v.store.trim(), ...field } });
  const o = session.bucket.get(v.store.trim());
  return o?.kind === 'verification' && o.valid;
}

/** Signing algorithms offered by the page's offline verification (AWS names). */
export const OFFLINE_ALGORITHMS = [
  'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512',
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'ML_DSA_SHAKE_256',
] as const;

/**
 * A local step in a JSON-safe form (bytes as `{"$base64": …}`, which the engine resolves back to
 * bytes): the progress store saves attempts through JSON.
 */
export function jsonSafeStep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return { $base64: encodeBase64(v) };
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
