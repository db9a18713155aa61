/**
 * Unsaved key policy edits, per key, kept for the life of a sandbox: the key detail re-creates its
 * panels when the learner picks another key, so the drafts live here and the editor finds its key's
 * draft again on return. One instance per sandbox (`policyDraftsOf(sandbox)`), not a module-wide
 * store: a replaced sandbox starts without drafts.
 */

/** A policy being edited. */
export interface PolicyDraft {
  /** The text in the editor. */
  text: string;
  /** The stored policy when editing started (to notice a change saved elsewhere). */
  base: string;
}

export class PolicyDrafts {
  #drafts = $state<Record<string, PolicyDraft>>({});

  /** The draft of `keyArn`, if its policy is being edited. */
  get(keyArn: string): PolicyDraft | undefined {
    return this.#drafts[keyArn];
  }

  /** Starts editing `keyArn` from its stored policy. */
  open(keyArn: string, stored: string): void {
    this.#drafts[keyArn] = { text: stored, base: stored };
  }

  /** Ends editing `keyArn` (saved or cancelled). */
  close(keyArn: string): void {
    delete this.#drafts[keyArn];
  }

  /** Keys other than `keyArn` whose draft differs from the policy it started from. */
  unsavedExcept(keyArn: string): string[] {
    return Object.entries(this.#drafts)
      .filter(([arn, d]) => arn !== keyArn && d.text !== d.base)
      .map(([arn]) => arn);
  }

  /** Some draft has changes. */
  get hasUnsaved(): boolean {
    return Object.values(this.#drafts).some((d) => d.text !== d.base);
  }
}

const BY_OWNER = new WeakMap<object, PolicyDrafts>();

/** The drafts of one sandbox (created on first use). */
export function policyDraftsOf(owner: object): PolicyDrafts {
  let drafts = BY_OWNER.get(owner);
  if (!drafts) {
    drafts = new PolicyDrafts();
    BY_OWNER.set(owner, drafts);
  }
  return drafts;
}
