import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';
// One initdb per run: the fresh PGlite databases of the tests copy its cluster.
// The test files share their worker's modules (no isolation): each file would otherwise import the hub
// and every library again (the setup file alone imports the hub). No test mocks a module or changes
// global state (spies are on a test's own objects); every test opens its own hub and server.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['../approval-state/src/__fixtures__/pristine-cluster.ts'],
      setupFiles: ['./src/__fixtures__/use-pristine-cluster.ts'],
      isolate: false,
    },
  }),
);
