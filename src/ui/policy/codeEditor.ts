/**
 * The key policy editor's CodeMirror 6 view: basic setup, JSON mode, a lint gutter fed with the
 * problems and findings computed outside (validate.ts, findings.ts: one computation, shown both
 * here and as a list for screen readers), themed with the --editor-* variables the component sets.
 *
 * Keyboard: Tab is NOT bound (no `indentWithTab`), so Tab and Shift+Tab move focus out of the
 * editor as everywhere else on the page; indent with Mod+] and Mod+[ (CodeMirror's default
 * keymap). F8 / Shift+F8 jump between diagnostics, Mod+Shift+M opens the lint panel.
 *
 * Imported only by the lazily loaded editor component: CodeMirror stays out of the first load.
 */
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { createAppEditorView, replaceDoc } from '../code/editorView';
import type { PolicyProblem } from './validate';

/** A mounted policy editor. */
export interface PolicyCodeEditor {
  /** Shows `problems` as diagnostics if the document is still `text` (otherwise a newer check is coming). */
  showProblems(text: string, problems: readonly PolicyProblem[]): void;
  /** Selects `from`–`to`, scrolls it into view and focuses the editor. */
  select(from: number, to: number): void;
  /** Replaces the whole text (one undoable change). */
  setDoc(text: string): void;
  focus(): void;
  destroy(): void;
}

/** Mounts an editor in `parent`; `onChange` gets the full text after every edit. */
export function createPolicyEditor(
  parent: HTMLElement,
  options: { doc: string; label: string; describedBy?: string; onChange: (text: string) => void },
): PolicyCodeEditor {
  const attributes: Record<string, string> = { 'aria-label': options.label };
  if (options.describedBy) attributes['aria-describedby'] = options.describedBy;
  const view = createAppEditorView(parent, {
    doc: options.doc,
    extensions: [json(), lintGutter()],
    attributes,
    minHeight: '12rem',
    maxHeight: '28rem',
    onChange: options.onChange,
  });
  return {
    showProblems(text, problems) {
      if (view.state.doc.toString() !== text) return;
      // A finding about the whole document is marked on its first line only (the list gives its range).
      const diagnostics: Diagnostic[] = problems.map((p) => ({
        from: p.from,
        to: p.statement === null ? Math.min(p.to, view.state.doc.lineAt(p.from).to) : p.to,
        severity: p.level,
        source: p.source,
        message: p.message,
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    select(from, to) {
      const length = view.state.doc.length;
      const anchor = Math.min(from, length);
      view.dispatch({ selection: { anchor, head: Math.min(Math.max(to, anchor), length) }, scrollIntoView: true });
      view.focus();
    },
    setDoc: (text) => replaceDoc(view, text),
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
