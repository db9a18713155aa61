/**
 * Loads a lesson folder's files (`index.md`, `start.json`, `goal.json`, `solution.json`) into a
 * validated `Lesson` (STYLE §5, §6: untrusted input returns a result, never throws). Errors name
 * the file and the JSON path, e.g. `goal.json: goals[2].check: unknown matcher "keyExist"`.
 * Also checked: every `$param` is declared, every `$ref:<step>` names an earlier step, every
 * `call` is an operation the service implements. Not supported yet: a lesson without start.json
 * inheriting the previous lesson's end state (STYLE §14).
 */
import { isOperationName } from '../kms';
import type { Goal, KeyMatcher, Lesson, LessonText, LoadResult, ParamSpec, Prediction, Step } from './types';

type Obj = { [k: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits `---\nkey: value\n---\nbody` (a flat YAML subset: strings and numbers). */
export function parseFrontmatter(md: string): { data: Record<string, string>; body: string } | null {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(md);
  if (!m) return null;
  const data: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!kv) continue;
    let v = kv[2]!.trim();
    if (/^(["']).*\1$/.test(v)) v = v.slice(1, -1);
    data[kv[1]!] = v;
  }
  return { data, body: m[2]! };
}

/** The text under `## In real AWS` up to the next `## ` heading. */
function section(body: string, title: string): string | null {
  const re = new RegExp(`^##\\s+${title}\\s*$`, 'im');
  const m = re.exec(body);
  if (!m) return null;
  const rest = body.slice(m.index + m[0].length);
  const next = /^##\s/m.exec(rest);
  return (next ? rest.slice(0, next.index) : rest).trim();
}

class Checker {
  readonly errors: string[] = [];
  readonly params = new Set<string>();
  readonly usedParams = new Map<string, string>();
  constructor(public file: string) {}
  err(path: string, msg: string): void {
    this.errors.push(`${this.file}: ${path}: ${msg}`);
  }
  str(o: Obj, k: string, path: string, optional = false): string | undefined {
    const v = o[k];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v === '') this.err(`${path}.${k}`, 'expected a non-empty string');
    return typeof v === 'string' ? v : undefined;
  }
  arr(v: unknown, path: string): unknown[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      this.err(path, 'expected an array');
      return [];
    }
    return v;
  }
  /** Records every `$param` / `${param}` used, to check they are declared. */
  scan(v: unknown, path: string): void {
    if (typeof v === 'string') {
      const whole = /^\$([A-Za-z]\w*)$/.exec(v);
      if (whole) this.usedParams.set(whole[1]!, path);
      for (const m of v.matchAll(/\$\{([A-Za-z]\w*)\}/g)) this.usedParams.set(m[1]!, path);
    } else if (Array.isArray(v)) v.forEach((x, i) => this.scan(x, `${path}[${i}]`));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) this.scan(x, `${path}.${k}`);
  }
}

const STEP_KINDS = ['call', 'advanceDays', 'advanceSeconds', 'world', 'store', 'envelope', 'digest', 'verifyOffline', 's3', 'secretsManager', 'workload', 'load'] as const;

/** S3 and Secrets Manager operations a lesson step may call (the services' own API names). */
export const SERVICE_OPERATIONS: { readonly s3: readonly string[]; readonly secretsManager: readonly string[] } = {
  s3: ['CreateBucket', 'PutBucketEncryption', 'GetBucketEncryption', 'PutObject', 'GetObject', 'HeadObject', 'ListObjectsV2', 'ListBuckets', 'DeleteObject'],
  secretsManager: ['CreateSecret', 'PutSecretValue', 'GetSecretValue', 'DescribeSecret', 'ListSecrets', 'DeleteSecret'],
};

const LOAD_OPERATIONS = ['GenerateDataKey', 'Decrypt', 'Encrypt'];
const SOURCES = ['app', 's3'];
/** A number literal or a parameter placeholder. */
const isNumberish = (v: unknown): boolean => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^\$[A-Za-z]\w*$/.test(v));

function checkPositive(c: Checker, o: Obj, k: string, path: string, optional = false): void {
  if (o[k] === undefined && optional) return;
  if (!isNumberish(o[k]) || (typeof o[k] === 'number' && !((o[k] as number) > 0))) c.err(`${path}.${k}`, 'expected a positive number');
}

function checkWorkload(c: Checker, w: unknown, p: string): void {
  if (!isObj(w)) return c.err(p, 'expected { label, ratePerSecond, seconds, source?, bucket?, operation?, as?, region? } or { stop: "<label>" }');
  if ('stop' in w) {
    c.str(w, 'stop', p);
    if (Object.keys(w).length !== 1) c.err(p, 'a stop step has only "stop"');
    return;
  }
  c.str(w, 'label', p);
  checkPositive(c, w, 'ratePerSecond', p);
  checkPositive(c, w, 'seconds', p);
  if (w.source !== undefined && !SOURCES.includes(w.source as string)) c.err(`${p}.source`, 'expected "app" or "s3"');
  if (w.source === 's3') c.str(w, 'bucket', p);
  if (w.operation !== undefined && !LOAD_OPERATIONS.includes(w.operation as string)) c.err(`${p}.operation`, `expected one of ${LOAD_OPERATIONS.join(', ')}`);
  c.str(w, 'as', p, true);
  checkRegion(c, w, 'region', p);
}

function checkLoad(c: Checker, l: unknown, p: string): void {
  if (!isObj(l)) return c.err(p, 'expected { ratePerSecond, seconds, key, source?, operation?, as?, region?, bucket?, bucketKeyEnabled?, caching?, messageBytes?, maxAttempts? }');
  checkPositive(c, l, 'ratePerSecond', p);
  checkPositive(c, l, 'seconds', p);
  c.str(l, 'key', p);
  if (l.source !== undefined && !SOURCES.includes(l.source as string)) c.err(`${p}.source`, 'expected "app" or "s3"');
  if (l.operation !== undefined && !LOAD_OPERATIONS.includes(l.operation as string)) c.err(`${p}.operation`, `expected one of ${LOAD_OPERATIONS.join(', ')}`);
  c.str(l, 'as', p, true);
  checkRegion(c, l, 'region', p);
  c.str(l, 'bucket', p, true);
  if (l.bucketKeyEnabled !== undefined && typeof l.bucketKeyEnabled !== 'boolean') c.err(`${p}.bucketKeyEnabled`, 'expected a boolean');
  if (l.caching !== undefined && l.caching !== null && !isObj(l.caching)) c.err(`${p}.caching`, 'expected cache limits { maxAgeMs, maxMessagesEncrypted?, maxBytesEncrypted? } or null');
  if (isObj(l.caching)) checkPositive(c, l.caching, 'maxAgeMs', `${p}.caching`);
  checkPositive(c, l, 'messageBytes', p, true);
  checkPositive(c, l, 'maxAttempts', p, true);
}

/** A Region name (`eu-west-1`); placeholders are allowed. */
const REGION = /^(([a-z]+-){2,3}\d+|\$[A-Za-z]\w*|.*\$\{[A-Za-z]\w*\}.*)$/;

function checkRegion(c: Checker, o: Obj, k: string, path: string): void {
  if (o[k] === undefined) return;
  if (typeof o[k] !== 'string' || !REGION.test(o[k])) c.err(`${path}.${k}`, 'expected a Region, e.g. "eu-west-1"');
}

function checkSteps(c: Checker, raw: unknown, path: string, known: Set<string>): Step[] {
  const steps = c.arr(raw, path);
  const seen = new Set(known);
  steps.forEach((s, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(s)) return c.err(p, 'expected an object');
    const kinds = STEP_KINDS.filter((k) => k in s);
    if (kinds.length !== 1) return c.err(p, `expected exactly one of ${STEP_KINDS.join(', ')}`);
    c.scan(s, p);
    for (const m of JSON.stringify(s).matchAll(/\$ref:([A-Za-z]\w*)/g)) {
      if (!seen.has(m[1]!)) c.err(p, `$ref to unknown or later step "${m[1]}"`);
    }
    if (kinds[0] === 'call') {
      if (typeof s.call !== 'string' || !isOperationName(s.call)) c.err(`${p}.call`, `unknown operation ${JSON.stringify(s.call)}`);
      if (!isObj(s.request)) c.err(`${p}.request`, 'expected an object');
      c.str(s, 'as', p, true);
      checkRegion(c, s, 'region', p);
      c.str(s, 'expectError', p, true);
      if (s.save !== undefined && !isObj(s.save)) c.err(`${p}.save`, 'expected an object');
    } else if (kinds[0] === 's3' || kinds[0] === 'secretsManager') {
      const kind = kinds[0];
      if (typeof s[kind] !== 'string' || !SERVICE_OPERATIONS[kind].includes(s[kind])) c.err(`${p}.${kind}`, `unknown operation ${JSON.stringify(s[kind])} (one of ${SERVICE_OPERATIONS[kind].join(', ')})`);
      if (!isObj(s.request)) c.err(`${p}.request`, 'expected an object');
      c.str(s, 'as', p, true);
      checkRegion(c, s, 'region', p);
      c.str(s, 'expectError', p, true);
    } else if (kinds[0] === 'workload') {
      checkWorkload(c, s.workload, `${p}.workload`);
    } else if (kinds[0] === 'load') {
      checkLoad(c, s.load, `${p}.load`);
    } else if (kinds[0] === 'advanceDays') {
      if (typeof s.advanceDays !== 'number' || s.advanceDays < 0) c.err(`${p}.advanceDays`, 'expected a number ≥ 0');
    } else if (kinds[0] === 'advanceSeconds') {
      if (typeof s.advanceSeconds !== 'number' || s.advanceSeconds < 0) c.err(`${p}.advanceSeconds`, 'expected a number ≥ 0');
    } else if (kinds[0] === 'digest') {
      if (!isObj(s.digest) || !('sha256' in s.digest)) c.err(`${p}.digest`, 'expected { sha256: <bytes>, store? }');
      else c.str(s.digest, 'store', `${p}.digest`, true);
    } else if (kinds[0] === 'verifyOffline') {
      const v = s.verifyOffline;
      if (!isObj(v) || !('publicKey' in v) || !('signature' in v)) c.err(`${p}.verifyOffline`, 'expected { publicKey, message | digest, signature, algorithm, store? }');
      else {
        if (('message' in v) === ('digest' in v)) c.err(`${p}.verifyOffline`, 'expected exactly one of message (RAW) or digest (DIGEST)');
        c.str(v, 'algorithm', `${p}.verifyOffline`);
        c.str(v, 'store', `${p}.verifyOffline`, true);
      }
    } else if (kinds[0] === 'world') {
      if (s.world === 'createPrincipal') {
        if (s.kind !== 'user' && s.kind !== 'role') c.err(`${p}.kind`, 'expected "user" or "role"');
        c.str(s, 'name', p);
      } else if (s.world === 'putIdentityPolicy') {
        c.str(s, 'principal', p);
        c.str(s, 'policyName', p);
        if (!isObj(s.document)) c.err(`${p}.document`, 'expected a policy object');
      } else c.err(`${p}.world`, 'expected "createPrincipal" or "putIdentityPolicy"');
    } else if (kinds[0] === 'store') {
      c.str(s, 'store', p);
      if (!('value' in s)) c.err(`${p}.value`, 'missing');
    } else if (!isObj(s.envelope) || ['store', 'dataKey', 'encryptedKey', 'plaintext'].some((k) => !(k in (s.envelope as Obj)))) {
      c.err(`${p}.envelope`, 'expected { store, dataKey, encryptedKey, plaintext }');
    }
    if (s.id !== undefined) {
      if (typeof s.id !== 'string' || !/^[A-Za-z]\w*$/.test(s.id)) c.err(`${p}.id`, 'expected an identifier');
      else if (seen.has(s.id)) c.err(`${p}.id`, `duplicate step id "${s.id}"`);
      else seen.add(s.id);
    }
  });
  return steps as Step[];
}

const KEY_MATCHER_FIELDS = ['alias', 'tag', 'description', 'region', 'keySpec', 'keyUsage', 'multiRegion', 'multiRegionKeyType'];

function checkKey(c: Checker, v: unknown, path: string): void {
  if (!isObj(v)) return c.err(path, 'expected a key matcher { alias | tag | description | region | keySpec | keyUsage | multiRegion | multiRegionKeyType }');
  const keys = Object.keys(v);
  if (keys.length === 0 || keys.some((k) => !KEY_MATCHER_FIELDS.includes(k))) {
    return c.err(path, `a key matcher uses ${KEY_MATCHER_FIELDS.join(', ')} (never an id)`);
  }
  const km = v as KeyMatcher;
  if (km.tag !== undefined && (!isObj(km.tag) || typeof km.tag.key !== 'string' || typeof km.tag.value !== 'string')) c.err(`${path}.tag`, 'expected { key, value }');
  checkRegion(c, v, 'region', path);
  if (km.multiRegion !== undefined && typeof km.multiRegion !== 'boolean') c.err(`${path}.multiRegion`, 'expected a boolean');
  if (km.multiRegionKeyType !== undefined && km.multiRegionKeyType !== 'PRIMARY' && km.multiRegionKeyType !== 'REPLICA') c.err(`${path}.multiRegionKeyType`, 'expected "PRIMARY" or "REPLICA"');
  for (const f of ['keySpec', 'keyUsage'] as const) if (km[f] !== undefined && (typeof km[f] !== 'string' || !/^[A-Z0-9_]+$/.test(km[f]))) c.err(`${path}.${f}`, 'expected an AWS name, e.g. ECC_NIST_P256 / SIGN_VERIFY');
}

const MATCHERS = ['keyExists', 'keyState', 'rotation', 'aliasTargets', 'grantExists', 'policyAllows', 'policyDenies', 'trailHas', 'storedDecrypts', 'storedSignatureVerifies', 'offlineVerified', 'bucketHasNoPlaintextKey', 'loadRun', 'bucketKeyEnabled', 's3PutSucceeds', 'callSucceeds', 'all', 'not'];
const VIA = ['s3', 'secretsmanager', 'ec2'];

function checkMatcher(c: Checker, m: unknown, path: string): void {
  if (!isObj(m)) return c.err(path, 'expected a matcher object');
  const names = Object.keys(m);
  if (names.length !== 1 || !MATCHERS.includes(names[0]!)) {
    return c.err(path, `unknown matcher ${JSON.stringify(names.join(','))} (one of ${MATCHERS.join(', ')})`);
  }
  const name = names[0]!;
  const a = m[name];
  const p = `${path}.${name}`;
  switch (name) {
    case 'keyExists':
      return checkKey(c, a, p);
    case 'all':
      return void c.arr(a, p).forEach((x, i) => checkMatcher(c, x, `${p}[${i}]`));
    case 'not':
      return checkMatcher(c, a, p);
    case 'bucketHasNoPlaintextKey':
      if (a !== true) c.err(p, 'expected true');
      return;
  }
  if (!isObj(a)) return c.err(p, 'expected an object');
  if (['keyState', 'rotation', 'grantExists', 'policyAllows', 'policyDenies', 'aliasTargets', 'storedSignatureVerifies', 'callSucceeds'].includes(name)) checkKey(c, a.key, `${p}.key`);
  if (name === 'keyState') c.str(a, 'state', p);
  if (name === 'rotation' && typeof a.enabled !== 'boolean') c.err(`${p}.enabled`, 'expected a boolean');
  if (name === 'aliasTargets') c.str(a, 'alias', p);
  if (name === 'grantExists') c.str(a, 'grantee', p);
  if (name === 'policyAllows' || name === 'policyDenies') {
    c.str(a, 'principal', p);
    if (typeof a.action !== 'string' || !/^kms:[A-Za-z]+$/.test(a.action)) c.err(`${p}.action`, 'expected kms:<Operation>');
    checkRegion(c, a, 'region', p);
    if (a.via !== undefined && !VIA.includes(a.via as string)) c.err(`${p}.via`, `expected one of ${VIA.map((v) => `"${v}"`).join(', ')}`);
  }
  if (name === 'loadRun') {
    const known = ['minRatePerSecond', 'minSeconds', 'spec', 'maxPeakQuotaShare', 'maxMonthlyCost', 'cacheLimits'];
    for (const k of Object.keys(a)) if (!known.includes(k)) c.err(`${p}.${k}`, `unknown bound (one of ${known.join(', ')})`);
    if (Object.keys(a).length === 0) c.err(p, 'expected at least one bound');
    checkPositive(c, a, 'maxPeakQuotaShare', p, true);
    checkPositive(c, a, 'minRatePerSecond', p, true);
    checkPositive(c, a, 'minSeconds', p, true);
    if (a.spec !== undefined && !isObj(a.spec)) c.err(`${p}.spec`, 'expected an object (a subset of the recorded load spec)');
    if (a.maxMonthlyCost !== undefined && !(typeof a.maxMonthlyCost === 'number' && a.maxMonthlyCost >= 0)) c.err(`${p}.maxMonthlyCost`, 'expected a number of USD ≥ 0');
    if (a.cacheLimits !== undefined) {
      const cl = a.cacheLimits;
      const bounds = ['maxAgeMsAtMost', 'maxMessagesAtMost', 'maxBytesAtMost'];
      if (!isObj(cl) || Object.keys(cl).length === 0) c.err(`${p}.cacheLimits`, `expected an object with some of ${bounds.join(', ')}`);
      else for (const k of Object.keys(cl)) if (!bounds.includes(k)) c.err(`${p}.cacheLimits.${k}`, `unknown bound (one of ${bounds.join(', ')})`);
        else checkPositive(c, cl, k, `${p}.cacheLimits`);
    }
  }
  if (name === 'bucketKeyEnabled') c.str(a, 'bucket', p);
  if (name === 's3PutSucceeds') {
    c.str(a, 'bucket', p);
    c.str(a, 'as', p);
    checkRegion(c, a, 'region', p);
  }
  if (name === 'callSucceeds') {
    if (typeof a.operation !== 'string' || !isOperationName(a.operation)) c.err(`${p}.operation`, `unknown operation ${JSON.stringify(a.operation)}`);
    c.str(a, 'as', p);
    if (a.encryptionContext !== undefined && !isObj(a.encryptionContext)) c.err(`${p}.encryptionContext`, 'expected an object');
  }
  if (name === 'trailHas') {
    c.str(a, 'eventName', p);
    if (a.withinDays !== undefined && (typeof a.withinDays !== 'number' || !(a.withinDays > 0))) c.err(`${p}.withinDays`, 'expected a positive number of days');
    checkRegion(c, a, 'region', p);
    if (a.request !== undefined && !isObj(a.request)) c.err(`${p}.request`, 'expected an object (a subset of requestParameters, camelCase)');
  }
  if (name === 'storedDecrypts') {
    c.str(a, 'object', p);
    checkRegion(c, a, 'region', p);
    checkRegion(c, a, 'outage', p);
  }
  if (name === 'storedSignatureVerifies') {
    c.str(a, 'object', p);
    c.str(a, 'message', p);
    c.str(a, 'algorithm', p);
  }
  if (name === 'offlineVerified') {
    c.str(a, 'object', p);
    if (a.valid !== undefined && typeof a.valid !== 'boolean') c.err(`${p}.valid`, 'expected a boolean');
  }
}

function checkGoals(c: Checker, raw: unknown, path: string): Goal[] {
  const goals = c.arr(raw, path);
  const ids = new Set<string>();
  goals.forEach((g, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(g)) return c.err(p, 'expected { id, title, check }');
    const id = c.str(g, 'id', p);
    if (id && ids.has(id)) c.err(`${p}.id`, `duplicate id "${id}"`);
    if (id) ids.add(id);
    c.str(g, 'title', p);
    checkMatcher(c, g.check, `${p}.check`);
    c.scan(g, p);
  });
  return goals as Goal[];
}

function checkPredictions(c: Checker, raw: unknown): Prediction[] {
  const preds = c.arr(raw, 'predictions');
  preds.forEach((pr, i) => {
    const p = `predictions[${i}]`;
    if (!isObj(pr)) return c.err(p, 'expected an object');
    c.str(pr, 'id', p);
    c.str(pr, 'question', p);
    c.str(pr, 'explanation', p);
    if (!isObj(pr.before) || typeof pr.before.operation !== 'string' || !isOperationName(pr.before.operation)) c.err(`${p}.before.operation`, 'expected an operation name');
    else {
      if (pr.before.key !== undefined) checkKey(c, pr.before.key, `${p}.before.key`);
      checkRegion(c, pr.before, 'region', `${p}.before`);
      for (const f of ['requestHas', 'requestLacks']) {
        const list = pr.before[f];
        if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string'))) c.err(`${p}.before.${f}`, 'expected an array of request field names');
      }
    }
    const opts = c.arr(pr.options, `${p}.options`);
    if (opts.length < 2) c.err(`${p}.options`, 'expected at least two options');
    opts.forEach((o, j) => {
      if (!isObj(o)) return c.err(`${p}.options[${j}]`, 'expected an object');
      c.str(o, 'id', `${p}.options[${j}]`);
      c.str(o, 'label', `${p}.options[${j}]`);
      c.str(o, 'outcome', `${p}.options[${j}]`);
    });
    c.scan(pr, p);
  });
  return preds as Prediction[];
}

function parseJson(name: string, text: string | undefined, errors: string[]): Obj | null {
  if (text === undefined) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (isObj(v)) return v;
    errors.push(`${name}: expected a JSON object`);
  } catch (e) {
    errors.push(`${name}: invalid JSON (${(e as Error).message})`);
  }
  return null;
}

/**
 * Validates a lesson's files (name → text) into a Lesson. `path` is the lesson folder, used in
 * messages and kept on the lesson.
 */
export function loadLesson(files: Readonly<Record<string, string>>, path = ''): LoadResult {
  const missing = ['index.md', 'start.json', 'goal.json', 'solution.json'].filter((f) => typeof files[f] !== 'string');
  if (missing.length) return { ok: false, reason: 'missing-file', errors: missing.map((f) => `${path}/${f}: missing`) };
  const jsonErrors: string[] = [];
  const start = parseJson('start.json', files['start.json'], jsonErrors);
  const goal = parseJson('goal.json', files['goal.json'], jsonErrors);
  const sol = parseJson('solution.json', files['solution.json'], jsonErrors);
  if (!start || !goal || !sol) return { ok: false, reason: 'invalid-json', errors: jsonErrors };

  const errors: string[] = [];
  const fm = parseFrontmatter(files['index.md']!);
  let text: LessonText | null = null;
  if (!fm) errors.push('index.md: missing frontmatter (--- id/title/summary/par ---)');
  else {
    const { data, body } = fm;
    for (const k of ['id', 'title', 'summary', 'par']) if (!data[k]) errors.push(`index.md: frontmatter: missing ${k}`);
    if (data.id && !/^[a-z0-9][a-z0-9-]*$/.test(data.id)) errors.push('index.md: frontmatter: id must be a lowercase slug');
    const par = Number(data.par);
    if (data.par && !(Number.isInteger(par) && par > 0)) errors.push('index.md: frontmatter: par must be a positive integer');
    const inRealAws = section(body, 'In real AWS');
    if (!inRealAws) errors.push('index.md: missing "## In real AWS" section');
    text = { id: data.id ?? '', title: data.title ?? '', summary: data.summary ?? '', par, focus: data.focus, body, inRealAws: inRealAws ?? '' };
  }

  // start.json: params + setup
  const cs = new Checker('start.json');
  const params: Record<string, ParamSpec> = {};
  if (start.params !== undefined && !isObj(start.params)) cs.err('params', 'expected an object');
  for (const [name, spec] of Object.entries(isObj(start.params) ? start.params : {})) {
    const oneOf = isObj(spec) ? spec.oneOf : undefined;
    if (!/^[A-Za-z]\w*$/.test(name)) cs.err(`params.${name}`, 'parameter names are identifiers');
    if (!Array.isArray(oneOf) || oneOf.length === 0 || oneOf.some((v) => typeof v !== 'string')) cs.err(`params.${name}.oneOf`, 'expected a non-empty array of strings');
    const distinct = isObj(spec) && Array.isArray(spec.distinctFrom) ? (spec.distinctFrom as string[]) : [];
    for (const d of distinct) if (!(d in params)) cs.err(`params.${name}.distinctFrom`, `"${d}" must be a parameter declared before`);
    params[name] = { oneOf: (oneOf ?? []) as string[], distinctFrom: distinct };
  }
  const setup = checkSteps(cs, start.setup, 'setup', new Set());
  const setupIds = new Set(setup.map((s) => s.id).filter((x): x is string => !!x));

  const cg = new Checker('goal.json');
  const goals = checkGoals(cg, goal.goals, 'goals');
  if (goals.length === 0) cg.err('goals', 'a lesson needs at least one goal');
  const probes = checkGoals(cg, goal.probes, 'probes');
  const hints = cg.arr(goal.hints, 'hints');
  hints.forEach((h, i) => typeof h !== 'string' && cg.err(`hints[${i}]`, 'expected a string'));
  const predictions = checkPredictions(cg, goal.predictions);

  const cl = new Checker('solution.json');
  const solution = checkSteps(cl, sol.solution, 'solution', setupIds);
  if (solution.length === 0) cl.err('solution', 'a lesson needs a reference solution');
  const antiSolutions = cl.arr(sol.antiSolutions, 'antiSolutions').map((a, i) => {
    const p = `antiSolutions[${i}]`;
    if (!isObj(a)) {
      cl.err(p, 'expected { title, steps }');
      return { title: '', steps: [] };
    }
    return { title: cl.str(a, 'title', p) ?? '', steps: checkSteps(cl, a.steps, `${p}.steps`, setupIds) };
  });

  for (const c of [cs, cg, cl]) {
    for (const [name, where] of c.usedParams) if (!(name in params)) c.err(where, `unknown parameter $${name}`);
    errors.push(...c.errors);
  }
  if (errors.length || !text) return { ok: false, reason: 'invalid-lesson', errors };
  const lesson: Lesson = {
    path,
    text,
    params,
    setup,
    goals,
    probes,
    hints: hints as string[],
    predictions,
    solution,
    antiSolutions,
  };
  return { ok: true, lesson };
}
