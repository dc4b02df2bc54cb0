import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';
// One initdb per run: the fresh PGlite databases of the tests copy its cluster.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['../hub/src/__fixtures__/pristine-cluster.ts'],
      setupFiles: ['./src/__fixtures__/use-pristine-cluster.ts'],
    },
  }),
);
