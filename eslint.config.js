/**
 * ESLint flat config: recommended rules for JS, TypeScript and Svelte 5, plus the layer rules of
 * STYLE.md §2 ("enforce in lint, not review"), as per-folder `no-restricted-imports` and
 * `no-restricted-globals`.
 *
 * Flat config does not merge two settings of the same rule for one file: the last one wins. So
 * every zone below is disjoint (`ignores` carves the narrower zones out of the wider ones) and
 * each zone lists its complete set of restrictions.
 *
 * Relative imports are matched by regex on the import string: `^(\.\./)+trail(/|$)` is "climbs
 * out of this folder into a sibling named trail", which from any depth inside src/kms is
 * src/trail. Imports written with a `src/` prefix are caught too.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** A relative (`../`) or `src/`-prefixed import of one of the given top-level src folders. */
function layerImport(names, message, extra = {}) {
  const alt = names.join('|');
  return { regex: `^(\\.\\./)+(${alt})(/|$)|(^|/)src/(${alt})(/|$)`, message, ...extra };
}

const NO_UI_FRAMEWORK = {
  regex: '^(svelte|d3|@sveltejs/)([-/]|$)|\\.svelte(\\.[jt]s)?$',
  message: 'Headless layer (STYLE §2): no svelte*, d3* or Svelte modules here; the UI is one client of the domain.',
};
const NO_DEXIE = {
  regex: '^dexie(/|$)',
  message: 'Only src/kms/store may import dexie (STYLE §2); everyone else sees the Repository port.',
};
const NO_UI = layerImport(['ui'], 'Nothing imports src/ui (STYLE §2); only src/main.ts mounts it.');
/** Same, for modules sitting directly in src/ (where `./ui` is src/ui). */
const NO_UI_FROM_ROOT = { regex: '^\\./ui(/|$)', message: NO_UI.message };
const NO_VIZ = layerImport(['viz'], 'Headless layers do not import src/viz (D3 renderers).');
const KMS_NO_OUTER = layerImport(
  ['trail', 'ui', 'viz', 'wire', 'share', 'lessons', 'services'],
  'src/kms imports none of trail, ui, viz, wire, share, lessons, services (STYLE §2): it emits KmsEvents to an injected sink.',
);
const CRYPTO_LEAF = {
  // Any climb out of src/kms/crypto, except to the port it implements (CryptoBackend,
  // AuthenticationError) and to the branded id types (checked by CRYPTO_IDS_TYPES_ONLY).
  regex: '^\\.\\.(?!/(ports|ids)$)(/|$)|(^|/)src/',
  message: 'src/kms/crypto is a leaf (STYLE §2): only @noble/* and WebCrypto, plus the CryptoBackend port in ../ports.',
};
const CRYPTO_IDS_TYPES_ONLY = {
  regex: '^\\.\\./ids$',
  allowTypeImports: true,
  message: 'src/kms/crypto may name the branded id types (`import type` from ../ids), nothing at run time.',
};
const STORE_SCHEMA_ONLY = {
  // kms/store/schema (validators, migrations) is fine; the repositories (and with them Dexie) are not.
  regex: '^(\\.\\./)+kms/store(/(?!schema(/|$))|$)|(^|/)src/kms/store(/(?!schema(/|$))|$)',
  message: 'Outside src/kms, headless layers use kms/store/schema only, never the repositories (STYLE §2).',
};
const OPS_NO_STORE = {
  regex: '^(\\.\\./)+store(/|$)',
  message: 'Operations never import kms/store (STYLE §2): they see only the Repository port.',
};
const VIZ_TYPES_ONLY = layerImport(
  ['kms', 'trail'],
  'src/viz takes kms and trail data as arguments: `import type` only (STYLE §2); viz never calls services.',
  { allowTypeImports: true },
);
const VIZ_NO_OTHER = layerImport(['share', 'wire', 'lessons'], 'src/viz imports only types from kms and trail (STYLE §2).');

const SERVER_STORE = {
  // The Node endpoint keeps records in memory (and a file): kms/store/memory and schema, never Dexie.
  regex: '^(\\.\\./)+kms/store(/(?!(schema|memory)(/|$))|$)',
  message: 'src/server uses kms/store/memory and kms/store/schema only (no Dexie in the Node process).',
};
const NO_SERVER = layerImport(['server'], 'src/server is the Node entry of the local endpoint; nothing imports it (it would pull node:* into the page).');

const NO_BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'location'].map((name) => ({
  name,
  message: `Headless layer (STYLE §0, §2): no \`${name}\`; the domain must run in Node and tests without a DOM.`,
}));

/** One disjoint zone of src with its full list of import restrictions. */
function zone(name, files, ignores, patterns, { headless = false } = {}) {
  return {
    name: `layers/${name}`,
    files,
    ignores,
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      ...(headless ? { 'no-restricted-globals': ['error', ...NO_BROWSER_GLOBALS] } : {}),
    },
  };
}

const OTHER_HEADLESS = ['src/trail/**', 'src/share/**', 'src/wire/**', 'src/lessons/**', 'src/services/**'];

export default defineConfig(
  { name: 'ignores', ignores: ['dist/', 'dist-bench/', 'dist-e2e-*/', 'node_modules/', '.svelte-check/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    name: 'project/globals',
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { extraFileExtensions: ['.svelte'] },
    },
  },
  {
    name: 'project/svelte-parser',
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } },
  },
  {
    name: 'project/rules',
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Input patterns copied from the AWS API models name control characters on purpose
    // (e.g. policy text allows \u0009, \u000A, \u000D).
    name: 'project/kms-patterns',
    files: ['src/kms/**'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests poke at malformed input on purpose (wrong shapes, `as any` casts).
    name: 'project/tests',
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // ---- STYLE §2 layer rules (disjoint zones, most specific first) ----
  zone('kms-crypto', ['src/kms/crypto/**'], [], [NO_UI_FRAMEWORK, NO_DEXIE, KMS_NO_OUTER, CRYPTO_LEAF, CRYPTO_IDS_TYPES_ONLY], { headless: true }),
  zone('kms-store', ['src/kms/store/**'], [], [NO_UI_FRAMEWORK, KMS_NO_OUTER], { headless: true }),
  zone('kms-operations', ['src/kms/operations/**'], [], [NO_UI_FRAMEWORK, NO_DEXIE, KMS_NO_OUTER, OPS_NO_STORE], { headless: true }),
  zone(
    'kms',
    ['src/kms/**'],
    ['src/kms/crypto/**', 'src/kms/store/**', 'src/kms/operations/**'],
    [NO_UI_FRAMEWORK, NO_DEXIE, KMS_NO_OUTER],
    { headless: true },
  ),
  zone('headless', OTHER_HEADLESS, [], [NO_UI_FRAMEWORK, NO_DEXIE, NO_UI, NO_VIZ, STORE_SCHEMA_ONLY], { headless: true }),
  zone('viz', ['src/viz/**'], [], [NO_DEXIE, NO_UI, VIZ_TYPES_ONLY, VIZ_NO_OTHER]),
  // src/ui and the entry point may import every layer (but not dexie: they go through the service).
  zone('ui', ['src/ui/**', 'src/main.ts'], [], [NO_DEXIE, NO_SERVER]),
  zone('server', ['src/server/**'], [], [NO_UI_FRAMEWORK, NO_DEXIE, NO_UI, NO_VIZ, SERVER_STORE], { headless: true }),
  zone('src-other', ['src/**'], ['src/kms/**', ...OTHER_HEADLESS, 'src/viz/**', 'src/ui/**', 'src/main.ts', 'src/server/**'], [NO_DEXIE, NO_UI, NO_UI_FROM_ROOT, NO_SERVER]),
);
