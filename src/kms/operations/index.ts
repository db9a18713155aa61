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
import { connectCustomKeyStore, createCustomKeyStore, deleteCustomKeyStore, describeCustomKeyStores, disconnectCustomKeyStore, updateCustomKeyStore } from './customKeyStores';
import { deriveSharedSecret } from './deriveSharedSecret';
import { decapsulate, encapsulate } from './encapsulate';
import { generateDataKeyPair, generateDataKeyPairWithoutPlaintext } from './generateDataKeyPair';
import { getPublicKey } from './getPublicKey';
import { deleteImportedKeyMaterial, getParametersForImport, importKeyMaterial } from './importKeyMaterial';
import { generateMac, verifyMac } from './mac';
import { replicateKey, updatePrimaryRegion } from './multiRegion';
import { sign, verify } from './sign';

export const OPERATION_HANDLERS: Readonly<Record<OperationName, Operation>> = {
  CancelKeyDeletion: cancelKeyDeletion,
  ConnectCustomKeyStore: connectCustomKeyStore,
  CreateAlias: createAlias,
  CreateCustomKeyStore: createCustomKeyStore,
  CreateGrant: createGrant,
  CreateKey: createKey,
  Decapsulate: decapsulate,
  Decrypt: decrypt,
  DeleteAlias: deleteAlias,
  DeleteCustomKeyStore: deleteCustomKeyStore,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  DeriveSharedSecret: deriveSharedSecret,
  DescribeCustomKeyStores: describeCustomKeyStores,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  DisableKeyRotation: disableKeyRotation,
  DisconnectCustomKeyStore: disconnectCustomKeyStore,
  EnableKey: enableKey,
  EnableKeyRotation: enableKeyRotation,
  Encapsulate: encapsulate,
  Encrypt: encrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyPair: generateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintext,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateMac: generateMac,
  GenerateRandom: generateRandom,
  GetKeyPolicy: getKeyPolicy,
  GetKeyRotationStatus: getKeyRotationStatus,
  GetParametersForImport: getParametersForImport,
  GetPublicKey: getPublicKey,
  ImportKeyMaterial: importKeyMaterial,
  ListAliases: listAliases,
  ListGrants: listGrants,
  ListKeyPolicies: listKeyPolicies,
  ListKeyRotations: listKeyRotations,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  ListRetirableGrants: listRetirableGrants,
  PutKeyPolicy: putKeyPolicy,
  ReEncrypt: reEncrypt,
  ReplicateKey: replicateKey,
  RetireGrant: retireGrant,
  RevokeGrant: revokeGrant,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  Sign: sign,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateAlias: updateAlias,
  UpdateCustomKeyStore: updateCustomKeyStore,
  UpdateKeyDescription: updateKeyDescription,
  UpdatePrimaryRegion: updatePrimaryRegion,
  Verify: verify,
  VerifyMac: verifyMac,
};

export type { Operation };
