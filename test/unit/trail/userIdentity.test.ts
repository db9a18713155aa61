import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../../../src/kms/events';
import type { AccountId, Region } from '../../../src/kms/ids';
import { principalIdFor, userIdentityFor } from '../../../src/trail';

const T = '2025-05-20T20:46:16Z';
const caller = (principalArn: string, accessKeyId?: string): CallerContext => ({
  principalArn,
  accountId: '111122223333' as AccountId,
  region: 'us-east-1' as Region,
  ...(accessKeyId ? { accessKeyId } : {}),
});

describe('userIdentityFor', () => {
  it('Root: principalId is the account id', () => {
    expect(userIdentityFor(caller('arn:aws:iam::111122223333:root', 'AKIAROOT'), T)).toEqual({
      type: 'Root',
      principalId: '111122223333',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      accessKeyId: 'AKIAROOT',
    });
  });

  it('IAMUser: AIDA id, userName without the path, no accessKeyId when none', () => {
    const u = userIdentityFor(caller('arn:aws:iam::111122223333:user/division/Alice'), T);
    expect(u).toEqual({
      type: 'IAMUser',
      principalId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      arn: 'arn:aws:iam::111122223333:user/division/Alice',
      accountId: '111122223333',
      userName: 'Alice',
    });
    expect('accessKeyId' in u).toBe(false);
  });

  it('role ARN: AssumedRole session kms-playground with its issuer', () => {
    const roleArn = 'arn:aws:iam::111122223333:role/service-role/AppRole';
    const u = userIdentityFor(caller(roleArn, 'ASIAEXAMPLE'), T);
    const roleId = principalIdFor('AROA', roleArn);
    expect(roleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(u).toEqual({
      type: 'AssumedRole',
      principalId: `${roleId}:kms-playground`,
      arn: 'arn:aws:sts::111122223333:assumed-role/AppRole/kms-playground',
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId: '111122223333', userName: 'AppRole' },
        webIdFederationData: {},
        attributes: { creationDate: T, mfaAuthenticated: 'false' },
      },
    });
  });

  it('assumed-role session ARN keeps its session name', () => {
    const u = userIdentityFor(caller('arn:aws:sts::444455556666:assumed-role/Admin/bob'), T);
    expect(u['type']).toBe('AssumedRole');
    expect(u['arn']).toBe('arn:aws:sts::444455556666:assumed-role/Admin/bob');
    expect(u['accountId']).toBe('444455556666');
    expect(u['principalId']).toBe(`${principalIdFor('AROA', 'arn:aws:iam::444455556666:role/Admin')}:bob`);
    expect(u['sessionContext']).toMatchObject({ sessionIssuer: { arn: 'arn:aws:iam::444455556666:role/Admin', userName: 'Admin' } });
  });

  it('service principals are AWSService; other strings are Unknown', () => {
    expect(userIdentityFor(caller('dynamodb.amazonaws.com'), T)).toEqual({ type: 'AWSService', invokedBy: 'dynamodb.amazonaws.com' });
    expect(userIdentityFor(caller('something odd'), T)).toMatchObject({ type: 'Unknown', arn: 'something odd', accountId: '111122223333' });
  });

  it('principal ids are deterministic and differ between principals', () => {
    const a = 'arn:aws:iam::111122223333:user/Alice';
    expect(principalIdFor('AIDA', a)).toBe(principalIdFor('AIDA', a));
    const ids = new Set(
      Array.from({ length: 200 }, (_, i) => principalIdFor('AIDA', `arn:aws:iam::111122223333:user/u${i}`)),
    );
    expect(ids.size).toBe(200);
    // Pinned so a change in the hash (which would change every replayed trail) is noticed.
    expect(principalIdFor('AIDA', a)).toMatchInlineSnapshot(`"AIDAFRNAYLQMFJHFZ6TFQ"`);
  });
});
