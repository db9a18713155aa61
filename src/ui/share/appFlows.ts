/**
 * Small helpers of the App's share flows (issue 6) that touch the page: the fragment, the
 * remembered caller of a database, labels of remembered sandboxes.
 */
import { callerStorageKey } from '../identity/caller';
import type { KnownSandbox, SandboxStorage } from './sandboxes';

/** The page's localStorage, or null when refused. */
export function pageStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Removes a handled `#sandbox=…` from the address bar (no navigation, no hashchange). */
export function clearFragment(): void {
  try {
    if (location.hash) history.replaceState(history.state, '', withoutFragment(location.href));
  } catch {
    // Not fatal: the link just stays in the address bar.
  }
}

/** The new database keeps "Acting as" of the one it replaces (undo, restore). */
export function carryCaller(storage: SandboxStorage, from: string, to: string): void {
  try {
    const v = storage?.getItem(callerStorageKey(from));
    if (v) storage?.setItem(callerStorageKey(to), v);
  } catch {
    // The caller resets to the default: harmless.
  }
}

/** The label of a sandbox the user started (the first one, or a "New sandbox…"). */
export function ownSandboxEntry(dbName: string, defaultDbName: string, now: number): KnownSandbox {
  const label = dbName === defaultDbName ? 'My sandbox' : `My sandbox (${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
  return { dbName, label, openedAt: now };
}

/** The label of a sandbox opened from a link or file. */
export function sharedSandboxEntry(dbName: string, calls: number, source: 'link' | 'file', now: number): KnownSandbox {
  return { dbName, label: `Shared sandbox (${calls} ${calls === 1 ? 'call' : 'calls'}, from a ${source})`, openedAt: now, shared: true };
}

/** Where "Back to my sandbox" goes: the newest sandbox the user started, other than `current`. */
export function ownSandboxBesides(list: readonly KnownSandbox[], current: string): KnownSandbox | null {
  return [...list].reverse().find((s) => !s.shared && s.dbName !== current) ?? null;
}

/**
 * The URL without its fragment (to clear a handled `#sandbox=` with history.replaceState). Here, not
 * in openLink.ts, so the app's first load does not pull the share codec (openLink is imported lazily).
 */
export function withoutFragment(href: string): string {
  const i = href.indexOf('#');
  return i < 0 ? href : href.slice(0, i);
}
