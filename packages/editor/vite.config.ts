import { defineConfig } from 'vite';

// The hub web app (app/) → dist/app: no CDN, no inline script (the server's CSP allows 'self' only).
export default defineConfig({
  root: new URL('./app/', import.meta.url).pathname,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: new URL('./dist/app/', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
});
