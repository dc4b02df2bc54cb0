import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubspokeError, isHubspokeError, toHubspokeError } from '@hubspoke/core';
import { fsError } from '@hubspoke/hub';
import { imagePolicy } from './image-policy.js';
import type { PreviewSource } from './types.js';

export interface PreviewServerOptions {
  source: PreviewSource;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Folder of the built page (index.html, assets/). */
  appDir?: string;
  /** Load images from any host, not only the brand's asset and logo hosts (default false). */
  allowRemoteImages?: boolean;
}

export interface PreviewServer {
  /** `http://127.0.0.1:<port>/?token=<token>` */
  url: string;
  port: number;
  token: string;
  /** Tells open pages to reload (also done on file changes). */
  reload(): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Where the built preview page lives: next to the bundle, or in dist/ when running from sources. */
export function defaultAppDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'preview-app'), path.join(here, '..', '..', 'dist', 'preview-app')];
  return candidates.find((c) => existsSync(path.join(c, 'index.html'))) ?? candidates[0] ?? here;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's JSON object body; at most 64 KB. */
async function readJsonObject(req: IncomingMessage, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new HubspokeError('E_VALIDATION', 'request body: larger than 64 KB');
    chunks.push(buf);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (cause) {
    throw new HubspokeError('E_VALIDATION', 'request body: expected JSON', { cause });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HubspokeError('E_VALIDATION', 'request body: expected a JSON object');
  return body as Record<string, unknown>;
}

/** An optional string field of a request body. */
function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HubspokeError('E_VALIDATION', `${key}: expected a string`, { path: key });
  return value;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

const HTTP_STATUS: Partial<Record<string, number>> = {
  E_VALIDATION: 400,
  E_NOT_FOUND: 404,
  E_FORBIDDEN: 403,
  E_CONFLICT: 409,
  E_LOCKED: 409,
  E_AUTH: 401,
};

/**
 * Serves the preview page on 127.0.0.1 behind a random token. The email itself is shown in
 * sandboxed iframes without script; the page talks to this server only.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const { source } = options;
  const appDir = options.appDir ?? defaultAppDir();
  const token = randomBytes(24).toString('hex');
  const listeners = new Set<ServerResponse>();
  let port = 0;
  const images = imagePolicy(source.approvedImageUrls ?? [], options.allowRemoteImages ?? false);

  const reload = () => {
    for (const res of listeners) res.write('event: reload\ndata: {}\n\n');
  };

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /api/state':
        sendJson(res, 200, {
          title: source.title,
          locales: source.locales,
          contacts: source.contacts,
          review: source.review !== undefined,
        });
        return;
      case 'GET /api/render': {
        const locale = url.searchParams.get('locale') ?? source.locales[0] ?? '';
        if (!source.locales.includes(locale))
          throw new HubspokeError(
            'E_NOT_FOUND',
            `locale: ${JSON.stringify(locale)} is not one of ${source.locales.join(', ')}`,
          );
        const contact = url.searchParams.get('contact') ?? undefined;
        const rendered = await source.render(locale, contact === '' ? undefined : contact);
        sendJson(res, 200, { ...rendered, blockedImages: images.blocked(rendered.html) });
        return;
      }
      case 'GET /api/review':
        if (source.review === undefined) throw new HubspokeError('E_NOT_FOUND', 'review: this draft has no submission');
        sendJson(res, 200, await source.review.view());
        return;
      case 'POST /api/decide': {
        if (source.review === undefined) throw new HubspokeError('E_NOT_FOUND', 'review: this draft has no submission');
        const body = await readJsonObject(req);
        const decision = optionalString(body, 'decision');
        if (decision === undefined)
          throw new HubspokeError('E_VALIDATION', 'decision: expected a string', { path: 'decision' });
        const reason = optionalString(body, 'reason');
        const view = await source.review.decide(decision, reason === '' ? undefined : reason);
        reload();
        sendJson(res, 200, view);
        return;
      }
      case 'POST /api/comment': {
        if (source.review === undefined) throw new HubspokeError('E_NOT_FOUND', 'review: this draft has no submission');
        const body = await readJsonObject(req);
        const text = optionalString(body, 'text');
        if (text === undefined || text.trim() === '')
          throw new HubspokeError('E_VALIDATION', 'text: expected a non-empty comment', { path: 'text' });
        const anchor =
          typeof body.anchor === 'object' && body.anchor !== null ? (body.anchor as Record<string, unknown>) : {};
        const fields = {
          instanceId: optionalString(anchor, 'instanceId'),
          slotId: optionalString(anchor, 'slotId'),
          locale: optionalString(anchor, 'locale'),
        };
        const view = await source.review.comment(text, fields.instanceId === undefined ? undefined : fields);
        reload();
        sendJson(res, 200, view);
        return;
      }
      case 'GET /api/events':
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        listeners.add(res);
        req.on('close', () => listeners.delete(res));
        return;
      default:
        throw new HubspokeError('E_NOT_FOUND', `no such endpoint ${route}`);
    }
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = path.resolve(appDir, relative);
    if (!file.startsWith(path.resolve(appDir) + path.sep)) throw new HubspokeError('E_NOT_FOUND', 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (cause) {
      throw new HubspokeError('E_NOT_FOUND', `not found: ${pathname}`, { cause });
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The page loads nothing from elsewhere; email previews go into sandboxed srcdoc frames,
      // which inherit this policy, so it also decides which of the email's images load.
      'content-security-policy': `default-src 'self'; ${images.imgSrc}; style-src 'self' 'unsafe-inline'; frame-src 'self' about:; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    });
    res.end(body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      try {
        // DNS-rebinding guard: only our own host names.
        const host = req.headers.host ?? '';
        if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
          throw new HubspokeError('E_FORBIDDEN', 'unexpected Host header');
        const isAsset = url.pathname.startsWith('/assets/');
        const given = url.searchParams.get('token') ?? (req.headers['x-hubspoke-token'] as string | undefined);
        if (!isAsset && !sameToken(given ?? undefined, token))
          throw new HubspokeError('E_FORBIDDEN', 'missing or wrong token: open the URL printed by `hubspoke preview`');
        if (url.pathname.startsWith('/api/')) await api(req, res, url);
        else await serveStatic(res, url.pathname);
      } catch (error) {
        const e = isHubspokeError(error) ? error : toHubspokeError(error);
        if (!res.headersSent)
          sendJson(res, HTTP_STATUS[e.code] ?? 500, { error: { code: e.code, message: e.message } });
        else res.end();
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      reject(
        new HubspokeError(
          cause.code === 'EADDRINUSE' ? 'E_CONFLICT' : 'E_UPSTREAM',
          `preview: cannot listen on 127.0.0.1:${options.port ?? 0} (${cause.code ?? cause.message})`,
          { cause, hint: 'pick another --port' },
        ),
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;

  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(pending);
    pending = setTimeout(reload, 50);
  };
  const watchers = watchFiles(source.watch, changed);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    reload,
    close: async () => {
      clearTimeout(pending);
      for (const w of watchers) w.close();
      for (const res of listeners) res.end();
      listeners.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

/**
 * Calls `onChange` when a watched file or anything in a watched folder changes. Files are watched
 * through their folder: editors (and `hubspoke lint --fix`) save by renaming a new file over the
 * old one, after which a watch on the old file would never fire again.
 */
function watchFiles(paths: string[], onChange: () => void): FSWatcher[] {
  const byFolder = new Map<string, Set<string> | 'all'>();
  for (const p of paths) {
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) {
      byFolder.set(p, 'all');
      continue;
    }
    const names = byFolder.get(path.dirname(p)) ?? new Set<string>();
    if (names !== 'all') byFolder.set(path.dirname(p), names.add(path.basename(p)));
  }
  return [...byFolder].map(([folder, names]) => {
    try {
      return watch(folder, (_event, name) => {
        if (names === 'all' || name === null || names.has(name)) onChange();
      });
    } catch (e) {
      throw fsError(e, 'watch', folder);
    }
  });
}
