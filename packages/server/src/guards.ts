import { isAscii } from 'node:buffer';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './problem.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafeMethod = (method: string): boolean => UNSAFE.has(method);

/**
 * The deepest nesting of arrays and objects in a JSON text, stopping early once past `limit`. Inside a
 * string it jumps from quote to quote (`indexOf`), so a body that is mostly one long string (an
 * email's HTML) costs a few steps per quote rather than one per character.
 */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      i = closingQuote(text, i);
      if (i === -1) return deepest; // unterminated: JSON.parse reports it
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) depth--;
  }
  return deepest;
}

/** The index of the quote that closes the string opened at `open` (one not escaped by an odd run of backslashes), or -1. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
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

/**
 * Whether the request has a body. A request @hono/node-server made from a Node request always has
 * one unless its Content-Length is 0, and touching its `body` would build a web stream over the
 * socket that every later read goes through (instead of its direct read of the Node request).
 */
function hasBody(c: Context): boolean {
  if (c.req.header('content-length') === '0') return false;
  return (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined || c.req.raw.body !== null;
}

const BOM = '\u00ef\u00bb\u00bf';
/** Decodes the body as `Response.text()` does (UTF-8, replacement characters, a leading BOM dropped). */
const wholeDecoder = new TextDecoder();
/** For runs of non-ASCII bytes inside the body: a U+FEFF there is a character, not a BOM. */
const runDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const NON_ASCII = /[\u0080-\u00ff]+/g;

/**
 * The JSON text of a UTF-8 body, to parse: what `Response.text()` gives, except that characters
 * beyond ASCII are written as `\uXXXX` escapes, which JSON parses to the same value. A 60 KB email
 * with a few curly quotes is then a one-byte string of 60 KB rather than a two-byte one of 120 KB
 * and more: over 128 KB V8 allocates it in large-object space, which cost ~0.7 ms per request
 * (more than parsing it). Where the escapes would change the outcome (a backslash escaping a
 * non-ASCII character: invalid JSON, which `\\uXXXX` would make valid) or make the text much
 * longer (mostly non-ASCII text), the plain decoded text.
 */
export function jsonBodyText(body: Uint8Array): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const latin1 = bytes.toString('latin1');
  const start = latin1.startsWith(BOM) ? BOM.length : 0;
  if (isAscii(bytes)) return latin1;
  const found = { backslashed: false, escapes: 0 };
  const text = latin1.slice(start).replace(NON_ASCII, (run: string, offset: number, all: string) => {
    let backslashes = 0;
    while (offset - backslashes > 0 && all.charCodeAt(offset - backslashes - 1) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 1) found.backslashed = true;
    if (found.backslashed) return run;
    const at = start + offset;
    const decoded = runDecoder.decode(bytes.subarray(at, at + run.length));
    found.escapes += decoded.length;
    let out = '';
    for (let i = 0; i < decoded.length; i++) out += `\\u${decoded.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
  return found.backslashed || found.escapes * 16 > bytes.length ? wholeDecoder.decode(bytes) : text;
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
 * JSON only (415), nested at most `maxDepth` deep (400), before any handler parses them. The body
 * is parsed here, once: the route's validator (`c.req.json()`) gets this value instead of parsing
 * the text again (a later `c.req.json()` parses it anew, as Hono does).
 */
export function bodyGuard(options: BodyGuardOptions): MiddlewareHandler {
  const tooLarge = (maxSize: number) => {
    throw new HttpError(413, 'E_VALIDATION', `The request body is larger than ${String(maxSize)} bytes`, {
      details: { limit: maxSize },
    });
  };
  const limiter = (maxSize: number) => bodyLimit({ maxSize, onError: () => tooLarge(maxSize) });
  const standard = { bytes: options.maxBytes, limit: limiter(options.maxBytes) };
  const large = new Map(
    Object.entries(options.largePaths ?? {}).map(([p, bytes]) => [p, { bytes, limit: limiter(bytes) }]),
  );
  const formPaths = new Set(options.formPaths ?? []);
  const parsed = async (c: Context, next: () => Promise<void>) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const text = jsonBodyText(body);
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
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'E_VALIDATION', 'The request body is not valid JSON');
    }
    if (jsonHasNul(text)) throw new HttpError(400, 'E_VALIDATION', `${NUL_MESSAGE} in the body`, { path: 'body' });
    let handed = false;
    c.req.json = <T>() => {
      if (handed) return Promise.resolve(JSON.parse(text) as T);
      handed = true;
      return Promise.resolve(value as T);
    };
    await next();
  };
  return async (c, next) => {
    if (!isUnsafeMethod(c.req.method) || !hasBody(c)) return next();
    const limit = large.get(c.req.path) ?? standard;
    const contentType = c.req.header('content-type');
    if (formPaths.has(c.req.path) && contentType?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded') {
      return limit.limit(c, next);
    }
    if (!isJsonMediaType(contentType)) {
      throw new HttpError(415, 'E_VALIDATION', 'The request body must be JSON (Content-Type: application/json)', {
        details: { expected: 'application/json', actual: contentType ?? null },
        headers: { 'accept-post': 'application/json' },
      });
    }
    // A declared length is checked as Hono's bodyLimit checks it, without reading the body through a
    // web stream (which bodyLimit does, to count a chunked body).
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > limit.bytes) tooLarge(limit.bytes);
      return parsed(c, next);
    }
    return limit.limit(c, () => parsed(c, next));
  };
}
