import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The preview page: vanilla TypeScript, built into the CLI's dist; nothing loaded from a CDN.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/preview-app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
});
