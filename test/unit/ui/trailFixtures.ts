/** Trail records for the trail panel tests: a real sandbox (the UI's seed) and synthetic rows. */
import type { CloudTrailRecord, TrailEventRecord } from '../../../src/kms';
import { seedSandbox } from '../../../src/ui/seed';
import { makeHarness, type Harness } from '../kms/harness';

/** A harness with the UI's seeded sandbox. */
export async function seededHarness(): Promise<Harness> {
  const h = await makeHarness();
  await seedSandbox(h.service);
  return h;
}

/** A minimal, valid-looking trail record (for index and filter tests). */
export function fakeRecord(seq: number, over: Partial<CloudTrailRecord> = {}): TrailEventRecord {
  const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  const record: CloudTrailRecord = {
    eventVersion: '1.11',
    userIdentity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' },
    eventTime: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'kms.amazonaws.com',
    eventName: seq % 2 === 0 ? 'Encrypt' : 'Decrypt',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.0',
    userAgent: 'test',
    requestParameters: { keyId: 'alias/orders' },
    responseElements: null,
    requestID: id,
    eventID: id,
    readOnly: true,
    resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...over,
  };
  return { typeName: 'trailEvent', id, seq, record };
}
