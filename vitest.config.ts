import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // the PostgreSQL suites share one server database: run files one at a time
    fileParallelism: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
