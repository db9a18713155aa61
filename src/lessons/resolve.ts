/**
 * Resolves lesson placeholders into run-time values: parameters (`$name`, `${name}`), references
 * to earlier responses (`$ref:step.Path`), byte literals (`{"$utf8"}` with an optional
 * `"$repeat": n`, `{"$zeros"}`, `{"$base64"}`), JSON text
 * (`{"$json": {...}}` → a string, for policy documents) and
 * principal shorthands (`role/AppRole` → its ARN in the learner account). Also draws the
 * per-attempt parameters from a seeded generator (mulberry32: tiny, deterministic, not secret).
 */
import { decodeBase64, LEARNER_ACCOUNT, type AccountId, type CallerContext, type Region } from '../kms';
import type { JsonLike, ParamSpec } from './types';

/** The Region lesson calls go to. */
export const LESSON_REGION = 'us-east-1' as Region;

/** A small seeded PRNG in [0, 1). */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws each parameter (in declaration order) from its candidates, honouring distinctFrom. */
export function drawParams(specs: { readonly [k: string]: ParamSpec }, seed: number, fixed: Readonly<Record<string, string>> = {}): Record<string, string> {
  const rng = seededRng(seed ^ 0x5eed);
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const taken = new Set((spec.distinctFrom ?? []).map((d) => out[d]));
    const candidates = spec.oneOf.filter((v) => !taken.has(v));
    const pick = candidates[Math.floor(rng() * candidates.length)] ?? spec.oneOf[0];
    out[name] = fixed[name] ?? pick ?? '';
  }
  return out;
}

/** Full principal ARN of a shorthand (`root`, `user/x`, `role/x`) or an ARN as given. */
export function principalArnOf(p: string): string {
  if (p.startsWith('arn:')) return p;
  if (p === 'root') return `arn:aws:iam::${LEARNER_ACCOUNT}:root`;
  return `arn:aws:iam::${LEARNER_ACCOUNT}:${p}`;
}

/** The caller context of a principal shorthand or ARN, calling the endpoint of `region` (default us-east-1). */
export function callerOf(p: string | undefined, region?: string): CallerContext {
  const arn = principalArnOf(p ?? 'root');
  const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? LEARNER_ACCOUNT;
  return { principalArn: arn, accountId: account as AccountId, region: (region ?? LESSON_REGION) as Region };
}

/** Reads `A.B.C` from a value. */
export function readPath(v: unknown, path: string): unknown {
  let cur: unknown = v;
  for (const part of path.split('.').filter(Boolean)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export interface ResolveScope {
  readonly params: Readonly<Record<string, string>>;
  /** Responses of earlier steps by step id. */
  readonly refs: ReadonlyMap<string, unknown>;
}

/** Thrown for a reference that cannot be resolved (a bug in the lesson or a failed earlier step). */
export class LessonStepError extends Error {
  override readonly name = 'LessonStepError';
}

/** Replaces placeholders in `v` (recursively); returns fresh values (Uint8Array for byte literals). */
export function resolveValue(v: JsonLike | undefined, scope: ResolveScope): unknown {
  if (typeof v === 'string') {
    const ref = /^\$ref:([A-Za-z]\w*)(?:\.(.+))?$/.exec(v);
    if (ref) {
      const step = ref[1]!;
      if (!scope.refs.has(step)) throw new LessonStepError(`no response for step "${step}"`);
      const out = readPath(scope.refs.get(step), ref[2] ?? '');
      if (out === undefined) throw new LessonStepError(`response of "${ref[1]}" has no ${ref[2]}`);
      return out;
    }
    const whole = /^\$([A-Za-z]\w*)$/.exec(v);
    if (whole && whole[1]! in scope.params) return scope.params[whole[1]!];
    return v.replace(/\$\{([A-Za-z]\w*)\}/g, (m, name: string) => scope.params[name] ?? m);
  }
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, scope));
  // Bytes given by code (the page's local actions) pass through as they are.
  if ((v as unknown) instanceof Uint8Array) return v;
  if (v && typeof v === 'object') {
    if (typeof v.$utf8 === 'string') {
      const text = resolveValue(v.$utf8, scope) as string;
      // `"$repeat": n`: the text n times (a large document without a large lesson file).
      const times = typeof v.$repeat === 'number' && Number.isInteger(v.$repeat) && v.$repeat > 0 ? Math.min(v.$repeat, 1 << 16) : 1;
      return new TextEncoder().encode(text.repeat(times));
    }
    if (typeof v.$zeros === 'number') return new Uint8Array(v.$zeros);
    if (typeof v.$base64 === 'string') {
      const bytes = decodeBase64(v.$base64);
      if (!bytes) throw new LessonStepError('$base64 is not valid base64');
      return bytes;
    }
    if ('$json' in v) return JSON.stringify(resolveValue(v.$json, scope), null, 2);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolveValue(x, scope);
    return out;
  }
  return v;
}

/** Interpolates `${name}` parameters into lesson prose (index.md, goal titles); unknown names stay as written. */
export function interpolate(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z]\w*)\}/g, (m, name: string) => params[name] ?? m);
}
