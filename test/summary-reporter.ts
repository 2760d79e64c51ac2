/**
 * Ends the test output with one plain line, "N passed, N failed", that CI reads.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      let modulePassed = 0;
      let moduleFailed = 0;
      let moduleSkipped = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') modulePassed++;
        else if (state === 'failed') moduleFailed++;
        else moduleSkipped++;
      }
      // a file that failed to load, or whose beforeAll failed, leaves its tests unrun: they failed
      if (m.state() === 'failed' && moduleFailed === 0) {
        moduleFailed = Math.max(moduleSkipped, 1);
        moduleSkipped = 0;
      }
      passed += modulePassed;
      failed += moduleFailed;
      skipped += moduleSkipped;
    }
    failed += unhandledErrors.length;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
