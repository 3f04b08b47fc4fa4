// @ts-check
// House rules the machine checks: typescript-eslint's strict and stylistic type-aware sets over every
// TypeScript file (package sources, tests, fixtures, test/), eslint's recommended set over the plain .mjs
// scripts (bench/, the fake toolchain, the example plugin). Layout is Prettier's job (`pnpm format:check`).
// Rules turned off or loosened below say why; everything else of the two sets is on.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** `_`-prefixed names and rest siblings are how this code drops what it does not need (`const { status: _s, ...rest } = o`). */
const unusedVars = [
  'error',
  { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tools/**',
      'coverage/**',
      'bench/results/**',
      '**/__golden__/**',
      '**/__fuzz__/corpus/**',
      '**/__fuzz__/failures/**',
      // Wrong on purpose: lint-config.test.ts lints it (ignores off) to prove the type-aware rules are on.
      'packages/cli/src/__fixtures__/lint/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it: its package's, a test/* folder's, or the root
        // tsconfig.json for tests and fixtures (which the packages' build configs leave out).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // noUncheckedIndexedAccess is on, so `match[1]!` and `list[0]!` after a length or shape check are how
      // this code says "present" (over 500 such reads); the compiler already forces the check to be thought of.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Counts, ports and durations go into messages all the time; `undefined`, objects and the like must not.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // `env['CI']`, `object['spec']`: bracket access marks keys of index signatures (may be absent); dots
      // are for declared properties.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      // `() => controller.abort()` as a callback is the idiom, not a confusing use of a void value.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Test doubles and plugin hooks implement Promise-returning contracts (KubeClient, CommandRunner, Step);
      // `async` without `await` is the plain way to do that and turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // `.catch(() => {})` where a failure is expected and harmless, and no-op loggers, are deliberate.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['arrowFunctions', 'methods'] }],
      // `outputOf<T>(stepId)` and `readJson<T>(file)` are typed reads of stored JSON: the caller names the
      // shape it recorded. The rule would trade each for `unknown` plus a cast at every call site.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-unused-vars': unusedVars,
      // printable.ts escapes control characters and the hostile-input tests build them: matching them is the point.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests poke at JSON.parse output and into rendered manifests (`as any` to reach a nested field); a
    // wrong shape fails the assertion itself.
    files: ['**/*.test.ts', '**/__fixtures__/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': unusedVars },
  },
);
