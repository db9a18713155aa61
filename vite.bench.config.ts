/**
 * Vite config of the benchmark pages only (→ dist-bench/), used by `npm run bench` (bench/run.ts
 * builds with it) or by hand: `npx vite build --config vite.bench.config.ts`.
 * - bench/index.html + bench/page.ts: the core benchmark (bench/core.ts) in the browser;
 * - bench/trail-panel.html + bench/trailPanelPage.ts: the app's trail panel with 100,000 records
 *   (bench/trailPanel.ts drives it), hence the Svelte plugin with the app's svelte.config.js.
 * The app's own config is vite.config.ts; this one shares only the Svelte settings with it.
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const bench = (file: string) => fileURLToPath(new URL(`./bench/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('./bench', import.meta.url)),
  base: './',
  // A production build, like the app's: import.meta.env.DEV is false, so the memory repository
  // does not deep-freeze records (as in Node, where import.meta.env is undefined).
  mode: 'production',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
  build: {
    outDir: fileURLToPath(new URL('./dist-bench', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: { input: { index: bench('index.html'), trailPanel: bench('trail-panel.html') } },
  },
});
