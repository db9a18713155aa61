/** The operation registry: every AWS operation the service answers, by name. */
import type { OperationName } from '../api';
import type { Operation } from './operation';
import { createKey } from './createKey';
import { decrypt } from './decrypt';
import { describeKey } from './describeKey';
import { disableKey, enableKey } from './enableDisableKey';
import { encrypt } from './encrypt';
import { generateDataKey, generateDataKeyWithoutPlaintext } from './generateDataKey';
import { generateRandom } from './generateRandom';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './keyPolicy';
import { listKeys } from './listKeys';
import { reEncrypt } from './reEncrypt';
import { listResourceTags, tagResource, untagResource } from './tags';
import { updateKeyDescription } from './updateKeyDescription';
import { lazyOperation } from './lazyOperation';

// The operations of asymmetric and HMAC keys, imported material, multi-Region keys, custom key
// stores, grants, aliases, rotation and deletion load on first use (a chunk each): most sandboxes call few of them,
// and the page's first load stays small.
const signing = () => import('./sign');
const publicKey = () => import('./getPublicKey');
const macs = () => import('./mac');
const agreement = () => import('./deriveSharedSecret');
const kem = () => import('./encapsulate');
const keyPairs = () => import('./generateDataKeyPair');
const imports = () => import('./importKeyMaterial');
const regions = () => import('./multiRegion');
const stores = () => import('./customKeyStores');
const grants = () => import('./grants');
const aliases = () => import('./aliases');
const rotation = () => import('./rotation');
const deletion = () => import('./keyDeletion');

const enableKeyRotation = lazyOperation('EnableKeyRotation', false, () => rotation().then((m) => m.enableKeyRotation));
const disableKeyRotation = lazyOperation('DisableKeyRotation', false, () => rotation().then((m) => m.disableKeyRotation));
const getKeyRotationStatus = lazyOperation('GetKeyRotationStatus', true, () => rotation().then((m) => m.getKeyRotationStatus));
const listKeyRotations = lazyOperation('ListKeyRotations', true, () => rotation().then((m) => m.listKeyRotations));
const rotateKeyOnDemand = lazyOperation('RotateKeyOnDemand', false, () => rotation().then((m) => m.rotateKeyOnDemand));
const scheduleKeyDeletion = lazyOperation('ScheduleKeyDeletion', false, () => deletion().then((m) => m.scheduleKeyDeletion));
const cancelKeyDeletion = lazyOperation('CancelKeyDeletion', false, () => deletion().then((m) => m.cancelKeyDeletion));

const createAlias = lazyOperation('CreateAlias', false, () => aliases().then((m) => m.createAlias));
const deleteAlias = lazyOperation('DeleteAlias', false, () => aliases().then((m) => m.deleteAlias));
const listAliases = lazyOperation('ListAliases', true, () => aliases().then((m) => m.listAliases));
const updateAlias = lazyOperation('UpdateAlias', false, () => aliases().then((m) => m.updateAlias));
const createGrant = lazyOperation('CreateGrant', false, () => grants().then((m) => m.createGrant));
const listGrants = lazyOperation('ListGrants', true, () => grants().then((m) => m.listGrants));
const listRetirableGrants = lazyOperation('ListRetirableGrants', true, () => grants().then((m) => m.listRetirableGrants));
const retireGrant = lazyOperation('RetireGrant', false, () => grants().then((m) => m.retireGrant));
const revokeGrant = lazyOperation('RevokeGrant', false, () => grants().then((m) => m.revokeGrant));

const connectCustomKeyStore = lazyOperation('ConnectCustomKeyStore', false, () => stores().then((m) => m.connectCustomKeyStore));
const createCustomKeyStore = lazyOperation('CreateCustomKeyStore', false, () => stores().then((m) => m.createCustomKeyStore));
const deleteCustomKeyStore = lazyOperation('DeleteCustomKeyStore', false, () => stores().then((m) => m.deleteCustomKeyStore));
const describeCustomKeyStores = lazyOperation('DescribeCustomKeyStores', true, () => stores().then((m) => m.describeCustomKeyStores));
const disconnectCustomKeyStore = lazyOperation('DisconnectCustomKeyStore', false, () => stores().then((m) => m.disconnectCustomKeyStore));
const updateCustomKeyStore = lazyOperation('UpdateCustomKeyStore', false, () => stores().then((m) => m.updateCustomKeyStore));
const deriveSharedSecret = lazyOperation('DeriveSharedSecret', true, () => agreement().then((m) => m.deriveSharedSecret));
const encapsulate = lazyOperation('Encapsulate', true, () => kem().then((m) => m.encapsulate));
const decapsulate = lazyOperation('Decapsulate', true, () => kem().then((m) => m.decapsulate));
const generateDataKeyPair = lazyOperation('GenerateDataKeyPair', true, () => keyPairs().then((m) => m.generateDataKeyPair));
const generateDataKeyPairWithoutPlaintext = lazyOperation('GenerateDataKeyPairWithoutPlaintext', true, () => keyPairs().then((m) => m.generateDataKeyPairWithoutPlaintext));
const getPublicKey = lazyOperation('GetPublicKey', true, () => publicKey().then((m) => m.getPublicKey));
const getParametersForImport = lazyOperation('GetParametersForImport', true, () => imports().then((m) => m.getParametersForImport));
const importKeyMaterial = lazyOperation('ImportKeyMaterial', false, () => imports().then((m) => m.importKeyMaterial));
const deleteImportedKeyMaterial = lazyOperation('DeleteImportedKeyMaterial', false, () => imports().then((m) => m.deleteImportedKeyMaterial));
const generateMac = lazyOperation('GenerateMac', true, () => macs().then((m) => m.generateMac));
const verifyMac = lazyOperation('VerifyMac', true, () => macs().then((m) => m.verifyMac));
const replicateKey = lazyOperation('ReplicateKey', false, () => regions().then((m) => m.replicateKey));
const updatePrimaryRegion = lazyOperation('UpdatePrimaryRegion', false, () => regions().then((m) => m.updatePrimaryRegion));
const sign = lazyOperation('Sign', true, () => signing().then((m) => m.sign));
const verify = lazyOperation('Verify', true, () => signing().then((m) => m.verify));

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
