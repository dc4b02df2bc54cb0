import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './problem.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafeMethod = (method: string): boolean => UNSAFE.has(method);

/** The deepest nesting of arrays and objects in a JSON text, stopping early once past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) depth--;
  }
  return deepest;
}

/** A `\u0000` escape in JSON text (an even number of backslashes before it, so not a literal `\\u0000`). */
const NUL_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/** Whether JSON text holds a NUL character, which no PostgreSQL text or jsonb value can store. */
export function jsonHasNul(text: string): boolean {
  return text.includes('\\u0000') && NUL_ESCAPE.test(text);
}

const NUL_MESSAGE = 'NUL characters (U+0000) are not accepted';

/** Refuses a NUL (`%00`) anywhere in the URL: PostgreSQL cannot store or compare it (400, before any lookup). */
export function urlGuard(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const at = url.indexOf('?');
    if (/%00/i.test(url)) {
      throw new HttpError(400, 'E_VALIDATION', `${NUL_MESSAGE} in the URL`, {
        path: at !== -1 && /%00/i.test(url.slice(at)) ? 'query' : 'path',
      });
    }
    await next();
  };
}

function hasBody(req: Request): boolean {
  return req.body !== null && req.headers.get('content-length') !== '0';
}

/** `application/json` or any `+json` type, with optional parameters. */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
  if (contentType == null) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

export interface BodyGuardOptions {
  maxBytes: number;
  maxDepth: number;
  /** Paths (exact) that take form posts instead of JSON: the dev sign-in page. */
  formPaths?: readonly string[];
  /** Paths (exact) allowed a larger body, e.g. metrics imports. */
  largePaths?: Readonly<Record<string, number>>;
}

/**
 * Request bodies of unsafe methods: at most `maxBytes` (413, counted on the stream when chunked),
 * JSON only (415), nested at most `maxDepth` deep (400), before any handler parses them.
 */
export function bodyGuard(options: BodyGuardOptions): MiddlewareHandler {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new HttpError(413, 'E_VALIDATION', `The request body is larger than ${String(maxSize)} bytes`, {
          details: { limit: maxSize },
        });
      },
    });
  const standard = limiter(options.maxBytes);
  const large = new Map(Object.entries(options.largePaths ?? {}).map(([p, bytes]) => [p, limiter(bytes)]));
  const formPaths = new Set(options.formPaths ?? []);
  return async (c, next) => {
    if (!isUnsafeMethod(c.req.method) || !hasBody(c.req.raw)) return next();
    const limit = large.get(c.req.path) ?? standard;
    const contentType = c.req.header('content-type');
    if (formPaths.has(c.req.path) && contentType?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded') {
      return limit(c, next);
    }
    if (!isJsonMediaType(contentType)) {
      throw new HttpError(415, 'E_VALIDATION', 'The request body must be JSON (Content-Type: application/json)', {
        details: { expected: 'application/json', actual: contentType ?? null },
        headers: { 'accept-post': 'application/json' },
      });
    }
    return limit(c, async () => {
      const text = await c.req.text();
      if (jsonDepth(text, options.maxDepth) > options.maxDepth) {
        throw new HttpError(
          400,
          'E_VALIDATION',
          `The JSON body is nested deeper than ${String(options.maxDepth)} levels`,
          {
            details: { limit: options.maxDepth },
          },
        );
      }
      try {
        JSON.parse(text);
      } catch {
        throw new HttpError(400, 'E_VALIDATION', 'The request body is not valid JSON');
      }
      if (jsonHasNul(text)) throw new HttpError(400, 'E_VALIDATION', `${NUL_MESSAGE} in the body`, { path: 'body' });
      await next();
    });
  };
}
