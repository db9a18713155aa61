/**
 * The call log (issue 6, STYLE §8: "a sandbox is a fold over its call log").
 *
 * Every state change of a sandbox is one log entry, committed in the same repository transaction
 * as its effects (a `logEntry` record, model.ts LogEntryRecord):
 *   - `call`: a KMS call, success or failure (failures write a trail record and advance the call
 *     counter, so they change state too). The request is stored JSON-safe (`encodeLogRequest`).
 *   - `world`: a successful world edit (IAM side). A refused edit changes nothing and is not logged.
 *   - `clock`: a sandbox clock advance.
 * With the sandbox seed and its creation time, `replayLog` (replay.ts) rebuilds every record.
 *
 * Secret inputs (Encrypt's Plaintext) are stored so the owner's sandbox replays exactly; each
 * call entry names them in `secretMembers`, so a share can drop them with `redactLogEntry`: the
 * member becomes `{ "$redacted": <byte length> }`, which decodes to that many zero bytes (the trail
 * never logs plaintext, so a replay with placeholders writes the same trail and state).
 *
 * Request encoding (a bijection on what requests carry; decode∘encode is the identity):
 *
 *   Uint8Array                          ──▶ { "$bytes": "<padded base64>" }
 *   placeholder bytes (from $redacted)  ──▶ { "$redacted": <length> }
 *   Date                                ──▶ { "$date": <epoch ms, or null for an invalid Date> }
 *   NaN, ±Infinity                      ──▶ { "$number": "NaN" | "Infinity" | "-Infinity" }
 *   undefined (array element)           ──▶ { "$undefined": true }
 *   anything else not JSON (function…)  ──▶ { "$unsupported": "<typeof>" } (decodes to an inert object)
 *   object key starting "$"             ──▶ the key with one more "$" in front ("$x" ─▶ "$$x")
 *   undefined object member             ──▶ dropped (members that are undefined are absent)
 *   a top-level byte member equal to an
 *   earlier call's output (see below)    ──▶ { "$output": [<seq>, "<member>"] }
 *
 * Output references keep share links short: a Decrypt or ReEncrypt request usually carries a
 * ciphertext that an earlier call returned (random bytes no compression shrinks). The service keeps
 * an `OutputIndex` (output bytes → seq and member, looked up by length + last 16 bytes and checked
 * byte for byte) of the last `OUTPUT_WINDOW` outputs of
 * successful calls (`OUTPUT_MEMBERS` of their responses: the CiphertextBlob of Encrypt, GenerateDataKey*,
 * ReEncrypt; Sign's Signature, GenerateMac's Mac, GetPublicKey's and GenerateDataKeyPair*'s PublicKey,
 * GenerateDataKeyPair*'s PrivateKeyCiphertextBlob, Encapsulate's SharedSecretCiphertextBlob) and passes `encodeLogRequest` the references of the
 * request's top-level byte members (never of secret members, never placeholders). The index is a
 * function of the log: a service opened over an existing log rebuilds it by replaying that log, so
 * a call logs the same entry whether or not the page was reloaded before it. Replay keeps the same
 * window of outputs (`OutputLog`, seq → bytes) and resolves references with it; a reference to an
 * unknown, later or evicted output, or to a member that is not an output, is an invalid entry.
 */
import type { CallerContext } from './events';
import type { JsonValue, ServiceResourceRecord } from './model';
import { decodeBase64, encodeBase64 } from './crypto/base64';
import { redactSecrets } from './store/schema/logEntry';

/** The outcome a logged call or edit had when it first ran (replay checks it is the same). */
export type LogOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** A JSON-safe request (see the encoding table above). */
export type LoggedRequest = { readonly [member: string]: JsonValue };

/** A KMS call, successful or failed. */
export interface CallLogEntry {
  readonly kind: 'call';
  /** Position in the sandbox's log, 0-based, contiguous. */
  readonly seq: number;
  /** Sandbox time (ms) at which the call ran. */
  readonly at: number;
  /** The operation name as called (AWS spelling). */
  readonly operation: string;
  /** The request, JSON-safe (`encodeLogRequest`). A request that was not an object is logged as `null`. */
  readonly request: LoggedRequest | null;
  /** Top-level request members that are secret inputs (e.g. `["Plaintext"]`), present in `request`. */
  readonly secretMembers: readonly string[];
  /** Who called. */
  readonly caller: CallerContext;
  /** What happened: ok, or the AWS error name. */
  readonly outcome: LogOutcome;
  /**
   * Values the call drew that the seed cannot reproduce (an RSA key pair made by WebCrypto), by
   * name, as standard base64 (STYLE §8: what is not a function of the seed is carried as recorded
   * output). Only on successful calls that drew such a value; replay hands them back to the call.
   */
  readonly recorded?: RecordedOutputs;
}

/** A call's recorded outputs: name → standard base64. */
export type RecordedOutputs = { readonly [name: string]: string };

/** A world edit (IAM side of the sandbox), with the arguments of `WorldAdmin`'s method. */
export type WorldEdit =
  | { readonly op: 'createAccount'; readonly accountId: string; readonly name: string }
  | { readonly op: 'createPrincipal'; readonly accountId: string; readonly kind: 'user' | 'role'; readonly name: string }
  | { readonly op: 'putIdentityPolicy'; readonly principalArn: string; readonly policyName: string; readonly document: string }
  | { readonly op: 'deleteIdentityPolicy'; readonly principalArn: string; readonly policyName: string }
  | { readonly op: 'putServiceResource'; readonly record: ServiceResourceInput }
  | { readonly op: 'deleteServiceResource'; readonly id: string };

/** A simulated service's resource as `WorldAdmin.putServiceResource` takes it (model.ts ServiceResourceRecord without typeName). */
export type ServiceResourceInput = Omit<ServiceResourceRecord, 'typeName'>;

/** A successful world edit. */
export interface WorldLogEntry {
  readonly kind: 'world';
  readonly seq: number;
  /** Sandbox time (ms) of the edit. */
  readonly at: number;
  readonly edit: WorldEdit;
}

/** A sandbox clock advance by `ms` (due rotations and deletions happen as part of it). */
export interface ClockLogEntry {
  readonly kind: 'clock';
  readonly seq: number;
  /** Sandbox time (ms) before the advance. */
  readonly at: number;
  /** How far the clock moved (ms, ≥ 0). */
  readonly ms: number;
}

/** One state change of a sandbox. JSON-safe as it stands. */
export type LogEntry = CallLogEntry | WorldLogEntry | ClockLogEntry;

/** Record id of log entry `seq`: zero-padded so id order is seq order. */
export function logEntryId(seq: number): string {
  return String(seq).padStart(12, '0');
}

/**
 * Top-level request members that are secret inputs, per operation (they never reach the trail,
 * so replaying with zero-filled placeholders reproduces every record).
 */
export const SECRET_REQUEST_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  Encrypt: ['Plaintext'],
  // Not implemented yet (issue 7); listed so their inputs are marked from the first call.
  GenerateMac: ['Message'],
  VerifyMac: ['Message'],
  Sign: ['Message'],
  Verify: ['Message'],
  // Custom key store credentials (issue 7): never in a record or the trail.
  // Only the credential's secret half: its AccessKeyId is stored and shown (DescribeCustomKeyStores).
  CreateCustomKeyStore: ['KeyStorePassword', 'XksProxyAuthenticationCredential.RawSecretAccessKey'],
  UpdateCustomKeyStore: ['KeyStorePassword', 'XksProxyAuthenticationCredential.RawSecretAccessKey'],
};

/** The secret members (`Member` or `Member.Field`) actually present in `request` for `operation`. */
export function secretMembersOf(operation: string, request: unknown): string[] {
  const names = Object.hasOwn(SECRET_REQUEST_MEMBERS, operation) ? SECRET_REQUEST_MEMBERS[operation]! : [];
  if (typeof request !== 'object' || request === null) return [];
  return names.filter((n) => {
    const [top, field] = n.split('.') as [string, string | undefined];
    if (!Object.hasOwn(request, top)) return false;
    const v = (request as Record<string, unknown>)[top];
    if (field === undefined) return v !== undefined;
    return isPlainObject(v) && Object.hasOwn(v, field) && v[field] !== undefined;
  });
}

/** Largest placeholder a `$redacted` tag may ask for (bytes): bounds what a hostile log can allocate. */
export const MAX_REDACTED_BYTES = 4 * 1024 * 1024;

/** Zero-filled byte arrays that stand in for dropped secret inputs (they re-encode as `$redacted`). */
const placeholders = new WeakSet<Uint8Array>();

/** A zero-filled placeholder of `length` bytes (encodes back to `{ "$redacted": length }`). */
export function placeholderBytes(length: number): Uint8Array {
  const b = new Uint8Array(length);
  placeholders.add(b);
  return b;
}

/** True for bytes made by `placeholderBytes`. */
export function isPlaceholder(v: unknown): boolean {
  return v instanceof Uint8Array && placeholders.has(v);
}

/** What a `$unsupported` tag decodes to: neither a plain object nor bytes, so validation refuses it. */
class UnsupportedValue {
  constructor(readonly what: string) {}
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `o[k] = v` as an own data property, also for a key named `__proto__` (plain assignment would set
 * the prototype instead). Plain assignment otherwise: defineProperty on every member was a
 * measurable share of a call's log encoding.
 */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

const MAX_DEPTH = 64;

function encodeValue(v: unknown, depth: number): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return Object.is(v, -0) ? 0 : v;
    return { $number: String(v) };
  }
  if (isBytes(v)) return placeholders.has(v) ? { $redacted: v.length } : { $bytes: encodeBase64(v) };
  if (v instanceof Date) {
    const t = v.getTime();
    return { $date: Number.isFinite(t) ? t : null };
  }
  if (depth > MAX_DEPTH) return { $unsupported: 'deep' };
  if (Array.isArray(v)) return v.map((e) => (e === undefined ? { $undefined: true } : encodeValue(e, depth + 1)!));
  if (isPlainObject(v)) {
    const out: { [k: string]: JsonValue } = {};
    for (const k of Object.keys(v)) {
      const e = encodeValue(v[k], depth + 1);
      if (e !== undefined) setOwn(out, k.startsWith('$') ? `$${k}` : k, e);
    }
    return out;
  }
  return { $unsupported: typeof v };
}

/** A reference to an earlier call's output: its entry's seq and the response member. */
export type OutputRef = readonly [seq: number, member: string];

/**
 * The JSON-safe form of a request (see the table above); `null` when the request is not a plain
 * object. Copies only the structure: byte members become base64 strings, or `$output` references
 * for the top-level members named in `references` (the service's `OutputIndex.referencesOf`).
 */
export function encodeLogRequest(request: unknown, references?: ReadonlyMap<string, OutputRef>): LoggedRequest | null {
  if (!isPlainObject(request)) return null;
  if (references === undefined || references.size === 0) return encodeValue(request, 0) as LoggedRequest;
  const out: { [k: string]: JsonValue } = {};
  for (const k of Object.keys(request)) {
    const ref = isBytes(request[k]) && !placeholders.has(request[k]) ? references.get(k) : undefined;
    const e = ref ? { $output: [ref[0], ref[1]] } : encodeValue(request[k], 1);
    if (e !== undefined) setOwn(out, k.startsWith('$') ? `$${k}` : k, e);
  }
  return out;
}

/** How many recent outputs a reference may point to (the service's index and replay's store agree). */
export const OUTPUT_WINDOW = 1000;

/** Response members that are outputs a later request may reference (never a plaintext). */
// Signature (Sign → Verify), Mac (GenerateMac → VerifyMac), PublicKey (GetPublicKey → a peer's
// DeriveSharedSecret), SharedSecretCiphertextBlob (Encapsulate → Decapsulate): public or ciphertext.
export const OUTPUT_MEMBERS: readonly string[] = ['CiphertextBlob', 'Signature', 'Mac', 'PublicKey', 'SharedSecretCiphertextBlob', 'PrivateKeyCiphertextBlob'];

/** The output blobs of a successful call's response (no copies), in `OUTPUT_MEMBERS` order. */
export function outputsOf(response: unknown): [member: string, bytes: Uint8Array][] {
  if (typeof response !== 'object' || response === null) return [];
  const out: [string, Uint8Array][] = [];
  for (const m of OUTPUT_MEMBERS) {
    const v = (response as Record<string, unknown>)[m];
    if (isBytes(v) && !placeholders.has(v)) out.push([m, v]);
  }
  return out;
}

/**
 * The index key of an output: its length and its last 16 bytes (for a ciphertext blob, the GCM tag:
 * random, so keys of different outputs practically never meet; a hit is still checked byte for
 * byte). O(1) per blob, where a digest of the whole blob cost tens of µs on a 4 KB ciphertext.
 */
function keyOf(bytes: Uint8Array): string {
  const n = bytes.length;
  let key = `${n}:`;
  for (let i = Math.max(0, n - 16); i < n; i++) key += String.fromCharCode(bytes[i]!);
  return key;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The service's index of recent outputs: where each of the last `OUTPUT_WINDOW` output blobs came
 * from, with a private copy of its bytes (a caller may reuse or zero the arrays it was given; a
 * ciphertext blob is a few hundred bytes, 4 KB at most for Encrypt's largest input).
 */
export class OutputIndex {
  readonly #byKey = new Map<string, { readonly ref: OutputRef; readonly bytes: Uint8Array }>();

  /** Registers the outputs of successful call entry `seq` (its response). */
  add(seq: number, response: unknown): void {
    for (const [member, bytes] of outputsOf(response)) {
      const k = keyOf(bytes);
      this.#byKey.delete(k);
      this.#byKey.set(k, { ref: [seq, member], bytes: bytes.slice() });
      if (this.#byKey.size > OUTPUT_WINDOW) this.#byKey.delete(this.#byKey.keys().next().value!);
    }
  }

  /** Number of outputs held. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * References for the request's top-level byte members that equal a recent output, except the
   * `secret` ones (they are redacted on share) and placeholders.
   */
  referencesOf(request: unknown, secret: readonly string[]): Map<string, OutputRef> {
    const refs = new Map<string, OutputRef>();
    if (this.#byKey.size === 0 || !isPlainObject(request)) return refs;
    for (const k of Object.keys(request)) {
      const v = request[k];
      if (!isBytes(v) || placeholders.has(v) || v.length === 0 || secret.includes(k)) continue;
      const hit = this.#byKey.get(keyOf(v));
      if (hit && sameBytes(hit.bytes, v)) refs.set(k, hit.ref);
    }
    return refs;
  }
}

/** True when the request has a top-level byte member that could be a reference (cheap, no hashing). */
export function hasReferenceCandidates(request: unknown, secret: readonly string[]): boolean {
  if (!isPlainObject(request)) return false;
  return Object.keys(request).some((k) => isBytes(request[k]) && (request[k] as Uint8Array).length > 0 && !placeholders.has(request[k]) && !secret.includes(k));
}

/**
 * Replay's store of recent outputs (seq and member → bytes, the same window as `OutputIndex`):
 * `record` each successful call's response, `resolve` a `$output` reference of a later entry.
 */
export class OutputLog {
  readonly #bytes = new Map<string, Uint8Array>();

  record(seq: number, response: unknown): void {
    for (const [member, bytes] of outputsOf(response)) {
      const k = `${seq}/${member}`;
      this.#bytes.delete(k);
      this.#bytes.set(k, bytes);
      if (this.#bytes.size > OUTPUT_WINDOW) this.#bytes.delete(this.#bytes.keys().next().value!);
    }
  }

  /** A resolver for `decodeLogRequest` in entry `seq`: only earlier outputs resolve. */
  resolverFor(seq: number): OutputResolver {
    return (ref, member) => (ref < seq ? this.#bytes.get(`${ref}/${member}`) : undefined);
  }
}

/** Result of `decodeLogRequest`. */
export type DecodedRequest = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly detail: string };

/** Resolves a `$output` reference (seq, member) to the output's bytes, or undefined when it is not one. */
export type OutputResolver = (seq: number, member: string) => Uint8Array | undefined;

function decodeValue(v: unknown, path: string, depth: number, resolve?: OutputResolver): { value: unknown } | string {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return { value: v };
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : `${path}: expected a finite number`;
  if (depth > MAX_DEPTH) return `${path}: nested too deeply`;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const d = decodeValue(v[i], `${path}[${i}]`, depth + 1, resolve);
      if (typeof d === 'string') return d;
      out.push(d.value);
    }
    return { value: out };
  }
  if (!isPlainObject(v)) return `${path}: expected JSON data`;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0]!.startsWith('$') && !keys[0]!.startsWith('$$')) {
    const tag = keys[0]!;
    const x = v[tag];
    switch (tag) {
      case '$bytes': {
        const b = typeof x === 'string' ? decodeBase64(x, { requirePadding: true }) : null;
        return b === null ? `${path}: expected canonical base64 bytes` : { value: b };
      }
      case '$redacted':
        return Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= MAX_REDACTED_BYTES
          ? { value: placeholderBytes(x as number) }
          : `${path}: expected a placeholder length`;
      case '$date':
        return x === null || (Number.isFinite(x) && Math.abs(x as number) <= 8.64e15) ? { value: new Date(x === null ? NaN : (x as number)) } : `${path}: expected epoch ms`;
      case '$number':
        return x === 'NaN' || x === 'Infinity' || x === '-Infinity' ? { value: Number(x) } : `${path}: expected NaN or ±Infinity`;
      case '$undefined':
        return x === true ? { value: undefined } : `${path}: malformed $undefined`;
      case '$unsupported':
        return typeof x === 'string' ? { value: new UnsupportedValue(x) } : `${path}: malformed $unsupported`;
      case '$output': {
        if (depth !== 1) return `${path}: $output only stands for a top-level request member`;
        if (!Array.isArray(x) || x.length !== 2 || !Number.isSafeInteger(x[0]) || (x[0] as number) < 0 || typeof x[1] !== 'string') return `${path}: malformed $output`;
        const b = resolve?.(x[0] as number, x[1]);
        return b instanceof Uint8Array ? { value: b } : `${path}: $output names no earlier output`;
      }
      default:
        return `${path}: unknown tag`;
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k.startsWith('$') && !k.startsWith('$$')) return `${path}: unexpected $-prefixed member`;
    const d = decodeValue(v[k], `${path}.${k.startsWith('$') ? k.slice(1) : k}`, depth + 1, resolve);
    if (typeof d === 'string') return d;
    setOwn(out, k.startsWith('$') ? k.slice(1) : k, d.value);
  }
  return { value: out };
}

/**
 * Decodes a logged request back to an AWS-shaped request (blobs as Uint8Array, Dates). Untrusted
 * input: returns a failure naming the path (never a value), never throws. `$output` references
 * resolve through `resolve` (replay's `OutputLog.resolverFor(seq)`); without it, or when it knows
 * no such output, they are a failure. Resolved bytes are the output itself, not a copy.
 */
export function decodeLogRequest(logged: unknown, resolve?: OutputResolver): DecodedRequest {
  try {
    if (!isPlainObject(logged)) return { ok: false, detail: 'request: expected an object' };
    const d = decodeValue(logged, 'request', 0, resolve);
    if (typeof d === 'string') return { ok: false, detail: d };
    return { ok: true, value: d.value as Record<string, unknown> };
  } catch {
    return { ok: false, detail: 'request: unreadable' };
  }
}

/**
 * The entry with its secret inputs dropped ("include my inputs" off): each secret member becomes
 * `{ "$redacted": <byte length> }` (zero bytes of that length on replay). A simulated service's
 * stored content (an S3 object body, a secret's value: every `ciphertext` member of the resource's
 * data, at any depth) is the learner's input too: it becomes `""` with `contentLeftOut: true` beside
 * it, and the service answers that the content was not shared. Other entries unchanged.
 */
export function redactLogEntry(entry: LogEntry): LogEntry {
  if (entry.kind === 'world' && entry.edit.op === 'putServiceResource') {
    const data = withoutContent(entry.edit.record.data) as ServiceResourceInput['data'];
    return data === entry.edit.record.data ? entry : { ...entry, edit: { ...entry.edit, record: { ...entry.edit.record, data } } };
  }
  if (entry.kind !== 'call' || entry.secretMembers.length === 0 || entry.request === null) return entry;
  return { ...entry, request: redactSecrets(entry.request, entry.secretMembers) };
}

/** `value` with every `ciphertext` string emptied and marked `contentLeftOut` (the same value when it has none). */
function withoutContent(value: JsonValue, depth = 0): JsonValue {
  if (depth > 32 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => withoutContent(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  let out: { [k: string]: JsonValue } | null = null;
  for (const [k, v] of Object.entries(value)) {
    const next = k === 'ciphertext' && typeof v === 'string' && v !== '' ? '' : withoutContent(v, depth + 1);
    if (next !== v) (out ??= { ...value })[k] = next;
  }
  if (out && typeof value.ciphertext === 'string' && value.ciphertext !== '') out.contentLeftOut = true;
  return out ?? value;
}
