export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log line. Secrets are redacted before a record reaches a logger. */
export interface LogRecord {
  level: LogLevel;
  /** A stable event name such as `http.request`, `http.retry`, `publish.adopted`. */
  event: string;
  connector: string;
  message: string;
  [field: string]: unknown;
}

export type Logger = (record: LogRecord) => void;

/** Drops every record (the default). */
export const silentLogger: Logger = () => undefined;

/** Writes one JSON line per record to stderr at or above `level`. */
export function jsonLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return (record) => {
    if (rank[record.level] >= rank[level]) write(JSON.stringify({ time: new Date().toISOString(), ...record }));
  };
}

/** Keeps records in memory, for tests and for showing what happened. */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = (record: LogRecord) => {
    records.push(record);
  };
  return Object.assign(logger, { records });
}
