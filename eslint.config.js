// `npm run lint` (with prettier --check): rules that catch defects, not style; prettier owns the layout.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const OUTBOUND =
  'Reach a user-given address through postWebhook (core/src/engine/automations/webhook-post.ts), which refuses private addresses';

export default tseslint.config(
  // models.generated.ts are `npm run types` output, checked for freshness by the suite.
  {
    ignores: [
      '**/node_modules/',
      'dist/',
      'kit-ui/build/',
      'kit-ui/.svelte-kit/',
      'bench/results/',
      '.tap/',
      'data/',
      'modules/*/models.generated.ts',
      'client/src/api.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a rest sibling left out, a required parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      eqeqeq: ['error', 'smart'],
      // tsc and svelte-check know every global (DOM, Node) and report unknown names; this rule only guesses.
      'no-undef': 'off',
      // The shell is served at `/` (no `paths.base`), so a plain href is already resolved.
      'svelte/no-navigation-without-resolve': 'off',
      // Suggestions, not defects: they flag local Maps and Sets that are never reactive state.
      'svelte/prefer-svelte-reactivity': 'off',
      'svelte/prefer-writable-derived': 'off',
    },
  },
  {
    // Server code reaches an address a user gave (a webhook's URL, one day an import's) only through
    // core/src/engine/automations/webhook-post.ts: its connect-time lookup refuses private and loopback
    // addresses (decisions §42). A plain fetch or https.request would skip that check: server-side request forgery.
    files: ['core/src/**/*.ts', 'modules/*/*.ts'],
    ignores: ['core/src/engine/automations/webhook-post.ts'],
    rules: {
      'no-restricted-globals': ['error', ...['fetch', 'WebSocket'].map((name) => ({ name, message: OUTBOUND }))],
    },
  },
  {
    files: ['core/src/**/*.ts'],
    ignores: ['core/src/engine/automations/webhook-post.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['https', 'node:https', 'undici'].map((name) => ({ name, message: OUTBOUND })),
            ...['http', 'node:http'].map((name) => ({ name, importNames: ['request', 'get', 'Agent'], message: OUTBOUND })),
            ...['http2', 'node:http2', 'tls', 'node:tls'].map((name) => ({ name, importNames: ['connect'], message: OUTBOUND })),
          ],
        },
      ],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    // Outside the core, its code is reached through the package's entry points only (core/package.json `exports`).
    files: ['test/**', 'modules/**', 'scripts/**', 'bench/**', 'kit-ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/core/src/**'], message: 'import @atrium/core, @atrium/core/testing or @atrium/core/platform instead' }],
        },
      ],
    },
  },
);
