/**
 * The Regionality tab's logic (src/ui/keys/regions): cards built from committed records after real
 * ReplicateKey / UpdatePrimaryRegion calls made with callInRegion (the acting principal, another
 * Region), the policy trap (a replica gets the default policy unless one is given), transient
 * states, free Regions and the ReplicateKey request.
 */
import { describe, expect, it } from 'vitest';
import { callInRegion, callerInRegion } from '../../../src/ui/keys/regions/callInRegion';
import { policySummary, regionCards, replicaRegionChoices, replicateRequest, transientText } from '../../../src/ui/keys/regions/regions';
import { ACCOUNT, makeHarness, ROOT } from '../kms/harness';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
});

describe('multi-Region cards', () => {
  it('shows the primary and its replicas side by side, with their own policies and states', async () => {
    const h = await makeHarness();
    const { arn, keyId } = await h.createKey({ MultiRegion: true, Policy: POLICY, Description: 'orders' });
    const sandbox = { caller: ROOT, service: h.service };
    let cards = regionCards(h.repo, { keyId, accountId: ACCOUNT });
    expect(cards.map((c) => [c.region, c.role])).toEqual([['us-east-1', 'PRIMARY']]);
    expect(replicaRegionChoices(cards, ['us-east-1', 'eu-west-1', 'ap-southeast-2'])).toEqual(['eu-west-1', 'ap-southeast-2']);

    await callInRegion(sandbox, 'us-east-1', 'ReplicateKey', replicateRequest({ primaryArn: arn, replicaRegion: 'eu-west-1', description: '', policy: '' }));
    await callInRegion(sandbox, 'us-east-1', 'ReplicateKey', replicateRequest({ primaryArn: arn, replicaRegion: 'ap-southeast-2', description: 'copy', policy: POLICY }));
    cards = regionCards(h.repo, { keyId, accountId: ACCOUNT });
    expect(cards.map((c) => [c.region, c.role, c.keyState])).toEqual([
      ['us-east-1', 'PRIMARY', 'Enabled'],
      ['ap-southeast-2', 'REPLICA', 'Creating'],
      ['eu-west-1', 'REPLICA', 'Creating'],
    ]);
    const eu = cards.find((c) => c.region === 'eu-west-1')!;
    // The trap: without Policy, the replica gets the default key policy, not the primary's.
    expect(eu.policyDiffers).toBe(true);
    expect(eu.description).toBe('');
    expect(cards.find((c) => c.region === 'ap-southeast-2')!.policyDiffers).toBe(false);
    expect(eu.transientUntil).toBeGreaterThan(h.service.now());
    expect(transientText(eu, h.service.now())).toMatch(/creating the replica.*becomes Enabled in \d+ sandbox seconds?/);

    await h.service.advanceClock(60_000);
    cards = regionCards(h.repo, { keyId, accountId: ACCOUNT });
    expect(cards.every((c) => c.keyState === 'Enabled' && c.enabled && c.transientUntil === null)).toBe(true);
    expect(replicaRegionChoices(cards, ['us-east-1', 'eu-west-1', 'ap-southeast-2'])).toEqual([]);

    // A ciphertext from us-east-1 decrypts with the replica in eu-west-1 (the outage lesson), as the same principal.
    const enc = await h.call('Encrypt', { KeyId: arn, Plaintext: new Uint8Array([9]) });
    const dec = await callInRegion(sandbox, 'eu-west-1', 'Decrypt', { CiphertextBlob: enc.CiphertextBlob });
    expect(dec.Plaintext).toEqual(new Uint8Array([9]));
    expect(dec.KeyId).toBe(eu.arn);

    await callInRegion(sandbox, 'us-east-1', 'UpdatePrimaryRegion', { KeyId: arn, PrimaryRegion: 'eu-west-1' });
    cards = regionCards(h.repo, { keyId, accountId: ACCOUNT });
    expect(cards[0]).toMatchObject({ region: 'eu-west-1', role: 'PRIMARY', keyState: 'Updating', stateAfter: 'Enabled' });
    expect(transientText(cards[0]!, h.service.now())).toMatch(/moving the primary role/);
  });

  it('builds requests and summaries', () => {
    expect(replicateRequest({ primaryArn: 'arn', replicaRegion: 'eu-west-1', description: ' ', policy: '' })).toEqual({ KeyId: 'arn', ReplicaRegion: 'eu-west-1' });
    expect(replicateRequest({ primaryArn: 'arn', replicaRegion: 'eu-west-1', description: 'd', policy: '{}' })).toEqual({ KeyId: 'arn', ReplicaRegion: 'eu-west-1', Description: 'd', Policy: '{}' });
    expect(policySummary(POLICY)).toBe('1 statement: Root');
    expect(policySummary('{"Statement":{"Effect":"Deny"}}')).toBe('1 statement: #1 Deny');
    expect(policySummary('nope')).toBe('not valid JSON');
    expect(callerInRegion(ROOT, 'eu-west-1')).toEqual({ ...ROOT, region: 'eu-west-1' });
  });
});
