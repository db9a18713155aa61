/**
 * The encryption context editor's model: rows of key/value text fields turned into the
 * `EncryptionContext` map KMS takes (kms-semantics.md: a map of strings, bound into the
 * ciphertext, required again, exactly, to decrypt). Blank rows are ignored; the service checks
 * lengths and characters itself, so its ValidationException reaches the learner unchanged.
 */

/** One row of the editor. */
export interface ContextEntry {
  key: string;
  value: string;
}

/** What the rows make. `value` is undefined when there is no context (no key sent at all). */
export type ContextResult =
  | { readonly ok: true; readonly value: Record<string, string> | undefined }
  | { readonly ok: false; readonly problem: string };

/** Turns editor rows into an EncryptionContext, or says what is wrong with them. */
export function toEncryptionContext(entries: readonly ContextEntry[]): ContextResult {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [i, e] of entries.entries()) {
    if (e.key === '' && e.value === '') continue;
    if (e.key === '') return { ok: false, problem: `Pair ${i + 1} has a value but no key.` };
    if (Object.hasOwn(out, e.key)) return { ok: false, problem: `The key "${e.key}" appears twice; each context key appears once.` };
    out[e.key] = e.value;
    count++;
  }
  return { ok: true, value: count === 0 ? undefined : out };
}

/** Editor rows showing a context (e.g. one read from an envelope), keys in order. */
export function fromEncryptionContext(context: Readonly<Record<string, string>> | undefined): ContextEntry[] {
  return Object.entries(context ?? {}).map(([key, value]) => ({ key, value }));
}

/** `{"purpose":"demo"}` style one-line text of a context, for result summaries. */
export function contextSummary(context: Readonly<Record<string, string>> | undefined): string {
  return context === undefined || Object.keys(context).length === 0 ? '(none)' : JSON.stringify(context);
}
