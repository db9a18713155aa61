/**
 * Read model of the sandbox for the UI, built from the repository's committed records.
 *
 * Why not DescribeKey/ListKeys calls: every service call writes a CloudTrail record (as in AWS),
 * so a UI that refreshed itself through calls would flood the trail and, refreshing on every
 * commit, never stop. The UI therefore *reads* committed state here and *acts* only through
 * `KmsService.call`. Values facing the learner keep AWS spelling (KeyState, KeyMetadata members).
 */
import type { KeyArn, KeyRecord, KeyState, Repository, RotationType, TrailEventRecord } from '../kms';
import { keyMetadata } from '../kms';

/** One row of the key list. */
export interface KeyRow {
  readonly arn: KeyArn;
  readonly keyId: string;
  /** Alias names pointing at the key, sorted. */
  readonly aliases: readonly string[];
  readonly keyState: KeyState;
  readonly description: string;
  readonly creationDate: number;
}


/** Everything the key detail panel shows. */
export interface KeyDetail {
  readonly row: KeyRow;
  /** KeyMetadata members as DescribeKey returns them (same mapping as the operation), in order. */
  readonly metadata: readonly (readonly [string, unknown])[];
  /** Tags as ListResourceTags names them. */
  readonly tags: readonly { readonly TagKey: string; readonly TagValue: string }[];
  readonly rotation: {
    readonly enabled: boolean;
    readonly periodInDays: number | null;
    readonly nextRotationDate: number | null;
    /** Material versions, oldest first (ListKeyRotations lists only the rotated ones). */
    readonly versions: readonly {
      readonly keyMaterialId: string;
      readonly createdAt: number;
      readonly rotationType: RotationType | null;
    }[];
  };
  /** The `default` key policy document, verbatim. */
  readonly policy: string | null;
}

/** The sandbox as the UI shows it. */
export interface SandboxView {
  /** Keys, oldest first. */
  readonly keys: readonly KeyRow[];
  /** Trail records, newest first. */
  readonly trail: readonly TrailEventRecord[];
}

/** Builds the key list and the trail from committed records. */
export function buildSandboxView(repo: Repository): SandboxView {
  const aliasesByKeyId = new Map<string, string[]>();
  for (const a of repo.list('alias')) {
    const list = aliasesByKeyId.get(a.targetKeyId) ?? [];
    list.push(a.aliasName);
    aliasesByKeyId.set(a.targetKeyId, list);
  }
  const keys = repo
    .list('key')
    .map((k) => keyRow(k, aliasesByKeyId.get(k.keyId) ?? []))
    .sort((a, b) => a.creationDate - b.creationDate || a.keyId.localeCompare(b.keyId));
  const trail = [...repo.list('trailEvent')].sort((a, b) => b.seq - a.seq);
  return { keys, trail };
}

function keyRow(k: KeyRecord, aliases: readonly string[]): KeyRow {
  return {
    arn: k.id,
    keyId: k.keyId,
    aliases: [...aliases].sort(),
    keyState: k.keyState,
    description: k.description,
    creationDate: k.creationDate,
  };
}

/** Details of one key, or null when it no longer exists (e.g. its deletion completed). */
export function buildKeyDetail(repo: Repository, arn: KeyArn): KeyDetail | null {
  const k = repo.get('key', arn);
  if (!k) return null;
  const aliases = repo.list('alias').filter((a) => a.targetKeyId === k.keyId).map((a) => a.aliasName);
  const tags = repo
    .list('tag')
    .filter((t) => t.keyArn === arn)
    .map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue }))
    .sort((a, b) => a.TagKey.localeCompare(b.TagKey));
  const versions = repo
    .list('material')
    .filter((m) => m.keyArn === arn)
    .map((m) => ({ keyMaterialId: m.keyMaterialId, createdAt: m.createdAt, rotationType: m.rotationType }))
    .sort((a, b) => a.createdAt - b.createdAt);
  const policy = repo.list('policy').find((p) => p.keyArn === arn && p.policyName === 'default');
  return {
    row: keyRow(k, aliases),
    metadata: Object.entries(keyMetadata(k)),
    tags,
    rotation: {
      enabled: k.rotationEnabled,
      periodInDays: k.rotationPeriodInDays,
      nextRotationDate: k.nextRotationDate,
      versions,
    },
    policy: policy?.document ?? null,
  };
}

/** Case-insensitive match of a key row against a filter text (alias, id, state, description). */
export function matchesFilter(row: KeyRow, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  return [row.keyId, row.arn, row.keyState, row.description, ...row.aliases].some((s) => s.toLowerCase().includes(f));
}
