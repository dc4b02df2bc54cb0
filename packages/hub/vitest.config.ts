import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';
// Renders with MJML and opens PGlite databases: the shared limits allow for a busy machine (a 60 s
// limit timed out tests here with two other suites running). One initdb per run: fresh databases
// copy its cluster. The test files share their worker's modules (isolate: false): each file
// importing MJML, PGlite and the rest again cost more than a tenth of the run; no file leaves
// state behind (mocks are restored, the working directory too).
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      isolate: false,
      globalSetup: ['../approval-state/src/__fixtures__/pristine-cluster.ts'],
      setupFiles: ['./src/__fixtures__/use-pristine-cluster.ts'],
    },
  }),
);
