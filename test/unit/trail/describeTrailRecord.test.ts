import { describe, expect, it } from 'vitest';
import type { CallerContext, KmsCallEvent } from '../../../src/kms/events';
import type { AccountId, KeyArn, Region } from '../../../src/kms/ids';
import { describeTrailRecord, isFailedRecord, toTrailRecord } from '../../../src/trail';

const ACCT = '111122223333' as AccountId;
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' as KeyArn;
const caller = (principalArn: string, accountId = ACCT): CallerContext => ({ principalArn, accountId, region: 'us-east-1' as Region });

function call(over: Partial<KmsCallEvent>): KmsCallEvent {
  return {
    kind: 'call',
    requestId: 'r',
    eventId: 'e',
    time: 0,
    operation: 'Encrypt',
    request: { KeyId: 'alias/App' },
    caller: caller('arn:aws:iam::111122223333:role/AppRole'),
    resources: [{ arn: KEY_ARN, accountId: ACCT }],
    readOnly: true,
    ...over,
  };
}

describe('describeTrailRecord', () => {
  it('summarizes a success and a failure', () => {
    expect(describeTrailRecord(toTrailRecord(call({}), 0))).toBe('Encrypt by role/AppRole on key 1234abcd… — OK');
    const failed = toTrailRecord(call({ operation: 'Decrypt', caller: caller('arn:aws:iam::111122223333:user/Alice'), error: { name: 'DisabledException', message: 'd' } }), 0);
    expect(describeTrailRecord(failed)).toBe('Decrypt by user/Alice on key 1234abcd… — DisabledException');
    expect(describeTrailRecord(failed.record)).toBe(describeTrailRecord(failed));
    expect(isFailedRecord(failed)).toBe(true);
  });

  it('names root, service events, cross-account callers and unresolved keys', () => {
    expect(describeTrailRecord(toTrailRecord(call({ caller: caller('arn:aws:iam::111122223333:root') }), 0))).toBe(
      'Encrypt by root on key 1234abcd… — OK',
    );
    const rotate = toTrailRecord(
      { kind: 'service', eventName: 'RotateKey', requestId: 'r', eventId: 'e', time: 0, keyArn: KEY_ARN, accountId: ACCT, region: 'us-east-1' as Region },
      0,
    );
    expect(describeTrailRecord(rotate)).toBe('RotateKey by AWS on key 1234abcd… — OK');
    const cross = toTrailRecord(call({ caller: caller('arn:aws:iam::444455556666:user/Bob', '444455556666' as AccountId) }), 0);
    expect(describeTrailRecord(cross)).toBe('Encrypt by user/Bob (444455556666) on key 1234abcd… — OK');
    const notFound = toTrailRecord(call({ resources: [], error: { name: 'NotFoundException', message: 'n' } }), 0);
    expect(describeTrailRecord(notFound)).toBe('Encrypt by role/AppRole on alias/App — NotFoundException');
    const random = toTrailRecord(call({ operation: 'GenerateRandom', request: { NumberOfBytes: 8 }, resources: [] }), 0);
    expect(describeTrailRecord(random)).toBe('GenerateRandom by role/AppRole — OK');
  });
});
