/**
 * Builds the animation's steps for one trail record (issue 5, "Animation (D3)"): request →
 * authorization → material version → data key generated or unwrapped → response, then what the
 * page did locally (encrypt with the data key, store the envelope, forget the plaintext key).
 *
 * Everything comes from what the record exposes — `requestParameters`, `resources`,
 * `additionalEventData.keyMaterialId`, `errorCode`/`errorMessage` — and from the authorization
 * trace stored next to it. The material *version number* is not in a CloudTrail record; the
 * caller passes a lookup (the UI reads the repository's material records).
 *
 * Where a failed call stops follows the service's check order (kms-semantics.md §1.5, and
 * src/kms/operations/common.ts): no authorization trace → it failed on the request (validation,
 * NotFound, an unreadable ciphertext); a denied decision → at authorization; allowed, then a
 * state or usage error → at the material step; allowed, then InvalidCiphertext → at the HSM.
 * Secrets are never in a record, so none can reach a step.
 */
import type { JsonValue, TrailEventRecord } from '../kms';
import { authorizationSummaries, describeRef, type AuthorizationSummary } from './authorizationSummary';
import { serviceActorOf, withServiceActor } from './serviceActor';
import type { ActorId, AnimationStep, LocalStep, StepDetail, StepKind, StepSequence, StepStatus, Token } from './stepTypes';

/** What the caller knows beyond the record. */
export interface BuildStepsOptions {
  /** Local steps the page reported; those whose `afterEventId` is the record's are used. */
  readonly activities?: readonly LocalStep[];
  /** Version number (0 = original material) of a key's material, from the repository. */
  readonly materialVersion?: (keyArn: string, keyMaterialId: string) => number | undefined;
}

type Obj = { readonly [k: string]: JsonValue };
type Draft = Omit<AnimationStep, 'id' | 'eventId' | 'status'> & { status?: StepStatus };

const STATE_ERRORS = new Set(['DisabledException', 'KMSInvalidStateException', 'KeyUnavailableException', 'InvalidKeyUsageException', 'UnsupportedOperationException']);

/** Why a failure matters, in words, for the codes a learner meets most. */
const ERROR_HINTS: Readonly<Record<string, string>> = {
  AccessDeniedException: 'no policy or grant lets this principal do it',
  InvalidCiphertextException:
    'AES-GCM authentication failed: the ciphertext was changed, or the encryption context differs from the one used to encrypt',
  KMSInvalidStateException: 'the key is not in a state that allows this operation',
  DisabledException: 'the key is disabled',
  NotFoundException: 'KMS cannot find that key',
  IncorrectKeyException: 'the ciphertext was made under another key than the KeyId sent',
  ValidationException: 'the request is malformed',
};

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function short(id: string): string {
  const bare = id.includes(':key/') ? id.slice(id.indexOf(':key/') + 5) : id;
  return bare.length > 12 ? `${bare.slice(0, 8)}…` : bare;
}
function contextText(v: JsonValue | undefined): string | null {
  return isObj(v) && Object.keys(v).length > 0 ? JSON.stringify(v) : null;
}

/** Reads the parts of a record the steps talk about. */
function facts(event: TrailEventRecord, opts: BuildStepsOptions) {
  const rec = event.record;
  const params = rec.requestParameters ?? {};
  const keyArns = (rec.resources ?? []).map((r) => r.ARN);
  const materialId = isObj(rec.additionalEventData) ? str(rec.additionalEventData['keyMaterialId']) : undefined;
  const sourceArn = keyArns[0];
  const version = materialId && sourceArn ? opts.materialVersion?.(sourceArn, materialId) : undefined;
  return {
    rec,
    params,
    keyArns,
    materialId,
    version,
    error: rec.errorCode ? { errorCode: rec.errorCode, errorMessage: rec.errorMessage ?? '' } : undefined,
    authz: authorizationSummaries(event),
  };
}
type Facts = ReturnType<typeof facts>;

function materialLabel(f: Facts): string {
  if (!f.materialId) return 'its material';
  const v = f.version === undefined ? '' : `version ${f.version + 1}${f.version === 0 ? ' (original)' : ''}, `;
  return `material ${v}id ${f.materialId.slice(0, 8)}…`;
}

function failureSentence(f: Facts, a?: AuthorizationSummary): string {
  const e = f.error!;
  const message = e.errorMessage.replace(/\.\s*$/, '');
  // AWS's message says it all, except for an empty one (InvalidCiphertext) and for AccessDenied,
  // whose "why" (the trace's reason) is the point of the animation.
  const hint = e.errorCode === 'AccessDeniedException' && a?.reason ? a.reason.replace(/\.\s*$/, '') : message ? undefined : ERROR_HINTS[e.errorCode];
  return `It fails with ${e.errorCode}${message ? `: ${message}` : ''}${hint ? ` (${hint})` : ''}.`;
}

function requestStep(f: Facts, opName: string): Draft {
  const p = f.params;
  const keyId = str(p['keyId']) ?? str(p['destinationKeyId']);
  const ec = contextText(p['encryptionContext']) ?? contextText(p['sourceEncryptionContext']);
  const details: StepDetail[] = [];
  if (keyId) details.push({ label: 'KeyId', value: keyId });
  if (f.keyArns[0]) details.push({ label: 'Key', value: f.keyArns[0] });
  if (ec) details.push({ label: 'EncryptionContext', value: ec });
  const spec = str(p['keySpec']) ?? (typeof p['numberOfBytes'] === 'number' ? `${p['numberOfBytes']} bytes` : undefined);
  if (spec && opName.startsWith('GenerateDataKey')) details.push({ label: 'KeySpec', value: spec });
  const target = keyId
    ? `key ${keyId.startsWith('alias/') ? keyId : short(keyId)}`
    : opName === 'Decrypt' || opName === 'ReEncrypt'
      ? 'the key named inside the ciphertext blob'
      : null;
  const carried: Record<string, string> = {
    Encrypt: ' with up to 4 KB of plaintext',
    Decrypt: ' with the CiphertextBlob',
    ReEncrypt: ' with the CiphertextBlob',
  };
  return {
    kind: 'request',
    actor: 'kms',
    from: 'app',
    to: 'kms',
    token: 'request',
    title: `${opName} request`,
    narration: `The application calls ${opName}${target ? ` on ${target}` : ''}${carried[opName] ?? ''}${ec ? `, encryption context ${ec}` : ''}.`,
    details,
  };
}

function authorizationStep(a: AuthorizationSummary): Draft {
  const allowed = a.decision === 'Allow';
  const deciding = a.refs.map(describeRef);
  const verdict = allowed
    ? `allowed by ${deciding.length > 0 ? deciding.join(' together with ') : (a.allowedBy ?? 'policy')}`
    : a.decision === 'ExplicitDeny'
      ? `explicitly denied by ${deciding[0] ?? 'a Deny statement'}`
      : 'denied: nothing allows it';
  return {
    kind: 'authorization',
    actor: 'kms',
    from: 'kms',
    to: 'kms',
    token: 'none',
    title: `Authorization (${a.action || 'kms'})`,
    narration: `The KMS front end evaluates the key policy, IAM policies and grants for ${a.action}: ${verdict}.${allowed && a.reason ? ` ${a.reason}` : ''}`,
    details: [
      { label: 'Decision', value: a.decision },
      ...deciding.map((d) => ({ label: allowed ? 'Allowed by' : 'Denied by', value: d })),
      ...(a.reason ? [{ label: 'Why', value: a.reason }] : []),
    ],
  };
}

function materialStep(f: Facts, mode: 'current' | 'from-blob'): Draft {
  const which = materialLabel(f);
  const narration =
    mode === 'from-blob'
      ? `The ciphertext blob names ${which}; KMS hands it to the HSM boundary, which keeps every material version of the key, so old ciphertexts still decrypt after rotation.`
      : `The key is usable, so KMS asks the HSM boundary to use the key's current ${which}.`;
  return {
    kind: 'material',
    actor: 'hsm',
    from: 'kms',
    to: 'hsm',
    token: 'none',
    title: 'Material version',
    narration,
    details: [
      ...(f.version !== undefined ? [{ label: 'Material version', value: String(f.version + 1) }] : []),
      ...(f.materialId ? [{ label: 'KeyMaterialId', value: f.materialId }] : []),
    ],
  };
}

function hsmStep(kind: 'generate' | 'generate-only' | 'wrap' | 'unwrap' | 'rewrap', f: Facts): Draft {
  const bits = str(f.params['keySpec']) === 'AES_128' ? '128-bit' : typeof f.params['numberOfBytes'] === 'number' ? `${f.params['numberOfBytes']}-byte` : '256-bit';
  const sentences = {
    generate: `Inside the HSM a fresh random ${bits} data key is generated, and a copy of it is encrypted under the key material with AES-256-GCM (the encryption context is bound as additional authenticated data).`,
    'generate-only': `Inside the HSM a fresh random ${bits} data key is generated and encrypted under the key material; the plaintext copy is wiped at once.`,
    wrap: 'Inside the HSM the plaintext is encrypted under the key material with AES-256-GCM; the encryption context is bound as additional authenticated data.',
    unwrap: 'Inside the HSM the ciphertext is decrypted with AES-256-GCM; the tag also checks that the encryption context is the one used to encrypt.',
    rewrap: 'Inside the HSM the ciphertext is decrypted under the source key and encrypted again under the destination key; the plaintext never leaves the HSM boundary.',
  } as const;
  const title = { generate: 'Data key generated', 'generate-only': 'Data key generated', wrap: 'Encrypted in the HSM', unwrap: 'Unwrapped in the HSM', rewrap: 'Re-encrypted in the HSM' }[kind];
  return { kind: 'hsm-crypto', actor: 'hsm', from: 'hsm', to: 'hsm', token: 'none', title, narration: sentences[kind], details: [] };
}

function responseStep(opName: string, token: Token, narration: string): Draft {
  return { kind: 'response', actor: 'app', from: 'kms', to: 'app', token, title: `${opName} response`, narration, details: [] };
}

const RESPONSES: Readonly<Record<string, { token: Token; text: string }>> = {
  GenerateDataKey: {
    token: 'keys',
    text: 'KMS returns the plaintext data key and, alongside it, the encrypted data key (CiphertextBlob) to the application. CloudTrail logs neither.',
  },
  GenerateDataKeyWithoutPlaintext: {
    token: 'encrypted-key',
    text: 'KMS returns only the encrypted data key (CiphertextBlob); the application can store it and ask Decrypt for the plaintext key later.',
  },
  Encrypt: { token: 'ciphertext', text: 'KMS returns the CiphertextBlob to the application; it names the key and material version, so Decrypt needs no KeyId.' },
  Decrypt: { token: 'plaintext-key', text: 'KMS returns the plaintext (in envelope encryption, the data key) to the application over TLS; CloudTrail never logs it.' },
  ReEncrypt: { token: 'ciphertext', text: 'KMS returns the new CiphertextBlob under the destination key; the application never saw the plaintext.' },
};

/** The KMS half of a symmetric crypto call, before failure truncation. */
function cryptoDrafts(f: Facts, opName: string): Draft[] {
  const [first, second] = f.authz;
  const authz = (a: AuthorizationSummary | undefined) => (a ? [authorizationStep(a)] : []);
  const r = RESPONSES[opName]!;
  switch (opName) {
    case 'Encrypt':
      return [requestStep(f, opName), ...authz(first), materialStep(f, 'current'), hsmStep('wrap', f), responseStep(opName, r.token, r.text)];
    case 'Decrypt':
      return [requestStep(f, opName), ...authz(first), materialStep(f, 'from-blob'), hsmStep('unwrap', f), responseStep(opName, r.token, r.text)];
    case 'GenerateDataKey':
    case 'GenerateDataKeyWithoutPlaintext':
      return [
        requestStep(f, opName),
        ...authz(first),
        materialStep(f, 'current'),
        hsmStep(opName === 'GenerateDataKey' ? 'generate' : 'generate-only', f),
        responseStep(opName, r.token, r.text),
      ];
    default: // ReEncrypt: source side (ReEncryptFrom), then destination side (ReEncryptTo).
      return [requestStep(f, opName), ...authz(first), materialStep(f, 'from-blob'), ...authz(second), hsmStep('rewrap', f), responseStep(opName, r.token, r.text)];
  }
}

/** Index of the step a failed crypto call stopped at. */
function failureIndex(drafts: readonly Draft[], f: Facts): number {
  const denied = f.authz.findIndex((a) => a.decision !== 'Allow');
  const authzAt = drafts.flatMap((d, i) => (d.kind === 'authorization' ? [i] : []));
  if (denied >= 0 && authzAt[denied] !== undefined) return authzAt[denied];
  if (f.authz.length === 0) return 0;
  const lastAuthz = authzAt[f.authz.length - 1] ?? 0;
  const next = (kind: StepKind) => drafts.findIndex((d, i) => i > lastAuthz && d.kind === kind);
  const code = f.error!.errorCode;
  const at = STATE_ERRORS.has(code) ? next('material') : next('hsm-crypto');
  return at >= 0 ? at : Math.min(lastAuthz + 1, drafts.length - 1);
}

function failAt(drafts: Draft[], i: number, f: Facts): Draft[] {
  const kept = drafts.slice(0, i + 1);
  const last = kept[i]!;
  const a = last.kind === 'authorization' ? f.authz.find((x) => x.decision !== 'Allow') : undefined;
  const stateFailure = last.kind === 'material' && STATE_ERRORS.has(f.error!.errorCode);
  const lead = stateFailure ? 'KMS checks the key state before using its material.' : last.narration;
  kept[i] = {
    ...last,
    ...(stateFailure ? { title: 'Key state check', to: 'kms' as ActorId, actor: 'kms' as ActorId } : {}),
    status: 'failed',
    failure: f.error!,
    narration: `${lead} ${failureSentence(f, a)}`,
    details: [...last.details, { label: 'Error', value: `${f.error!.errorCode}${f.error!.errorMessage ? `: ${f.error!.errorMessage}` : ''}` }],
  };
  return kept;
}

/** Any other call: request → authorization → KMS does it → response. */
function genericDrafts(f: Facts, opName: string, isServiceEvent: boolean): Draft[] {
  if (isServiceEvent) {
    const key = f.keyArns[0] ? ` on key ${short(f.keyArns[0])}` : '';
    return [
      {
        kind: 'operation',
        actor: 'kms',
        from: 'kms',
        to: f.materialId || opName === 'RotateKey' ? 'hsm' : 'kms',
        token: 'none',
        title: `${opName} (service event)`,
        narration: `KMS performs ${opName}${key} by itself, on schedule; no application asked for it.`,
        details: f.keyArns[0] ? [{ label: 'Key', value: f.keyArns[0] }] : [],
      },
    ];
  }
  return [
    requestStep(f, opName),
    ...f.authz.map(authorizationStep),
    {
      kind: 'operation',
      actor: 'kms',
      from: 'kms',
      to: 'kms',
      token: 'none',
      title: opName,
      narration: `KMS performs ${opName}${f.keyArns[0] ? ` on key ${short(f.keyArns[0])}` : ''}.`,
      details: [],
    },
    responseStep(opName, 'none', `KMS answers the application's ${opName} call.`),
  ];
}

const LOCAL: Readonly<Record<LocalStep['step'], { kind: StepKind; from: ActorId; to: ActorId; token: Token; title: string; text: string }>> = {
  'load-envelope': { kind: 'load', from: 'storage', to: 'app', token: 'envelope', title: 'Envelope loaded', text: 'The application reads the stored ciphertext and its encrypted data key.' },
  'encrypt-locally': { kind: 'local-encrypt', from: 'app', to: 'app', token: 'plaintext-key', title: 'Local encryption', text: 'The application encrypts its data locally with the plaintext data key (AES-256-GCM); KMS never sees the data.' },
  'decrypt-locally': { kind: 'local-decrypt', from: 'app', to: 'app', token: 'plaintext-key', title: 'Local decryption', text: 'The application decrypts its data locally with the plaintext data key.' },
  'store-envelope': { kind: 'store', from: 'app', to: 'storage', token: 'envelope', title: 'Envelope stored', text: 'The ciphertext is stored together with the encrypted data key; only KMS can turn that key back into plaintext.' },
  'forget-data-key': { kind: 'forget', from: 'app', to: 'app', token: 'none', title: 'Plaintext key forgotten', text: 'The application wipes the plaintext data key from memory; only the encrypted copy remains.' },
};

function localDraft(a: LocalStep, status: StepStatus): Draft {
  const l = LOCAL[a.step];
  const label = a.label.trim();
  const base = status === 'expected' ? `Next, as envelope encryption goes: ${l.text.charAt(0).toLowerCase()}${l.text.slice(1)}` : label ? `${label}. ${l.text}` : l.text;
  return {
    kind: l.kind,
    actor: l.to,
    from: l.from,
    to: l.to,
    token: l.token,
    title: l.title,
    narration: base.replace(/\.\.$/, '.'),
    details: a.bytes !== undefined ? [{ label: 'Bytes', value: String(a.bytes) }] : [],
    status,
  };
}

/** The envelope steps a GenerateDataKey caller is expected to take when the page reported none. */
function expectedAfter(opName: string): LocalStep['step'][] {
  return opName === 'GenerateDataKey' ? ['encrypt-locally', 'store-envelope', 'forget-data-key'] : [];
}

const CRYPTO_OPS = new Set(['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncrypt']);

/** The ordered steps of one trail record (and the local steps the page reported after it). */
export function buildSteps(event: TrailEventRecord, opts: BuildStepsOptions = {}): StepSequence {
  const f = facts(event, opts);
  const opName = f.rec.eventName;
  const isServiceEvent = f.rec.eventType === 'AwsServiceEvent';
  let drafts = CRYPTO_OPS.has(opName) ? cryptoDrafts(f, opName) : genericDrafts(f, opName, isServiceEvent);
  if (f.error) {
    const i = CRYPTO_OPS.has(opName) ? failureIndex(drafts, f) : failureIndexGeneric(drafts, f);
    drafts = failAt(drafts, i, f);
  } else if (!isServiceEvent) {
    const mine = (opts.activities ?? []).filter((a) => a.afterEventId === event.id).sort((a, b) => a.at - b.at);
    const before = mine.filter((a) => a.step === 'load-envelope').map((a) => localDraft(a, 'ok'));
    const after = mine.filter((a) => a.step !== 'load-envelope').map((a) => localDraft(a, 'ok'));
    const expected = mine.length === 0 ? expectedAfter(opName).map((step) => localDraft({ kind: 'local', step, label: '', at: 0 }, 'expected')) : [];
    drafts = [...before, ...drafts, ...after, ...expected];
  }
  const steps = drafts.map((d, n): AnimationStep => ({ ...d, id: `${event.id}#${n}`, eventId: event.id, status: d.status ?? 'ok' }));
  const sequence: StepSequence = { eventId: event.id, eventName: opName, failed: f.error !== undefined, steps };
  const service = serviceActorOf(f.rec);
  return service ? withServiceActor(sequence, service) : sequence;
}

function failureIndexGeneric(drafts: readonly Draft[], f: Facts): number {
  const denied = f.authz.findIndex((a) => a.decision !== 'Allow');
  if (denied >= 0) return 1 + denied;
  if (f.authz.length === 0) return 0;
  return drafts.findIndex((d) => d.kind === 'operation');
}
