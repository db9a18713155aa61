/**
 * What the header's share, undo, timeline and sandbox-switcher controls ask of the App (issue 6).
 * The App owns the flows (they replace the open sandbox); it sets one `ShareControls` in context
 * above the workspace, and the header reads it with `getShareControls()`.
 */
import { createContext } from 'svelte';
import type { SandboxState } from '../sandbox.svelte';
import type { OpenDecision } from './openLink';
import type { KnownSandbox } from './sandboxes';

/** The App's side of the controls. */
export interface ShareActions {
  /** Shows a decision (an imported file's refusal or confirmation) in the open dialog. */
  offer(decision: OpenDecision): void;
  /** "Undo last call" (asks first). */
  undo(): void;
  /** Shows the sandbox as it was after `k` log entries, read-only. */
  previewAt(k: number): void;
  /** Leaves the preview. */
  backToNow(): void;
  /** Makes the previewed step the current state (asks first). */
  restoreHere(): void;
  /** Opens another remembered sandbox database. */
  switchTo(dbName: string): void;
}

export class ShareControls {
  /** The timeline bar is shown. */
  historyOpen = $state(false);
  /** The step being previewed (null: the present). */
  previewStep = $state<number | null>(null);
  /** A replay or switch is running. */
  busy = $state(false);
  /** The sandbox the App shows (the user's, or a preview of its history); a lesson shows another. */
  current = $state.raw<SandboxState | null>(null);
  /** The sandbox databases this browser remembers. */
  sandboxes = $state<KnownSandbox[]>([]);
  readonly actions: ShareActions;

  constructor(actions: ShareActions) {
    this.actions = actions;
  }
}

export const [getShareControls, setShareControls] = createContext<ShareControls>();
