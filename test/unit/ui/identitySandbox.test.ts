/**
 * SandboxState's "Acting as" and clock methods (issue 5), on the in-memory service: the caller
 * is remembered per database name and restored by the next SandboxState (a reload), an unknown
 * remembered principal falls back to the root, every call goes out as the current caller (so
 * denials are real), and the clock jumps to the next scheduled event.
 */
import { describe, expect, it } from 'vitest';
import { isKmsError } from '../../../src/kms';
import { callerStorageKey } from '../../../src/ui/identity/caller';
import { SandboxState, type CallerStorage } from '../../../src/ui/sandbox.svelte';
import { makeHarness } from '../kms/harness';

function memoryStorage(): CallerStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const ROOT = 'arn:aws:iam::111122223333:root';
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const APP = 'arn:aws:iam::111122223333:role/AppRole';

describe('SandboxState acting as', () => {
  it('starts as the root with its access key, switches, persists per database and restores on reload', async () => {
    const h = await makeHarness();
    const storage = memoryStorage();
    const a = new SandboxState(h.service, h.repo, { dbName: 'db-a', storage });
    expect(a.caller).toMatchObject({ principalArn: ROOT, region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });

    a.actAs(APP, 'eu-west-1');
    expect(a.caller).toMatchObject({ principalArn: APP, accountId: '111122223333', region: 'eu-west-1', accessKeyId: 'AKIAAPPROLEEXAMPLE' });
    expect(JSON.parse(storage.data.get(callerStorageKey('db-a'))!)).toEqual({ principalArn: APP, region: 'eu-west-1' });

    // A reload of the same database restores the caller; another database starts as the root.
    expect(new SandboxState(h.service, h.repo, { dbName: 'db-a', storage }).caller.principalArn).toBe(APP);
    expect(new SandboxState(h.service, h.repo, { dbName: 'db-b', storage }).caller.principalArn).toBe(ROOT);

    expect(() => a.actAs('arn:aws:iam::111122223333:user/nobody')).toThrow(/No principal/);
    expect(() => a.actAs(ALICE, 'us-west-2')).toThrow(/not offered/);
    expect(a.caller.principalArn).toBe(APP);

    // A remembered principal the world does not know falls back to the root.
    storage.data.set(callerStorageKey('db-c'), JSON.stringify({ principalArn: 'arn:aws:iam::111122223333:user/ghost', region: 'us-east-1' }));
    expect(new SandboxState(h.service, h.repo, { dbName: 'db-c', storage }).caller.principalArn).toBe(ROOT);
    // No storage at all (or a refusing one): the choice holds for the page only.
    const refusing: CallerStorage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const b = new SandboxState(h.service, h.repo, { dbName: 'db-d', storage: refusing });
    expect(b.actAs(ALICE).principalArn).toBe(ALICE);
  });

  it('calls as the current caller: alice is denied, the root is not; world edits go through', async () => {
    const h = await makeHarness();
    const s = new SandboxState(h.service, h.repo, { dbName: 'x', storage: null });
    const { keyId } = await h.createKey();
    s.actAs(ALICE);
    const denied = await s.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1]) }).catch((e: unknown) => e);
    expect(isKmsError(denied, 'AccessDeniedException')).toBe(true);
    const record = h.repo.list('trailEvent').at(-1)!;
    expect(JSON.stringify(record)).toContain(ALICE);

    await s.putIdentityPolicy(ALICE, 'Enc', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] }));
    await s.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1]) });
    await s.deleteIdentityPolicy(ALICE, 'Enc');
    await expect(s.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1]) })).rejects.toMatchObject({ name: 'AccessDeniedException' });

    await s.createAccount('777788889999', 'Audit');
    const dev = await s.createPrincipal({ accountId: '777788889999', kind: 'role', name: 'Dev' });
    expect(s.actAs(dev.arn).accountId).toBe('777788889999');
  });

  it('advances by hours, by days and to the next scheduled event', async () => {
    const h = await makeHarness();
    const s = new SandboxState(h.service, h.repo, { dbName: 'x', storage: null });
    const t0 = h.service.now();
    expect((await s.advanceHours(5)).now).toBe(t0 + 5 * 3_600_000);
    expect((await s.advanceDays(2)).now).toBe(t0 + 5 * 3_600_000 + 2 * 86_400_000);
    // Nothing scheduled: an empty advance.
    expect(h.service.nextScheduledEventTime()).toBeNull();
    const none = await s.advanceToNextEvent();
    expect(none.events).toEqual([]);
    const { keyId, arn } = await h.createKey();
    await h.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    const due = h.service.nextScheduledEventTime()!;
    const result = await s.advanceToNextEvent();
    expect(result.now).toBe(due);
    expect(result.events).toMatchObject([{ kind: 'service', eventName: 'DeleteKey', keyArn: arn }]);
  });
});
