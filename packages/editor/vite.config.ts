import { defineConfig, type Plugin } from 'vite';

/** Tiptap and ProseMirror in a chunk of their own (the bench reports it apart from the app's budget). */
export const RICH_TEXT = /[\\/]node_modules[\\/].*(@tiptap|prosemirror|orderedmap|rope-sequence|w3c-keyname|linkifyjs)/;

const LINT_WORKER_ID = 'virtual:hubspoke-lint-worker';
const LINT_WORKER = new URL('./src/model/lint-worker.ts', import.meta.url).pathname;
const LINT_BOOT = new URL('./app/lint-boot.ts', import.meta.url).pathname;

/**
 * `import lintWorkerUrl from 'virtual:hubspoke-lint-worker'`: the URL of the lint worker built as
 * one more entry of the page's own build, not as a separate worker bundle (Vite's
 * `new Worker(new URL(…))`), so the code both use (core and zod, template-engine's fill path)
 * is one shared chunk the worker imports instead of a second copy; and the brand rules are one
 * chunk for the worker and the page linter. Start it as a module worker.
 *
 * `app/lint-boot.ts`, which starts that worker, is a chunk of its own too, loaded by a script tag
 * put ahead of the page's entry: the browser runs it as soon as it has it, so the worker loads the
 * brand rules while the page's own (much larger) scripts are fetched and evaluated, not after.
 * The entry imports it (the same chunk: evaluated once).
 */
export function lintWorkerChunk(): Plugin {
  let serve = false;
  return {
    name: 'hubspoke:lint-worker-chunk',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    buildStart() {
      if (!serve) this.emitFile({ type: 'chunk', id: LINT_BOOT, name: 'lint-boot' });
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // The chunk with the module's code (the emitted entry is a facade that imports it).
        const boot = Object.values(ctx.bundle ?? {}).find(
          (chunk) => chunk.type === 'chunk' && chunk.moduleIds.includes(LINT_BOOT),
        );
        if (boot === undefined) return undefined;
        return [
          {
            tag: 'script',
            attrs: { type: 'module', crossorigin: true, src: `./${boot.fileName}` },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
    resolveId(id) {
      return id === LINT_WORKER_ID ? `\0${LINT_WORKER_ID}` : undefined;
    },
    load(id) {
      if (id !== `\0${LINT_WORKER_ID}`) return undefined;
      if (serve) return `export default new URL(${JSON.stringify(`/@fs${LINT_WORKER}`)}, import.meta.url).href;`;
      const ref = this.emitFile({ type: 'chunk', id: LINT_WORKER, name: 'lint-worker' });
      return `export default import.meta.ROLLDOWN_FILE_URL_${ref};`;
    },
  };
}

// The hub web app (app/) → dist/app: no CDN, no inline script (the server's CSP allows 'self' only).
export default defineConfig({
  root: new URL('./app/', import.meta.url).pathname,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  plugins: [lintWorkerChunk()],
  build: {
    outDir: new URL('./dist/app/', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'rich-text', test: RICH_TEXT }] } } },
  },
});
