// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import path from 'node:path';

/**
 * The layer rules of docs/architecture (after Dark Reader's zones): which folder under src/ may import
 * which. Relative imports are resolved to the folder they land in, so `../i18n` inside core/ is
 * core's own i18n, not the i18n/ layer.
 */
const LAYERS = {
  core: ['core', 'public'],
  adapters: ['adapters', 'core'],
  content: ['content', 'adapters', 'core'],
  db: ['db', 'core'],
  background: ['background', 'db', 'adapters', 'core'],
  i18n: ['i18n', 'core', 'public'],
  ui: ['ui', 'i18n', 'core'],
  popup: ['popup', 'ui', 'i18n', 'core'],
  options: ['options', 'ui', 'i18n', 'core'],
  welcome: ['welcome', 'ui', 'i18n', 'core'],
  locker: ['locker', 'ui', 'i18n', 'db', 'core'],
  cli: ['cli', 'core'],
};

/** Packages a layer must not use: no browser or storage in pure code, no IndexedDB in the page. */
const FORBIDDEN_PACKAGES = {
  core: /^(webextension-polyfill|dexie|preact|playwright-core|node:)/,
  adapters: /^(webextension-polyfill|dexie|preact)/,
  content: /^(dexie|preact)/,
};

const SRC = path.resolve('src');
const layerOf = (file) => {
  const rel = path.relative(SRC, file);
  return rel.startsWith('..') ? null : rel.split(path.sep)[0];
};

const layersRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const from = layerOf(context.filename);
    if (!from || !(from in LAYERS)) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const to = layerOf(path.resolve(path.dirname(context.filename), source));
        if (to && !LAYERS[from].includes(to))
          context.report({
            node,
            message: `${from}/ may not import ${to}/ (allowed: ${LAYERS[from].join(', ')}).`,
          });
      } else if (FORBIDDEN_PACKAGES[from]?.test(source)) {
        context.report({ node, message: `${from}/ may not use ${source}.` });
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

/** Browser globals pure code must not touch; `crypto`, `TextEncoder`, `atob` exist in Node too. */
const BROWSER_ONLY = [
  'window',
  'document',
  'navigator',
  'location',
  'chrome',
  'browser',
  'indexedDB',
  'localStorage',
  'sessionStorage',
];

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'test-results/', '.scratch/', 'src/cli/demo-site/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.webextensions } },
    plugins: { liveproof: { rules: { layers: layersRule } } },
    rules: {
      'liveproof/layers': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // Chromium's stack takes some 120,000 arguments; an export once died of Math.min(...times).
          selector:
            "CallExpression[callee.object.name='Math'][callee.property.name=/^(min|max)$/] > SpreadElement",
          message:
            'Math.min/max over a spread array overflows the stack on long inputs: use a loop or reduce.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...BROWSER_ONLY.map((name) => ({ name, message: 'core/ is pure: no browser APIs.' })),
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...BROWSER_ONLY.filter((n) => n !== 'document' && n !== 'window').map((name) => ({
          name,
          message: 'adapters/ read the DOM they are given; no extension or storage APIs.',
        })),
      ],
    },
  },
  {
    files: ['src/content/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'indexedDB',
          message: 'A content script must never open IndexedDB: it would be the page’s database.',
        },
      ],
    },
  },
);
