// ESLint: type-aware rules that catch what the compiler does not (floating promises, promises
// where a callback returns void, non-exhaustive switches), the hooks rules for Preact, and the
// import rules that hold the seams between runtimes, screens and the phone's storage.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const sharedMayNotImport = [
  {
    group: ['**/app/**', '**/server/**', '**/sw/**', '#app/*', '#server/*'],
    message: 'src/shared runs on both sides: it imports nothing from app, server or sw.',
  },
  { group: ['node:*', 'preact', 'preact/*', 'hono', 'hono/*', 'idb', 'pg', 'better-sqlite3'], message: 'src/shared has no DOM, no Node and no framework.' },
];

export default tseslint.config(
  { ignores: ['**/*.d.ts', 'dist/**', 'data/**', '.tmp/**', 'node_modules/**', 'test/bench/peers/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // The print views pad blanks with U+3000, the ideographic space a Chinese form uses.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: sharedMayNotImport }] },
  },
  {
    // A screen uses its own files, components/, hooks/, storage/, sync/, net/, session/ and
    // #shared; another screen's internals are not its business (move shared parts up).
    files: ['src/app/screens/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'idb', message: 'Only src/app/storage opens IndexedDB.' }],
          patterns: [
            {
              regex: '^\\.\\./[A-Z][A-Za-z]*/(?!index\\.tsx?$)',
              message: "A screen does not import another screen's internals: move the shared part to src/app/components, hooks or forms.",
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'indexedDB', message: 'Only src/app/storage opens IndexedDB.' }],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['src/app/storage/**', 'src/app/screens/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'idb', message: 'Only src/app/storage opens IndexedDB.' }] }],
      'no-restricted-globals': ['error', { name: 'indexedDB', message: 'Only src/app/storage opens IndexedDB.' }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/app/**', '**/sw/**'], message: 'The server does not import the app.' }] }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
