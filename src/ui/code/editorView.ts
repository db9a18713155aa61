/**
 * The app's CodeMirror 6 view, shared by the Code panel's editor (code/editor.ts) and the key
 * policy editor (policy/codeEditor.ts): basic setup, the given language and extras, line wrapping,
 * an accessible name, a change callback, and a theme from the --editor-* variables the component
 * sets (in dark mode it gives the editor light colours and inverts it as a whole, so the light
 * syntax highlighting keeps its contrast). Imported only by lazily loaded modules, so CodeMirror
 * stays out of the first page load.
 */
import { basicSetup, EditorView } from 'codemirror';

/** CodeMirror's Extension type, as EditorView takes it (its package is not a direct dependency). */
type Extension = NonNullable<NonNullable<ConstructorParameters<typeof EditorView>[0]>['extensions']>;

/** What differs between the app's editors. */
export interface AppEditorOptions {
  readonly doc: string;
  /** The language and any extras (e.g. a lint gutter). */
  readonly extensions: readonly Extension[];
  /** Attributes of the editable element: at least `aria-label`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Height bounds of the scroll area (CSS lengths). */
  readonly minHeight: string;
  readonly maxHeight: string;
  /** Gets the full text after every edit. */
  readonly onChange: (text: string) => void;
}

/** Mounts an editor view in `parent`. */
export function createAppEditorView(parent: HTMLElement, options: AppEditorOptions): EditorView {
  const theme = EditorView.theme({
    '&': { backgroundColor: 'var(--editor-bg)', color: 'var(--editor-fg)', fontSize: '0.85rem', border: '1px solid var(--editor-border)', borderRadius: '6px' },
    '&.cm-focused': { outline: 'none' },
    '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--editor-fg)' },
    '.cm-scroller': { fontFamily: 'var(--mono)', minHeight: options.minHeight, maxHeight: options.maxHeight },
    '.cm-gutters': { backgroundColor: 'var(--editor-gutter)', color: 'var(--editor-muted)', borderRight: '1px solid var(--editor-border)' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--editor-active)' },
  });
  return new EditorView({
    parent,
    doc: options.doc,
    extensions: [
      basicSetup,
      ...options.extensions,
      theme,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ ...options.attributes }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) options.onChange(u.state.doc.toString());
      }),
    ],
  });
}

/** Replaces the whole text of `view` (one undoable change). */
export function replaceDoc(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
