import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.runtime/', 'test-results/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly', fetch: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.name='setInterval']", message: 'Pollers chain setTimeout and drop overlapping refreshes.' },
        { selector: "Property[key.name='shell'][value.value=true]", message: 'Run programs through src/exec/runner.ts with an argument array.' }],
    },
  },
  {
    files: ['src/**', 'screens/**'],
    ignores: ['src/exec/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'node:child_process', message: 'Use src/exec/runner.ts.' },
        { name: 'child_process', message: 'Use src/exec/runner.ts.' },
        { name: 'execa', message: 'Use src/exec/runner.ts.' }] }],
    },
  },
);
