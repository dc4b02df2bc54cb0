import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';
// These tests spawn the built binary several times a test, render with MJML and drive Chromium: on a
// loaded 2-core machine one test can take minutes. The limits only catch hangs. One initdb per run:
// the fresh PGlite databases of in-process commands copy its cluster. The test files share their
// worker's modules (isolate: false): the setup file alone imported all of @hubspoke/hub again for
// each file (a sixth of the run); no file leaves state behind (servers, browsers and databases are
// closed after it).
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      isolate: false,
      testTimeout: 600_000,
      hookTimeout: 600_000,
      globalSetup: ['../approval-state/src/__fixtures__/pristine-cluster.ts'],
      setupFiles: ['./src/__fixtures__/use-pristine-cluster.ts', './src/__fixtures__/remove-temp-projects.ts'],
    },
  }),
);
