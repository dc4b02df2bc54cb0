import { defineConfig, type Options } from 'tsup';

/**
 * The one build recipe for every published package: dual ESM/CJS with separate
 * `.d.ts`/`.d.cts`, so `publint --strict` and `attw --pack` stay clean.
 */
export function libraryBuild(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    treeshake: true,
    splitting: true,
    ...overrides,
  });
}
