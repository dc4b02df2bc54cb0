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

/** Replaces secret-looking fields and values, recursively; safe on cycles and any depth. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return value.replace(SECRET_VALUE, '[redacted]');
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
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
