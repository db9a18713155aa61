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

// Colours come from --editor-* variables set by the panel: in dark mode it gives the editor light
// colours and inverts it as a whole, so the light syntax highlighting keeps its contrast.
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--editor-bg)', color: 'var(--editor-fg)', fontSize: '0.85rem', border: '1px solid var(--editor-border)', borderRadius: '6px' },
  '&.cm-focused': { outline: 'none' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--editor-fg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', minHeight: '16rem', maxHeight: '32rem' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter)', color: 'var(--editor-muted)', borderRight: '1px solid var(--editor-border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--editor-active)' },
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
      EditorView.lineWrapping,
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
