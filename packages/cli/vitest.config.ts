import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';
// These tests spawn the built binary several times a test, render with MJML and drive Chromium: on a
// loaded 2-core machine one test can take minutes. The limits only catch hangs. One initdb per run:
// the fresh PGlite databases of in-process commands copy its cluster.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      testTimeout: 600_000,
      hookTimeout: 600_000,
      globalSetup: ['../hub/src/__fixtures__/pristine-cluster.ts'],
      setupFiles: ['./src/__fixtures__/use-pristine-cluster.ts'],
    },
  }),
);
