/**
 * Bundle size of a production build (issue 5: initial JS ≤ 150 KB gzip). The initial JS is what
 * the browser must load before the app starts: the entry script of index.html and, transitively,
 * its static imports. Lazy chunks (`import()`: the editor, the Code panel's SDK, D3 parts) and
 * workers are listed but not counted.
 *
 * The initial set comes from Vite's build manifest (`dist/.vite/manifest.json`, `build.manifest`
 * in vite.config.ts): the entry chunk of `index.html` plus its `imports`, recursively (the
 * manifest's `dynamicImports` are lazy). Without a manifest, index.html is parsed instead: its
 * module scripts and `modulepreload` links (Vite lists every static import of the entry there).
 * Gzip is node:zlib at level 9, the figure a static host with maximum compression would serve.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

/** One JavaScript file of the build. */
export interface ChunkSize {
  /** Path relative to the dist folder, with `/` separators (e.g. `assets/index-abc.js`). */
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  /** True when the file is loaded before the app starts (entry or one of its static imports). */
  readonly initial: boolean;
}

/** What `measureBundleSize` reports. */
export interface BundleSize {
  /** Sum of the gzip sizes of the initial files (each compressed on its own, as served). */
  readonly initialJsGzipBytes: number;
  readonly initialJsRawBytes: number;
  /** Every .js file of the build, initial ones first, then by decreasing raw size. */
  readonly chunks: ChunkSize[];
}

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
}

type Manifest = Record<string, ManifestChunk>;

/** Every file under `dir` (relative, `/`-separated), skipping dot folders such as `.vite`. */
async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, base)));
    else out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

async function readManifest(distDir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** The entry of index.html and its static imports, transitively (manifest keys → files). */
function initialFromManifest(manifest: Manifest): Set<string> {
  const keys = Object.keys(manifest);
  const htmlEntries = keys.filter((k) => manifest[k]!.isEntry === true && k.endsWith('.html'));
  const entries = htmlEntries.length > 0 ? htmlEntries : keys.filter((k) => manifest[k]!.isEntry === true && manifest[k]!.isDynamicEntry !== true);
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) return;
    if (chunk.file.endsWith('.js')) files.add(chunk.file);
    for (const i of chunk.imports ?? []) visit(i);
  };
  entries.forEach(visit);
  return files;
}

/** Module scripts and modulepreload links of index.html (relative to dist). */
async function initialFromHtml(distDir: string): Promise<Set<string>> {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const files = new Set<string>();
  const tags = html.match(/<(script|link)\b[^>]*>/gi) ?? [];
  for (const tag of tags) {
    const isScript = /^<script/i.test(tag) && /type\s*=\s*["']?module/i.test(tag);
    const isPreload = /^<link/i.test(tag) && /rel\s*=\s*["']?modulepreload/i.test(tag);
    if (!isScript && !isPreload) continue;
    const url = /(?:src|href)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (url === undefined || /^[a-z]+:|^\/\//i.test(url)) continue;
    files.add(url.replace(/^\.?\//, '').split(/[?#]/)[0]!);
  }
  return files;
}

/** Measures the .js files of a production build in `distDir` (raw and gzip level 9). */
export async function measureBundleSize(distDir: string): Promise<BundleSize> {
  const manifest = await readManifest(distDir);
  const initial = manifest ? initialFromManifest(manifest) : await initialFromHtml(distDir);
  const chunks: ChunkSize[] = [];
  for (const file of (await walk(distDir)).filter((f) => f.endsWith('.js'))) {
    const bytes = await readFile(join(distDir, file));
    const gzipBytes = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
    chunks.push({ file, rawBytes: bytes.length, gzipBytes, initial: initial.has(file) });
  }
  chunks.sort((a, b) => Number(b.initial) - Number(a.initial) || b.rawBytes - a.rawBytes || (a.file < b.file ? -1 : 1));
  const counted = chunks.filter((c) => c.initial);
  return {
    initialJsGzipBytes: counted.reduce((s, c) => s + c.gzipBytes, 0),
    initialJsRawBytes: counted.reduce((s, c) => s + c.rawBytes, 0),
    chunks,
  };
}
