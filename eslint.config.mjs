// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdktf.out/', 'audit/', 'bench/', 'coverage/', 'verification/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      // The provider package roots load all ~1,500 resource modules: synth 4x slower, 5x heavier.
      'no-restricted-imports': [
        'error',
        {
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
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
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
