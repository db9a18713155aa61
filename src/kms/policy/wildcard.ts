/**
 * Wildcard matching for policy elements and condition values (kms-semantics.md §6.2–6.3; IAM
 * JSON policy reference: Action, Resource, `StringLike`, `ArnLike`).
 *
 * - `*` matches any run of characters (also none), `?` exactly one character. Nothing else is
 *   special: policy variables (`${aws:username}`) and their `${*}` escapes are not simulated.
 * - Matching is case-sensitive; callers that need case-insensitive matching (Action names)
 *   lower-case both sides once.
 * - ARNs (`ArnLike`/`ArnEquals`, identity-policy `Resource`) are matched segment by segment: the
 *   six colon-separated parts `arn:partition:service:region:account:resource` (the resource part
 *   keeps any further colons), so a `*` in the region cannot swallow the account. A value with
 *   fewer than six parts is not an ARN and matches nothing (as AWS evaluates an invalid ARN).
 *
 * Speed: a pattern is compiled once per distinct string and cached (exact strings compare with
 * `===`, `prefix*` with `startsWith`, the rest with one RegExp), so evaluation never builds a
 * RegExp. Pure, no I/O.
 */

/** A compiled pattern. */
export type Matcher = (value: string) => boolean;

/** Bound on each cache: past it the cache is dropped and refilled (policies are few; this only guards against growth). */
const CACHE_LIMIT = 10_000;
const patternCache = new Map<string, Matcher>();
const arnCache = new Map<string, Matcher>();

const MATCH_ALL: Matcher = () => true;
const MATCH_NONE: Matcher = () => false;

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function compilePattern(pattern: string): Matcher {
  if (pattern === '*') return MATCH_ALL;
  if (!hasWildcard(pattern)) return (v) => v === pattern;
  const star = pattern.indexOf('*');
  if (star === pattern.length - 1 && !pattern.includes('?')) {
    const prefix = pattern.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[\\^$.|+()[\]{}/]/g, '\\$&');
  }
  const re = new RegExp(`${source}$`, 'u');
  return (v) => re.test(v);
}

/** The matcher of a `*`/`?` pattern (case-sensitive, whole string), compiled once per pattern. */
export function wildcardMatcher(pattern: string): Matcher {
  let m = patternCache.get(pattern);
  if (!m) {
    if (patternCache.size >= CACHE_LIMIT) patternCache.clear();
    m = compilePattern(pattern);
    patternCache.set(pattern, m);
  }
  return m;
}

/** True when `value` matches the `*`/`?` pattern (case-sensitive, whole string). */
export function matchesWildcard(pattern: string, value: string): boolean {
  return wildcardMatcher(pattern)(value);
}

/**
 * The six parts of an ARN (`arn`, partition, service, region, account, resource), or null when
 * `s` has fewer than five colons. The resource part keeps any further colons.
 */
export function splitArn(s: string): string[] | null {
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < 5; i++) {
    const colon = s.indexOf(':', at);
    if (colon < 0) return null;
    parts.push(s.slice(at, colon));
    at = colon + 1;
  }
  parts.push(s.slice(at));
  return parts;
}

/** The last ARN split by a matcher: one request's resource is matched against many patterns. */
let lastSplit: { value: string; parts: string[] | null } = { value: '', parts: null };

function splitArnCached(value: string): string[] | null {
  if (lastSplit.value !== value) lastSplit = { value, parts: splitArn(value) };
  return lastSplit.parts;
}

function compileArn(pattern: string): Matcher {
  const parts = splitArn(pattern);
  if (!parts) return MATCH_NONE;
  const segments = parts.map(wildcardMatcher);
  return (value) => {
    const v = splitArnCached(value);
    if (!v) return false;
    for (let i = 0; i < 6; i++) if (!segments[i]!(v[i]!)) return false;
    return true;
  };
}

/** The matcher of an ARN pattern, segment by segment (see the module comment), compiled once per pattern. */
export function arnMatcher(pattern: string): Matcher {
  let m = arnCache.get(pattern);
  if (!m) {
    if (arnCache.size >= CACHE_LIMIT) arnCache.clear();
    m = compileArn(pattern);
    arnCache.set(pattern, m);
  }
  return m;
}

/** True when `value` is an ARN matching the ARN pattern segment by segment. */
export function matchesArn(pattern: string, value: string): boolean {
  return arnMatcher(pattern)(value);
}
