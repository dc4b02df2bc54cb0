import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base.js';

// The library entry is dual ESM/CJS; the `hubspoke` binary is ESM only (top-level await).
export default [
  libraryBuild({ index: 'src/index.ts' }, { clean: false }),
  defineConfig({
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    target: 'node22',
    sourcemap: true,
    clean: false,
    splitting: true,
  }),
];
