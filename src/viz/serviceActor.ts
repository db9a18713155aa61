/**
 * The service actor of the animation (issue 8): a KMS call an AWS service made for a principal —
 * S3's GenerateDataKey for a PutObject, EBS's CreateGrant at attach, Secrets Manager's Decrypt for
 * a GetSecretValue — gets a third actor between the application and KMS.
 *
 * CloudTrail shows such a call with `userIdentity.invokedBy` (`s3.amazonaws.com`) and the service
 * host as `sourceIPAddress` and `userAgent` (kms-semantics.md §10; src/trail/toCloudTrail.ts); a
 * call the service makes as itself has `userIdentity.type` `AWSService`. Both are read here, from
 * the record alone. `AWS Internal` (KMS's own scheduled events) is not a service actor.
 *
 * `withServiceActor` rewrites the steps `buildSteps` made for a direct call: what went between
 * the application and KMS now goes between the service and KMS, the application's request to the
 * service comes first (unless the service acted by itself), and the envelope work the page would
 * have done locally is done by the service, then the service answers the application. A failed
 * call still ends on its failed KMS step (the service's own error is not in the KMS record).
 */
import type { CloudTrailRecord, JsonValue } from '../kms';
import { ACTORS, actorLabel, type ActorId, type AnimationStep, type StepSequence } from './stepTypes';

/** The AWS service a call came through. */
export interface ServiceActor {
  /** The service principal as CloudTrail names it (`s3.amazonaws.com`). */
  readonly host: string;
  /** The actor's label ("Amazon S3"). */
  readonly label: string;
  /** True when the service called as itself (`userIdentity.type` `AWSService`), not for a principal. */
  readonly isSelf: boolean;
  /** The `kms:ViaService` value KMS evaluated (`s3.us-east-1.amazonaws.com`), from the host and the record's Region. */
  readonly viaService: string;
}

/** Labels of the services the playground simulates; others are named by their host. */
const SERVICE_LABELS: Readonly<Record<string, string>> = {
  's3.amazonaws.com': 'Amazon S3',
  'ec2.amazonaws.com': 'Amazon EBS (EC2)',
  'ebs.amazonaws.com': 'Amazon EBS (EC2)',
  'secretsmanager.amazonaws.com': 'Secrets Manager',
};

const EC2_INFRASTRUCTURE_RE = /:assumed-role\/aws[:-]ec2-infrastructure\//;
const SERVICE_HOST_RE = /^[a-z0-9-]+(\.[a-z0-9-]+)?\.amazonaws\.com$/;

/** Label of a service host ("Amazon S3"; an unknown host is shown as is). */
export function serviceLabel(host: string): string {
  return SERVICE_LABELS[host] ?? SERVICE_LABELS[host.replace(/^([a-z0-9-]+)\.[a-z0-9-]+\.amazonaws\.com$/, '$1.amazonaws.com')] ?? host;
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The service a record's call came through (invokedBy, else a service host as source), or null for a direct call. */
export function serviceActorOf(rec: Pick<CloudTrailRecord, 'userIdentity' | 'sourceIPAddress' | 'eventType'> & Partial<Pick<CloudTrailRecord, 'awsRegion'>>): ServiceActor | null {
  if (rec.eventType === 'AwsServiceEvent') return null;
  const identity = rec.userIdentity ?? {};
  // EC2's infrastructure role decrypts a volume's data key at attach, as the grantee of the grant
  // EC2 made (AWS: `aws:ec2-infrastructure`; the sandbox's stand-in: `aws-ec2-infrastructure`).
  if (EC2_INFRASTRUCTURE_RE.test(str(identity['arn']) ?? '')) {
    const viaService = rec.awsRegion ? `ec2.${rec.awsRegion}.amazonaws.com` : 'ec2.amazonaws.com';
    return { host: 'ec2.amazonaws.com', label: serviceLabel('ec2.amazonaws.com'), isSelf: true, viaService };
  }
  const host = str(identity['invokedBy']) ?? (SERVICE_HOST_RE.test(rec.sourceIPAddress ?? '') ? rec.sourceIPAddress : undefined);
  if (host === undefined || !SERVICE_HOST_RE.test(host)) return null;
  const bare = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  const viaService = bare && rec.awsRegion ? `${bare[1]}.${rec.awsRegion}.amazonaws.com` : host;
  return { host, label: serviceLabel(host), isSelf: str(identity['type']) === 'AWSService', viaService };
}

/** The lanes to draw for a step: the four default actors, with the service between the application and KMS when the step has one. */
export function lanesFor(step: Pick<AnimationStep, 'service'> | null): readonly { readonly id: ActorId; readonly label: string }[] {
  if (!step?.service) return ACTORS;
  return [ACTORS[0]!, { id: 'service', label: step.service }, ...ACTORS.slice(1)];
}

/** Label of the actor doing a step ("Amazon S3" for the service actor). */
export function stepActorLabel(step: Pick<AnimationStep, 'actor' | 'service'>): string {
  return step.actor === 'service' ? (step.service ?? 'AWS service') : actorLabel(step.actor);
}

/** What the application asked the service for, by the KMS operation the service then called. */
const APP_REQUESTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Amazon S3': {
    GenerateDataKey: 'PutObject (store an object with SSE-KMS)',
    Decrypt: 'GetObject (read an SSE-KMS object)',
    DescribeKey: 'an SSE-KMS request naming a key or alias',
  },
  'Amazon EBS (EC2)': {
    GenerateDataKeyWithoutPlaintext: 'CreateVolume (an encrypted volume)',
    CreateGrant: 'AttachVolume (attach an encrypted volume)',
    Decrypt: 'AttachVolume (attach an encrypted volume)',
    ReEncrypt: 'CopySnapshot (to another key)',
    DescribeKey: 'an encrypted volume naming a key or alias',
  },
  'Secrets Manager': {
    GenerateDataKey: 'CreateSecret or PutSecretValue',
    Decrypt: 'GetSecretValue',
    DescribeKey: 'a secret naming a key or alias',
  },
};

/** What the service itself does with the data key after KMS answered (the envelope work). */
const SERVICE_AFTER: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  GenerateDataKey: {
    'Amazon S3': 'S3 encrypts the object with the plaintext data key (AES-256-GCM), stores the encrypted data key with the object, and discards the plaintext key.',
    'Secrets Manager': 'Secrets Manager encrypts the secret value with the plaintext data key, stores the encrypted data key with the version, and discards the plaintext key.',
  },
  Decrypt: {
    'Amazon S3': 'S3 decrypts the object with the data key and discards it.',
    'Secrets Manager': 'Secrets Manager decrypts the secret value with the data key and discards it.',
    'Amazon EBS (EC2)': 'The volume data key is loaded into the instance host, which encrypts and decrypts the volume’s I/O with it.',
  },
};

const SWAP: Readonly<Partial<Record<ActorId, ActorId>>> = { app: 'service' };
const swap = (id: ActorId): ActorId => SWAP[id] ?? id;

/** Steps of a call made through `service`: the application's part is played by the service. */
export function withServiceActor(seq: StepSequence, service: ServiceActor): StepSequence {
  const { label } = service;
  const kmsSteps = seq.steps.filter((s) => s.status !== 'expected');
  const base = kmsSteps[0];
  if (!base) return { ...seq, service };
  const mk = (n: number, s: Omit<AnimationStep, 'id' | 'eventId' | 'service'>): AnimationStep => ({ ...s, id: `${seq.eventId}#${n}`, eventId: seq.eventId, service: label });
  const appAsked = APP_REQUESTS[label]?.[seq.eventName];
  const out: AnimationStep[] = [];
  if (!service.isSelf) {
    out.push(
      mk(0, {
        kind: 'request',
        actor: 'service',
        from: 'app',
        to: 'service',
        token: 'request',
        title: `Request to ${label}`,
        narration: `The application calls ${label}${appAsked ? ` (${appAsked})` : ''}; ${label} calls KMS ${seq.eventName} for it, with the application's identity and permissions.`,
        status: 'ok',
        details: [{ label: 'kms:ViaService', value: service.viaService }],
      }),
    );
  }
  for (const s of kmsSteps) {
    const narration = s.narration
      .replace(/^The application calls /, `${label} calls `)
      .replace(/ to the application\b/g, ` to ${label}`)
      .replace(/\bthe application's /g, `${label}'s `);
    out.push(mk(out.length, { ...s, actor: swap(s.actor), from: swap(s.from), to: swap(s.to), narration }));
  }
  if (!seq.failed) {
    const after = SERVICE_AFTER[seq.eventName]?.[label];
    if (after) out.push(mk(out.length, { kind: 'local-encrypt', actor: 'service', from: 'service', to: 'service', token: 'plaintext-key', title: `${label} uses the data key`, narration: after, status: 'ok', details: [] }));
    if (!service.isSelf) {
      out.push(
        mk(out.length, {
          kind: 'response',
          actor: 'app',
          from: 'service',
          to: 'app',
          token: 'none',
          title: `${label} response`,
          narration: `${label} answers the application; the plaintext data key never reached it.`,
          status: 'ok',
          details: [],
        }),
      );
    }
  }
  return { ...seq, service, steps: out };
}
