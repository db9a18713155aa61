/**
 * What the IAM tab relies on (issue 5): world edits (accounts, principals, identity policies)
 * notify the service's subscribers (so `SandboxState` re-derives its views) and reach IndexedDB
 * (so a reload keeps them); a principal given an identity policy can then act, as the caller
 * "Acting as" builds for it.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { isKmsError, openSandboxService, webCryptoBackend, type KmsService, type Region, type Repository } from '../../../src/kms';
import { deleteDexieSandbox, openDexieRepository, type DexieRepository } from '../../../src/kms/store';
import { toTrailRecord } from '../../../src/trail';
import { callerFor } from '../../../src/ui/identity/caller';
import { policyTemplate } from '../../../src/ui/identity/forms';
import { ROOT, T0 } from '../kms/harness';

const DB = 'kms-identity-world-test';
const opened: DexieRepository[] = [];

async function open(): Promise<{ repo: DexieRepository; service: KmsService }> {
  const r = await openDexieRepository(DB);
  if (!r.ok) throw new Error(r.detail);
  opened.push(r.value);
  const service = await openSandboxService({ repository: r.value, clock: { now: () => T0 }, crypto: webCryptoBackend, recordTrail: toTrailRecord });
  return { repo: r.value, service };
}

afterEach(async () => {
  for (const r of opened.splice(0)) r.close();
  await deleteDexieSandbox(DB);
});

const trailLength = (repo: Repository) => repo.list('trailEvent').length;

describe('world edits', () => {
  it('notify subscribers, write no trail record, and survive a reload', async () => {
    const { repo, service } = await open();
    let notices = 0;
    service.subscribe(() => (notices += 1));
    const trail = trailLength(repo);

    await service.world.createAccount('777788889999', 'Audit');
    const bob = await service.world.createPrincipal({ accountId: '111122223333', kind: 'user', name: 'bob' });
    expect(bob.arn).toBe('arn:aws:iam::111122223333:user/bob');
    expect(bob.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const key = await service.call('CreateKey', {}, ROOT);
    const keyArn = (key['KeyMetadata'] as { Arn: string }).Arn;
    await service.world.putIdentityPolicy(bob.arn, 'UseOneKey', policyTemplate(keyArn));
    await service.world.putIdentityPolicy(bob.arn, 'Scratch', policyTemplate('*'));
    await service.world.deleteIdentityPolicy(bob.arn, 'Scratch');
    expect(notices).toBe(6); // 5 world edits + 1 call
    expect(trailLength(repo)).toBe(trail + 1); // only the CreateKey

    // Acting as bob: Encrypt is allowed by the identity policy (the default key policy delegates to IAM).
    const caller = callerFor(service.world.listPrincipals().find((p) => p.arn === bob.arn)!, 'us-east-1' as Region);
    expect(caller.accessKeyId).toBe(bob.accessKeyId);
    await service.call('Encrypt', { KeyId: keyArn, Plaintext: new Uint8Array([1, 2, 3]) }, caller);
    // ...and GenerateDataKey is not.
    const denied = await service.call('GenerateDataKey', { KeyId: keyArn, KeySpec: 'AES_256' }, caller).catch((e: unknown) => e);
    expect(isKmsError(denied, 'AccessDeniedException')).toBe(true);

    opened.pop()!.close();
    const again = await open();
    expect(again.repo.get('account', '777788889999')?.name).toBe('Audit');
    expect(again.repo.list('principal').map((p) => p.id)).toContain('arn:aws:iam::777788889999:root');
    expect(again.service.world.principalForAccessKey(bob.accessKeyId)?.arn).toBe(bob.arn);
    expect(again.repo.list('identityPolicy').filter((p) => p.principalArn === bob.arn).map((p) => p.policyName)).toEqual(['UseOneKey']);
  });
});
