import { defineConfig } from 'vitest/config';

// One-shot run over the whole repo (`pnpm vitest run`, `pnpm coverage`); turbo runs each package.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
    coverage: { provider: 'v8', include: ['packages/*/src/**'], exclude: ['**/*.test.ts'] },
  },
});
