import { defineConfig } from 'vitest/config';

export default defineConfig({
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
