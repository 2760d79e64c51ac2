import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // two files at a time on the 2 cores: every PostgreSQL suite makes a database of its own (a
    // name per process and test), SQLite files are per test, servers listen on port 0. The whole
    // run went from 791 s one file at a time to 616 s (1,770 tests, 3 December).
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
