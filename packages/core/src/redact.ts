import { HubspokeError, isHubspokeError, toHubspokeError } from './errors/hubspoke-error.js';
import type { ErrorCode } from './errors/error-codes.js';
import { guardMethods } from './validation/guards.js';

/** What replaces a secret wherever it would have appeared. */
export const REDACTED = '[REDACTED]';

/** Any run of this many characters of a secret (in any of its encodings) is redacted, so a cut or partial echo leaks nothing useful. */
export const SECRET_FRAGMENT = 8;
/** The longest secret a Redactor takes (a PEM private key fits many times over). */
export const MAX_SECRET_LENGTH = 65_536;

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-hook-secret',
]);
const SENSITIVE_PARAMS = new Set([
  'client_secret',
  'access_token',
  'refresh_token',
  'password',
  'api_key',
  'apikey',
  'auth_key',
  'token',
  'secret',
  'signature',
  'sig',
]);

const utf8 = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The base64 text a secret turns into inside any longer base64 value (a basic-auth pair, a
 * token): for each of the three byte alignments, the characters that depend on the secret alone.
 */
function base64Cores(secret: string): string[] {
  const bytes = utf8.encode(secret);
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const padded = new Uint8Array(pad + bytes.length);
    padded.set(bytes, pad);
    const encoded = base64(padded);
    cores.push(encoded.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6)));
  }
  return cores;
}

/** How many of {@link encodings} are text forms (the rest are base64 pieces). */
const TEXT_FORMS = 5;

/** The forms a secret takes on the wire: raw, percent-encoded, form-encoded, JSON- and XML-escaped, then base64 pieces. */
function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const xml = secret
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const cores = base64Cores(secret);
  return [secret, encodeURIComponent(secret), form, json, xml, ...cores, ...cores.map(base64url)];
}

const base64url = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_');

/** The parts of a URL that carry its secret: credentials, path, query values and fragment (not scheme or host). */
function secretPartsOfUrl(text: string): string[] | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const parts = [decodeSafely(url.username), decodeSafely(url.password), url.pathname, url.pathname.slice(1)];
  for (const segment of url.pathname.split('/')) parts.push(segment, decodeSafely(segment));
  for (const [name, value] of url.searchParams) parts.push(value, `${name}=${value}`);
  if (url.search.length > 1) parts.push(url.search.slice(1));
  if (url.hash.length > 1) parts.push(url.hash.slice(1));
  parts.push(text.slice(text.indexOf(url.host) + url.host.length));
  return parts.filter((p) => p.length > 0 && p !== '/');
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Replaces known secrets (config secrets, credentials and tokens obtained at run time) in text,
 * URLs, headers, structured values and errors. Knows the secret-bearing parts of a credential (a
 * URL's path, query values and user info; the pair inside a basic-auth header) and their encoded
 * forms, and redacts any run of {@link SECRET_FRAGMENT} characters of one, so an echo of part of
 * a secret, or one cut in half by a length limit, shows nothing. Redact first, then shorten:
 * {@link Redactor.clip} does both in that order.
 */
export class Redactor {
  private readonly variants = new Set<string>();
  private sorted: string[] = [];
  private readonly fragments = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    const given: unknown = secrets;
    if (
      given === null ||
      typeof given !== 'object' ||
      typeof (given as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function'
    )
      throw new HubspokeError('E_VALIDATION', 'Invalid secrets: expected a list of strings', { path: 'secrets' });
    for (const secret of secrets) this.add(secret);
  }

  /** Whether any secret is known. */
  get empty(): boolean {
    return this.variants.size === 0;
  }

  /** Registers a secret and, for a URL, its secret-bearing parts; empty values are ignored. */
  add(secret: string | undefined): void {
    if (typeof secret !== 'string' || secret.length === 0) return;
    if (secret.length > MAX_SECRET_LENGTH)
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid secret: expected at most ${MAX_SECRET_LENGTH} characters, got ${secret.length}`,
        { path: 'secret', details: { limit: MAX_SECRET_LENGTH } },
      );
    const parts = secretPartsOfUrl(secret);
    const before = this.variants.size;
    // Base64 pieces and URL parts shorter than a fragment would match ordinary text.
    const keep = (variant: string, whole: boolean) => (whole ? variant.length > 0 : variant.length >= SECRET_FRAGMENT);
    for (const [i, variant] of encodings(secret).entries())
      if (keep(variant, i < TEXT_FORMS)) this.variants.add(variant);
    if (parts !== undefined) this.variants.add(secret.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
    // A URL's scheme and host are not secret: only its secret-bearing parts count as fragments.
    for (const part of parts ?? [secret]) {
      for (const variant of encodings(part)) {
        if (parts !== undefined && keep(variant, false)) this.variants.add(variant);
        for (let i = 0; i + SECRET_FRAGMENT <= variant.length; i++)
          this.fragments.add(variant.slice(i, i + SECRET_FRAGMENT));
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    if (this.variants.size !== before) this.sorted = [...this.variants].sort((a, b) => b.length - a.length);
  }

  /** Registers the secret in a credential header value (`Bearer <token>`, `Basic <base64 user:password>`, or a bare key). */
  addCredential(value: string | undefined): void {
    if (typeof value !== 'string' || value.length === 0) return;
    this.add(value);
    const match = /^([A-Za-z][\w-]*)\s+(\S+)$/.exec(value.trim());
    if (match?.[2] === undefined) return;
    this.add(match[2]);
    if (match[1]?.toLowerCase() === 'basic') {
      let pair: string;
      try {
        pair = new TextDecoder().decode(Uint8Array.from(atob(match[2]), (c) => c.charCodeAt(0)));
      } catch {
        return;
      }
      const colon = pair.indexOf(':');
      this.add(pair);
      if (colon >= 0) this.add(pair.slice(colon + 1));
    }
  }

  redact(text: string): string {
    if (typeof text !== 'string') return text;
    let out = text;
    for (const variant of this.sorted) if (out.includes(variant)) out = out.split(variant).join(REDACTED);
    if (this.fragments.size === 0 || out.length < SECRET_FRAGMENT) return out;
    // Any run that shares SECRET_FRAGMENT characters with a secret goes too.
    let result = '';
    let copied = 0;
    let coveredTo = -1;
    let start = -1;
    for (let i = 0; i + SECRET_FRAGMENT <= out.length; i++) {
      if (!this.fragments.has(out.slice(i, i + SECRET_FRAGMENT))) continue;
      if (i > coveredTo) {
        if (start >= 0) {
          result += out.slice(copied, start) + REDACTED;
          copied = coveredTo;
        }
        start = i;
      }
      coveredTo = i + SECRET_FRAGMENT;
    }
    if (start < 0) return out;
    return result + out.slice(copied, start) + REDACTED + out.slice(coveredTo);
  }

  /** Redacts, then shortens to at most `max` characters (marking the cut), so a cut can never leave part of a secret behind. */
  clip(text: string, max: number): string {
    const clean = this.redact(text);
    return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`;
  }

  /** Redacts a URL: known secrets anywhere, credentials, and the values of credential-like query parameters. */
  redactUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.redact(url);
    }
    for (const name of [...parsed.searchParams.keys()]) {
      if (SENSITIVE_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, REDACTED);
    }
    if (parsed.password) parsed.password = REDACTED;
    return this.redact(parsed.toString());
  }

  redactHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers))
      out[name] = SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : this.redact(value);
    return out;
  }

  /** Deeply redacts a JSON-like value (strings, arrays, plain objects); other values pass through. */
  redactDeep<T>(value: T): T {
    return this.walk(value, 0, new Set()) as T;
  }

  private walk(value: unknown, depth: number, seen: Set<object>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null) return value;
    if (depth > 20 || seen.has(value)) return '[…]';
    seen.add(value);
    let out: unknown;
    if (Array.isArray(value)) out = value.map((v) => this.walk(v, depth + 1, seen));
    else if (value instanceof Error) out = this.error(value).toJSON();
    else {
      const record: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        record[this.redact(key)] =
          SENSITIVE_PARAMS.has(key.toLowerCase()) || SENSITIVE_HEADERS.has(key.toLowerCase())
            ? REDACTED
            : this.walk(v, depth + 1, seen);
      }
      out = record;
    }
    seen.delete(value);
    return out;
  }

  /**
   * A HubspokeError that says what `error` said with every secret removed: message, hint,
   * details and the whole cause chain (rebuilt as plain errors, so nothing the original carried,
   * such as a request object, comes along). Anything that was not a HubspokeError becomes `fallback`.
   */
  error(error: unknown, fallback: ErrorCode = 'E_INTERNAL'): HubspokeError {
    const e = toHubspokeError(error, fallback);
    const cause = this.cause(e.cause, 0);
    return new HubspokeError(e.code, this.redact(e.message), {
      details: this.redactDeep(e.details),
      // A path names where a value sits (schema keys), not the value.
      ...(e.path === undefined ? {} : { path: e.path }),
      ...(e.hint === undefined ? {} : { hint: this.redact(e.hint) }),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  private cause(cause: unknown, depth: number): unknown {
    if (cause === undefined || cause === null) return undefined;
    if (typeof cause === 'string') return this.redact(cause);
    if (!(cause instanceof Error) && !isHubspokeError(cause)) return undefined;
    const { message, name, cause: next } = readError(cause);
    const inner = depth < 5 ? this.cause(next, depth + 1) : undefined;
    const copy = new Error(this.redact(message), inner === undefined ? undefined : { cause: inner });
    copy.name = this.redact(name);
    // No frames: they would be this function's, and the original's first line held the unredacted message.
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }
}

// Called by connector authors from JavaScript too: a wrong argument is a HubspokeError. The other
// methods take anything by design (non-strings pass through, are ignored or are wrapped).
guardMethods(
  'Redactor',
  Redactor.prototype,
  { clip: ['text:string', 'max:number'], redactHeaders: ['headers:object'] },
  { sync: ['clip', 'redactHeaders'], content: ['text'] },
);

/** An error's message, name and cause, read without trusting getters. */
function readError(error: Error): { message: string; name: string; cause: unknown } {
  try {
    return {
      message: typeof error.message === 'string' ? error.message : '',
      name: typeof error.name === 'string' ? error.name : 'Error',
      cause: error.cause,
    };
  } catch {
    return { message: 'an error that could not be read', name: 'Error', cause: undefined };
  }
}
