import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allRecords, type AnyRecord } from '../../../src/kms';
import { loadSnapshotFile, openFileRepository, snapshotText, writeFileAtomic, type FileRepository } from '../../../src/server/fileRepository';
import { makeHarness } from '../kms/harness';
import { REPO_ROOT, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function open(path: string, initialRecords?: readonly AnyRecord[]): Promise<FileRepository> {
  const r = await openFileRepository(path, initialRecords ? { initialRecords } : {});
  if (!r.ok) throw new Error(`open refused: ${r.reason} ${r.detail}`);
  return r.value.repository;
}

describe('openFileRepository', () => {
  it('writes every commit before it resolves, and a reload gives the same records', async () => {
    const path = join(dir, 'sandbox.json');
    const repo = await open(path);
    const h = await makeHarness({ repo });
    const { keyId } = await h.createKey({ Description: 'persisted' });
    await h.call('CreateAlias', { AliasName: 'alias/kept', TargetKeyId: keyId });
    const enc = await h.call('Encrypt', { KeyId: 'alias/kept', Plaintext: new Uint8Array([1, 2, 3]) });

    // The file already holds the last call's trail record, without waiting for anything else.
    const onDisk = await loadSnapshotFile(path);
    expect(onDisk.ok && onDisk.value !== null).toBe(true);
    if (!onDisk.ok || onDisk.value === null) return;
    expect(onDisk.value.records).toEqual(allRecords(repo));

    // A second process opening the file continues the same sandbox: the ciphertext decrypts.
    const reopened = await open(path);
    expect(allRecords(reopened)).toEqual(allRecords(repo));
    const h2 = await makeHarness({ repo: reopened });
    const dec = await h2.call('Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    expect(dec.Plaintext).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('a missing file is a new sandbox, written at its first commit', async () => {
    const path = join(dir, 'new.json');
    const r = await openFileRepository(path);
    expect(r.ok && r.value.isNew).toBe(true);
    expect(await readdir(dir)).toEqual([]);
    if (!r.ok) return;
    await makeHarness({ repo: r.value.repository }); // opening a new sandbox commits its meta and world
    expect(await readdir(dir)).toEqual(['new.json']);
    const again = await openFileRepository(path);
    expect(again.ok && !again.value.isNew).toBe(true);
  });

  it('writes initial records (an imported sandbox) at once, and only into a new file', async () => {
    const source = await makeHarness({ seed: 7 });
    await source.createKey({ Description: 'imported' });
    const records = allRecords(source.repo);

    const path = join(dir, 'copy.json');
    const repo = await open(path, records);
    expect(allRecords(repo)).toEqual(records);
    const loaded = await loadSnapshotFile(path);
    expect(loaded.ok && loaded.value?.records).toEqual(records);

    // An existing file wins over initial records.
    const other = await open(path, []);
    expect(allRecords(other)).toEqual(records);
  });

  it('serializes commits: each write sees the previous one, in order', async () => {
    const path = join(dir, 'order.json');
    const repo = await open(path);
    const clock = (offsetMs: number) => ({ typeName: 'clock' as const, id: 'clock' as const, offsetMs });
    const writes = [1, 2, 3].map((n) => repo.commit({ puts: [clock(n)], deletes: [] }));
    await Promise.all(writes);
    expect(repo.get('clock', 'clock')?.offsetMs).toBe(3);
    const loaded = await loadSnapshotFile(path);
    expect(loaded.ok && loaded.value?.records).toEqual([clock(3)]);
    await repo.commit({ puts: [], deletes: [{ typeName: 'clock', id: 'clock' }] });
    expect(repo.get('clock', 'clock')).toBeUndefined();
    expect(JSON.parse(await readFile(path, 'utf8')).records).toEqual([]);
  });

  it('a failed write leaves the old file and the records in memory as they were', async () => {
    const path = join(dir, 'atomic.json');
    const repo = await open(path);
    await repo.commit({ puts: [{ typeName: 'clock', id: 'clock', offsetMs: 1 }], deletes: [] });
    const before = await readFile(path);

    // A directory where the temporary file goes makes the write fail before the rename.
    await mkdir(`${path}.tmp`);
    await expect(repo.commit({ puts: [{ typeName: 'clock', id: 'clock', offsetMs: 2 }], deletes: [] })).rejects.toThrow();
    expect(await readFile(path)).toEqual(before);
    expect(repo.get('clock', 'clock')?.offsetMs).toBe(1);
    await repo.flush();

    // The repository keeps working once the obstacle is gone.
    await rmdir(`${path}.tmp`);
    await repo.commit({ puts: [{ typeName: 'clock', id: 'clock', offsetMs: 3 }], deletes: [] });
    expect(repo.get('clock', 'clock')?.offsetMs).toBe(3);
    expect(await readdir(dir)).toEqual(['atomic.json']);
  });

  it('a contradictory change set is refused before anything is written', async () => {
    const path = join(dir, 'bad.json');
    const repo = await open(path);
    await repo.commit({ puts: [{ typeName: 'clock', id: 'clock', offsetMs: 1 }], deletes: [] });
    const before = await readFile(path);
    await expect(
      repo.commit({ puts: [{ typeName: 'clock', id: 'clock', offsetMs: 2 }], deletes: [{ typeName: 'clock', id: 'clock' }] }),
    ).rejects.toThrow();
    expect(await readFile(path)).toEqual(before);
  });

  it.each([
    ['not JSON', '{"schema": ', 'unknown-format'],
    ['not a snapshot', '[1, 2, 3]', 'unknown-format'],
    ['a newer schema', JSON.stringify({ schema: { schemaVersion: 2, sequences: {} }, records: [] }), 'version-too-new'],
    ['an unknown sequence', JSON.stringify({ schema: { schemaVersion: 1, sequences: { 'kms.future': 1 } }, records: [] }), 'version-too-new'],
    [
      'an invalid record',
      JSON.stringify({ schema: { schemaVersion: 1, sequences: {} }, records: [{ typeName: 'clock', id: 'clock', offsetMs: 'soon' }] }),
      'invalid-record',
    ],
  ])('refuses %s with a reason and leaves the file untouched', async (_name, text, reason) => {
    const path = join(dir, 'refused.json');
    await writeFile(path, text);
    const r = await openFileRepository(path);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.detail.length).toBeGreaterThan(0);
    expect(await readFile(path, 'utf8')).toBe(text);
    expect(await readdir(dir)).toEqual(['refused.json']);
  });

  it('refuses a path it cannot read as `unreadable`', async () => {
    const r = await loadSnapshotFile(dir); // a directory
    expect(r).toMatchObject({ ok: false, reason: 'unreadable' });
  });

  it('loads every released fixture through the migrator', async () => {
    for (const name of ['sandbox.v1.json', 'sandbox.v2.json', 'sandbox.v3.json']) {
      const r = await loadSnapshotFile(resolve(REPO_ROOT, 'test/fixtures', name));
      expect(r.ok, name).toBe(true);
      if (r.ok) expect(r.value?.records.some((x) => x.typeName === 'account'), name).toBe(true);
    }
  });
});

describe('snapshotText', () => {
  it('is JSON with one record per line', async () => {
    const h = await makeHarness();
    const records = allRecords(h.repo);
    const text = snapshotText(records);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(records.length + 2);
    expect(JSON.parse(text).records).toHaveLength(records.length);
    expect(snapshotText([])).toBe(`{"schema":${JSON.stringify(JSON.parse(text).schema)},"records":[]}\n`);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', async () => {
    const path = join(dir, 'f.txt');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['f.txt']);
  });

  it('fails without touching the file when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'f.txt'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});
