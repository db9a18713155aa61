/**
 * The data-key caching limits form (kms-semantics.md §12.1): the four fields as text → the
 * `CacheLimits` object the caching CMM takes (src/services/cachingCmm.ts `validateLimits` has the
 * last word). Max age is in milliseconds, as the AWS Encryption SDK for JavaScript takes it (the
 * other languages take seconds). Empty optional fields are left out: the SDK's defaults apply
 * (2^32 messages, 2^63 − 1 bytes; capacity: the form's default).
 */
import { parseNumber, parseOptionalNumber } from './numbers';

/** The limits form as typed. */
export interface CacheFormFields {
  maxAgeMs: string;
  maxMessages: string;
  maxBytes: string;
  capacity: string;
}

/** The limits the form asks for (CacheLimits' shape). */
export interface CacheLimitsInput {
  readonly maxAgeMs: number;
  readonly maxMessagesEncrypted?: number;
  readonly maxBytesEncrypted?: number;
  readonly capacity?: number;
}

/** A safe starting point: one minute, 100 messages, 1 MiB, 10 entries. */
export const DEFAULT_CACHE_FORM: CacheFormFields = { maxAgeMs: '60000', maxMessages: '100', maxBytes: '1048576', capacity: '10' };

/** The largest message count the SDK accepts (2^32). */
export const MAX_MESSAGES = 2 ** 32;

/** Parses the form; errors are keyed by field. */
export function parseCacheForm(f: CacheFormFields): { ok: true; value: CacheLimitsInput } | { ok: false; errors: Partial<Record<keyof CacheFormFields, string>> } {
  const errors: Partial<Record<keyof CacheFormFields, string>> = {};
  const maxAge = parseNumber(f.maxAgeMs, 'Max age (ms)', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const messages = parseOptionalNumber(f.maxMessages, 'Max messages encrypted', { min: 1, max: MAX_MESSAGES });
  const bytes = parseOptionalNumber(f.maxBytes, 'Max bytes encrypted', { min: 0, max: 2 ** 63 - 1 });
  const capacity = parseOptionalNumber(f.capacity, 'Capacity', { min: 1, max: 1_000_000 });
  if (!maxAge.ok) errors.maxAgeMs = maxAge.reason;
  if (!messages.ok) errors.maxMessages = messages.reason;
  if (!bytes.ok) errors.maxBytes = bytes.reason;
  if (!capacity.ok) errors.capacity = capacity.reason;
  if (!maxAge.ok || !messages.ok || !bytes.ok || !capacity.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      maxAgeMs: maxAge.value,
      ...(messages.value === undefined ? {} : { maxMessagesEncrypted: messages.value }),
      ...(bytes.value === undefined ? {} : { maxBytesEncrypted: bytes.value }),
      ...(capacity.value === undefined ? {} : { capacity: capacity.value }),
    },
  };
}

/** One line describing limits ("max age 60,000 ms, 100 messages, 1 MiB, 10 entries"). */
export function describeLimits(l: CacheLimitsInput): string {
  const parts = [`max age ${l.maxAgeMs.toLocaleString('en-US')} ms`];
  parts.push(l.maxMessagesEncrypted === undefined ? 'messages unlimited (2^32)' : `${l.maxMessagesEncrypted.toLocaleString('en-US')} messages`);
  parts.push(l.maxBytesEncrypted === undefined ? 'bytes unlimited (2^63 − 1)' : `${l.maxBytesEncrypted.toLocaleString('en-US')} bytes`);
  if (l.capacity !== undefined) parts.push(`capacity ${l.capacity.toLocaleString('en-US')}`);
  return parts.join(', ');
}
