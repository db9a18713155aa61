/**
 * Every record a call commits must pass the store's validators, or the stored sandbox (IndexedDB,
 * `--data` file) is refused when it is opened again. Regression: a policy statement without a Sid
 * left `sid: undefined` in the trail record's authorization trace ("expected a JSON value").
 */
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../../src/kms/store/schema';
import { callerIn, makeHarness, ROOT } from './harness';

const ALICE = { ...callerIn('111122223333'), principalArn: 'arn:aws:iam::111122223333:user/alice' };

describe('records committed by calls are storable', () => {
  it('with Sid-less statements in the key policy and in an identity policy', async () => {
    const h = await makeHarness();
    const { keyId } = await h.createKey();
    // A key policy whose statements have no Sid.
    await h.call('PutKeyPolicy', {
      KeyId: keyId,
      PolicyName: 'default',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111122223333:role/AppRole' }, Action: 'kms:Decrypt', Resource: '*' },
        ],
      }),
    }, ROOT);
    // An identity policy whose statement has no Sid.
    await h.service.world.putIdentityPolicy(ALICE.principalArn, 'NoSid', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] }));
    await h.call('Encrypt', { KeyId: keyId, Plaintext: new Uint8Array([1]) }, ALICE);
    await h.fail('Decrypt', { CiphertextBlob: new Uint8Array(60) }, ALICE);
    await h.fail('DescribeKey', { KeyId: keyId }, ALICE);
    const problems = h.repo
      .list('trailEvent')
      .map((r) => validateRecord(r))
      .filter((r) => !r.ok)
      .map((r) => JSON.stringify(r));
    expect(problems).toEqual([]);
    expect(h.repo.list('trailEvent').length).toBeGreaterThanOrEqual(5);
  });
});
