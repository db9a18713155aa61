/**
 * ReplicateKey and UpdatePrimaryRegion (kms-semantics.md §9, §1.1, §1.5), the synchronization of
 * a multi-Region key's shared properties, and the start of a primary's waiting period once its
 * last replica is gone.
 *
 * A multi-Region key is a set of keys with the same `mrk-` key id in one account, one per Region,
 * exactly one of them PRIMARY. Shared (§9): key id, material (every version), origin, spec, usage,
 * automatic rotation setting and rotations. Independent: description, policy, grants, aliases,
 * tags, enabled state, deletion schedule.
 *
 *   ReplicateKey          new replica: Creating ──(REPLICA_CREATION_MS)──► Enabled | PendingImport
 *   UpdatePrimaryRegion   both keys:   <state> ──(PRIMARY_UPDATE_MS)────► <state>   (roles swapped at once)
 *   primary ScheduleKeyDeletion with replicas: PendingReplicaDeletion ──(last replica deleted)──►
 *                         PendingDeletion, DeletionDate = that moment + PendingDeletionWindowInDays
 *
 * While a primary waits, its `stateChangeAt` holds the moment its last replica will be deleted
 * (null while some replica is not scheduled): `refreshReplicaWait` keeps it, because once that
 * replica's record is gone nothing else says when it went.
 *
 * Automatic rotation is driven by the primary alone: replicas carry the setting and period but no
 * NextRotationDate of their own (the service rotates keys that have one), and receive the new
 * material through `propagateToReplicas`. Replicas of EXTERNAL-origin keys get no material: the
 * same material must be imported into each (API reference, ReplicateKey); they name the primary's
 * current material id, so only that material can be imported.
 *
 * Not simulated: the CreateKey record AWS writes in the replica's Region, SynchronizeMultiRegionKey
 * service events, HMAC keys being unavailable in some Regions.
 */
import type { Operation } from './operation';
import { kmsError } from '../errors';
import { isRegion, keyArn, type Region } from '../ids';
import type { KeyRecord, KeyState } from '../model';
import { keyMetadata, multiRegionPeers } from '../context';
import { authorize, requestTagConditions } from '../authorization';
import { assertOperationAllowed } from '../lifecycle/matrix';
import { KEY_ID, validateRequest, validationError } from '../validate';
import type { UnitOfWork } from '../unitOfWork';
import { authorizeIam, useManagedKey } from './common';
import { materialCopies, synchronized } from './multiRegionSync';
import { checkNewKeyPolicy, putPolicy, validatePolicyText } from './keyPolicy';
import { applyTags, validateTags } from './tags';

/** How long a new replica stays `Creating` on the sandbox clock ("a few seconds", §1.1). */
export const REPLICA_CREATION_MS = 5_000;
/** How long both keys stay `Updating` after UpdatePrimaryRegion (§1.1). */
export const PRIMARY_UPDATE_MS = 5_000;

/** Region member constraints of the model (§3.2): 1–32 chars, `^([a-z]+-){2,3}\d+$`. */
const REGION_MEMBER = { type: 'string', required: true, min: 1, max: 32, pattern: /^([a-z]+-){2,3}\d+$/ } as const;

/**
 * Regions of the `aws` partition (the only one the simulator has, ids.ts). A replica must be in
 * the primary's partition: `cn-*`, `us-gov-*` and the ISO Regions are not in this list.
 */
export const AWS_PARTITION_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1',
]);

/** UnsupportedOperationException for a key that is not a multi-Region primary (ReplicateKey, UpdatePrimaryRegion). */
function assertPrimary(key: KeyRecord): void {
  if (key.multiRegionKeyType !== 'PRIMARY') {
    throw kmsError('UnsupportedOperationException', `${key.id} is not a multi-Region primary key.`);
  }
}

/** The related key of `key` in `region` (any state), if there is one. */
function relatedKeyIn(tx: UnitOfWork, key: KeyRecord, region: Region): KeyRecord | undefined {
  return tx.get('key', keyArn(region, key.accountId, key.keyId));
}



export const replicateKey: Operation = {
  name: 'ReplicateKey',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, {
      KeyId: KEY_ID,
      ReplicaRegion: REGION_MEMBER,
      Policy: { type: 'string', min: 1, max: 131072 },
      BypassPolicyLockoutSafetyCheck: { type: 'boolean' },
      Description: { type: 'string', min: 0, max: 8192 },
      Tags: { type: 'tagList' },
    });
    const replicaRegion = req.ReplicaRegion as string;
    const tags = validateTags(req.Tags);
    const bypass = req.BypassPolicyLockoutSafetyCheck === true;
    // kms:ReplicateKey on the primary (its key policy), in the primary's Region.
    const primary = useManagedKey(ctx, req.KeyId as string, { conditions: { 'kms:replicaregion': [replicaRegion] } });
    assertPrimary(primary);
    if (!isRegion(replicaRegion) || !AWS_PARTITION_REGIONS.has(replicaRegion)) {
      validationError(`${replicaRegion} is not a valid Region of the aws partition for a replica of ${primary.id}.`);
    }
    if (replicaRegion === primary.region) {
      validationError(`The replica Region ${replicaRegion} is the Region of the primary key ${primary.id}: a replica must be in another Region.`);
    }
    const existing = relatedKeyIn(ctx.tx, primary, replicaRegion);
    if (existing) {
      const why = existing.keyState === 'PendingDeletion' ? ' and is pending deletion: cancel its deletion (CancelKeyDeletion) or wait until it is deleted' : '';
      throw kmsError('AlreadyExistsException', `A related multi-Region key ${existing.id} already exists in ${replicaRegion}${why}.`);
    }
    // kms:CreateKey (and kms:TagResource for Tags) in an IAM policy, in the replica's Region.
    const conditions = {
      'kms:keyspec': [primary.keySpec],
      'kms:keyusage': [primary.keyUsage],
      'kms:keyorigin': [primary.origin],
      'kms:multiregion': ['true'],
      'kms:multiregionkeytype': ['REPLICA'],
      'kms:bypasspolicylockoutsafetycheck': [String(bypass)],
      ...requestTagConditions(tags),
    };
    authorizeIam(ctx, '*', conditions, 'kms:CreateKey');
    if (tags.length > 0) authorizeIam(ctx, '*', conditions, 'kms:TagResource');
    const policyDoc = req.Policy === undefined ? undefined : validatePolicyText(req.Policy as string);

    const arn = keyArn(replicaRegion, primary.accountId, primary.keyId);
    const isExternal = primary.origin === 'EXTERNAL';
    const replica: KeyRecord = synchronized(
      {
        ...primary,
        id: arn,
        region: replicaRegion,
        creationDate: ctx.now,
        description: (req.Description as string | undefined) ?? '',
        keyState: 'Creating',
        deletionDate: null,
        pendingDeletionWindowInDays: null,
        multiRegionKeyType: 'REPLICA',
        customKeyStoreId: null,
        xksKeyId: null,
        // Imported material (and its expiry) arrives with the replica's own ImportKeyMaterial.
        expirationModel: isExternal ? null : primary.expirationModel,
        validTo: isExternal ? null : primary.validTo,
        stateAfter: isExternal ? 'PendingImport' : 'Enabled',
        stateChangeAt: ctx.now + REPLICA_CREATION_MS,
      },
      primary,
    );
    if (policyDoc) checkNewKeyPolicy(ctx, replica, policyDoc, bypass);
    ctx.tx.put(replica);
    if (!isExternal) for (const m of materialCopies(ctx.tx, primary, arn)) ctx.tx.put(m);
    // The API's default is the default key policy, not a copy of the primary's (§9).
    putPolicy(ctx, replica, req.Policy as string | undefined);
    applyTags(ctx, replica, tags);
    return {
      ReplicaKeyMetadata: keyMetadata(replica, multiRegionPeers(ctx.tx, replica)),
      ReplicaPolicy: ctx.tx.get('policy', `${arn}/default`)!.document,
      ReplicaTags: tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
    };
  },
};

/** The state a key returns to after `Updating` (an already updating key keeps its original one). */
function stateBeforeUpdate(key: KeyRecord): KeyState {
  return key.keyState === 'Updating' ? (key.stateAfter ?? 'Enabled') : key.keyState;
}

export const updatePrimaryRegion: Operation = {
  name: 'UpdatePrimaryRegion',
  readOnly: false,
  async handle(ctx, req) {
    validateRequest(req, { KeyId: KEY_ID, PrimaryRegion: REGION_MEMBER });
    const region = req.PrimaryRegion as string;
    const conditions = { 'kms:primaryregion': [region] };
    // kms:UpdatePrimaryRegion on the current primary (its Region) …
    const primary = useManagedKey(ctx, req.KeyId as string, { conditions });
    assertPrimary(primary);
    if (region === primary.region) {
      validationError(`${primary.id} is already the primary key in ${region}.`);
    }
    const replica = isRegion(region) ? relatedKeyIn(ctx.tx, primary, region) : undefined;
    if (!replica) {
      throw kmsError('NotFoundException', `Key '${isRegion(region) ? keyArn(region, primary.accountId, primary.keyId) : region}' does not exist`);
    }
    // … and on the replica that becomes primary (its own key policy).
    ctx.touch(replica);
    authorize(ctx, { operation: 'UpdatePrimaryRegion', action: 'kms:UpdatePrimaryRegion', target: replica, conditions });
    assertOperationAllowed('UpdatePrimaryRegion', replica);
    const until = ctx.now + PRIMARY_UPDATE_MS;
    // The schedule of automatic rotation moves with the primary role.
    ctx.tx.put({
      ...primary,
      multiRegionKeyType: 'REPLICA',
      nextRotationDate: null,
      keyState: 'Updating',
      stateAfter: stateBeforeUpdate(primary),
      stateChangeAt: until,
    });
    ctx.tx.put({
      ...synchronized(replica, primary),
      multiRegionKeyType: 'PRIMARY',
      nextRotationDate: primary.nextRotationDate,
      keyState: 'Updating',
      stateAfter: stateBeforeUpdate(replica),
      stateChangeAt: until,
    });
    return {};
  },
};
