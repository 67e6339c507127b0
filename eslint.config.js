// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'artifacts/',
      'results/',
      'coverage/',
      'bench/results/',
      '.prober/',
      'bench/.elastic/',
      'dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'src/journey/*.js', 'src/runner/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='waitForTimeout']",
          message: 'No sleeps: wait on locators or events.',
        },
      ],
    },
  },
  {
    // Dependencies point one way (DESIGN.md): the runner knows nothing of scheduler, metrics or HTTP.
    files: ['src/runner/**/*.ts', 'src/journey/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/scheduler/**', '**/metrics/**', '**/server/**', '**/commands/**'],
              message: 'The runner must not depend on scheduler, metrics, HTTP or commands.',
            },
          ],
        },
      ],
    },
  },
  {
    // Sinks, metrics, results and the scheduler are handed their consumers by the commands, never the reverse.
    files: ['src/sinks/**/*.ts', 'src/metrics/**/*.ts', 'src/results/**/*.ts', 'src/scheduler/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/commands/**', '**/cli.js'],
              message: 'Commands assemble sinks and schedulers; nothing below them imports a command.',
            },
          ],
        },
      ],
    },
  },
  {
    // Journeys see only the public API and their page objects.
    files: ['journeys/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '!**/src/index.js'],
              message: "Journeys import only 'journey-prober' and ./pages.",
            },
          ],
        },
      ],
    },
  },
  {
    // The sandbox's browser scripts: plain classic scripts served as files, linted as browser code.
    files: ['src/sandbox/client/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: globals.browser,
      sourceType: 'script',
      parserOptions: { projectService: false, program: null },
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
);
