/**
 * The page's activity bus: steps that happen outside KMS (local AES-GCM with a data key, storing
 * an envelope, forgetting the plaintext key) published by the workbench, so the animation can show
 * an envelope-encryption flow end to end next to the KMS calls it reads from the trail.
 *
 * Carries no secrets: only step names, sizes and the trail event ids the steps belong to.
 */

import type { LocalStep } from '../viz';

/**
 * A step the page did itself (not a KMS call; those are in the trail). The animation's step model
 * (src/viz, which may not import ui) owns the shape; the bus publishes exactly it.
 */
export type LocalActivity = LocalStep;

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
