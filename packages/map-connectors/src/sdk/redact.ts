/** What replaces a secret wherever it would have appeared. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-hook-secret',
]);
const SENSITIVE_PARAMS = new Set(['client_secret', 'access_token', 'refresh_token', 'password', 'api_key', 'token']);

/** The forms a secret takes on the wire: raw, percent-encoded, form-encoded, JSON- and XML-escaped. */
function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const xml = secret
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [secret, encodeURIComponent(secret), form, json, xml];
}

/**
 * Replaces known secrets (config secrets and tokens obtained at run time) in text and in
 * structured values. Every log record, error and dry-run record passes through one.
 */
export class Redactor {
  private readonly variants = new Set<string>();
  private sorted: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers a secret; empty values are ignored. */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length === 0) return;
    let changed = false;
    for (const variant of encodings(secret)) {
      if (variant.length > 0 && !this.variants.has(variant)) {
        this.variants.add(variant);
        changed = true;
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    if (changed) this.sorted = [...this.variants].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const variant of this.sorted) if (out.includes(variant)) out = out.split(variant).join(REDACTED);
    return out;
  }

  /** Redacts a URL: known secrets anywhere, and the values of credential-like query parameters. */
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
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 20 || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[this.redact(key)] =
        SENSITIVE_PARAMS.has(key.toLowerCase()) || SENSITIVE_HEADERS.has(key.toLowerCase())
          ? REDACTED
          : this.walk(v, depth + 1);
    }
    return out;
  }
}
