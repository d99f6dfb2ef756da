// `pnpm lint` (with knip): ESLint's recommended rules, typescript-eslint's recommended rules for
// TypeScript, and the React hooks rules for the browser code under src/. No rule is switched off
// globally; a file that needs an exception says so next to the line, with the reason.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'test-results/**',
      'playwright-report/**',
      'bench-results/**',
      '.generated/**',
      '.docusaurus/**',
      'node_modules/**',
      'static/tooling/**',
      '**/fixtures/**',
      'versioned_docs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused names are errors, except the conventional `_` prefix for a parameter a signature needs.
      // A function longer than a screenful hides its parts: split it where the parts have names.
      'max-lines-per-function': ['error', { max: 100 }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/theme/**/*.{ts,tsx}', 'src/pages/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
