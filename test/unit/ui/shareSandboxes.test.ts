/** "Your sandboxes" (remembered databases) and what can be shared (issue 6). */
import { describe, expect, test } from 'vitest';
import { createMemoryRepository } from '../../../src/kms/store';
import { callCount, envelopeOf, shareability } from '../../../src/ui/share/envelope';
import { forgetSandbox, KNOWN_SANDBOXES_KEY, listSandboxes, rememberSandbox, renameSandbox } from '../../../src/ui/share/sandboxes';
import { typicalSandbox } from '../share/typicalSandbox';

function memoryStorage(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('known sandboxes', () => {
  test('remember, rename, forget', () => {
    const s = memoryStorage();
    rememberSandbox(s, { dbName: 'kms-playground', label: 'My sandbox', openedAt: 1 });
    rememberSandbox(s, { dbName: 'kms-playground-x', label: 'Shared sandbox (3 calls)', openedAt: 2 });
    rememberSandbox(s, { dbName: 'kms-playground', label: 'again', openedAt: 3 });
    expect(listSandboxes(s).map((k) => k.label)).toEqual(['My sandbox', 'Shared sandbox (3 calls)']);
    renameSandbox(s, 'kms-playground-x', 'kms-playground-y');
    expect(listSandboxes(s).map((k) => k.dbName)).toEqual(['kms-playground', 'kms-playground-y']);
    forgetSandbox(s, 'kms-playground');
    expect(listSandboxes(s)).toEqual([{ dbName: 'kms-playground-y', label: 'Shared sandbox (3 calls)', openedAt: 2 }]);
  });

  test('malformed or hostile storage reads as nothing usable', () => {
    expect(listSandboxes(null)).toEqual([]);
    expect(listSandboxes(memoryStorage({ [KNOWN_SANDBOXES_KEY]: '{not json' }))).toEqual([]);
    expect(listSandboxes(memoryStorage({ [KNOWN_SANDBOXES_KEY]: '{"__proto__":{"x":1}}' }))).toEqual([]);
    const mixed = JSON.stringify([{ dbName: 'a', label: 'A', openedAt: 1 }, { dbName: 5 }, null, { dbName: 'a', label: 'dup', openedAt: 2 }]);
    expect(listSandboxes(memoryStorage({ [KNOWN_SANDBOXES_KEY]: mixed }))).toEqual([{ dbName: 'a', label: 'A', openedAt: 1 }]);
  });
});

describe('shareability and the envelope', () => {
  test('a sandbox whose history starts before logging cannot be shared', async () => {
    expect(shareability(createMemoryRepository()).ok).toBe(false);
    const { h } = await typicalSandbox();
    expect(shareability(h.repo)).toEqual({ ok: true });
    const meta = h.repo.get('meta', 'sandbox')!;
    const old = createMemoryRepository([{ ...meta, logComplete: false }]);
    const s = shareability(old);
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.message).toMatch(/before the app recorded a call log/);
  });

  test('typed plaintexts are left out unless included', async () => {
    const { h } = await typicalSandbox();
    const out = envelopeOf(h.repo, { inputsIncluded: false });
    const kept = envelopeOf(h.repo, { inputsIncluded: true });
    expect(JSON.stringify(out.log)).toContain('$redacted');
    expect(JSON.stringify(kept.log)).not.toContain('$redacted');
    expect(callCount(out.log)).toBe(30);
    expect(out.seed).toBe(h.repo.get('meta', 'sandbox')!.seed);
  });
});
