/** The operation registry: every AWS operation the service answers, by name. */
import type { OperationName } from '../api';
import type { Operation } from './operation';
import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases';
import { createKey } from './createKey';
import { decrypt } from './decrypt';
import { describeKey } from './describeKey';
import { disableKey, enableKey } from './enableDisableKey';
import { encrypt } from './encrypt';
import { generateDataKey, generateDataKeyWithoutPlaintext } from './generateDataKey';
import { generateRandom } from './generateRandom';
import { createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from './grants';
import { cancelKeyDeletion, scheduleKeyDeletion } from './keyDeletion';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './keyPolicy';
import { listKeys } from './listKeys';
import { reEncrypt } from './reEncrypt';
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  rotateKeyOnDemand,
} from './rotation';
import { listResourceTags, tagResource, untagResource } from './tags';
import { updateKeyDescription } from './updateKeyDescription';

export const OPERATION_HANDLERS: Readonly<Record<OperationName, Operation>> = {
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  CreateGrant: createGrant,
  CreateKey: createKey,
  Decrypt: decrypt,
  DeleteAlias: deleteAlias,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  DisableKeyRotation: disableKeyRotation,
  EnableKey: enableKey,
  EnableKeyRotation: enableKeyRotation,
  Encrypt: encrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateRandom: generateRandom,
  GetKeyPolicy: getKeyPolicy,
  GetKeyRotationStatus: getKeyRotationStatus,
  ListAliases: listAliases,
  ListGrants: listGrants,
  ListKeyPolicies: listKeyPolicies,
  ListKeyRotations: listKeyRotations,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  ListRetirableGrants: listRetirableGrants,
  PutKeyPolicy: putKeyPolicy,
  ReEncrypt: reEncrypt,
  RetireGrant: retireGrant,
  RevokeGrant: revokeGrant,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateAlias: updateAlias,
  UpdateKeyDescription: updateKeyDescription,
};

export type { Operation };
