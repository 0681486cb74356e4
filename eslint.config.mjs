// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * `no-restricted-imports` options: the imports every file avoids, plus the layer boundaries of its folder. ESLint keeps
 * only the last matching options of a rule, so every folder's entry repeats the common part.
 */
function restrictedImports(...boundaries) {
  return {
    // The provider package roots load all ~1,500 resource modules: synth 4x slower, 5x heavier.
    paths: [
      {
        name: '@cdktf/provider-azurerm',
        message: 'Import from @cdktf/provider-azurerm/lib/<resource> instead.',
      },
      {
        name: '@cdktf/provider-random',
        message: 'Import from @cdktf/provider-random/lib/<resource> instead.',
      },
    ],
    patterns: [
      { group: ['ts-node', 'ts-node/*'], message: 'Synth runs compiled JS or tsx, never ts-node.' },
      ...boundaries,
    ],
  };
}

/**
 * The layers (design principle 14): data flows config → stack → constructs → plan → reports. A relative import that
 * climbs out of its folder into a folder it may not use is an error. Each pattern matches the import as written
 * (`../../constructs/ai-endpoint`).
 */
const CAPABILITY = {
  regex: '^(\\.\\./)+constructs/(?!shared(/|$))',
  message:
    'Config and scripts read Azure facts from constructs/shared/catalog and shared code from constructs/shared, never a capability folder.',
};
const NO_CONFIG_OR_STACKS = {
  regex: '^(\\.\\./)+(environments|stacks|scripts)(/|$)',
  message: 'Constructs take everything through props: they never import environments/, stacks/ or scripts/.',
};
/** Stacks use a capability through its index (its public face), never a file inside it. */
const CAPABILITY_FACE_FROM_STACKS = {
  regex: '^\\.\\./constructs/(?!shared(/|$))[^/]+/',
  message:
    "Import a capability through its index ('../constructs/<capability>'): internals are not its public face.",
};
/** A capability uses another capability through its index, never a file inside it (its own files are fine). */
const CAPABILITY_FACE_FROM_CONSTRUCTS = {
  regex: '^(\\.\\./){1,2}(?!shared/|\\.\\./)[^/.][^/]*/',
  message:
    "Import another capability through its index ('../<capability>'); shared code belongs in constructs/shared.",
};
const NO_STACKS = {
  regex: '^(\\.\\./)+stacks(/|$)',
  message: 'Config is data and rules: it never imports the stacks that read it.',
};
/**
 * For files `depth` folders below the root in `constructs/shared/`: `../` × (depth − 1) leaves shared/ for a
 * capability folder (`../ai-gateway` from `constructs/shared/naming.ts`).
 */
const SHARED_STAYS_SHARED = (depth) => ({
  regex: `^(\\.\\./){${depth - 1}}(?!shared/|\\.\\./)`,
  message: 'constructs/shared/ is below every capability: it never imports a capability folder.',
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', 'audit/', 'bench/', 'coverage/', 'verification/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', restrictedImports()],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['environments/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrictedImports(CAPABILITY, NO_STACKS)] },
  },
  {
    files: ['scripts/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrictedImports(CAPABILITY)] },
  },
  {
    files: ['stacks/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrictedImports(CAPABILITY_FACE_FROM_STACKS)] },
  },
  {
    files: ['constructs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        restrictedImports(NO_CONFIG_OR_STACKS, CAPABILITY_FACE_FROM_CONSTRUCTS),
      ],
    },
  },
  ...[2, 3, 4].map((depth) => ({
    files: [`constructs/shared/${'*/'.repeat(depth - 2)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', restrictedImports(NO_CONFIG_OR_STACKS, SHARED_STAYS_SHARED(depth))],
    },
  })),
  {
    // Constructs get everything through props: no environment variables, no clocks, no randomness at synth time.
    files: ['constructs/**/*.ts', 'stacks/platform-stack.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Constructs take config through props, not process.env.',
        },
        {
          object: 'Math',
          property: 'random',
          message: 'Synth must be deterministic: use @cdktf/provider-random.',
        },
        { object: 'Date', property: 'now', message: 'Synth must be deterministic: take dates from config.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Synth must be deterministic.',
        },
      ],
    },
  },
);
