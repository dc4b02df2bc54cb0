/** One structured log line. Never holds a token, cookie, password or query string. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

export type Logger = (entry: LogEntry) => void;

const SECRET_KEY = /authorization|cookie|token|secret|password|passwd|api[-_]?key|code_verifier|client_secret|^code$/i;
// Bearer JWTs, our API tokens and session ids, wherever they end up in a string.
const SECRET_VALUE = /\b(?:eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*|hsp_[0-9A-Za-z]{20,}|Bearer\s+\S+)/g;

/** Longest string a log line keeps (a longer one is replaced whole, so no secret is cut in half). */
export const MAX_LOGGED_STRING = 64 * 1024;
/** Most items of an array and fields of an object a log line keeps. */
const MAX_LOGGED_ITEMS = 100;

/**
 * Replaces secret-looking fields and values, recursively; safe on cycles and any depth, and
 * bounded: a string longer than {@link MAX_LOGGED_STRING} is replaced by its length (redacting
 * first and cutting after would still scan all of it), and only the first 100 items or fields
 * of a value are kept, so a 10 MB value costs no more than a small one.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string')
    return value.length > MAX_LOGGED_STRING
      ? `[${String(value.length)} characters, not logged]`
      : value.replace(SECRET_VALUE, '[redacted]');
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, MAX_LOGGED_ITEMS).map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (kept++ === MAX_LOGGED_ITEMS) {
      out['…'] = 'more fields, not logged';
      break;
    }
    const v = (value as Record<string, unknown>)[key];
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1, seen);
  }
  return out;
}

/** JSON lines on a stream (stdout by default), redacted, with a timestamp. */
export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => Date = () => new Date(),
): Logger {
  return (entry) => {
    write(`${JSON.stringify({ time: now().toISOString(), ...(redact(entry) as LogEntry) })}\n`);
  };
}

export const silentLogger: Logger = () => undefined;
