/**
 * Vite config of the benchmark page only (bench/index.html + bench/page.ts → dist-bench/), used by
 * `npm run bench` (bench/run.ts builds with it) or by hand: `npx vite build --config vite.bench.config.ts`.
 * The app's own config is vite.config.ts; this one shares nothing with it.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./bench', import.meta.url)),
  base: './',
  // A production build, like the app's: import.meta.env.DEV is false, so the memory repository
  // does not deep-freeze records (as in Node, where import.meta.env is undefined).
  mode: 'production',
  build: {
    outDir: fileURLToPath(new URL('./dist-bench', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
