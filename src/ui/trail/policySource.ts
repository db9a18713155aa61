/**
 * The policy document a "why" step refers to, read from the repository as it is now (the key's
 * `default` key policy, or the principal's identity policy), prepared for display: the text with
 * its lines, the statements' line ranges, and the lines of the referenced statement.
 */
import type { Repository } from '../../kms';
import { displayPolicy, statementLineRanges, type StatementLines } from './policyLines';
import type { PolicyRef } from './whySteps';

/** A document ready to show with one statement highlighted. */
export interface PolicySource {
  /** `Key policy "default" of arn:...` or `Identity policy "X" of arn:...`. */
  readonly title: string;
  readonly lines: readonly string[];
  readonly statements: readonly StatementLines[];
  /** Lines of the referenced statement, or null when the document no longer has it. */
  readonly highlight: StatementLines | null;
}

/** The document behind `ref`, or null when it no longer exists (a deleted key, a removed policy). */
export function policySourceFor(repo: Repository, ref: PolicyRef): PolicySource | null {
  const stored =
    ref.kind === 'key-policy' ? repo.get('policy', `${ref.keyArn}/default`)?.document : repo.get('identityPolicy', `${ref.principalArn}#${ref.policyName}`)?.document;
  if (stored === undefined) return null;
  const text = displayPolicy(stored);
  const statements = statementLineRanges(text);
  return {
    title: ref.kind === 'key-policy' ? `Key policy "default" of ${ref.keyArn}` : `Identity policy "${ref.policyName}" of ${ref.principalArn}`,
    lines: text.split('\n'),
    statements,
    highlight: statements.find((s) => s.index === ref.statementIndex) ?? null,
  };
}
