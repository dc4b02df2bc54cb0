import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The web app's policy: its own scripts only (no inline script, no eval), styles inline for the
 * email previews, images from https (email assets), API calls to this origin, never framed.
 */
export const WEB_APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Where `@hubspoke/editor`'s built web app is, when the package is installed and built. */
export async function findWebApp(): Promise<string | undefined> {
  try {
    const { editorAppDir } = await import('@hubspoke/editor/assets');
    const dir = editorAppDir();
    return (await stat(path.join(dir, 'index.html'))).isFile() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the web app's files for GET/HEAD outside /api, /auth and /openapi.json; paths without a
 * file extension get index.html (the app routes itself). Nothing outside `dir` is reachable.
 */
export function webApp(dir: string): MiddlewareHandler<AppEnv> {
  const root = path.resolve(dir);
  return async (c, next) => {
    const p = c.req.path;
    if (
      (c.req.method !== 'GET' && c.req.method !== 'HEAD') ||
      /^\/(api|auth)(\/|$)|^\/openapi\.json$|^\/(healthz|readyz)$/.test(p)
    ) {
      return next();
    }
    let relative: string;
    try {
      relative = decodeURIComponent(p);
    } catch {
      return next();
    }
    const ext = path.extname(relative);
    const file = path.resolve(root, `.${ext === '' ? '/index.html' : relative}`);
    if (!file.startsWith(root + path.sep) || relative.includes('\0')) return next();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return next();
    }
    c.header('content-security-policy', WEB_APP_CSP);
    c.header('cache-control', relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(new Uint8Array(body), 200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
  };
}
