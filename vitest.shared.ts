import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Settings every package's tests share. Each run writes a JSON report to
 * `.reports/vitest.json`; `.ci/run` sums those into the one summary line.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
    // The run's temporary files live in one folder, removed at its end.
    globalSetup: [fileURLToPath(new URL('./tools/vitest-temp-root.mjs', import.meta.url))],
    // Timeouts catch hangs, nothing else: a 2-core machine shared with other work can be ten times
    // slower than a quiet one, so no test may count on less (tests measure no speed; benches do).
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
