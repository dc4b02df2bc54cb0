import { defineConfig } from 'vite';

/** Tiptap and ProseMirror in a chunk of their own (the bench reports it apart from the app's budget). */
export const RICH_TEXT = /[\\/]node_modules[\\/].*(@tiptap|prosemirror|orderedmap|rope-sequence|w3c-keyname|linkifyjs)/;

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
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'rich-text', test: RICH_TEXT }] } } },
  },
});
