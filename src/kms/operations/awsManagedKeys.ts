/**
 * AWS managed keys (kms-semantics.md §2.2 DescribeKey, §8; issue 3).
 *
 * Each account and Region has predefined aliases `alias/aws/<service>` with no key until first
 * use. Naming such an alias in DescribeKey creates the AWS managed key, binds the alias, and gives
 * the key AWS's policy: usable for cryptography only through its service (kms:ViaService +
 * kms:CallerAccount), metadata readable by the account; nobody can change the policy, disable,
 * delete or rotate it on demand; it rotates every year (§8). AWS owned keys never appear in an
 * account, so they are not modelled at all.
 */
import { aliasArn, classifyKeyIdentifier, isKeyIdFormat, keyArn, uuidFromBytes, type AliasName, type KeyId } from '../ids';
import { PLAIN_KEY_FIELDS, type KeyRecord } from '../model';
import { DAY_MS, newMaterial, type OpContext } from '../context';
import { putPolicy } from './keyPolicy';

/** Predefined alias → the service endpoint prefix its key may be used through (kms:ViaService). */
export const AWS_MANAGED_KEY_SERVICES: Readonly<Record<string, { service: string; label: string }>> = {
  'alias/aws/acm': { service: 'acm', label: 'ACM' },
  'alias/aws/dynamodb': { service: 'dynamodb', label: 'DynamoDB' },
  'alias/aws/ebs': { service: 'ec2', label: 'EBS' },
  'alias/aws/elasticfilesystem': { service: 'elasticfilesystem', label: 'EFS' },
  'alias/aws/es': { service: 'es', label: 'OpenSearch' },
  'alias/aws/glue': { service: 'glue', label: 'Glue' },
  'alias/aws/kinesisvideo': { service: 'kinesisvideo', label: 'Kinesis Video Streams' },
  'alias/aws/lambda': { service: 'lambda', label: 'Lambda' },
  'alias/aws/rds': { service: 'rds', label: 'RDS' },
  'alias/aws/redshift': { service: 'redshift', label: 'Redshift' },
  'alias/aws/s3': { service: 's3', label: 'S3' },
  'alias/aws/secretsmanager': { service: 'secretsmanager', label: 'Secrets Manager' },
  'alias/aws/ssm': { service: 'ssm', label: 'Systems Manager' },
  'alias/aws/xray': { service: 'xray', label: 'X-Ray' },
};

/** AWS's key policy for an AWS managed key (the shape of the policies AWS attaches). */
export function awsManagedKeyPolicy(account: string, region: string, aliasName: string): string {
  const svc = AWS_MANAGED_KEY_SERVICES[aliasName];
  const via = `${svc?.service ?? 'unknown'}.${region}.amazonaws.com`;
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: `auto-${aliasName.slice('alias/aws/'.length)}-1`,
      Statement: [
        {
          Sid: `Allow access through ${svc?.label ?? 'the service'} for all principals in the account that are authorized to use ${svc?.label ?? 'the service'}`,
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': via } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

/**
 * When `keyIdInput` names a predefined `alias/aws/<service>` alias of the caller's account and
 * Region that has no key yet, creates its AWS managed key and binds the alias (as DescribeKey does).
 */
export function ensureAwsManagedKey(ctx: OpContext, keyIdInput: string): KeyRecord | null {
  const id = classifyKeyIdentifier(keyIdInput);
  const { accountId, region } = ctx.caller;
  if (id.kind !== 'aliasName' && !(id.kind === 'aliasArn' && id.account === accountId && id.region === region)) return null;
  const name = id.aliasName;
  if (!(name in AWS_MANAGED_KEY_SERVICES)) return null;
  const aArn = aliasArn(region, accountId, name as AliasName);
  if (ctx.tx.get('alias', aArn)) return null;
  const keyId = uuidFromBytes(ctx.random.bytes(16));
  if (!isKeyIdFormat(keyId)) return null;
  const arn = keyArn(region, accountId, keyId as KeyId);
  const material = newMaterial(ctx.random, arn, ctx.now, null, 0);
  const label = AWS_MANAGED_KEY_SERVICES[name]!.label;
  const key: KeyRecord = {
    typeName: 'key',
    id: arn,
    keyId: keyId as KeyId,
    accountId,
    region,
    creationDate: ctx.now,
    description: `Default key that protects my ${label} data when no other key is defined`,
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    keyManager: 'AWS',
    keyState: 'Enabled',
    deletionDate: null,
    pendingDeletionWindowInDays: null,
    currentKeyMaterialId: material.keyMaterialId,
    // AWS managed keys rotate every year and it cannot be turned off (§8).
    rotationEnabled: true,
    rotationPeriodInDays: 365,
    nextRotationDate: ctx.now + 365 * DAY_MS,
    onDemandRotationCount: 0,
    ...PLAIN_KEY_FIELDS,
  };
  ctx.tx.put(key);
  ctx.tx.put(material);
  putPolicy(ctx, key, awsManagedKeyPolicy(accountId, region, name));
  ctx.tx.put({
    typeName: 'alias',
    id: aArn,
    aliasName: name as AliasName,
    accountId,
    region,
    targetKeyId: keyId as KeyId,
    creationDate: ctx.now,
    lastUpdatedDate: ctx.now,
  });
  return key;
}
