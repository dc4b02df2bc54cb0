import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { lintWorkerChunk } from '../vite.config.js';

/** Chromium from HUBSPOKE_TEST_CHROMIUM; browser tests are skipped (with this reason) without it. */
export const CHROMIUM = process.env.HUBSPOKE_TEST_CHROMIUM;
export const SKIP_REASON = 'set HUBSPOKE_TEST_CHROMIUM (e.g. /usr/bin/chromium) to run the browser tests';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The strict policy the hub server sends: scripts only from the origin; inline styles for the email previews. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; font-src 'self' https: data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function launch(): Promise<Browser> {
  // Read now, not at import: the bench sets its default after its imports ran.
  const executablePath = process.env.HUBSPOKE_TEST_CHROMIUM;
  return chromium.launch({ ...(executablePath === undefined ? {} : { executablePath }), args: CHROMIUM_ARGS });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Builds the test page with Vite (as the app is built) and serves it on 127.0.0.1 with the strict CSP. */
export async function serveHarness(): Promise<{ url: string; server: Server; outDir: string }> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'hubspoke-editor-harness-'));
  await build({
    root: new URL('./harness/', import.meta.url).pathname,
    base: './',
    logLevel: 'error',
    worker: { format: 'es' },
    plugins: [lintWorkerChunk()], // the lint worker as the app builds it
    build: { outDir, emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, minify: false },
  });
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(outDir, name === '/' ? 'index.html' : name);
    if (!file.startsWith(outDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, server, outDir };
}
