import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Svelte 5, runes mode everywhere (STYLE §13). */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
