/**
 * The Code panel's editor: CodeMirror 6 (`codemirror` basic setup + JavaScript mode), themed with
 * the app's colour tokens. Imported only by the lazily loaded Code panel, so CodeMirror is
 * fetched when that panel first opens, not on the first page load.
 */
import { javascript } from '@codemirror/lang-javascript';
import { createAppEditorView, replaceDoc } from './editorView';

/** A mounted editor. */
export interface CodeEditor {
  /** Replaces the whole text (one undoable change). */
  setDoc(text: string): void;
  destroy(): void;
}

/** Mounts an editor in `parent`; `onChange` gets the full text after every edit. */
export function createCodeEditor(parent: HTMLElement, options: { doc: string; label: string; onChange: (text: string) => void }): CodeEditor {
  const view = createAppEditorView(parent, {
    doc: options.doc,
    extensions: [javascript()],
    attributes: { 'aria-label': options.label },
    minHeight: '16rem',
    maxHeight: '32rem',
    onChange: options.onChange,
  });
  return {
    setDoc: (text) => replaceDoc(view, text),
    destroy() {
      view.destroy();
    },
  };
}
