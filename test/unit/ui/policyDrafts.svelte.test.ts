/**
 * Policy drafts (src/ui/policy/drafts.svelte.ts): one set per sandbox object, a draft per key,
 * "unsaved" meaning the text differs from the stored policy the draft started from.
 */
import { describe, expect, it } from 'vitest';
import { policyDraftsOf } from '../../../src/ui/policy/drafts.svelte';

describe('policy drafts', () => {
  it('are kept per key and per sandbox', () => {
    const sandbox = {};
    const drafts = policyDraftsOf(sandbox);
    expect(policyDraftsOf(sandbox)).toBe(drafts);
    expect(policyDraftsOf({})).not.toBe(drafts);

    drafts.open('arn:key/a', 'A');
    drafts.open('arn:key/b', 'B');
    expect(drafts.hasUnsaved).toBe(false);
    expect(drafts.unsavedExcept('arn:key/a')).toEqual([]);

    drafts.get('arn:key/b')!.text = 'B changed';
    expect(drafts.hasUnsaved).toBe(true);
    expect(drafts.unsavedExcept('arn:key/a')).toEqual(['arn:key/b']);
    expect(drafts.unsavedExcept('arn:key/b')).toEqual([]);

    drafts.close('arn:key/b');
    expect(drafts.get('arn:key/b')).toBeUndefined();
    expect(drafts.hasUnsaved).toBe(false);
    expect(drafts.get('arn:key/a')).toEqual({ text: 'A', base: 'A' });
  });
});
