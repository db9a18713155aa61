/**
 * The Code panel's editor: CodeMirror 6 (`codemirror` basic setup + JavaScript mode), themed with
 * the app's colour tokens. Imported only by the lazily loaded Code panel, so CodeMirror is
 * fetched when that panel first opens, not on the first page load.
 */
import { javascript } from '@codemirror/lang-javascript';
import { basicSetup, EditorView } from 'codemirror';

/** A mounted editor. */
export interface CodeEditor {
  /** Replaces the whole text (one undoable change). */
  setDoc(text: string): void;
  destroy(): void;
}

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--text)', fontSize: '0.85rem', border: '1px solid var(--border)', borderRadius: '6px' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', minHeight: '16rem', maxHeight: '32rem' },
  '.cm-gutters': { backgroundColor: 'var(--surface)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--hover)' },
});

/** Mounts an editor in `parent`; `onChange` gets the full text after every edit. */
export function createCodeEditor(parent: HTMLElement, options: { doc: string; label: string; onChange: (text: string) => void }): CodeEditor {
  const view = new EditorView({
    parent,
    doc: options.doc,
    extensions: [
      basicSetup,
      javascript(),
      theme,
      EditorView.contentAttributes.of({ 'aria-label': options.label }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) options.onChange(u.state.doc.toString());
      }),
    ],
  });
  return {
    setDoc(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    destroy() {
      view.destroy();
    },
  };
}
