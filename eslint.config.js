// One linter for the whole tree. The import restrictions keep the architecture of STYLE.md honest:
// dexie lives only in src/app/db, src/domain stays pure, the server never reaches into the app.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'

const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
})

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'coverage', 'data', 'bench-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // TypeScript already knows every global; ESLint's copy of that list only goes stale.
      'no-undef': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.vue'],
    ignores: ['src/app/db/**'],
    rules: restrict([{ name: 'dexie', message: 'Only src/app/db/ may import dexie.' }]),
  },
  {
    files: ['src/domain/**'],
    rules: restrict(
      [
        { name: 'vue', message: 'src/domain is pure TypeScript.' },
        { name: 'dexie', message: 'src/domain is pure TypeScript.' },
      ],
      [
        { group: ['node:*'], message: 'src/domain runs in the browser too.' },
        { group: ['**/app/**', '**/server/**'], message: 'src/domain depends on nothing.' },
      ],
    ),
  },
  {
    files: ['src/server/**'],
    rules: restrict(
      [{ name: 'dexie', message: 'The server has no IndexedDB.' }],
      [{ group: ['**/app/**'], message: 'src/server never imports src/app.' }],
    ),
  },
  {
    // protocol.ts builds TypeBox schemas at load time: a value import would ship TypeBox to phones.
    files: ['src/app/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/domain/sync/protocol.ts'],
              allowTypeImports: true,
              message: 'The app imports only types from protocol.ts; values are in constants.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/components/**', 'src/app/pages/**'],
    rules: restrict(
      [{ name: 'dexie', message: 'Components read through composables and stores.' }],
      [{ group: ['**/db/**'], message: 'Components never touch the database directly.' }],
    ),
  },
  prettier,
)
