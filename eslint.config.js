import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import palaver from './scripts/lint/folder-index.js';

const frontEnds = ['widget/**', 'agent/**'];

/**
 * Second entry points next to a folder's index.ts:
 * - the route table, which the server and the console use and the widget must not carry;
 * - the Redis adapters, loaded only when REDIS_URL is set (a single instance starts without
 *   ioredis), so their folders' indexes leave them out and the composition root names them.
 */
const secondEntries = [
  'protocol/routes/index.ts',
  'server/realtime/redis-bus.ts',
  'server/identity/redis-coordination.ts',
  'server/limits/redis-store.ts',
];
/**
 * protocol/'s zod-free modules: the widget imports them by name so that its bundles carry no
 * schemas (zod alone would exceed the widget's size budget).
 */
const zodFreeProtocol = [
  'protocol/backoff.ts',
  'protocol/constants.ts',
  'protocol/liveness.ts',
  'protocol/resume.ts',
  'protocol/text.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bench/results/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { palaver },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'palaver/folder-index': ['error', { allow: secondEntries }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: frontEnds,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/server/**'], message: 'Front-ends never import server code.' }],
        },
      ],
    },
  },
  {
    files: ['widget/**'],
    rules: {
      'palaver/folder-index': ['error', { allow: [...secondEntries, ...zodFreeProtocol] }],
    },
  },
  {
    // The loader sits at its size budget: from protocol it takes types and constants only.
    files: ['widget/loader/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**'], message: 'Front-ends never import server code.' },
            {
              group: ['**/protocol/*', '!**/protocol/constants.js'],
              allowTypeImports: true,
              message: 'The loader takes only types and constants from protocol/ (size budget).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**', 'protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/widget/**', '**/agent/**'],
              message: 'The server never imports front-end code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/{server,widget,agent,demo,test,bench,scripts}/**'],
              message: 'protocol/ imports nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    // expect.any() and friends are typed `any` by design.
    files: ['**/*.test.{ts,tsx}', 'test/**'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['scripts/**', 'demo/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
