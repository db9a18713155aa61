/**
 * One action's call (key console, IAM forms, clock, workbench): busy while it runs, the AWS error it ended with (shown
 * with ErrorMessage), and the last success message. A failed call leaves its error until the next
 * run, so a denial stays readable.
 */
export class ActionState {
  busy = $state(false);
  error = $state<unknown>(null);
  /** A short note after success (e.g. the grant token), or null. */
  done = $state<string | null>(null);

  /** Runs `action`; its error (a KmsError, or a form message) is kept in `error`. Resolves to whether it succeeded. */
  async run(action: () => Promise<string | null | void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.done = null;
    try {
      this.done = (await action()) ?? null;
      return true;
    } catch (e) {
      this.error = e;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Forgets the outcome (e.g. when another key is selected). */
  reset(): void {
    this.error = null;
    this.done = null;
  }
}
