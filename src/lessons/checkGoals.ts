/**
 * Evaluates the closed goal vocabulary (types.ts `Matcher`) over a sandbox: its committed records,
 * the trail written after the lesson started, the learner's bucket, and — for policy questions and
 * stored-ciphertext checks — real calls on a COPY of the sandbox (sandbox.ts), never on the
 * learner's own. Keys are found by alias, tag or description, never by id (STYLE §14).
 */
import { allRecords, defaultKeyPolicy, isKmsError, type AnyRecord, type CallerContext, type KeyRecord, type KmsService, type Repository, type TrailEventRecord } from '../kms';
import { callerOf, principalArnOf } from './resolve';
import { hashOfSigningAlgorithm, localOpen, localVerify, type BucketObject, type SandboxFactory } from './sandbox';
import { callService, loadLoadGenerator, s3Api } from './services';
import type { JsonLike, KeyMatcher, Matcher, PolicyQuestion } from './types';

/** How far a `settled` policy question moves the copy's clock (grants propagate in 30 s). */
const SETTLE_MS = 60_000;

/** What goals read. */
export interface GoalScope {
  /** The learner's service (read only: recorded load runs); absent in scopes built without one. */
  readonly service?: KmsService;
  readonly repository: Repository;
  readonly factory: SandboxFactory;
  readonly seed: Uint8Array;
  readonly epoch: number;
  /** Trail records with a higher seq were written after the lesson started. */
  readonly startSeq: number;
  /** Sandbox time (ms) when the lesson started. */
  readonly startTime: number;
  readonly bucket: ReadonlyMap<string, BucketObject>;
  /** Plaintext data keys KMS returned during the attempt (to catch one stored in the bucket). */
  readonly dataKeys: readonly Uint8Array[];
}

export interface MatchResult {
  readonly met: boolean;
  readonly reason: string;
}

const ok = (reason: string): MatchResult => ({ met: true, reason });
const no = (reason: string): MatchResult => ({ met: false, reason });

function describeKey(m: KeyMatcher): string {
  const where = m.region ? ` in ${m.region}` : '';
  if (m.alias) return `${m.alias}${where}`;
  if (m.tag) return `the key tagged ${m.tag.key}=${m.tag.value}${where}`;
  if (m.description !== undefined) return `the key "${m.description}"${where}`;
  const kind = [m.multiRegionKeyType === 'REPLICA' ? 'multi-Region replica' : m.multiRegionKeyType === 'PRIMARY' ? 'multi-Region primary' : m.multiRegion === true ? 'multi-Region' : m.multiRegion === false ? 'single-Region' : '', m.keySpec ?? '', m.keyUsage ?? '']
    .filter(Boolean)
    .join(' ');
  return `a ${kind ? `${kind} ` : ''}key${where}`;
}

/** Keys (not yet deleted) matching every field of `m`. An alias names the key of its own Region. */
export function findKeys(repo: Repository, m: KeyMatcher): KeyRecord[] {
  let keys = [...repo.list('key')];
  if (m.region !== undefined) keys = keys.filter((k) => k.region === m.region);
  if (m.alias !== undefined) {
    // Related multi-Region keys share a key id: an alias targets the one in the alias's Region.
    const targets = new Set(repo.list('alias').filter((a) => a.aliasName === m.alias).map((a) => `${a.accountId}/${a.region}/${a.targetKeyId}`));
    keys = keys.filter((k) => targets.has(`${k.accountId}/${k.region}/${k.keyId}`));
  }
  if (m.keySpec !== undefined) keys = keys.filter((k) => k.keySpec === m.keySpec);
  if (m.keyUsage !== undefined) keys = keys.filter((k) => k.keyUsage === m.keyUsage);
  if (m.multiRegion !== undefined) keys = keys.filter((k) => (k.multiRegionKeyType !== null) === m.multiRegion);
  if (m.multiRegionKeyType !== undefined) keys = keys.filter((k) => k.multiRegionKeyType === m.multiRegionKeyType);
  if (m.tag) {
    const { key, value } = m.tag;
    const tagged = new Set(repo.list('tag').filter((t) => t.tagKey === key && t.tagValue === value).map((t) => t.keyArn as string));
    keys = keys.filter((k) => tagged.has(k.id));
  }
  if (m.description !== undefined) keys = keys.filter((k) => k.description === m.description);
  return keys;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function bytesIn(v: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (v instanceof Uint8Array) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => bytesIn(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => bytesIn(x, out));
  return out;
}

const isNotWorkload = (r: AnyRecord): boolean => !(r.typeName === 'serviceResource' && r.service === 'workload');
const withoutWorkloads = (records: AnyRecord[]): AnyRecord[] => records.filter(isNotWorkload);

/** A fresh copy of the sandbox (new repository from its records, new service). */
async function copyOf(scope: GoalScope, edit?: (records: AnyRecord[]) => AnyRecord[]): Promise<KmsService> {
  const records = allRecords(scope.repository);
  const { service } = await scope.factory({ seed: scope.seed, now: scope.epoch, records: edit ? edit(records) : records });
  return service;
}

/** A ciphertext under `key` with `context`, made on a copy where the key is Enabled and has its default policy. */
async function probeCiphertext(scope: GoalScope, key: KeyRecord, context: Record<string, string> | undefined): Promise<Uint8Array> {
  const service = await copyOf(scope, (records) =>
    // Made "earlier", elsewhere: background workloads never throttle the probe's own ciphertext.
    withoutWorkloads(records).map((r) => {
      if (r.typeName === 'key' && r.id === key.id) return { ...r, keyState: 'Enabled', deletionDate: null, pendingDeletionWindowInDays: null };
      if (r.typeName === 'policy' && r.keyArn === key.id) return { ...r, document: defaultKeyPolicy(key.accountId) };
      return r;
    }),
  );
  const root = callerOf(`arn:aws:iam::${key.accountId}:root`, key.region);
  const res = await service.call('Encrypt', { KeyId: key.id, Plaintext: new TextEncoder().encode('probe'), EncryptionContext: context }, root);
  return res.CiphertextBlob as Uint8Array;
}

/** A signing algorithm valid for `spec` (a Sign probe must pass validation to reach authorization). */
function probeSigningAlgorithm(spec: string): string {
  if (spec.startsWith('RSA_')) return 'RSASSA_PSS_SHA_256';
  if (spec === 'ECC_NIST_P384') return 'ECDSA_SHA_384';
  if (spec === 'ECC_NIST_P521') return 'ECDSA_SHA_512';
  if (spec === 'ECC_NIST_EDWARDS25519') return 'ED25519_SHA_512';
  if (spec.startsWith('ML_DSA_')) return 'ML_DSA_SHAKE_256';
  if (spec === 'SM2') return 'SM2DSA';
  return 'ECDSA_SHA_256';
}

/** The request a probe sends for `action` on `key`. */
async function probeRequest(scope: GoalScope, q: PolicyQuestion, key: KeyRecord): Promise<Record<string, unknown>> {
  const op = q.action.slice(4);
  const ec = q.encryptionContext;
  switch (op) {
    case 'Encrypt':
      return { KeyId: key.id, Plaintext: new TextEncoder().encode('probe'), EncryptionContext: ec };
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext':
      return { KeyId: key.id, KeySpec: 'AES_256', EncryptionContext: ec };
    case 'Decrypt':
      return { KeyId: key.id, CiphertextBlob: await probeCiphertext(scope, key, ec), EncryptionContext: ec };
    case 'PutKeyPolicy':
      return { KeyId: key.id, PolicyName: 'default', Policy: scope.repository.get('policy', `${key.id}/default`)?.document ?? '' };
    case 'GetKeyPolicy':
      return { KeyId: key.id, PolicyName: 'default' };
    case 'ScheduleKeyDeletion':
      return { KeyId: key.id, PendingWindowInDays: 7 };
    case 'Sign':
      return { KeyId: key.id, Message: new TextEncoder().encode('probe'), MessageType: 'RAW', SigningAlgorithm: probeSigningAlgorithm(key.keySpec) };
    default:
      return { KeyId: key.id };
  }
}

/** The caller of a probe: `principal` calling `region`'s endpoint, through the service `via` if given. */
function probeCaller(principal: string, region: string, via: string | undefined): CallerContext {
  const caller = callerOf(principal, region);
  return via === undefined ? caller : { ...caller, viaService: `${via}.${region}.amazonaws.com` };
}

/** Asks the real service, on a copy, whether `q.principal` may do `q.action`: Allow, Deny, or another error. */
export async function askPolicy(scope: GoalScope, q: PolicyQuestion): Promise<{ decision: 'Allow' | 'Deny' | 'Error'; detail: string }> {
  const matcher: KeyMatcher = q.region === undefined ? q.key : { ...q.key, region: q.region };
  const keys = findKeys(scope.repository, matcher);
  if (keys.length === 0) return { decision: 'Error', detail: `no key matches ${describeKey(matcher)}` };
  const key = keys[0]!;
  const request = await probeRequest(scope, q, key);
  // A policy question is about permission, not rate: background workloads are left out of the copy
  // (callSucceeds and s3PutSucceeds keep them: a throttled call fails those).
  const service = await copyOf(scope, withoutWorkloads);
  if (q.settled) await service.advanceClock(SETTLE_MS);
  try {
    // The call goes to the key's own Region (a Region's endpoint only reaches its keys).
    await service.call(q.action.slice(4), request, probeCaller(q.principal, key.region, q.via));
    return { decision: 'Allow', detail: `${q.action} by ${principalArnOf(q.principal)}${viaText(q.via)} succeeded` };
  } catch (e) {
    if (isKmsError(e, 'AccessDeniedException')) return { decision: 'Deny', detail: `${q.action} by ${principalArnOf(q.principal)}${viaText(q.via)}: AccessDeniedException` };
    const name = (e as Error).name;
    // Handlers validate, then authorize, then check the key state: a state error means authorization passed.
    if (['DisabledException', 'KMSInvalidStateException', 'MalformedPolicyDocumentException'].includes(name)) {
      return { decision: 'Allow', detail: `authorized, then refused with ${name}` };
    }
    return { decision: 'Error', detail: `${q.action} failed with ${name}` };
  }
}

const viaText = (via: string | undefined): string => (via === undefined ? '' : ` through ${via}`);

/** On a copy: `as` calls `operation` on a key matching `key` directly; the outcome (Allow or the error name). */
async function tryCall(scope: GoalScope, m: Extract<Matcher, { callSucceeds: unknown }>['callSucceeds']): Promise<MatchResult> {
  const keys = findKeys(scope.repository, m.key);
  if (keys.length === 0) return no(`no key matches ${describeKey(m.key)}`);
  const key = keys[0]!;
  const q: PolicyQuestion = { key: m.key, principal: m.as, action: `kms:${m.operation}`, ...(m.encryptionContext ? { encryptionContext: m.encryptionContext } : {}) };
  const request = await probeRequest(scope, q, key);
  const service = await copyOf(scope);
  const who = `${m.operation} by ${principalArnOf(m.as)} with ${describeKey(m.key)}`;
  try {
    await service.call(m.operation, request, callerOf(m.as, key.region));
    return ok(`${who} succeeds`);
  } catch (e) {
    if (!isKmsError(e)) throw e;
    return no(`${who} fails: ${e.name}: ${e.message}`);
  }
}

/** The Region and owner of an S3 bucket of the sandbox (from the S3 simulation's records), or null. */
function bucketHome(scope: GoalScope, bucket: string): { region: string; accountId: string } | null {
  // The S3 simulation keeps a bucket as the record `arn:aws:s3:::<bucket>` (src/services/s3.ts).
  const r = scope.repository.get('serviceResource', `arn:aws:s3:::${bucket}`);
  return r && r.service === 's3' && r.kind === 'bucket' ? { region: r.region, accountId: r.accountId } : null;
}

/** The bucket's default encryption has Bucket Keys on (asked through the S3 simulation, as the bucket owner, on a copy). */
async function bucketKeyOn(scope: GoalScope, bucket: string): Promise<MatchResult> {
  const home = bucketHome(scope, bucket);
  if (!home) return no(`there is no bucket "${bucket}"`);
  const s3 = await s3Api(await copyOf(scope));
  const out = await callService(s3, 'GetBucketEncryption', callerOf(`arn:aws:iam::${home.accountId}:root`, home.region), { Bucket: bucket });
  if (!out.ok) return no(`GetBucketEncryption of "${bucket}": ${out.error.name}`);
  const rules = (out.response.ServerSideEncryptionConfiguration as { Rules?: { BucketKeyEnabled?: boolean }[] } | undefined)?.Rules ?? [];
  return rules.some((r) => r.BucketKeyEnabled === true) ? ok(`"${bucket}" uses S3 Bucket Keys`) : no(`"${bucket}" does not use S3 Bucket Keys`);
}

/** On a copy: `as` puts an object into the bucket through the S3 simulation (which calls KMS). */
async function s3PutOn(scope: GoalScope, m: Extract<Matcher, { s3PutSucceeds: unknown }>['s3PutSucceeds']): Promise<MatchResult> {
  const home = bucketHome(scope, m.bucket);
  if (!home) return no(`there is no bucket "${m.bucket}"`);
  const s3 = await s3Api(await copyOf(scope));
  const out = await callService(s3, 'PutObject', callerOf(m.as, m.region ?? home.region), { Bucket: m.bucket, Key: 'lesson-probe/object.txt', Body: new TextEncoder().encode('probe') });
  const who = `PutObject into "${m.bucket}" by ${principalArnOf(m.as)}`;
  if (out.ok) return ok(`${who} succeeds`);
  const cause = out.error.kmsError ? ` (KMS: ${out.error.kmsError.name})` : '';
  return no(`${who} fails: ${out.error.name}${cause}`);
}

type LoadRunBounds = Extract<Matcher, { loadRun: unknown }>['loadRun'];

/** The latest recorded load run against the bounds. */
async function loadRunMeets(scope: GoalScope, b: LoadRunBounds): Promise<MatchResult> {
  if (!scope.service) return no('no recorded load run (no service in this scope)');
  const run = (await loadLoadGenerator()).latestLoadRun(scope.service);
  if (!run) return no('no load run was recorded yet');
  const spec = run.spec;
  if (b.minRatePerSecond !== undefined && !(spec.ratePerSecond >= b.minRatePerSecond)) return no(`the latest run offered ${spec.ratePerSecond}/s, not at least ${b.minRatePerSecond}/s`);
  if (b.minSeconds !== undefined && !(spec.seconds >= b.minSeconds)) return no(`the latest run lasted ${spec.seconds} s, not at least ${b.minSeconds} s`);
  if (b.spec !== undefined && !containsSubset(spec, b.spec)) return no(`the latest run is not the workload asked for (${JSON.stringify(b.spec)})`);
  const share = run.peakQuotaShare;
  if (b.maxPeakQuotaShare !== undefined && !(share < b.maxPeakQuotaShare)) {
    return no(`the run peaked at ${pct(share)} of the quota (${Math.round(run.peakKmsRequestsPerSecond)} of ${run.quotaPerSecond}/s), not under ${pct(b.maxPeakQuotaShare)}`);
  }
  const cost = run.monthlyCost;
  if (b.maxMonthlyCost !== undefined && !(cost <= b.maxMonthlyCost)) {
    return no(`at this rate a month of KMS requests costs $${cost.toFixed(2)}, over the budget of $${b.maxMonthlyCost}`);
  }
  if (b.cacheLimits !== undefined) {
    const c = run.caching;
    if (!c) return no('the run used no data-key cache');
    const l = b.cacheLimits;
    if (l.maxAgeMsAtMost !== undefined && !(c.maxAgeMs <= l.maxAgeMsAtMost)) return no(`cache max age ${c.maxAgeMs} ms is over ${l.maxAgeMsAtMost} ms`);
    if (l.maxMessagesAtMost !== undefined && !((c.maxMessagesEncrypted ?? 2 ** 32) <= l.maxMessagesAtMost)) return no(`cache max messages ${c.maxMessagesEncrypted ?? '2^32 (unlimited)'} is over ${l.maxMessagesAtMost}`);
    if (l.maxBytesAtMost !== undefined && !((c.maxBytesEncrypted ?? Number.MAX_SAFE_INTEGER) <= l.maxBytesAtMost)) return no(`cache max bytes ${c.maxBytesEncrypted ?? '2^63-1 (unlimited)'} is over ${l.maxBytesAtMost}`);
  }
  return ok(`the latest run peaked at ${pct(share)} of the quota; its requests cost $${cost.toFixed(2)} a month`);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function trailMatches(r: TrailEventRecord, m: Extract<Matcher, { trailHas: unknown }>['trailHas']): boolean {
  const rec = r.record;
  if (rec.eventName !== m.eventName) return false;
  if (m.errorCode === null && rec.errorCode !== undefined) return false;
  if (typeof m.errorCode === 'string' && rec.errorCode !== m.errorCode) return false;
  if (m.principal !== undefined) {
    const want = principalArnOf(m.principal);
    const ui = rec.userIdentity as { arn?: unknown; sessionContext?: { sessionIssuer?: { arn?: unknown } } };
    if (ui.arn !== want && ui.sessionContext?.sessionIssuer?.arn !== want) return false;
  }
  if (m.encryptionContextKey !== undefined) {
    const ec = (rec.requestParameters as { encryptionContext?: Record<string, unknown> } | null)?.encryptionContext;
    if (!ec || !(m.encryptionContextKey in ec)) return false;
  }
  if (m.encryptionContext !== undefined) {
    const ec = (rec.requestParameters as { encryptionContext?: Record<string, unknown> } | null)?.encryptionContext ?? {};
    if (Object.entries(m.encryptionContext).some(([k, v]) => ec[k] !== v)) return false;
  }
  if (m.region !== undefined && rec.awsRegion !== m.region) return false;
  if (m.request !== undefined && !containsSubset(rec.requestParameters, m.request)) return false;
  return true;
}

/** `want` is a deep subset of `have` (objects: every member of want matches; other values: equal). */
function containsSubset(have: unknown, want: JsonLike): boolean {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want).every(([k, v]) => containsSubset((have as Record<string, unknown>)[k], v));
  }
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((v, i) => containsSubset(have[i], v));
  return have === want;
}

/** The public key (DER SPKI) of `key`'s current material, derived from the simulated HSM content. */
async function publicKeyOf(repo: Repository, key: KeyRecord): Promise<Uint8Array | null> {
  if (key.keySpec === 'SYMMETRIC_DEFAULT' || key.keySpec.startsWith('HMAC_') || key.currentKeyMaterialId === null) return null;
  const material = repo.list('material').find((m) => m.keyArn === key.id && m.keyMaterialId === key.currentKeyMaterialId);
  if (!material) return null;
  const keys = await import('../kms/crypto/keys/index');
  try {
    return await keys.publicKeyFromPrivate(key.keySpec as Parameters<typeof keys.publicKeyFromPrivate>[0], material.material);
  } catch {
    return null;
  }
}

/** Evaluates one matcher. */
export async function evaluateMatcher(scope: GoalScope, m: Matcher): Promise<MatchResult> {
  const repo = scope.repository;
  if ('all' in m) {
    for (const sub of m.all) {
      const r = await evaluateMatcher(scope, sub);
      if (!r.met) return r;
    }
    return ok('all conditions hold');
  }
  if ('not' in m) {
    const r = await evaluateMatcher(scope, m.not);
    return r.met ? no(`should not hold: ${r.reason}`) : ok(`as required, not: ${r.reason}`);
  }
  if ('keyExists' in m) {
    const n = findKeys(repo, m.keyExists).length;
    return n > 0 ? ok(`${describeKey(m.keyExists)} exists`) : no(`no key matches ${describeKey(m.keyExists)}`);
  }
  if ('keyState' in m) {
    const keys = findKeys(repo, m.keyState.key);
    if (keys.length === 0) return no(`no key matches ${describeKey(m.keyState.key)}`);
    const hit = keys.find((k) => k.keyState === m.keyState.state);
    return hit ? ok(`${describeKey(m.keyState.key)} is ${hit.keyState}`) : no(`${describeKey(m.keyState.key)} is ${keys[0]!.keyState}, not ${m.keyState.state}`);
  }
  if ('rotation' in m) {
    const { key, enabled, periodInDays } = m.rotation;
    const keys = findKeys(repo, key);
    if (keys.length === 0) return no(`no key matches ${describeKey(key)}`);
    const hit = keys.find((k) => k.rotationEnabled === enabled && (periodInDays === undefined || k.rotationPeriodInDays === periodInDays));
    return hit ? ok(`rotation of ${describeKey(key)} is as required`) : no(`rotation of ${describeKey(key)} is ${keys[0]!.rotationEnabled ? `on (${keys[0]!.rotationPeriodInDays} days)` : 'off'}`);
  }
  if ('aliasTargets' in m) {
    const alias = repo.list('alias').find((a) => a.aliasName === m.aliasTargets.alias);
    if (!alias) return no(`${m.aliasTargets.alias} does not exist`);
    const hit = findKeys(repo, m.aliasTargets.key).some((k) => k.keyId === alias.targetKeyId);
    return hit ? ok(`${alias.aliasName} targets ${describeKey(m.aliasTargets.key)}`) : no(`${alias.aliasName} targets another key`);
  }
  if ('grantExists' in m) {
    const g = m.grantExists;
    const keys = new Set(findKeys(repo, g.key).map((k) => k.id as string));
    const grantee = principalArnOf(g.grantee);
    const hit = repo.list('grant').find(
      (r) =>
        keys.has(r.keyArn) &&
        r.granteePrincipal === grantee &&
        (g.operations ?? []).every((op) => r.operations.includes(op)) &&
        (g.operations === undefined || r.operations.length === g.operations.length) &&
        (g.encryptionContextSubset === undefined || JSON.stringify(r.constraints?.encryptionContextSubset ?? null) === JSON.stringify(g.encryptionContextSubset)) &&
        (g.encryptionContextEquals === undefined || JSON.stringify(r.constraints?.encryptionContextEquals ?? null) === JSON.stringify(g.encryptionContextEquals)),
    );
    return hit ? ok(`a matching grant for ${grantee} exists`) : no(`no grant on ${describeKey(g.key)} for ${grantee} with those operations and constraints`);
  }
  if ('policyAllows' in m || 'policyDenies' in m) {
    const wantAllow = 'policyAllows' in m;
    const q = 'policyAllows' in m ? m.policyAllows : m.policyDenies;
    const { decision, detail } = await askPolicy(scope, q);
    if (decision === 'Error') return no(detail);
    return (decision === 'Allow') === wantAllow ? ok(detail) : no(detail);
  }
  if ('trailHas' in m) {
    const after = m.trailHas.afterStart !== false;
    const deadline = m.trailHas.withinDays === undefined ? Infinity : scope.startTime + m.trailHas.withinDays * 86_400_000;
    const hit = repo
      .list('trailEvent')
      .find((r) => (!after || r.seq > scope.startSeq) && Date.parse(r.record.eventTime) <= deadline && trailMatches(r, m.trailHas));
    const within = m.trailHas.withinDays === undefined ? '' : ` within ${m.trailHas.withinDays} days of the start`;
    const what = `${m.trailHas.eventName}${m.trailHas.errorCode ? ` failing with ${m.trailHas.errorCode}` : ''}${within}`;
    return hit ? ok(`the trail has ${what} (${hit.record.eventTime})`) : no(`the trail has no ${what}${after ? ' since the lesson started' : ''}`);
  }
  if ('storedDecrypts' in m) {
    const s = m.storedDecrypts;
    const obj = scope.bucket.get(s.object);
    if (!obj) return no(`the bucket has no object "${s.object}"`);
    if (s.envelope && obj.kind !== 'envelope') return no(`"${s.object}" is not an envelope (data key + locally encrypted data)`);
    const blob = obj.kind === 'envelope' ? obj.encryptedKey : obj.kind === 'value' ? obj.value : undefined;
    if (!(blob instanceof Uint8Array)) return no(`"${s.object}" holds no ciphertext`);
    const outage = s.outage;
    const service = await copyOf(scope, outage === undefined ? undefined : (records) => records.filter((r) => !(r.typeName === 'key' && r.region === outage)));
    const where = s.region ? ` in ${s.region}` : '';
    const down = outage ? ` while ${outage} is down` : '';
    try {
      const res = await service.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: s.encryptionContext }, callerOf(s.as, s.region));
      if (obj.kind === 'envelope') {
        const opened = await localOpen(res.Plaintext as Uint8Array, obj.iv, obj.data);
        if (!opened) return no(`the data key of "${s.object}" does not open its data`);
      }
      return ok(`"${s.object}" decrypts${where}${down}`);
    } catch (e) {
      return no(`Decrypt of "${s.object}"${where}${down} fails: ${(e as Error).name}`);
    }
  }
  if ('storedSignatureVerifies' in m) {
    const s = m.storedSignatureVerifies;
    const sig = scope.bucket.get(s.object);
    const msg = scope.bucket.get(s.message);
    const signature = sig?.kind === 'value' ? sig.value : sig?.kind === 'verification' ? sig.signature : undefined;
    if (!(signature instanceof Uint8Array)) return no(`the bucket has no signature "${s.object}"`);
    if (msg?.kind !== 'value' || !(msg.value instanceof Uint8Array)) return no(`the bucket has no document "${s.message}"`);
    const keys = findKeys(repo, s.key);
    if (keys.length === 0) return no(`no key matches ${describeKey(s.key)}`);
    // Hash here (any size), then verify the digest: the same check whether Sign got RAW or DIGEST.
    const hash = hashOfSigningAlgorithm(s.algorithm);
    const prehash = hash !== null && !s.algorithm.startsWith('ED25519_SHA');
    const data = prehash ? new Uint8Array(await globalThis.crypto.subtle.digest(hash, msg.value as BufferSource)) : msg.value;
    for (const key of keys) {
      const spki = await publicKeyOf(repo, key);
      if (!spki) continue;
      const { valid } = await localVerify(spki, s.algorithm, data, prehash ? 'DIGEST' : 'RAW', signature);
      if (valid) return ok(`"${s.object}" is a valid ${s.algorithm} signature of "${s.message}" by ${describeKey(s.key)}`);
    }
    return no(`"${s.object}" is not a valid ${s.algorithm} signature of "${s.message}" by ${describeKey(s.key)}`);
  }
  if ('offlineVerified' in m) {
    const o = scope.bucket.get(m.offlineVerified.object);
    const want = m.offlineVerified.valid !== false;
    if (o?.kind !== 'verification') return no(`the bucket has no offline verification "${m.offlineVerified.object}"`);
    const what = `${o.algorithm} ${o.messageType} with ${o.keySpec ?? 'an unreadable public key'}`;
    return o.valid === want ? ok(`"${m.offlineVerified.object}": the signature is ${o.valid ? 'valid' : 'invalid'} (${what}, verified offline)`) : no(`"${m.offlineVerified.object}": the signature came out ${o.valid ? 'valid' : 'invalid'} (${what})`);
  }
  if ('callSucceeds' in m) return tryCall(scope, m.callSucceeds);
  if ('bucketKeyEnabled' in m) return bucketKeyOn(scope, m.bucketKeyEnabled.bucket);
  if ('s3PutSucceeds' in m) return s3PutOn(scope, m.s3PutSucceeds);
  if ('loadRun' in m) return loadRunMeets(scope, m.loadRun);
  // bucketHasNoPlaintextKey
  for (const [name, obj] of scope.bucket) {
    const values = obj.kind === 'value' ? bytesIn(obj.value) : [];
    if (values.some((v) => scope.dataKeys.some((k) => sameBytes(k, v)))) return no(`"${name}" holds a plaintext data key`);
  }
  return ok('no plaintext data key is stored');
}
