/**
 * "Your sandboxes": the sandbox databases this browser knows (its own, and shared ones opened as
 * new databases), remembered in localStorage so the user can switch back. Pure over a Storage.
 */

/** One remembered sandbox database. */
export interface KnownSandbox {
  readonly dbName: string;
  /** What the user sees ("My sandbox", "Shared sandbox (12 calls)"). */
  readonly label: string;
  /** When it was first opened (ms, wall clock). */
  readonly openedAt: number;
  /** Opened from a share link or file (not one the user started). */
  readonly shared?: boolean;
}

export type SandboxStorage = Pick<Storage, 'getItem' | 'setItem'> | null;

export const KNOWN_SANDBOXES_KEY = 'kms-playground.sandboxes';
const MAX_KNOWN = 50;

function isKnown(v: unknown): v is KnownSandbox {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.dbName === 'string' && o.dbName.length > 0 && o.dbName.length <= 200 && typeof o.label === 'string' && o.label.length <= 200 && typeof o.openedAt === 'number' && (o.shared === undefined || typeof o.shared === 'boolean');
}

/** The remembered sandboxes (oldest first); malformed storage reads as none. */
export function listSandboxes(storage: SandboxStorage): KnownSandbox[] {
  try {
    const raw = storage?.getItem(KNOWN_SANDBOXES_KEY);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    const seen = new Set<string>();
    return parsed.filter((v): v is KnownSandbox => isKnown(v) && !seen.has(v.dbName) && (seen.add(v.dbName), true));
  } catch {
    return [];
  }
}

function save(storage: SandboxStorage, list: readonly KnownSandbox[]): void {
  try {
    storage?.setItem(KNOWN_SANDBOXES_KEY, JSON.stringify(list.slice(-MAX_KNOWN)));
  } catch {
    // Storage full or refused: the switcher just shows fewer sandboxes.
  }
}

/** Remembers `entry` (an existing entry of the same database keeps its label and date). */
export function rememberSandbox(storage: SandboxStorage, entry: KnownSandbox): KnownSandbox[] {
  const list = listSandboxes(storage);
  if (list.some((s) => s.dbName === entry.dbName)) return list;
  const next = [...list, entry];
  save(storage, next);
  return next;
}

/** Forgets a database (deleted by the user, or replaced by an undo). */
export function forgetSandbox(storage: SandboxStorage, dbName: string): KnownSandbox[] {
  const next = listSandboxes(storage).filter((s) => s.dbName !== dbName);
  save(storage, next);
  return next;
}

/** Replaces `oldName` by `newName` in place, keeping its label and date (undo, restore). */
export function renameSandbox(storage: SandboxStorage, oldName: string, newName: string): KnownSandbox[] {
  const list = listSandboxes(storage);
  const next = list.some((s) => s.dbName === oldName)
    ? list.map((s) => (s.dbName === oldName ? { ...s, dbName: newName } : s)).filter((s, i, a) => a.findIndex((t) => t.dbName === s.dbName) === i)
    : list;
  save(storage, next);
  return next;
}
