// Lint: TypeScript rules plus the import directions of DESIGN.md §2.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const outside = (dirs) => dirs.map((d) => ({ group: [`**/${d}/**`, `**/${d}`], message: `DESIGN.md §2: this layer must not import from src/${d}` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', 'public/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The core is pure: no DOM frameworks, no app layers, no Node built-ins.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['react', 'react-dom', 'zustand', 'comlink'].map((name) => ({ name, message: 'src/core is pure TypeScript (DESIGN.md §2)' })),
        patterns: [...outside(['cli', 'engine-client', 'store', 'widgets', 'features', 'app']), { group: ['node:*'], message: 'src/core runs in browsers: no Node built-ins' }, { group: ['**/workers/**'], message: 'core must not import workers' }],
      }],
    },
  },
  {
    files: ['workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['cli', 'engine-client', 'store', 'widgets', 'features', 'app']) }] },
  },
  {
    files: ['src/engine-client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['cli', 'store', 'widgets', 'features', 'app']) }] },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['cli', 'widgets', 'features', 'app']) }] },
  },
  {
    files: ['src/widgets/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['core', 'cli', 'engine-client', 'store', 'features', 'app']) }] },
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['cli', 'engine-client', 'app']) }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: outside(['engine-client', 'store', 'widgets', 'features', 'app']) }] },
  },
);
