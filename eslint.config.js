import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/dist/',
      '**/node_modules/',
      '**/coverage/',
      '.lab/',
      '.tmp/',
      'infra/**/data/',
      'infra/local/',
      // Root-level dot files are personal scratch scripts, never committed.
      '.*.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Command-line programs, and the services' last-resort messages on stderr.
    files: [
      'apps/simulator/**',
      'apps/lab/**',
      'scripts/**',
      'libs/node-agent/src/bootstrap.ts',
      'libs/service-runtime/src/event-publisher.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    // Plain Node.js scripts (no TypeScript, so no type information about Node's globals).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
