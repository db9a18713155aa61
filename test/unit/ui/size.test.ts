/**
 * bench/size.ts on tiny fake builds: the initial JS is the index.html entry and its static
 * imports (manifest `imports`, transitively), never its dynamic imports; without a manifest,
 * index.html's module script and modulepreload links decide.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { measureBundleSize } from '../../../bench/size';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function fakeDist(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'size-test-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const ENTRY = 'import "./shared.js";import("./lazy.js");'.repeat(20);
const SHARED = 'export const shared = 1;'.repeat(30);
const VENDOR = 'export const vendor = 2;'.repeat(10);
const LAZY = 'export const lazy = "a big lazy editor";'.repeat(100);

const gz = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

const manifest = {
  'index.html': { file: 'assets/index.js', src: 'index.html', isEntry: true, imports: ['_shared.js'], dynamicImports: ['src/lazy.ts'], css: ['assets/index.css'] },
  '_shared.js': { file: 'assets/shared.js', imports: ['_vendor.js'] },
  '_vendor.js': { file: 'assets/vendor.js', imports: ['_shared.js'] },
  'src/lazy.ts': { file: 'assets/lazy.js', isDynamicEntry: true, imports: ['_shared.js'] },
};

describe('measureBundleSize', () => {
  it('counts the entry and its static imports (transitively, cycles included), not the lazy chunks', async () => {
    const dist = await fakeDist({
      'index.html': '<script type="module" src="./assets/index.js"></script>',
      'assets/index.js': ENTRY,
      'assets/shared.js': SHARED,
      'assets/vendor.js': VENDOR,
      'assets/lazy.js': LAZY,
      'assets/index.css': 'body{}',
      '.vite/manifest.json': JSON.stringify(manifest),
    });
    const size = await measureBundleSize(dist);
    expect(size.chunks.map((c) => [c.file, c.initial])).toEqual([
      ['assets/index.js', true],
      ['assets/shared.js', true],
      ['assets/vendor.js', true],
      ['assets/lazy.js', false],
    ]);
    expect(size.initialJsRawBytes).toBe(ENTRY.length + SHARED.length + VENDOR.length);
    expect(size.initialJsGzipBytes).toBe(gz(ENTRY) + gz(SHARED) + gz(VENDOR));
    const lazy = size.chunks.find((c) => c.file === 'assets/lazy.js')!;
    expect(lazy).toEqual({ file: 'assets/lazy.js', rawBytes: LAZY.length, gzipBytes: gz(LAZY), initial: false });
    expect(lazy.gzipBytes).toBeLessThan(lazy.rawBytes);
  });

  it('without a manifest, reads the module script and modulepreload links of index.html', async () => {
    const dist = await fakeDist({
      'index.html': [
        '<script type="module" crossorigin src="./assets/index.js"></script>',
        '<link rel="modulepreload" crossorigin href="./assets/shared.js">',
        '<link rel="stylesheet" href="./assets/index.css">',
        '<script type="module" src="https://example.com/remote.js"></script>',
      ].join('\n'),
      'assets/index.js': ENTRY,
      'assets/shared.js': SHARED,
      'assets/lazy.js': LAZY,
    });
    const size = await measureBundleSize(dist);
    expect(size.chunks.filter((c) => c.initial).map((c) => c.file)).toEqual(['assets/index.js', 'assets/shared.js']);
    expect(size.initialJsRawBytes).toBe(ENTRY.length + SHARED.length);
    expect(size.initialJsGzipBytes).toBe(gz(ENTRY) + gz(SHARED));
  });

  it('an entry whose import is missing from the build counts what exists', async () => {
    const dist = await fakeDist({
      'assets/index.js': ENTRY,
      '.vite/manifest.json': JSON.stringify({ 'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_gone.js'] } }),
    });
    const size = await measureBundleSize(dist);
    expect(size.initialJsRawBytes).toBe(ENTRY.length);
    expect(size.chunks).toHaveLength(1);
  });
});
