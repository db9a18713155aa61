/**
 * Read model of the sandbox for the UI, built from the repository's committed records.
 *
 * Why not DescribeKey/ListKeys calls: every service call writes a CloudTrail record (as in AWS),
 * so a UI that refreshed itself through calls would flood the trail and, refreshing on every
 * commit, never stop. The UI therefore *reads* committed state here and *acts* only through
 * `KmsService.call`. Values facing the learner keep AWS spelling (KeyState, KeyMetadata members).
 */
import type {
  GrantRecord,
  KeyArn,
  KeyManager,
  KeyRecord,
  KeySpec,
  KeyState,
  KeyUsage,
  Origin,
  Repository,
  RotationType,
} from '../kms';
import { keyMetadata, multiRegionPeers } from '../kms';

/** A tag as ListResourceTags names it. */
export interface TagView {
  readonly TagKey: string;
  readonly TagValue: string;
}

/** One row of the key list. */
export interface KeyRow {
  readonly arn: KeyArn;
  readonly keyId: string;
  /** Alias names pointing at the key, sorted. */
  readonly aliases: readonly string[];
  readonly keyState: KeyState;
  readonly description: string;
  readonly creationDate: number;
  /** Owning account and Region (keys of every account and Region of the sandbox are listed). */
  readonly accountId: string;
  readonly region: string;
  /** The key's KeySpec (the list filters on it). */
  readonly keySpec: KeySpec;
  /** Tags, sorted by TagKey (the list filters on them). */
  readonly tags: readonly TagView[];
}

/** An alias of the key, with the dates ListAliases reports. */
export interface AliasView {
  readonly AliasName: string;
  readonly AliasArn: string;
  readonly CreationDate: number;
  readonly LastUpdatedDate: number;
}

/** A grant as ListGrants lists it (GrantListEntry); dates in ms. */
export interface GrantView {
  readonly GrantId: string;
  /** "" when the grant has no name, as ListGrants shows it. */
  readonly Name: string;
  readonly CreationDate: number;
  readonly GranteePrincipal: string;
  readonly RetiringPrincipal: string | null;
  readonly IssuingAccount: string;
  readonly Operations: readonly string[];
  readonly Constraints: {
    readonly EncryptionContextEquals?: Readonly<Record<string, string>>;
    readonly EncryptionContextSubset?: Readonly<Record<string, string>>;
  } | null;
}

/** The key's cryptographic configuration (DescribeKey's KeyMetadata members). */
export interface CryptoConfig {
  readonly KeySpec: KeySpec;
  readonly KeyUsage: KeyUsage;
  /** Empty for keys that do not encrypt. */
  readonly EncryptionAlgorithms: readonly string[];
  readonly Origin: Origin;
  readonly KeyManager: KeyManager;
  readonly MultiRegion: boolean;
  readonly CurrentKeyMaterialId: string | null;
}


/** Everything the key detail panel shows. */
export interface KeyDetail {
  readonly row: KeyRow;
  /** KeyMetadata members as DescribeKey returns them (same mapping as the operation), in order. */
  readonly metadata: readonly (readonly [string, unknown])[];
  /** Tags as ListResourceTags names them, sorted by TagKey. */
  readonly tags: readonly TagView[];
  /** Aliases pointing at the key, sorted by name. */
  readonly aliases: readonly AliasView[];
  /** Grants on the key, oldest first (ListGrants order). */
  readonly grants: readonly GrantView[];
  /** Scheduled deletion: present only while the key is PendingDeletion. */
  readonly deletion: { readonly deletionDate: number; readonly pendingWindowInDays: number | null } | null;
  readonly crypto: CryptoConfig;
  readonly rotation: {
    readonly enabled: boolean;
    readonly periodInDays: number | null;
    readonly nextRotationDate: number | null;
    /** Material versions, oldest first (ListKeyRotations lists only the rotated ones). */
    readonly versions: readonly {
      readonly keyMaterialId: string;
      readonly createdAt: number;
      readonly rotationType: RotationType | null;
      /** 0 for the original material, n for the n-th rotation. */
      readonly version: number;
      /** The material new encryptions use. */
      readonly isCurrent: boolean;
    }[];
  };
  /** The `default` key policy document, verbatim. */
  readonly policy: string | null;
}

/**
 * The sandbox as the key panels show it. The trail is not here: the trail panel keeps its own
 * incremental index (src/ui/trail), so a commit never copies or sorts a 100,000-record trail.
 */
export interface SandboxView {
  /** Keys, oldest first. */
  readonly keys: readonly KeyRow[];
}

/** Builds the key list from committed records. */
export function buildSandboxView(repo: Repository): SandboxView {
  // Aliases name a key by bare id within an account and Region; ARNs keep keys of other accounts apart.
  const aliasesByKey = new Map<string, string[]>();
  for (const a of repo.list('alias')) {
    const owner = `${a.accountId}/${a.region}/${a.targetKeyId}`;
    const list = aliasesByKey.get(owner) ?? [];
    list.push(a.aliasName);
    aliasesByKey.set(owner, list);
  }
  const tagsByArn = new Map<string, TagView[]>();
  for (const t of repo.list('tag')) {
    const list = tagsByArn.get(t.keyArn) ?? [];
    list.push({ TagKey: t.tagKey, TagValue: t.tagValue });
    tagsByArn.set(t.keyArn, list);
  }
  const keys = repo
    .list('key')
    .map((k) => keyRow(k, aliasesByKey.get(`${k.accountId}/${k.region}/${k.keyId}`) ?? [], tagsByArn.get(k.id) ?? []))
    .sort((a, b) => a.creationDate - b.creationDate || a.keyId.localeCompare(b.keyId));
  return { keys };
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyRow(k: KeyRecord, aliases: readonly string[], tags: readonly TagView[]): KeyRow {
  return {
    arn: k.id,
    keyId: k.keyId,
    aliases: [...aliases].sort(byName),
    keyState: k.keyState,
    description: k.description,
    creationDate: k.creationDate,
    accountId: k.accountId,
    region: k.region,
    keySpec: k.keySpec,
    tags: [...tags].sort((a, b) => byName(a.TagKey, b.TagKey)),
  };
}

function grantView(g: GrantRecord): GrantView {
  const c = g.constraints;
  return {
    GrantId: g.id,
    Name: g.name ?? '',
    CreationDate: g.creationDate,
    GranteePrincipal: g.granteePrincipal,
    RetiringPrincipal: g.retiringPrincipal,
    IssuingAccount: g.issuingAccount,
    Operations: [...g.operations],
    Constraints: c
      ? {
          ...(c.encryptionContextEquals ? { EncryptionContextEquals: { ...c.encryptionContextEquals } } : {}),
          ...(c.encryptionContextSubset ? { EncryptionContextSubset: { ...c.encryptionContextSubset } } : {}),
        }
      : null,
  };
}

/** Details of one key, or null when it no longer exists (e.g. its deletion completed). */
export function buildKeyDetail(repo: Repository, arn: KeyArn): KeyDetail | null {
  const k = repo.get('key', arn);
  if (!k) return null;
  const aliases: AliasView[] = repo
    .list('alias')
    .filter((a) => a.targetKeyId === k.keyId && a.accountId === k.accountId && a.region === k.region)
    .map((a) => ({ AliasName: a.aliasName, AliasArn: a.id, CreationDate: a.creationDate, LastUpdatedDate: a.lastUpdatedDate }))
    .sort((a, b) => byName(a.AliasName, b.AliasName));
  const tags = repo
    .list('tag')
    .filter((t) => t.keyArn === arn)
    .map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue }));
  const grants = repo
    .list('grant')
    .filter((g) => g.keyArn === arn)
    .sort((a, b) => a.creationDate - b.creationDate || byName(a.id, b.id))
    .map(grantView);
  const versions = repo
    .list('material')
    .filter((m) => m.keyArn === arn)
    .sort((a, b) => a.version - b.version || a.createdAt - b.createdAt)
    .map((m) => ({
      keyMaterialId: m.keyMaterialId,
      createdAt: m.createdAt,
      rotationType: m.rotationType,
      version: m.version,
      isCurrent: m.keyMaterialId === k.currentKeyMaterialId,
    }));
  const policy = repo.list('policy').find((p) => p.keyArn === arn && p.policyName === 'default');
  const metadata = keyMetadata(k, multiRegionPeers(repo, k));
  const row = keyRow(k, aliases.map((a) => a.AliasName), tags);
  return {
    row,
    metadata: Object.entries(metadata),
    tags: row.tags,
    aliases,
    grants,
    deletion: k.deletionDate === null ? null : { deletionDate: k.deletionDate, pendingWindowInDays: k.pendingDeletionWindowInDays },
    crypto: {
      KeySpec: k.keySpec,
      KeyUsage: k.keyUsage,
      EncryptionAlgorithms: (metadata.EncryptionAlgorithms as string[] | undefined) ?? [],
      Origin: k.origin,
      KeyManager: k.keyManager,
      MultiRegion: metadata.MultiRegion === true,
      CurrentKeyMaterialId: k.currentKeyMaterialId,
    },
    rotation: {
      enabled: k.rotationEnabled,
      periodInDays: k.rotationPeriodInDays,
      nextRotationDate: k.nextRotationDate,
      versions,
    },
    policy: policy?.document ?? null,
  };
}

/** Case-insensitive match of a key row against a filter text (alias, id, state, description, spec, tags). */
export function matchesFilter(row: KeyRow, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  const tagTexts = row.tags.flatMap((t) => [t.TagKey, t.TagValue, `${t.TagKey}=${t.TagValue}`]);
  return [row.keyId, row.arn, row.keyState, row.description, row.keySpec, ...row.aliases, ...tagTexts].some((s) =>
    s.toLowerCase().includes(f),
  );
}
