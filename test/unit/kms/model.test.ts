/**
 * Model-based tests of the KMS service (STYLE §15; tldraw's recordStoreFuzzing): fast-check
 * `commands` run random call sequences against the real service (memory repository) and a tiny
 * model of it — keys with state, deletion and rotation schedule, aliases, tags, material counts,
 * sandbox time — and check after every step:
 *   - every call wrote exactly one trail record (eventName, errorCode), and the trail length is
 *     calls + service events (RotateKey/DeleteKey, kms-semantics.md §1.3, §8);
 *   - the stored records, DescribeKey, ListKeys and ListAliases agree with the model;
 *   - indexes rebuilt from scratch (a new repository from `repo.list` of every type, and a fresh
 *     service over it) answer exactly as the incremental ones.
 * Expected failures follow §1.5 (e.g. Encrypt on a disabled key: DisabledException
 * "<key ARN> is disabled."; on a key pending deletion: KMSInvalidStateException).
 * Deterministic by default; explore more with MODEL_SEED=<n> MODEL_RUNS=<n> npx vitest run <this file>,
 * and pin any failing sequence below as a named scenario.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TABLE_OF, type AnyRecord, type TypeName } from '../../../src/kms';
import { createMemoryRepository } from '../../../src/kms/store';
import { validateRecord } from '../../../src/kms/store/schema';
import { ACCOUNT, makeHarness, REGION, type Harness } from './harness';

const DAY_MS = 86_400_000;
const ALIAS_NAMES = ['alias/app', 'alias/db', 'alias/logs', 'alias/Backup-1'] as const;
const TAG_KEYS = ['env', 'team', 'Env'] as const;
const MAX_ON_DEMAND = 10;

type MState = 'Enabled' | 'Disabled' | 'PendingDeletion';

interface MKey {
  arn: string;
  keyId: string;
  created: number;
  description: string;
  state: MState;
  deletionDate: number | null;
  materials: number;
  onDemand: number;
  tags: Map<string, string>;
  rotationEnabled: boolean;
  period: number | null;
  nextRotation: number | null;
}

interface MBlob {
  arn: string;
  blob: Uint8Array;
  plaintext: Uint8Array;
  context: Record<string, string>;
  material: string;
}

interface MEvent {
  eventName: 'RotateKey' | 'DeleteKey';
  keyArn: string;
  time: number;
}

interface Model {
  seed: number;
  now: number;
  keys: MKey[];
  deleted: MKey[];
  /** alias name → target key ARN */
  aliases: Map<string, string>;
  blobs: MBlob[];
  calls: number;
  serviceEvents: number;
  /** Service events the model predicts but the trail has not been checked for yet. */
  unaccounted: MEvent[];
  steps: number;
}

interface Real {
  h: Harness;
}

type Expected = 'OK' | { name: string; message: string };
type Outcome = { ok: true; r: Record<string, unknown> } | { ok: false; name: string; message: string };

// ─── the model's rules ──────────────────────────────────────────────────────────────────────────

const disabled = (arn: string): Expected => ({ name: 'DisabledException', message: `${arn} is disabled.` });
const pendingDeletion = (arn: string): Expected => ({ name: 'KMSInvalidStateException', message: `${arn} is pending deletion.` });
const notPending = (arn: string): Expected => ({ name: 'KMSInvalidStateException', message: `${arn} is not pending deletion.` });
const notFound = (arn: string): Expected => ({ name: 'NotFoundException', message: `Key '${arn}' does not exist` });

function isLive(m: Model, k: MKey): boolean {
  return m.keys.includes(k);
}

/** The earliest due service event at or before `upTo` (ties: key ARN order, as the service). */
function nextDue(m: Model, upTo: number): { kind: 'rotate' | 'delete'; key: MKey; time: number } | null {
  let best: { kind: 'rotate' | 'delete'; key: MKey; time: number } | null = null;
  const byArn = [...m.keys].sort((a, b) => (a.arn < b.arn ? -1 : 1));
  for (const key of byArn) {
    if (key.state === 'PendingDeletion' && key.deletionDate !== null && key.deletionDate <= upTo) {
      if (!best || key.deletionDate < best.time) best = { kind: 'delete', key, time: key.deletionDate };
    }
    if (key.state === 'Enabled' && key.rotationEnabled && key.nextRotation !== null && key.nextRotation <= upTo) {
      if (!best || key.nextRotation < best.time) best = { kind: 'rotate', key, time: key.nextRotation };
    }
  }
  return best;
}

/** What time passing does (§1.3 deletion, §8 automatic rotation), up to `upTo`. */
function catchUp(m: Model, upTo: number): void {
  for (let due = nextDue(m, upTo); due; due = nextDue(m, upTo)) {
    const { key, time } = due;
    if (due.kind === 'rotate') {
      key.materials++;
      key.nextRotation = time + (key.period ?? 365) * DAY_MS;
    } else {
      m.keys = m.keys.filter((k) => k !== key);
      m.deleted.push(key);
      for (const [name, target] of m.aliases) if (target === key.arn) m.aliases.delete(name);
    }
    m.unaccounted.push({ eventName: due.kind === 'rotate' ? 'RotateKey' : 'DeleteKey', keyArn: key.arn, time });
  }
}

/** The next scheduled event time the service should report. */
function nextScheduled(m: Model): number | null {
  let best: number | null = null;
  for (const k of m.keys) {
    const c = [k.state === 'PendingDeletion' ? k.deletionDate : null, k.state === 'Enabled' && k.rotationEnabled ? k.nextRotation : null];
    for (const t of c) if (t !== null && t >= m.now && (best === null || t < best)) best = t;
  }
  return best;
}

/** Common key checks: NotFound for a deleted key, then the state rule of `row`. */
function keyCheck(m: Model, k: MKey, row: 'crypto' | 'manage' | 'noPending' | 'rotation'): Expected {
  if (!isLive(m, k)) return notFound(k.arn);
  if (k.state === 'PendingDeletion' && row !== 'manage') return pendingDeletion(k.arn);
  if (k.state === 'Disabled' && (row === 'crypto' || row === 'rotation')) return disabled(k.arn);
  return 'OK';
}

// ─── calling the real service ───────────────────────────────────────────────────────────────────

async function outcome(p: Promise<Record<string, unknown>>): Promise<Outcome> {
  try {
    return { ok: true, r: await p };
  } catch (e) {
    return { ok: false, name: (e as Error).name, message: (e as Error).message };
  }
}

/**
 * One call: lets the model catch up first (the service does, §1.3/§8), then checks that the call
 * wrote its due service events plus exactly one trail record saying what happened.
 */
async function call(m: Model, r: Real, op: string, req: Record<string, unknown>, expected?: Expected): Promise<Outcome> {
  catchUp(m, m.now);
  const before = r.h.repo.list('trailEvent').length;
  const o = await outcome(r.h.call(op, req));
  m.calls++;
  const trail = r.h.repo.list('trailEvent');
  const events = m.unaccounted.splice(0);
  m.serviceEvents += events.length;
  expect(trail.length, `${op}: trail records`).toBe(before + events.length + 1);
  expect(trail.slice(before, before + events.length).map((t) => [t.record.eventName, t.record.eventType])).toEqual(
    events.map((e) => [e.eventName, 'AwsServiceEvent']),
  );
  const rec = trail.at(-1)!.record;
  expect(rec.eventName).toBe(op);
  expect(rec.eventType).toBe('AwsApiCall');
  expect(rec.errorCode).toBe(o.ok ? undefined : o.name);
  if (expected !== undefined) {
    expect(o.ok ? 'OK' : { name: o.name, message: o.message }, `${op} ${JSON.stringify(req, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))}`).toEqual(expected);
  }
  return o;
}

// ─── invariants ─────────────────────────────────────────────────────────────────────────────────

const ALL_TYPES = Object.keys(TABLE_OF) as TypeName[];

/** Stored records agree with the model (no service call). */
function checkRecords(m: Model, r: Real): void {
  const repo = r.h.repo;
  const keys = repo.list('key');
  expect(keys.map((k) => k.id)).toEqual(m.keys.map((k) => k.arn).sort());
  for (const mk of m.keys) {
    const k = repo.get('key', mk.arn)!;
    expect(
      { state: k.keyState, deletionDate: k.deletionDate, rotation: k.rotationEnabled, next: k.nextRotationDate, onDemand: k.onDemandRotationCount, description: k.description },
      mk.arn,
    ).toEqual({ state: mk.state, deletionDate: mk.deletionDate, rotation: mk.rotationEnabled, next: mk.nextRotation, onDemand: mk.onDemand, description: mk.description });
    const mats = repo.list('material').filter((x) => x.keyArn === mk.arn);
    expect(mats.length, `${mk.arn} materials`).toBe(mk.materials);
    expect(mats.some((x) => x.keyMaterialId === k.currentKeyMaterialId)).toBe(true);
    const tags = repo.list('tag').filter((t) => t.keyArn === mk.arn).map((t) => [t.tagKey, t.tagValue]);
    expect(new Map(tags as [string, string][])).toEqual(mk.tags);
    expect(repo.get('policy', `${mk.arn}/default`)).toBeDefined();
  }
  // Nothing of a deleted key survives (§1.3: aliases, tags, policy, material).
  for (const dk of m.deleted) {
    expect(repo.list('material').some((x) => x.keyArn === dk.arn)).toBe(false);
    expect(repo.list('tag').some((x) => x.keyArn === dk.arn)).toBe(false);
    expect(repo.get('policy', `${dk.arn}/default`)).toBeUndefined();
  }
  const aliases = new Map(repo.list('alias').map((a) => [a.aliasName as string, `arn:aws:kms:${a.region}:${a.accountId}:key/${a.targetKeyId}`]));
  expect(aliases).toEqual(m.aliases);
  // Trail: one record per call and service event, contiguous seq, counted in meta.
  const trail = repo.list('trailEvent');
  expect(trail.length).toBe(m.calls + m.serviceEvents);
  expect(trail.every((t, i) => t.seq === i)).toBe(true);
  expect(repo.get('meta', 'sandbox')!.trailCount).toBe(trail.length);
  // Every committed record passes the store's validators (a stored sandbox reopens).
  const invalid = ALL_TYPES.flatMap((t) => repo.list(t).map((rec) => validateRecord(rec))).filter((v) => !v.ok);
  expect(invalid).toEqual([]);
  expect(r.h.service.now()).toBe(m.now);
  expect(r.h.service.nextScheduledEventTime()).toBe(nextScheduled(m));
}

/** What the read APIs answer (the calls are counted like any other). */
async function readViews(m: Model, r: { h: Harness }, counted: boolean): Promise<unknown[]> {
  const views: unknown[] = [];
  const c = async (op: string, req: Record<string, unknown>) => {
    const o = counted ? await call(m, r, op, req) : await outcome(r.h.call(op, req));
    return o.ok ? o.r : { error: o.name, message: o.message };
  };
  views.push(await c('ListKeys', {}));
  views.push(await c('ListAliases', {}));
  for (const k of m.keys) views.push(await c('DescribeKey', { KeyId: k.arn }));
  return views;
}

async function checkViews(m: Model, r: Real): Promise<unknown[]> {
  const views = await readViews(m, r, true);
  const [listKeys, listAliases, ...described] = views as Record<string, unknown>[];
  const expectedOrder = [...m.keys].sort((a, b) => a.created - b.created || (a.keyId < b.keyId ? -1 : 1));
  expect((listKeys!.Keys as { KeyArn: string }[]).map((k) => k.KeyArn)).toEqual(expectedOrder.map((k) => k.arn));
  // Paging with a small Limit walks the same list (markers from the incremental index).
  const paged: string[] = [];
  for (let marker: string | undefined, guard = 0; guard < 10; guard++) {
    const page = await call(m, r, 'ListKeys', { Limit: 2, ...(marker ? { Marker: marker } : {}) }, undefined);
    expect(page.ok).toBe(true);
    if (!page.ok) break;
    paged.push(...(page.r.Keys as { KeyArn: string }[]).map((k) => k.KeyArn));
    expect(page.r.Truncated).toBe(page.r.NextMarker !== undefined);
    marker = page.r.NextMarker as string | undefined;
    if (!marker) break;
  }
  expect(paged).toEqual(expectedOrder.map((k) => k.arn));
  const own = (listAliases!.Aliases as { AliasName: string; TargetKeyId?: string }[]).filter((a) => !a.AliasName.startsWith('alias/aws/'));
  expect(new Map(own.map((a) => [a.AliasName, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${a.TargetKeyId}`]))).toEqual(m.aliases);
  m.keys.forEach((k, i) => {
    const meta = (described[i] as { KeyMetadata: Record<string, unknown> }).KeyMetadata;
    expect(meta.KeyState).toBe(k.state);
    expect(meta.Enabled).toBe(k.state === 'Enabled');
    expect(meta.DeletionDate).toEqual(k.deletionDate === null ? undefined : new Date(k.deletionDate));
  });
  return views;
}

/** Per-key read APIs for one key (round robin): tags, rotations, rotation status. */
async function checkOneKey(m: Model, r: Real): Promise<void> {
  const k = m.keys[m.steps % Math.max(1, m.keys.length)];
  if (!k) return;
  const tags = await call(m, r, 'ListResourceTags', { KeyId: k.arn }, undefined);
  expect(tags.ok && new Map((tags.r.Tags as { TagKey: string; TagValue: string }[]).map((t) => [t.TagKey, t.TagValue]))).toEqual(k.tags);
  const rots = await call(m, r, 'ListKeyRotations', { KeyId: k.arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' });
  expect(rots.ok && (rots.r.Rotations as unknown[]).length).toBe(k.materials);
  const status = await call(m, r, 'GetKeyRotationStatus', { KeyId: k.arn });
  const enabled = k.rotationEnabled && k.state !== 'PendingDeletion';
  expect(status.ok && status.r.KeyRotationEnabled).toBe(enabled);
  if (enabled) expect(status.ok && status.r.NextRotationDate).toEqual(new Date(k.nextRotation!));
}

/** A repository rebuilt from `list` of every type, and a fresh service over it, answer identically. */
async function checkRebuilt(m: Model, r: Real, views: unknown[]): Promise<void> {
  const all: AnyRecord[] = ALL_TYPES.flatMap((t) => [...r.h.repo.list(t)] as AnyRecord[]);
  const rebuilt = createMemoryRepository(all);
  for (const t of ALL_TYPES) expect(rebuilt.list(t), `rebuilt ${t}`).toEqual(r.h.repo.list(t));
  const fresh = await makeHarness({ seed: m.seed, repo: rebuilt });
  // The views were read just now on the original; reading them on the rebuilt one must agree
  // (the original's own reads added trail records, which do not change these answers).
  expect(await readViews(m, { h: fresh }, false)).toEqual(views);
}

async function checkInvariants(m: Model, r: Real): Promise<void> {
  m.steps++;
  checkRecords(m, r);
  const views = await checkViews(m, r);
  await checkOneKey(m, r);
  if (m.steps % 4 === 0) await checkRebuilt(m, r, views);
  checkRecords(m, r);
}

// ─── commands ───────────────────────────────────────────────────────────────────────────────────

class Cmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    private readonly label: string,
    private readonly guard: (m: Model) => boolean,
    private readonly body: (m: Model, r: Real) => Promise<void>,
  ) {}
  check(m: Readonly<Model>): boolean {
    return this.guard(m as Model);
  }
  async run(m: Model, r: Real): Promise<void> {
    await this.body(m, r);
    await checkInvariants(m, r);
  }
  toString(): string {
    return this.label;
  }
}

const anyKey = (m: Model) => m.keys.length + m.deleted.length > 0;
/** A key by index, named by its ARN or its bare key id (both resolve alike, §5). */
const keyRef = fc.record({ n: fc.nat(), bare: fc.boolean() });
type KeyRef = { n: number; bare: boolean };
const idOf = (k: MKey, ref: KeyRef) => (ref.bare ? k.keyId : k.arn);
const refLabel = (ref: KeyRef) => `#${ref.n}${ref.bare ? ' by id' : ''}`;
/** A live or deleted key by index (deleted keys exercise NotFoundException). */
function pick(m: Model, n: number): MKey {
  const all = [...m.keys, ...m.deleted];
  return all[n % all.length]!;
}

/** The model of a key CreateKey just made (`o` is its successful outcome). */
function newModelKey(m: Model, o: Outcome, description: string, tags: Map<string, string>): MKey {
  if (!o.ok) throw new Error('CreateKey failed');
  const meta = o.r.KeyMetadata as { Arn: string; KeyId: string };
  return {
    arn: meta.Arn,
    keyId: meta.KeyId,
    created: m.now,
    description,
    state: 'Enabled',
    deletionDate: null,
    materials: 1,
    onDemand: 0,
    tags,
    rotationEnabled: false,
    period: null,
    nextRotation: null,
  };
}

const createKey = fc
  .record({ description: fc.string({ maxLength: 12 }), tags: fc.uniqueArray(fc.constantFrom(...TAG_KEYS), { maxLength: 2 }) })
  .map(
    ({ description, tags }) =>
      new Cmd(`CreateKey(${JSON.stringify(description)}, [${tags}])`, (m) => m.keys.length < 6, async (m, r) => {
        const req: Record<string, unknown> = { Description: description };
        if (tags.length) req.Tags = tags.map((t) => ({ TagKey: t, TagValue: 'v0' }));
        const o = await call(m, r, 'CreateKey', req, 'OK');
        m.keys.push(newModelKey(m, o, description, new Map(tags.map((t) => [t, 'v0']))));
      }),
  );

const enableKey = keyRef.map(
  (ref) =>
    new Cmd(`EnableKey(${refLabel(ref)})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = keyCheck(m, k, 'noPending');
      await call(m, r, 'EnableKey', { KeyId: idOf(k, ref) }, want);
      if (want !== 'OK') return;
      k.state = 'Enabled';
      // §8: rotation that fell due while disabled happens at once.
      if (k.rotationEnabled && k.nextRotation !== null && k.nextRotation < m.now) k.nextRotation = m.now;
    }),
);

const disableKey = keyRef.map(
  (ref) =>
    new Cmd(`DisableKey(${refLabel(ref)})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = keyCheck(m, k, 'noPending');
      await call(m, r, 'DisableKey', { KeyId: idOf(k, ref) }, want);
      if (want === 'OK') k.state = 'Disabled';
    }),
);

const scheduleKeyDeletion = fc.tuple(keyRef, fc.integer({ min: 7, max: 30 })).map(
  ([ref, days]) =>
    new Cmd(`ScheduleKeyDeletion(${refLabel(ref)}, ${days}d)`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = keyCheck(m, k, 'noPending');
      const o = await call(m, r, 'ScheduleKeyDeletion', { KeyId: idOf(k, ref), PendingWindowInDays: days }, want);
      if (want !== 'OK' || !o.ok) return;
      k.state = 'PendingDeletion';
      k.deletionDate = m.now + days * DAY_MS;
      expect(o.r).toEqual({ KeyId: k.arn, DeletionDate: new Date(k.deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days });
    }),
);

const cancelKeyDeletion = keyRef.map(
  (ref) =>
    new Cmd(`CancelKeyDeletion(${refLabel(ref)})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = !isLive(m, k) ? notFound(k.arn) : k.state === 'PendingDeletion' ? 'OK' : notPending(k.arn);
      await call(m, r, 'CancelKeyDeletion', { KeyId: idOf(k, ref) }, want);
      if (want !== 'OK') return;
      k.state = 'Disabled'; // §1.2: never back to Enabled
      k.deletionDate = null;
    }),
);

const createAlias = fc.tuple(fc.constantFrom(...ALIAS_NAMES), fc.nat()).map(
  ([name, n]) =>
    new Cmd(`CreateAlias(${name}, #${n})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, n);
      let want = keyCheck(m, k, 'noPending');
      const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:${name}`;
      if (want === 'OK' && m.aliases.has(name)) want = { name: 'AlreadyExistsException', message: `An alias with the name ${arn} already exists` };
      await call(m, r, 'CreateAlias', { AliasName: name, TargetKeyId: k.arn }, want);
      if (want === 'OK') m.aliases.set(name, k.arn);
    }),
);

const deleteAlias = fc.constantFrom(...ALIAS_NAMES).map(
  (name) =>
    new Cmd(`DeleteAlias(${name})`, () => true, async (m, r) => {
      catchUp(m, m.now);
      const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:${name}`;
      const want: Expected = m.aliases.has(name) ? 'OK' : { name: 'NotFoundException', message: `Alias ${arn} is not found.` };
      await call(m, r, 'DeleteAlias', { AliasName: name }, want);
      m.aliases.delete(name);
    }),
);

const tagResource = fc.tuple(keyRef, fc.constantFrom(...TAG_KEYS), fc.string({ maxLength: 6 })).map(
  ([ref, tagKey, value]) =>
    new Cmd(`TagResource(${refLabel(ref)}, ${tagKey}=${JSON.stringify(value)})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = keyCheck(m, k, 'noPending');
      await call(m, r, 'TagResource', { KeyId: idOf(k, ref), Tags: [{ TagKey: tagKey, TagValue: value }] }, want);
      if (want === 'OK') k.tags.set(tagKey, value);
    }),
);

const contextArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 });

const encryptDecrypt = fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 48 }), contextArb, fc.boolean()).map(
  ([n, plaintext, context, viaAlias]) =>
    new Cmd(`EncryptDecrypt(#${n}, ${plaintext.length}B, ${JSON.stringify(context)}${viaAlias ? ', via alias' : ''})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, n);
      const alias = viaAlias ? [...m.aliases].find(([, t]) => t === k.arn)?.[0] : undefined;
      const want = keyCheck(m, k, 'crypto');
      const o = await call(m, r, 'Encrypt', { KeyId: alias ?? k.arn, Plaintext: plaintext, EncryptionContext: context }, want);
      if (want !== 'OK' || !o.ok) return;
      const material = r.h.repo.list('trailEvent').at(-1)!.record.additionalEventData?.keyMaterialId as string;
      expect(material).toBe(r.h.repo.get('key', k.arn)!.currentKeyMaterialId);
      const blob = o.r.CiphertextBlob as Uint8Array;
      m.blobs.push({ arn: k.arn, blob, plaintext: plaintext.slice(), context, material });
      const d = await call(m, r, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: context }, 'OK');
      expect(d.ok && Buffer.from(d.r.Plaintext as Uint8Array).equals(Buffer.from(plaintext))).toBe(true);
    }),
);

const decryptOld = fc.nat().map(
  (n) =>
    new Cmd(`DecryptOld(#${n})`, (m) => m.blobs.length > 0, async (m, r) => {
      catchUp(m, m.now);
      const b = m.blobs[n % m.blobs.length]!;
      const k = [...m.keys, ...m.deleted].find((x) => x.arn === b.arn)!;
      // A blob whose key is gone names an unknown key: InvalidCiphertextException (issue 2).
      const want: Expected = !isLive(m, k) ? { name: 'InvalidCiphertextException', message: '' } : keyCheck(m, k, 'crypto');
      const o = await call(m, r, 'Decrypt', { CiphertextBlob: b.blob, EncryptionContext: b.context }, want);
      if (want !== 'OK' || !o.ok) return;
      expect(Buffer.from(o.r.Plaintext as Uint8Array).equals(Buffer.from(b.plaintext))).toBe(true);
      expect(o.r.KeyMaterialId).toBe(b.material);
      expect(o.r.KeyId).toBe(b.arn);
    }),
);

const rotateKeyOnDemand = keyRef.map(
  (ref) =>
    new Cmd(`RotateKeyOnDemand(${refLabel(ref)})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      let want = keyCheck(m, k, 'rotation');
      if (want === 'OK' && k.onDemand >= MAX_ON_DEMAND) {
        want = {
          name: 'LimitExceededException',
          message: `The on-demand rotations limit has been reached for the given key: ${k.arn}. A key can be rotated on demand at most ${MAX_ON_DEMAND} times.`,
        };
      }
      await call(m, r, 'RotateKeyOnDemand', { KeyId: idOf(k, ref) }, want);
      if (want !== 'OK') return;
      k.onDemand++;
      k.materials++;
    }),
);

const enableKeyRotation = fc.tuple(keyRef, fc.integer({ min: 90, max: 200 })).map(
  ([ref, period]) =>
    new Cmd(`EnableKeyRotation(${refLabel(ref)}, ${period}d)`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = keyCheck(m, k, 'rotation');
      await call(m, r, 'EnableKeyRotation', { KeyId: idOf(k, ref), RotationPeriodInDays: period }, want);
      if (want !== 'OK') return;
      // §8: first rotation one period after enabling; a new period on an enabled key moves the
      // date to (last rotation or enabling) + new period, at once when that has passed.
      if (k.rotationEnabled && k.nextRotation !== null && k.period !== null) {
        k.nextRotation = Math.max(k.nextRotation - k.period * DAY_MS + period * DAY_MS, m.now);
      } else {
        k.nextRotation = m.now + period * DAY_MS;
      }
      k.rotationEnabled = true;
      k.period = period;
    }),
);

const disableKeyRotation = keyRef.map(
  (ref) =>
    new Cmd(`DisableKeyRotation(${refLabel(ref)})`, anyKey, async (m, r) => {
      catchUp(m, m.now);
      const k = pick(m, ref.n);
      const want = keyCheck(m, k, 'rotation');
      await call(m, r, 'DisableKeyRotation', { KeyId: idOf(k, ref) }, want);
      if (want !== 'OK') return;
      k.rotationEnabled = false;
      k.nextRotation = null;
    }),
);

const reservedAlias = fc.nat().map(
  (n) =>
    new Cmd(`CreateAlias(alias/aws/x, #${n})`, anyKey, async (m, r) => {
      const k = pick(m, n);
      await call(m, r, 'CreateAlias', { AliasName: 'alias/aws/x', TargetKeyId: k.arn }, {
        name: 'NotAuthorizedException',
        message: 'Cannot create alias with the reserved prefix alias/aws/: alias/aws/x',
      });
    }),
);

/** Advances sandbox time by whole days, or exactly to the next scheduled event. */
const advanceClock = fc.oneof(fc.integer({ min: 0, max: 400 }).map((d) => d * DAY_MS), fc.constant(-1)).map(
  (ms) =>
    new Cmd(ms < 0 ? 'advanceClock(to next event)' : `advanceClock(${ms / DAY_MS}d)`, (m) => ms >= 0 || nextScheduled(m) !== null, async (m, r) => {
      catchUp(m, m.now);
      const by = ms >= 0 ? ms : nextScheduled(m)! - m.now;
      const before = r.h.repo.list('trailEvent').length;
      const adv = await r.h.service.advanceClock(by);
      const pending = m.unaccounted.splice(0);
      catchUp(m, m.now + by);
      m.now += by;
      const events = [...pending, ...m.unaccounted.splice(0)];
      m.serviceEvents += events.length;
      // Events due before the advance are committed by it too (nothing else ran in between).
      expect(adv.now).toBe(m.now);
      expect(adv.events.map((e) => [(e as { eventName: string }).eventName, (e as { keyArn: string }).keyArn, e.time])).toEqual(
        events.map((e) => [e.eventName, e.keyArn, e.time]),
      );
      expect(r.h.repo.list('trailEvent').length).toBe(before + events.length);
    }),
);

const COMMANDS = [
  createKey,
  createKey,
  enableKey,
  disableKey,
  scheduleKeyDeletion,
  cancelKeyDeletion,
  createAlias,
  deleteAlias,
  tagResource,
  encryptDecrypt,
  encryptDecrypt,
  decryptOld,
  rotateKeyOnDemand,
  enableKeyRotation,
  disableKeyRotation,
  reservedAlias,
  advanceClock,
  advanceClock,
];

const FIRST_KEY = new Cmd('CreateKey(first)', () => true, async (m, r) => {
  const o = await call(m, r, 'CreateKey', { Description: 'first' }, 'OK');
  m.keys.push(newModelKey(m, o, 'first', new Map()));
});

async function setup(seed: number): Promise<{ model: Model; real: Real }> {
  const h = await makeHarness({ seed });
  return {
    model: {
      seed,
      now: h.service.now(),
      keys: [],
      deleted: [],
      aliases: new Map(),
      blobs: [],
      calls: 0,
      serviceEvents: 0,
      unaccounted: [],
      steps: 0,
    },
    real: { h },
  };
}

describe('model-based: random call sequences against the service', () => {
  it('the service behaves as the model, one trail record per call, rebuilt indexes agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 0xffff }), fc.commands(COMMANDS, { maxCommands: 40, size: 'max' }), async (seed, cmds) => {
        let state: { model: Model; real: Real } | undefined;
        await fc.asyncModelRun(async () => {
          state = await setup(seed);
          // Start from one key, so most generated commands apply from the first step.
          await FIRST_KEY.run(state.model, state.real);
          return state;
        }, cmds);
        // Final full check, including a rebuilt service.
        if (state) {
          const views = await checkViews(state.model, state.real);
          await checkRebuilt(state.model, state.real, views);
        }
      }),
      { seed: Number(process.env.MODEL_SEED ?? 0x6b6d73), numRuns: Number(process.env.MODEL_RUNS ?? 60) },
    );
  });
});

/** Runs a fixed command sequence (a pinned counterexample or a hand-written scenario). */
async function runScenario(seed: number, cmds: fc.AsyncCommand<Model, Real>[]): Promise<Model> {
  const s = await setup(seed);
  await fc.asyncModelRun(() => s, cmds);
  const views = await checkViews(s.model, s.real);
  await checkRebuilt(s.model, s.real, views);
  return s.model;
}

/** The command an arbitrary would build for `value` (scenarios reuse the commands above). */
function cmd(arb: fc.Arbitrary<Cmd>): Cmd {
  return fc.sample(arb, { seed: 1, numRuns: 1 })[0]!;
}

describe('model-based: named scenarios', () => {
  it('a disabled key with overdue rotation rotates at once when re-enabled, then keeps its period', async () => {
    const mk = (label: string, f: (m: Model, r: Real) => Promise<void>) => new Cmd(label, () => true, f);
    const m = await runScenario(5, [
      cmd(createKey),
      mk('EnableKeyRotation(0, 90d)', async (m, r) => {
        const k = m.keys[0]!;
        await call(m, r, 'EnableKeyRotation', { KeyId: k.arn, RotationPeriodInDays: 90 }, 'OK');
        Object.assign(k, { rotationEnabled: true, period: 90, nextRotation: m.now + 90 * DAY_MS });
      }),
      mk('DisableKey(0)', async (m, r) => {
        await call(m, r, 'DisableKey', { KeyId: m.keys[0]!.arn }, 'OK');
        m.keys[0]!.state = 'Disabled';
      }),
      new Cmd('advanceClock(200d)', () => true, async (m, r) => {
        const adv = await r.h.service.advanceClock(200 * DAY_MS);
        expect(adv.events).toEqual([]);
        m.now += 200 * DAY_MS;
      }),
      mk('EnableKey(0)', async (m, r) => {
        const k = m.keys[0]!;
        await call(m, r, 'EnableKey', { KeyId: k.arn }, 'OK');
        k.state = 'Enabled';
        k.nextRotation = m.now;
      }),
      // The next call sees the RotateKey service event first (checked by `call`).
      mk('DescribeKey(0)', async (m, r) => {
        await call(m, r, 'DescribeKey', { KeyId: m.keys[0]!.arn }, 'OK');
      }),
    ]);
    expect(m.keys[0]!.materials).toBe(2);
    expect(m.serviceEvents).toBe(1);
  });

  it('a deleted key takes its aliases with it; its old ciphertext is InvalidCiphertextException', async () => {
    const mk = (label: string, f: (m: Model, r: Real) => Promise<void>) => new Cmd(label, () => true, f);
    const m = await runScenario(6, [
      cmd(createKey),
      new Cmd('CreateAlias(alias/app, 0)', () => true, async (m, r) => {
        await call(m, r, 'CreateAlias', { AliasName: 'alias/app', TargetKeyId: m.keys[0]!.arn }, 'OK');
        m.aliases.set('alias/app', m.keys[0]!.arn);
      }),
      cmd(encryptDecrypt),
      mk('ScheduleKeyDeletion(0, 7d)', async (m, r) => {
        const k = m.keys[0]!;
        await call(m, r, 'ScheduleKeyDeletion', { KeyId: k.arn, PendingWindowInDays: 7 }, 'OK');
        Object.assign(k, { state: 'PendingDeletion', deletionDate: m.now + 7 * DAY_MS });
      }),
      cmd(encryptDecrypt), // KMSInvalidStateException: pending deletion
      cmd(decryptOld), // KMSInvalidStateException: pending deletion
      advanceClockToNext(),
      cmd(decryptOld), // InvalidCiphertextException: the key is gone
      cmd(encryptDecrypt), // NotFoundException
    ]);
    expect(m.keys).toEqual([]);
    expect(m.deleted.length).toBe(1);
    expect(m.aliases.size).toBe(0);
    expect(m.serviceEvents).toBe(1);
  });
});

/** advanceClock exactly to the next scheduled event (an instance of the command above). */
function advanceClockToNext(): Cmd {
  return fc.sample(advanceClock.filter((c) => c.toString() === 'advanceClock(to next event)'), { seed: 1, numRuns: 1 })[0]!;
}
