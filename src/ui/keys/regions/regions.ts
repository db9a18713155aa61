/**
 * The Regionality tab's read model (issue 7, kms-semantics.md §9): one card per Region holding a
 * key of a multi-Region key set (same `mrk-` key id, same account), the primary first, with the
 * properties that are NOT shared between Regions (state, enabled, description, key policy,
 * aliases) — the lesson is that each Region's key has its own policy. Built from committed records
 * (no DescribeKey calls); requests for ReplicateKey and UpdatePrimaryRegion.
 */
import type { KeyRecord, KeyState, MultiRegionKeyType, Repository } from '../../../kms';

/** One Region's key of the set. */
export interface RegionCard {
  readonly region: string;
  readonly arn: string;
  readonly role: MultiRegionKeyType;
  readonly keyState: KeyState;
  /** KeyMetadata.Enabled: true only while Enabled. */
  readonly enabled: boolean;
  readonly description: string;
  readonly aliasCount: number;
  /** The key policy in one line (statement ids or effects), or null when none is stored. */
  readonly policySummary: string | null;
  /** True when this key's policy text differs from the primary's. */
  readonly policyDiffers: boolean;
  /** When a transient state (Creating, Updating) ends (ms), else null. */
  readonly transientUntil: number | null;
  /** The state the key returns to after the transient state, else null. */
  readonly stateAfter: KeyState | null;
}

/** A key policy in one line: its statements by Sid (or effect), e.g. "3 statements: Enable IAM User Permissions, Allow use…". */
export function policySummary(document: string): string {
  let statements: unknown;
  try {
    const parsed = JSON.parse(document) as { Statement?: unknown };
    statements = parsed.Statement;
  } catch {
    return 'not valid JSON';
  }
  const list = Array.isArray(statements) ? statements : statements && typeof statements === 'object' ? [statements] : [];
  const names = list.map((s: unknown, i) => {
    const st = (s ?? {}) as { Sid?: unknown; Effect?: unknown };
    return typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : `#${i + 1} ${typeof st.Effect === 'string' ? st.Effect : '?'}`;
  });
  return `${list.length} statement${list.length === 1 ? '' : 's'}${names.length > 0 ? `: ${names.join(', ')}` : ''}`;
}

function policyOf(repo: Repository, arn: string): string | null {
  return repo.list('policy').find((p) => p.keyArn === arn && p.policyName === 'default')?.document ?? null;
}

/** The keys of `key`'s multi-Region set (itself included), primary first, then by Region. */
export function relatedKeys(repo: Repository, key: { readonly keyId: string; readonly accountId: string }): KeyRecord[] {
  const rank = (k: KeyRecord) => (k.multiRegionKeyType === 'PRIMARY' ? 0 : 1);
  return repo
    .list('key')
    .filter((k) => k.keyId === key.keyId && k.accountId === key.accountId && k.multiRegionKeyType !== null)
    .sort((a, b) => rank(a) - rank(b) || (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
}

/** One card per Region of the set, primary first. */
export function regionCards(repo: Repository, key: { readonly keyId: string; readonly accountId: string }): RegionCard[] {
  const keys = relatedKeys(repo, key);
  const primaryPolicy = keys[0] ? policyOf(repo, keys[0].id) : null;
  const aliases = repo.list('alias');
  return keys.map((k) => {
    const policy = policyOf(repo, k.id);
    return {
      region: k.region,
      arn: k.id,
      role: k.multiRegionKeyType as MultiRegionKeyType,
      keyState: k.keyState,
      enabled: k.keyState === 'Enabled',
      description: k.description,
      aliasCount: aliases.filter((a) => a.targetKeyId === k.keyId && a.accountId === k.accountId && a.region === k.region).length,
      policySummary: policy === null ? null : policySummary(policy),
      policyDiffers: policy !== primaryPolicy,
      transientUntil: k.keyState === 'Creating' || k.keyState === 'Updating' ? k.stateChangeAt : null,
      stateAfter: k.keyState === 'Creating' || k.keyState === 'Updating' ? k.stateAfter : null,
    };
  });
}

/** Regions (of `offered`) that hold no key of the set yet: where ReplicateKey can go. */
export function replicaRegionChoices(cards: readonly RegionCard[], offered: readonly string[]): string[] {
  const taken = new Set(cards.map((c) => c.region));
  return offered.filter((r) => !taken.has(r));
}

/** A ReplicateKey request (§9): omitted Policy means the DEFAULT key policy, not a copy of the primary's. */
export function replicateRequest(input: { primaryArn: string; replicaRegion: string; description: string; policy: string }): Record<string, unknown> {
  const req: Record<string, unknown> = { KeyId: input.primaryArn, ReplicaRegion: input.replicaRegion };
  if (input.description.trim() !== '') req.Description = input.description;
  if (input.policy.trim() !== '') req.Policy = input.policy;
  return req;
}

/** What a transient state means, as a sentence for the card. */
export function transientText(card: RegionCard, now: number): string | null {
  if (card.transientUntil === null) return null;
  const after = card.stateAfter ?? 'its previous state';
  const what = card.keyState === 'Creating' ? 'KMS is creating the replica (crypto calls fail with KMSInvalidStateException)' : 'KMS is moving the primary role (crypto still works; enable, disable, replicate and deletion are refused)';
  if (card.transientUntil <= now) return `${what}. Done: it becomes ${after} with the next call or clock step.`;
  const seconds = Math.ceil((card.transientUntil - now) / 1000);
  return `${what}; it becomes ${after} in ${seconds} sandbox second${seconds === 1 ? '' : 's'}.`;
}
