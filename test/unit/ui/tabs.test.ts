/**
 * Two tabs on one stored sandbox (src/ui/tabs): the lock protocol of `TabCoordinator` over a fake
 * LockManager (exclusive, queued, ifAvailable, steal, signal: the Web Locks semantics it relies
 * on) and an in-process channel; `TabSession` over a shared in-memory "database": a reader is
 * refused writes with `ReadOnlySandboxError`, follows the writer's commits, and takes over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKmsService, type AnyRecord, type KmsService, type Repository } from '../../../src/kms';
import { createSeededRandom, nobleBackend } from '../../../src/kms/crypto';
import { createMemoryRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { READ_ONLY_MESSAGE, ReadOnlySandboxError } from '../../../src/ui/tabs/sharedRepository';
import { TabCoordinator, type ChannelLike, type LockManagerLike, type TabEvents, type TabRole } from '../../../src/ui/tabs/tabCoordinator';
import { TabSession } from '../../../src/ui/tabs/tabSession.svelte';
import { ROOT, seedOf } from '../kms/harness';

/** Web Locks semantics for one process: one holder per name, a FIFO queue, ifAvailable, steal, signal. */
class FakeLocks implements LockManagerLike {
  private readonly holders = new Map<string, { steal(): void }>();
  private readonly queues = new Map<string, (() => void)[]>();

  holderCount(name: string): number {
    return this.holders.has(name) ? 1 : 0;
  }

  request(
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(name) ?? this.queues.set(name, []).get(name)!;
      const grant = () => {
        const token = { steal: () => reject(new DOMException('The lock was stolen.', 'AbortError')) };
        this.holders.set(name, token);
        Promise.resolve(callback({ name })).then(
          (v) => {
            if (this.holders.get(name) !== token) return;
            this.holders.delete(name);
            queue.shift()?.();
            resolve(v);
          },
          (e: unknown) => reject(e),
        );
      };
      if (options.steal) {
        const held = this.holders.get(name);
        this.holders.delete(name);
        held?.steal();
        return grant();
      }
      if (!this.holders.has(name) && queue.length === 0) return grant();
      if (options.ifAvailable) return void Promise.resolve(callback(null)).then(resolve, reject);
      queue.push(grant);
      options.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(grant);
        if (i < 0) return;
        queue.splice(i, 1);
        reject(new DOMException('The request was aborted.', 'AbortError'));
      });
    });
  }
}

/** An in-process BroadcastChannel: a message reaches every other open channel, asynchronously. */
class Hub {
  private readonly members = new Set<{ deliver(data: unknown): void }>();
  channel(): ChannelLike {
    const listeners: ((e: { data: unknown }) => void)[] = [];
    const member = { deliver: (data: unknown) => listeners.forEach((l) => l({ data: structuredClone(data) })) };
    this.members.add(member);
    return {
      postMessage: (data) => {
        for (const m of this.members) if (m !== member) queueMicrotask(() => m.deliver(data));
      },
      addEventListener: (_type, listener) => void listeners.push(listener),
      close: () => void this.members.delete(member),
    };
  }
}

/** Resolves once `predicate` holds, checking after each macrotask turn (no fixed delay). */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((r) => setImmediate(r));
  expect(predicate()).toBe(true);
}

function recorder() {
  const roles: TabRole[] = [];
  let commits = 0;
  let switched = 0;
  let releases = 0;
  const events: TabEvents = {
    onRoleChange: (r) => void roles.push(r),
    onRemoteCommit: () => void commits++,
    onSwitched: () => void switched++,
    beforeRelease: async () => void releases++,
  };
  return { events, roles, get commits() { return commits; }, get switched() { return switched; }, get releases() { return releases; } };
}

const disposers: (() => void)[] = [];
afterEach(() => disposers.splice(0).forEach((d) => d()));

describe('TabCoordinator', () => {
  const locks = () => new FakeLocks();

  function tab(l: LockManagerLike | undefined, hub: Hub, db = 'db', id?: string) {
    const rec = recorder();
    const c = new TabCoordinator(db, rec.events, { locks: l, channel: hub.channel(), id, takeoverTimeoutMs: 1000, startupGraceMs: 0 });
    disposers.push(() => c.dispose());
    return { c, rec };
  }

  it('the first tab writes, the second reads and becomes the writer when the first closes', async () => {
    const l = locks();
    const hub = new Hub();
    const a = tab(l, hub, 'db', 'A');
    const b = tab(l, hub, 'db', 'B');
    expect(await a.c.start()).toBe('writer');
    expect(await b.c.start()).toBe('reader');
    expect(b.rec.roles).toEqual([]);
    a.c.dispose();
    await until(() => b.c.role === 'writer');
    expect(b.rec.roles).toEqual(['writer']);
  });

  it('a tab that gets the lock during its startup grace (a reload: the old document lets go late) starts as the writer', async () => {
    const l = locks();
    const hub = new Hub();
    const old = tab(l, hub, 'db', 'old');
    await old.c.start();
    const rec = recorder();
    const reloaded = new TabCoordinator('db', rec.events, { locks: l, channel: hub.channel(), startupGraceMs: 60_000 });
    disposers.push(() => reloaded.dispose());
    const starting = reloaded.start();
    old.c.dispose();
    expect(await starting).toBe('writer');
    expect(rec.roles).toEqual([]);
  });

  it('without Web Locks every tab is solo (no coordination)', async () => {
    expect(await tab(undefined, new Hub()).c.start()).toBe('solo');
  });

  it('take over: the writer finishes its calls and turns reader; a third tab is never promoted', async () => {
    const l = locks();
    const hub = new Hub();
    const a = tab(l, hub, 'db', 'A');
    const b = tab(l, hub, 'db', 'B');
    const c = tab(l, hub, 'db', 'C');
    await a.c.start();
    await c.c.start(); // C queued before B: a released lock would go to C first
    await b.c.start();
    await b.c.takeOver();
    expect(a.rec.releases).toBe(1);
    expect(b.c.role).toBe('writer');
    await until(() => a.c.role === 'reader');
    expect(a.rec.roles).toEqual(['reader']);
    expect(c.rec.roles).toEqual([]);
    expect(l.holderCount('kms-playground.db:db')).toBe(1);
    // A is back in line: when B closes, the lock goes on (to C, first in line).
    b.c.dispose();
    await until(() => c.c.role === 'writer');
    expect(a.c.role).toBe('reader');
    // And A takes it back from C.
    await a.c.takeOver();
    expect(a.c.role).toBe('writer');
    await until(() => c.c.role === 'reader');
  });

  it('take over from a writer that does not answer: the lock is stolen after the timeout', async () => {
    const l = locks();
    const silent = new TabCoordinator('db', recorder().events, { locks: l, channel: undefined, takeoverTimeoutMs: 0, startupGraceMs: 0 });
    disposers.push(() => silent.dispose());
    const hub = new Hub();
    const rec = recorder();
    const b = new TabCoordinator('db', rec.events, { locks: l, channel: hub.channel(), takeoverTimeoutMs: 0, startupGraceMs: 0 });
    disposers.push(() => b.dispose());
    await silent.start();
    await b.start();
    await b.takeOver();
    expect(b.role).toBe('writer');
    await until(() => silent.role === 'reader');
  });

  it('commits reach the other tabs of the same database only; a switch reaches every tab', async () => {
    const l = locks();
    const hub = new Hub();
    const a = tab(l, hub, 'db');
    const b = tab(l, hub, 'db');
    const other = tab(l, hub, 'other-db');
    await Promise.all([a.c.start(), b.c.start(), other.c.start()]);
    a.c.announceCommit();
    await until(() => b.rec.commits === 1);
    expect(a.rec.commits).toBe(0);
    expect(other.rec.commits).toBe(0);
    a.c.announceSwitched();
    await until(() => b.rec.switched === 1 && other.rec.switched === 1);
    expect(a.rec.switched).toBe(0);
  });
});

describe('TabSession', () => {
  /** One IndexedDB database: each tab loads a copy of its records; a commit writes through. */
  function database() {
    const records = new Map<string, AnyRecord>();
    /** While set, commits wait for it (a slow IndexedDB transaction). */
    let gate: Promise<void> | null = null;
    const keyOf = (r: { typeName: string; id: string }) => `${r.typeName}/${r.id}`;
    const open = async (): Promise<Repository & { close(): void }> => {
      const repo = createMemoryRepository([...records.values()]);
      return {
        get: repo.get,
        list: repo.list,
        async commit(changes) {
          if (gate) await gate;
          await repo.commit(changes);
          for (const r of changes.puts) records.set(keyOf(r), r);
          for (const d of changes.deletes) records.delete(keyOf(d));
        },
        close: () => undefined,
      };
    };
    return {
      open,
      /** Holds every commit until the returned function is called. */
      hold(): () => void {
        let release!: () => void;
        gate = new Promise((r) => (release = r));
        return () => {
          gate = null;
          release();
        };
      },
    };
  }

  async function openTab(l: FakeLocks, hub: Hub, db: ReturnType<typeof database>) {
    const tabs = new TabSession('db', db.open, { locks: l, channel: hub.channel(), startupGraceMs: 0, takeoverTimeoutMs: 60_000 });
    disposers.push(() => tabs.dispose());
    await tabs.start();
    const repository = tabs.attach(await db.open());
    const inner = await createKmsService({
      repository,
      clock: { now: () => Date.UTC(2026, 0, 1) },
      random: createSeededRandom(seedOf(7)),
      crypto: nobleBackend,
      recordTrail: toTrailRecord,
    }).catch(() => null);
    const service: KmsService | null = inner ? tabs.guard(inner) : null;
    return { tabs, repository, service };
  }

  it('a reader refuses writes with a clear error, follows the writer, and takes over with its records', async () => {
    const l = new FakeLocks();
    const hub = new Hub();
    const db = database();
    const a = await openTab(l, hub, db);
    expect(a.tabs.status).toBe('writer');
    await a.service!.call('CreateKey', { Description: 'first' }, ROOT);
    const b = await openTab(l, hub, db);
    expect(b.tabs.status).toBe('reader');
    expect(b.repository.list('key')).toHaveLength(1);

    // Refused before it reaches KMS: no trail record, the error names the way out.
    const refused = await b.service!.call('CreateKey', {}, ROOT).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReadOnlySandboxError);
    expect((refused as Error).name).toBe('ReadOnlySandbox');
    expect((refused as Error).message).toBe(READ_ONLY_MESSAGE);
    expect(b.repository.list('trailEvent')).toHaveLength(1);
    await expect(b.service!.advanceClock(1)).rejects.toBeInstanceOf(ReadOnlySandboxError);
    await expect(b.service!.world.createAccount('999988887777', 'x')).rejects.toBeInstanceOf(ReadOnlySandboxError);
    await expect(b.repository.commit({ puts: [], deletes: [] })).rejects.toBeInstanceOf(ReadOnlySandboxError);

    // The writer's commits reach the reader's view, with the new trail records in the notice.
    const notices: number[] = [];
    b.service!.subscribe((n) => void notices.push(n.trail.length));
    await a.service!.call('CreateKey', { Description: 'second' }, ROOT);
    await until(() => b.repository.list('key').length === 2);
    await until(() => notices.length > 0);
    expect(notices.reduce((s, n) => s + n, 0)).toBe(1);

    // Take over: B writes on top of everything A committed; A is now the reader.
    await b.tabs.takeOver();
    await until(() => b.tabs.status === 'writer' && a.tabs.status === 'reader');
    await b.service!.call('CreateKey', { Description: 'third' }, ROOT);
    await until(() => a.repository.list('key').length === 3);
    expect(a.repository.list('trailEvent').map((t) => t.seq)).toEqual([0, 1, 2]);
    await expect(a.service!.call('ListKeys', {}, ROOT)).rejects.toBeInstanceOf(ReadOnlySandboxError);
  });

  it('take over waits for the writer\'s running call: the new writer starts from its commit', async () => {
    const l = new FakeLocks();
    const hub = new Hub();
    const db = database();
    const a = await openTab(l, hub, db);
    await a.service!.call('CreateKey', {}, ROOT);
    const b = await openTab(l, hub, db);
    const release = db.hold();
    const running = a.service!.call('CreateKey', { Description: 'slow' }, ROOT);
    const takingOver = b.tabs.takeOver();
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(b.tabs.status).toBe('reader');
    // A no longer accepts calls while it hands over.
    await expect(a.service!.call('ListKeys', {}, ROOT)).rejects.toBeInstanceOf(ReadOnlySandboxError);
    release();
    await running;
    await takingOver;
    await until(() => b.tabs.status === 'writer');
    expect(b.repository.list('key').map((k) => k.description)).toContain('slow');
    await b.service!.call('CreateKey', {}, ROOT);
    expect(b.repository.list('trailEvent').map((t) => t.seq)).toEqual([0, 1, 2]);
  });
});
