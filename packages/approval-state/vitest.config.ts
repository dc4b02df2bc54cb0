import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// One initdb per run: the test files' PGlite databases load its cluster (src/__fixtures__/lite.ts).
// The test files share their worker's modules (no isolation), so each does not import PGlite, zod and
// the library again. No test mocks a module; the one that fakes Date restores it in a finally block.
export default mergeConfig(
  shared,
  defineConfig({ test: { globalSetup: ['./src/__fixtures__/pristine-cluster.ts'], isolate: false } }),
);
