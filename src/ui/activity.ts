/**
 * The page's activity bus: steps that happen outside KMS (local AES-GCM with a data key, storing
 * an envelope, forgetting the plaintext key) published by the workbench, so the animation can show
 * an envelope-encryption flow end to end next to the KMS calls it reads from the trail.
 *
 * Carries no secrets: only step names, sizes and the trail event ids the steps belong to.
 */

/** A step the page did itself (not a KMS call; those are in the trail). */
export interface LocalActivity {
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

export type Activity = LocalActivity;

/** A tiny synchronous publish/subscribe channel. */
export class ActivityBus {
  readonly #listeners = new Set<(a: Activity) => void>();

  /** Calls `listener` for every later activity; returns the unsubscribe function. */
  subscribe(listener: (a: Activity) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Announces one activity to every listener (a throwing listener does not stop the others). */
  publish(activity: Activity): void {
    for (const l of [...this.#listeners]) {
      try {
        l(activity);
      } catch (e) {
        console.error('activity listener failed', e);
      }
    }
  }
}
