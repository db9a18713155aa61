/**
 * Opening a rebuilt sandbox as a NEW stored sandbox (issue 6): the replayed records copied into a
 * new Dexie database (fake-indexeddb) in one commit, read back identical after a reopen, and the
 * sandbox there decrypts a ciphertext made before sharing; the user's own database is untouched.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test } from 'vitest';
import { openSandboxService, webCryptoBackend } from '../../../src/kms';
import { deleteDexieSandbox, openDexieRepository, type DexieRepository } from '../../../src/kms/store';
import { encodeShare, decodeShare } from '../../../src/share';
import { toTrailRecord } from '../../../src/trail';
import { activeDbName, storeAsNewDatabase } from '../../../src/ui/boot';
import { envelopeOf, shareability } from '../../../src/ui/share/envelope';
import { allRecords } from '../../../src/kms';
import { copyRecords, rebuild, withoutUndefined } from '../../../src/ui/share/replay';
import { ROOT, utf8, text } from '../kms/harness';
import { typicalSandbox } from '../share/typicalSandbox';

const opened: DexieRepository[] = [];
const names = new Set<string>();

async function open(name: string): Promise<DexieRepository> {
  names.add(name);
  const r = await openDexieRepository(name);
  if (!r.ok) throw new Error(r.detail);
  opened.push(r.value);
  return r.value;
}

afterEach(async () => {
  for (const r of opened.splice(0)) r.close();
  for (const n of names) await deleteDexieSandbox(n);
  names.clear();
});

/** A link's envelope, decoded and replayed. */
async function sharedAndReplayed() {
  const { h } = await typicalSandbox();
  const before = await h.call('Encrypt', { KeyId: 'alias/orders', Plaintext: utf8('made before sharing') });
  const enc = await encodeShare(envelopeOf(h.repo, { inputsIncluded: false }));
  if (!enc.ok) throw new Error(enc.message);
  const dec = await decodeShare(enc.fragment);
  if (!dec.ok) throw new Error(dec.message);
  const r = await rebuild(dec.envelope.log, dec.envelope);
  if (!r.ok) throw new Error(r.message);
  return { h, replayed: r.repository, ciphertext: before.CiphertextBlob as Uint8Array };
}

describe('copyRecords', () => {
  test('a replayed sandbox copied into a new database reads back identical and decrypts an old ciphertext', async () => {
    const { h, replayed, ciphertext } = await sharedAndReplayed();
    const target = await open('share-copy-target');
    const n = await copyRecords(replayed, target);
    expect(n).toBe(allRecords(replayed).length);
    target.close();
    const again = await open('share-copy-target');
    expect(allRecords(again)).toEqual(allRecords(replayed).map((r) => withoutUndefined(r)));
    expect(again.list('trailEvent')).toEqual(h.repo.list('trailEvent'));
    expect(shareability(again)).toEqual({ ok: true });
    const service = await openSandboxService({ repository: again, clock: { now: () => Date.now() }, crypto: webCryptoBackend, recordTrail: toTrailRecord });
    const out = await service.call('Decrypt', { CiphertextBlob: ciphertext }, ROOT);
    expect(text(out.Plaintext)).toBe('made before sharing');
  });

  test('refuses a target that already holds a sandbox, changing nothing', async () => {
    const { replayed } = await sharedAndReplayed();
    const target = await open('share-copy-full');
    await copyRecords(replayed, target);
    const before = allRecords(target);
    await expect(copyRecords(replayed, target)).rejects.toThrow(/already holds a sandbox/);
    expect(allRecords(target)).toEqual(before);
  });
});

test('withoutUndefined drops undefined object members only', () => {
  const bytes = new Uint8Array([1, 2]);
  expect(withoutUndefined({ a: undefined, b: [1, undefined], c: { d: undefined, e: bytes } })).toStrictEqual({ b: [1, undefined], c: { e: bytes } });
});

describe('storeAsNewDatabase', () => {
  test('stores in a new database, makes it active, and leaves the own database alone', async () => {
    const store = new Map<string, string>();
    const ls = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    Object.defineProperty(globalThis, 'localStorage', { value: ls, configurable: true });
    try {
      const own = await open('kms-playground');
      const ownRecords = allRecords(own);
      const { replayed } = await sharedAndReplayed();
      const r = await storeAsNewDatabase(replayed);
      if (!r.ok) throw new Error(r.message);
      names.add(r.dbName);
      expect(r.dbName).not.toBe('kms-playground');
      expect(activeDbName()).toBe(r.dbName);
      const stored = await open(r.dbName);
      expect(allRecords(stored)).toEqual(allRecords(replayed).map((r) => withoutUndefined(r)));
      own.close();
      expect(allRecords(await open('kms-playground'))).toEqual(ownRecords);
    } finally {
      Reflect.deleteProperty(globalThis, 'localStorage');
    }
  });

  test('without localStorage the new database is not kept', async () => {
    const { replayed } = await sharedAndReplayed();
    const r = await storeAsNewDatabase(replayed);
    expect(r).toMatchObject({ ok: false, noStorage: true });
  });
});
