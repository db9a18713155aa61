/**
 * The sandbox clock in words (issue 5): which scheduled event comes next (an automatic rotation
 * or a completed deletion, as `KmsService.nextScheduledEventTime` finds them), and what an advance
 * did, one log line per service event (RotateKey, DeleteKey). Keys are named by their first alias
 * when they have one, as a learner knows them, else by their key id.
 */
import type { AdvanceResult, AliasRecord, KeyRecord } from '../../kms';
import { formatDateTime } from '../format';

export const HOUR_MS = 3_600_000;

/** The next scheduled event of the sandbox. */
export interface NextEvent {
  readonly kind: 'rotation' | 'deletion';
  readonly time: number;
  readonly keyArn: string;
  /** `alias/orders` or the bare key id. */
  readonly keyName: string;
}

/** Each key's display name: its first alias (same account and Region) by name, else its key id. */
export function keyNames(keys: readonly KeyRecord[], aliases: readonly AliasRecord[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const k of keys) {
    const own = aliases
      .filter((a) => a.targetKeyId === k.keyId && a.accountId === k.accountId && a.region === k.region)
      .map((a) => a.aliasName)
      .sort();
    names.set(k.id, own[0] ?? k.keyId);
  }
  return names;
}

/**
 * The earliest rotation or deletion at or after `now` (the rule of `nextScheduledEventTime`:
 * a deletion of a PendingDeletion key, an automatic rotation of an Enabled key with rotation on).
 * On a tie, deletions come first.
 */
export function nextScheduledEvent(keys: readonly KeyRecord[], aliases: readonly AliasRecord[], now: number): NextEvent | null {
  const names = keyNames(keys, aliases);
  let best: NextEvent | null = null;
  const consider = (kind: NextEvent['kind'], time: number | null, key: KeyRecord) => {
    if (time === null || time < now) return;
    if (best === null || time < best.time || (time === best.time && kind === 'deletion' && best.kind === 'rotation')) {
      best = { kind, time, keyArn: key.id, keyName: names.get(key.id) ?? key.keyId };
    }
  };
  for (const key of keys) {
    if (key.keyState === 'PendingDeletion') consider('deletion', key.deletionDate, key);
    if (key.keyState === 'Enabled' && key.rotationEnabled) consider('rotation', key.nextRotationDate, key);
  }
  return best;
}

/** `rotation of alias/orders on 2027-11-28 18:40 UTC`. */
export function describeNextEvent(event: NextEvent): string {
  return `${event.kind} of ${event.keyName} on ${formatDateTime(event.time)}`;
}

/** `3 hours`, `1 day`. */
export function formatSpan(amount: number, unit: 'hour' | 'day'): string {
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/** One log entry per advance: what was asked, and what happened. */
export interface AdvanceLogEntry {
  /** `Advanced 30 days to 2026-12-28 18:40 UTC` */
  readonly summary: string;
  /** `alias/orders rotated (RotateKey) at …`, `… deleted (DeleteKey) at …`; empty when nothing was due. */
  readonly happened: readonly string[];
}

/**
 * Describes an advance. `names` are the key names from before it (a deleted key's alias is gone
 * afterwards). Events the sandbox makes by itself are the only ones expected here; others are
 * listed by operation name.
 */
export function describeAdvance(what: string, result: AdvanceResult, names: ReadonlyMap<string, string>): AdvanceLogEntry {
  const happened = result.events.map((e) => {
    if (e.kind !== 'service') return `${e.operation} at ${formatDateTime(e.time)}`;
    const name = names.get(e.keyArn) ?? e.keyArn;
    const verb = e.eventName === 'RotateKey' ? 'rotated (new key material)' : 'deleted (its material is gone)';
    return `${name} ${verb} at ${formatDateTime(e.time)}`;
  });
  return { summary: `Advanced ${what} to ${formatDateTime(result.now)}`, happened };
}

/** The announcement of an entry: summary and outcome in one sentence. */
export function announceAdvance(entry: AdvanceLogEntry): string {
  return entry.happened.length === 0
    ? `${entry.summary}: nothing was due.`
    : `${entry.summary}: ${entry.happened.join('; ')}.`;
}

/** A positive whole number typed in an input, or an error message. */
export function parseAmount(text: string, unit: 'hour' | 'day', max: number): { ok: true; value: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, reason: `Enter a whole number of ${unit}s.` };
  const value = Number(t);
  if (value < 1) return { ok: false, reason: `Advance by at least 1 ${unit}.` };
  if (value > max) return { ok: false, reason: `Advance by at most ${max} ${unit}s at a time.` };
  return { ok: true, value };
}
