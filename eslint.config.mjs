// ESLint with typescript-eslint, run by `npm run lint` (part of `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/out/**',
      'node_modules/**',
      '**/fixtures/**',
      '**/fixtures-fixed/**',
      'test/vscode/fixtures/**',
      '.vscode-test/**',
      'ThirdPartyNotices.txt',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // A `let` read by a closure before its one assignment (client.ts's error handler) cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Control characters in patterns are meant: ANSI escapes, NUL bytes of binary files.
      'no-control-regex': 'off',
      // The code base uses non-null assertions where the index was just checked (noUncheckedIndexedAccess).
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The protocol is declared as LSP declares its own (`XRequest.type` in a namespace), for both ends.
    files: ['server/src/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    // Tests read reports as untyped JSON (SARIF, vfile-reporter-json).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS entry points: bin/msol.js, the VS Code test runner and the code-server wrapper it starts.
    files: ['bin/**/*.js', 'test/vscode/runTest.js', 'test/vscode/trust/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
      },
    },
  },
);
