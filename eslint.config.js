import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers (docs/ARCHITECTURE.md): front ends -> core -> domain, and the
// core over the infrastructure (virt, host, manager, exec). An import is
// matched as written, so each pattern names the folder wherever the path starts.
const FRONT_ENDS = ['screens/**', 'src/app/**', 'src/ui/**', 'src/store/**', 'src/cli/**', 'src/api/**', 'src/cli.tsx'];
const FRONT_END_IMPORTS = ['**/screens/**', '**/app/**', '**/ui/**', '**/store/**', '**/cli/**', '**/api/**', '**/cli.tsx'];
const INFRA_IMPORTS = ['**/virt/**', '**/host/**', '**/manager/**', '**/exec/**'];
const boundary = (files, group, message, allowTypeImports = false) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group, message, allowTypeImports }] }] },
});

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
  boundary(FRONT_ENDS, INFRA_IMPORTS, 'Front ends reach libvirt, the host, the database and programs through src/core (type-only imports are allowed).', true),
  boundary(['src/core/**'], FRONT_END_IMPORTS, 'The core serves the front ends and never imports one.'),
  // A type names data and does no I/O: the domain may name libvirt's records until they move into it.
  boundary(['src/domain/**'], [...INFRA_IMPORTS, '**/core/**', ...FRONT_END_IMPORTS], 'The domain holds pure rules: no I/O layer, no core, no front end (type-only imports are allowed).', true),
  {
    files: ['src/domain/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:child_process', 'child_process', 'execa'].map((name) => ({ name, message: 'The domain holds pure rules, no I/O.' })) }] },
  },
  boundary(['src/virt/**', 'src/host/**', 'src/manager/**', 'src/exec/**'], ['**/core/**', ...FRONT_END_IMPORTS], 'The infrastructure serves the core and never imports it or a front end.'),
);
