/**
 * What an operation handler gets (STYLE §4: validate, authorize, check state, act, emit), and
 * the helpers every handler shares: key resolution for each KeyId form (§5), KeyMetadata
 * (§2.1 notes), pagination markers, new key material.
 */
import { bytesToHex } from './crypto';
import { kmsError } from './errors';
import type { CallerContext } from './events';
import {
  aliasArn,
  classifyKeyIdentifier,
  isKeyIdFormat,
  keyArn,
  type AliasName,
  type KeyArn,
  type KeyMaterialId,
} from './ids';
import type { AliasRecord, KeyRecord, MaterialRecord, RotationType } from './model';
import { algorithmsOf } from './keySpecs';
import type { AesKeyHandle, CryptoBackend, RandomStream } from './ports';
import type { UnitOfWork } from './unitOfWork';
import type { AuthzScope } from './authorization';

export const DAY_MS = 86_400_000;

/** Everything one call may use. */
export interface OpContext extends AuthzScope {
  readonly operation: string;
  readonly caller: CallerContext;
  /** Sandbox time of the call (ms). */
  readonly now: number;
  readonly tx: UnitOfWork;
  readonly random: RandomStream;
  readonly crypto: CryptoBackend;
  /** The imported AES key of a material version (cached across calls). */
  aesKey(material: MaterialRecord): Promise<AesKeyHandle>;
  /** Notes a key the call used (CloudTrail `resources`). */
  touch(key: KeyRecord): void;
  /** Notes the material a crypto call used (CloudTrail `additionalEventData.keyMaterialId`). */
  useMaterial(id: KeyMaterialId): void;
  /**
   * A value the seed cannot reproduce (an RSA key pair from WebCrypto): the first run calls
   * `produce` and the call's log entry keeps the bytes under `name` (log.ts `recorded`); a replay
   * of that entry gets the logged bytes back instead. Never for secrets the trail would not hold.
   */
  recorded(name: string, produce: () => Promise<Uint8Array>): Promise<Uint8Array>;
}

/** Which KeyId forms an operation accepts (§5). */
export type KeyIdForms = 'any' | 'idOrArn';

/**
 * Resolves a KeyId member to the key record, or throws NotFoundException / InvalidArnException
 * as AWS does. Bare ids and alias names resolve in the caller's account and Region only; ARNs may
 * name another account (authorization decides), never another Region (endpoints are regional).
 */
export function resolveKey(ctx: OpContext, input: string, forms: KeyIdForms): KeyRecord {
  const { accountId, region } = ctx.caller;
  const id = classifyKeyIdentifier(input);
  switch (id.kind) {
    case 'invalidArn':
      throw kmsError('InvalidArnException', `Invalid arn ${input}`);
    case 'keyId': {
      if (!isKeyIdFormat(id.keyId)) throw kmsError('NotFoundException', `Invalid keyId '${input}'`);
      return mustGetKey(ctx, keyArn(region, accountId, id.keyId));
    }
    case 'keyArn': {
      if (!isKeyIdFormat(id.keyId)) throw kmsError('NotFoundException', `Invalid keyId '${input}'`);
      if (id.region !== region) throw kmsError('NotFoundException', `Key '${input}' does not exist`);
      return mustGetKey(ctx, input as KeyArn);
    }
    case 'aliasName':
    case 'aliasArn': {
      if (forms !== 'any') {
        if (id.kind === 'aliasArn') throw kmsError('InvalidArnException', `${input} is an alias ARN; this operation takes a key ID or key ARN.`);
        throw kmsError('NotFoundException', `Invalid keyId '${input}': this operation takes a key ID or key ARN, not an alias.`);
      }
      const arn =
        id.kind === 'aliasArn'
          ? (id.region === region ? input : null)
          : aliasArn(region, accountId, id.aliasName as AliasName);
      const alias = arn ? ctx.tx.get('alias', arn) : undefined;
      if (!alias) throw kmsError('NotFoundException', `Alias ${arn ?? input} is not found.`);
      return mustGetKey(ctx, keyArn(alias.region, alias.accountId, alias.targetKeyId));
    }
  }
}

function mustGetKey(ctx: OpContext, arn: KeyArn): KeyRecord {
  const key = ctx.tx.get('key', arn);
  if (!key) throw kmsError('NotFoundException', `Key '${arn}' does not exist`);
  return key;
}

/** Aliases of a key, in name order. */
export function aliasesOf(ctx: Pick<OpContext, 'tx'>, key: KeyRecord): AliasRecord[] {
  return ctx.tx
    .list('alias')
    .filter((a) => a.accountId === key.accountId && a.region === key.region && a.targetKeyId === key.keyId);
}

/** The material record of a key by material id. */
export function materialOf(ctx: OpContext, key: KeyRecord, id: string): MaterialRecord | undefined {
  return ctx.tx.get('material', `${key.id}/${id}`);
}

/** Materials of a key in the order they were made. */
export function materialsOf(ctx: Pick<OpContext, 'tx'>, key: KeyRecord): MaterialRecord[] {
  return ctx.tx
    .list('material')
    .filter((m) => m.keyArn === key.id)
    .sort((a, b) => a.version - b.version);
}

/** Makes fresh 256-bit material for a key (from the call's random stream). */
export function newMaterial(
  random: RandomStream,
  arn: KeyArn,
  at: number,
  rotationType: RotationType | null,
  version: number,
): MaterialRecord {
  const keyMaterialId = bytesToHex(random.bytes(32)) as KeyMaterialId;
  return materialWithId(arn, keyMaterialId, random.bytes(32), at, rotationType, version);
}

/** A material record for `material` (any key spec), its id drawn from the call's random stream. */
export function materialRecord(
  arn: KeyArn,
  random: RandomStream,
  material: Uint8Array,
  at: number,
  rotationType: RotationType | null,
  version: number,
): MaterialRecord {
  return materialWithId(arn, bytesToHex(random.bytes(32)) as KeyMaterialId, material, at, rotationType, version);
}

/** A material record with a given id (imported material's id is derived from it). */
export function materialWithId(
  arn: KeyArn,
  keyMaterialId: KeyMaterialId,
  material: Uint8Array,
  at: number,
  rotationType: RotationType | null,
  version: number,
): MaterialRecord {
  return { typeName: 'material', id: `${arn}/${keyMaterialId}`, keyArn: arn, keyMaterialId, material, createdAt: at, version, rotationType };
}

/** The other Regions' keys of a multi-Region key (same account and key id), else []. */
export function multiRegionPeers(records: { list(type: 'key'): readonly KeyRecord[] }, key: KeyRecord): KeyRecord[] {
  if (key.multiRegionKeyType === null) return [];
  return records
    .list('key').filter((k) => k.keyId === key.keyId && k.accountId === key.accountId && k.id !== key.id);
}

/**
 * AWS's KeyMetadata for a key (§2.1 notes). `peers` are the other keys of a multi-Region key
 * (`multiRegionPeers`), for MultiRegionConfiguration.
 */
export function keyMetadata(key: KeyRecord, peers: readonly KeyRecord[] = []): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.id,
    CreationDate: new Date(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
  };
  if (key.deletionDate !== null) meta.DeletionDate = new Date(key.deletionDate);
  if (key.validTo !== null) meta.ValidTo = new Date(key.validTo);
  meta.Origin = key.origin;
  if (key.customKeyStoreId !== null) meta.CustomKeyStoreId = key.customKeyStoreId;
  if (key.expirationModel !== null) meta.ExpirationModel = key.expirationModel;
  meta.KeyManager = key.keyManager;
  // CustomerMasterKeySpec (deprecated) has no ML-DSA, ML-KEM or Ed25519 values (§4.1).
  if (!/^(ML_|ECC_NIST_EDWARDS)/.test(key.keySpec)) meta.CustomerMasterKeySpec = key.keySpec;
  meta.KeySpec = key.keySpec;
  Object.assign(meta, algorithmsOf(key.keySpec, key.keyUsage) ?? {});
  meta.MultiRegion = key.multiRegionKeyType !== null;
  if (key.multiRegionKeyType !== null) {
    const all = [key, ...peers];
    const primary = all.find((k) => k.multiRegionKeyType === 'PRIMARY') ?? key;
    meta.MultiRegionConfiguration = {
      MultiRegionKeyType: key.multiRegionKeyType,
      PrimaryKey: { Arn: primary.id, Region: primary.region },
      ReplicaKeys: all
        .filter((k) => k.multiRegionKeyType === 'REPLICA')
        .sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0))
        .map((k) => ({ Arn: k.id, Region: k.region })),
    };
  }
  // Only while the primary waits for its replicas' deletion (the API reference's member doc).
  if (key.pendingDeletionWindowInDays !== null && key.keyState === 'PendingReplicaDeletion') {
    meta.PendingDeletionWindowInDays = key.pendingDeletionWindowInDays;
  }
  if (key.xksKeyId !== null) meta.XksKeyConfiguration = { Id: key.xksKeyId };
  if (key.currentKeyMaterialId !== null) meta.CurrentKeyMaterialId = key.currentKeyMaterialId;
  return meta;
}

/**
 * One page of `items` (already in a stable order). Markers are opaque to callers: the base64url
 * of the next item's sort key; a marker that names no item is InvalidMarkerException (§2.1).
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  marker: string | undefined,
): { page: T[]; NextMarker?: string; Truncated: boolean } {
  let start = 0;
  if (marker !== undefined) {
    const k = decodeMarker(marker);
    start = k === null ? -1 : items.findIndex((it) => keyOf(it) === k);
    if (start < 0) throw kmsError('InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid.');
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return next === undefined ? { page, Truncated: false } : { page, NextMarker: encodeMarker(keyOf(next)), Truncated: true };
}

function encodeMarker(k: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(k)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function decodeMarker(m: string): string | null {
  try {
    const bin = atob(m.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Clamps a List* Limit to the operation's maximum (the model allows up to 1000). */
export function pageSize(limit: unknown, def: number, max: number): number {
  return typeof limit === 'number' ? Math.min(limit, max) : def;
}

