/**
 * The lesson files, bundled as data (issue 6): every `lessons/<NN-part>/<NN-lesson>/*.{md,json}`
 * is a lazy raw-text module (its own small chunk), fetched when the Lessons tab lists or opens a
 * lesson. Lesson files are Markdown and JSON only: nothing in them runs.
 */
import { loadLesson, parseFrontmatter, type LoadResult } from '../../lessons';

const FILES = import.meta.glob('/lessons/**/*.{md,json}', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

const FOLDER = /^\/lessons\/(\d\d-[\w-]+)\/(\d\d-[\w-]+)\/([\w.-]+)$/;

/** One lesson in the list. */
export interface CatalogEntry {
  /** Folder, e.g. `02-access/03-key-policy-lockout`. */
  readonly path: string;
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Part folder and its display title (`02-access` → `Access`). */
  readonly part: string;
  readonly partTitle: string;
  readonly number: number;
}

/** Lesson folders found among the given file paths, in order. */
export function lessonFolders(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const m = FOLDER.exec(p);
    if (m) out.add(`${m[1]}/${m[2]}`);
  }
  return [...out].sort();
}

/** `02-access` → `Access`, `04-capstone` → `Capstone`. */
export function partTitle(part: string): string {
  const words = part.replace(/^\d+-/, '').split('-');
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

async function filesOf(path: string, files = FILES): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const prefix = `/lessons/${path}/`;
  await Promise.all(
    Object.entries(files)
      .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .map(async ([p, load]) => {
        out[p.slice(prefix.length)] = await load();
      }),
  );
  return out;
}

/** Lists every lesson (from its index.md frontmatter); folders that cannot be read are reported. */
export async function loadCatalog(): Promise<{ entries: CatalogEntry[]; errors: string[] }> {
  const entries: CatalogEntry[] = [];
  const errors: string[] = [];
  for (const path of lessonFolders(Object.keys(FILES))) {
    const load = FILES[`/lessons/${path}/index.md`];
    const fm = load ? parseFrontmatter(await load()) : null;
    if (!fm?.data.id || !fm.data.title) {
      errors.push(`${path}: index.md has no id or title`);
      continue;
    }
    const [part, lesson] = path.split('/') as [string, string];
    entries.push({ path, id: fm.data.id, title: fm.data.title, summary: fm.data.summary ?? '', part, partTitle: partTitle(part), number: parseInt(lesson, 10) });
  }
  return { entries, errors };
}

/** Loads and validates one lesson folder. */
export async function loadLessonFolder(path: string): Promise<LoadResult> {
  return loadLesson(await filesOf(path), path);
}
