/**
 * Who the playground acts as ("Acting as", issue 5): the caller a principal and a Region make,
 * and how the choice is remembered in localStorage per sandbox database, so a reload keeps it.
 * A remembered choice is only trusted when the principal still exists in the sandbox's world
 * and the Region is one the sandbox offers; anything else falls back to the given default.
 */
import { isRegion, SANDBOX_REGIONS, type AccountId, type CallerContext, type Region } from '../../kms';

/** A principal as the world lists it (`KmsService.world.listPrincipals()`). */
export interface PrincipalEntry {
  readonly arn: string;
  readonly accountId: string;
  readonly kind: string;
  readonly name: string;
  readonly accessKeyId: string;
}

/** What is stored: the choice, not the whole caller (the access key id is re-read from the world). */
interface StoredCaller {
  readonly principalArn: string;
  readonly region: string;
}

/** The localStorage key remembering the caller of one sandbox database. */
export function callerStorageKey(dbName: string): string {
  return `kms-playground.caller.${dbName}`;
}

/** The text stored for a caller. */
export function serializeCaller(caller: CallerContext): string {
  const stored: StoredCaller = { principalArn: caller.principalArn, region: caller.region };
  return JSON.stringify(stored);
}

/** True when `region` is one of the sandbox's Regions. */
export function isSandboxRegion(region: string): region is Region {
  return isRegion(region) && (SANDBOX_REGIONS as readonly string[]).includes(region);
}

/** The caller acting as `principal` in `region`, signing with its access key id. */
export function callerFor(principal: PrincipalEntry, region: Region): CallerContext {
  return {
    principalArn: principal.arn,
    accountId: principal.accountId as AccountId,
    region,
    accessKeyId: principal.accessKeyId,
  };
}

/**
 * The caller a stored text names, when it is well-formed, its principal exists in `principals`
 * and its Region is offered; otherwise null.
 */
export function parseStoredCaller(text: string | null, principals: readonly PrincipalEntry[]): CallerContext | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { principalArn, region } = value as Partial<Record<keyof StoredCaller, unknown>>;
  if (typeof principalArn !== 'string' || typeof region !== 'string' || !isSandboxRegion(region)) return null;
  const principal = principals.find((p) => p.arn === principalArn);
  return principal ? callerFor(principal, region) : null;
}

/** `fallback` completed with its principal's access key id when the world knows it. */
export function withAccessKey(fallback: CallerContext, principals: readonly PrincipalEntry[]): CallerContext {
  const principal = principals.find((p) => p.arn === fallback.principalArn);
  return principal ? callerFor(principal, fallback.region) : fallback;
}

/** The principals of one account, the root first, then roles and users by name. */
export function principalsOf(accountId: string, principals: readonly PrincipalEntry[]): PrincipalEntry[] {
  const rank = (p: PrincipalEntry) => (p.kind === 'root' ? 0 : 1);
  return principals
    .filter((p) => p.accountId === accountId)
    .sort((a, b) => rank(a) - rank(b) || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/** The principal a switch to `accountId` lands on: its root, else its first principal. */
export function defaultPrincipalOf(accountId: string, principals: readonly PrincipalEntry[]): PrincipalEntry | null {
  return principalsOf(accountId, principals)[0] ?? null;
}

/** `user/alice`, `role/AppRole` or `root`: a principal's short name. */
export function principalLabel(p: PrincipalEntry): string {
  return p.kind === 'root' ? 'root' : `${p.kind}/${p.name}`;
}
