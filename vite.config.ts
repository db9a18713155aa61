/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `base: './'` makes every asset URL relative, so `npm run build` gives a static site
// that works from any static host or sub-folder (and from file-less previews).
export default defineConfig({
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  // The largest chunk is the Code panel's editor (CodeMirror, ~510 kB), loaded only when that tab
  // opens; the first load stays ~335 kB (issue 4). Warn above that, not at Vite's 500 kB default.
  // `manifest` (dist/.vite/manifest.json) lets bench/size.ts find the initial JS: the entry and
  // its static imports, without the lazy chunks.
  build: { chunkSizeWarningLimit: 600, manifest: true },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Crypto-heavy property tests take a few seconds on two cores.
    testTimeout: 60_000,
  },
});
