/**
 * The step model of the envelope-encryption animation (issue 5, "Animation (D3)"): what one KMS
 * call — and what the page did locally around it — looks like as an ordered list of steps between
 * four actors. Pure data: the D3 renderer draws it, the narration reads it, tests check it.
 */

/** Who acts in a step (the four lanes of the animation; `service`: an AWS service calling KMS for the application, see serviceActor.ts). */
export type ActorId = 'app' | 'service' | 'kms' | 'hsm' | 'storage';

/** The actors in drawing order, with their labels. */
export const ACTORS: readonly { readonly id: ActorId; readonly label: string }[] = [
  { id: 'app', label: 'Application' },
  { id: 'kms', label: 'KMS front end' },
  { id: 'hsm', label: 'HSM boundary' },
  { id: 'storage', label: 'Storage' },
];

/** Label of an actor ("KMS front end"). */
export function actorLabel(id: ActorId): string {
  return ACTORS.find((a) => a.id === id)?.label ?? id;
}

/** What a step is about. */
export type StepKind =
  /** The application's request reaches KMS (key id, encryption context). */
  | 'request'
  /** KMS evaluates the key policy, IAM policies and grants. */
  | 'authorization'
  /** The key state is checked and a material version chosen inside the HSM boundary. */
  | 'material'
  /** The HSM generates, wraps or unwraps key bytes (or encrypts/decrypts a small payload). */
  | 'hsm-crypto'
  /** KMS answers the application. */
  | 'response'
  /** Any other operation's work inside KMS (CreateKey, TagResource, a service event, ...). */
  | 'operation'
  /** The application encrypts data with the plaintext data key (AES-GCM, locally). */
  | 'local-encrypt'
  /** The application decrypts data with the plaintext data key. */
  | 'local-decrypt'
  /** The ciphertext and the encrypted data key are stored together (an envelope). */
  | 'store'
  /** An envelope is read back from storage. */
  | 'load'
  /** The plaintext data key is wiped from the application's memory. */
  | 'forget';

/** What travels along the step's arrow (drawn as a labelled token). */
export type Token = 'request' | 'plaintext-key' | 'encrypted-key' | 'keys' | 'ciphertext' | 'plaintext' | 'envelope' | 'none';

/**
 * `ok`: it happened. `failed`: the call stopped here. `expected`: what a client does next
 * according to the envelope-encryption pattern, shown when the page reported nothing (the
 * call came from the CLI or SDK, whose local work the page cannot see).
 */
export type StepStatus = 'ok' | 'failed' | 'expected';

/** A label/value pair shown with a step (KeyId, EncryptionContext, statement, material version). */
export interface StepDetail {
  readonly label: string;
  readonly value: string;
}

/** One step of the animation. */
export interface AnimationStep {
  /** Unique within its sequence: `<eventID>#<n>`. */
  readonly id: string;
  readonly kind: StepKind;
  /** Who does the work of this step (highlighted). */
  readonly actor: ActorId;
  /** Where the token starts and ends (equal to `actor` when nothing moves). */
  readonly from: ActorId;
  readonly to: ActorId;
  readonly token: Token;
  /** Short heading ("Authorization"). */
  readonly title: string;
  /** One full sentence: the narration for reduced motion and screen readers. */
  readonly narration: string;
  /** The CloudTrail eventID this step belongs to (highlighted in the trail). */
  readonly eventId: string;
  readonly status: StepStatus;
  /** AWS error code and message when `status` is `failed`. */
  readonly failure?: { readonly errorCode: string; readonly errorMessage: string };
  readonly details: readonly StepDetail[];
  /** Label of the service actor ("Amazon S3") when the call came through an AWS service: draw its lane. */
  readonly service?: string;
}

/** The steps of one trail record. */
export interface StepSequence {
  readonly eventId: string;
  readonly eventName: string;
  /** True when the call failed (its last step is `failed`). */
  readonly failed: boolean;
  readonly steps: readonly AnimationStep[];
  /** The AWS service the call came through (`userIdentity.invokedBy`), absent for a direct call. */
  readonly service?: { readonly host: string; readonly label: string; readonly isSelf: boolean; readonly viaService: string };
}

/**
 * A step the page did outside KMS, as the UI's activity bus announces it (src/ui/activity.ts
 * publishes this type as `LocalActivity`). Carries no secrets.
 */
export interface LocalStep {
  readonly kind: 'local';
  /** What happened, in flow order. */
  readonly step: 'encrypt-locally' | 'decrypt-locally' | 'store-envelope' | 'load-envelope' | 'forget-data-key';
  /** A short sentence for narration ("AES-256-GCM encrypted 1.2 MB locally"). */
  readonly label: string;
  /** Bytes processed, when meaningful. */
  readonly bytes?: number;
  /** The trail eventID of the KMS call this step follows (GenerateDataKey / Decrypt), if any. */
  readonly afterEventId?: string;
  /** Wall-clock ms when it happened. */
  readonly at: number;
}
