import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Prints, after each run, how many requests every vendor contract checked (test/contract-summary.ts).
// The test files share their worker's modules (no isolation): each of the 33 files would otherwise import
// the SDK, the contracts and their parsers again. No test mocks a module or changes global state; the one
// module-level cache (built vendor contracts) holds immutable data.
export default mergeConfig(
  shared,
  defineConfig({ test: { globalSetup: ['./test/contract-summary.ts'], isolate: false } }),
);
