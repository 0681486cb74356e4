import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Beside the caches of the type check and the linters, which the pull-request pipelines restore: with the last run's
  // durations vitest starts the longest files first, so no worker is left with a long file at the end.
  cacheDir: 'node_modules/.cache/vite',
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/performance.ts', 'test/helpers/matchers.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Synth-heavy files are CPU-bound; two workers match the two cores of CI.
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
