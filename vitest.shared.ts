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
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
