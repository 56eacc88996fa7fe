import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { i18nLiterals } from './eslint.i18n.js';
import layers from './tools/lint/layers.js';

/**
 * Detectors: the code that turns frames, bytes or page text into signals. They import only core, platform and each
 * other (and shipped data in public/models/), so the extension, `scan` and the tests can all run them.
 */
const DETECTORS = [
  'lib/adapters/',
  'lib/provenance/',
  'lib/analysis/frame-quality.ts',
  'lib/analysis/frame-stats-model.ts',
  'lib/analysis/classifier/',
  'lib/analysis/faces/',
  'lib/analysis/watermark/',
];

/**
 * The layers (ARCHITECTURE.md), as zones of `layers/no-uphill`: files under `files` may not import paths under
 * `from`. The most specific zones come first, so a report names the rule that matters most.
 */
const LAYER_ZONES = [
  {
    files: ['lib/core/'],
    from: [''],
    fromExcept: ['lib/core/'],
    why: 'core holds pure types and rules and imports nothing of the project.',
  },
  {
    files: ['lib/platform/'],
    from: [''],
    fromExcept: ['lib/platform/'],
    why: 'platform is plumbing that knows nothing of the project and imports none of it.',
  },
  {
    files: ['lib/analysis/classifier/config.ts'],
    from: ['lib/settings/'],
    why: 'the classifier configuration is a detector: types it shares with settings live in core.',
  },
  {
    files: ['lib/provenance/'],
    from: ['lib/analysis/'],
    why: 'provenance and analysis are separate detectors: what both need lives in core or platform.',
  },
  {
    files: DETECTORS,
    from: [''],
    fromExcept: [...DETECTORS, 'lib/core/', 'lib/platform/', 'public/models/'],
    why: 'detectors import only core, platform, other detectors and shipped data.',
  },
  {
    files: ['components/', 'lib/settings/'],
    from: ['lib/background/', 'lib/content/'],
    why: 'UI and settings never reach into the background or the content script: shared types live in core.',
  },
  {
    files: ['lib/detail/'],
    from: ['lib/background/'],
    why: 'the detail page reads what the background stored through core types, never background internals.',
  },
  {
    files: ['lib/', 'components/'],
    filesExcept: ['lib/node/'],
    from: ['lib/node/', 'scripts/', 'tools/', 'tests/', 'entrypoints/'],
    why: 'Node-only code, scripts, tests and entrypoints sit above the extension code: nothing in it imports them.',
  },
];

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', '.media/**', 'artifacts/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  i18nLiterals,
  {
    files: ['**/*.{ts,tsx,mts,js,mjs}'],
    plugins: { layers },
    rules: { 'layers/no-uphill': ['error', { root: import.meta.dirname, zones: LAYER_ZONES }] },
  },
  {
    files: ['scripts/**/*.mjs', 'models/**/*.mjs'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        chrome: 'readonly',
        document: 'readonly',
        window: 'readonly',
        location: 'readonly',
        getComputedStyle: 'readonly',
        requestAnimationFrame: 'readonly',
        PerformanceObserver: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        indexedDB: 'readonly',
        fetch: 'readonly',
      },
    },
  },
);
