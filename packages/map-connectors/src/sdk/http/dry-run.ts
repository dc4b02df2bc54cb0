/** One request (or file write) a dry run would have made, with secrets redacted. */
export interface DryRunRecord {
  connector: string;
  operation: string;
  /** An HTTP method, or `WRITE` for a file. */
  method: string;
  /** The URL or file path. */
  target: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Collects dry-run records; pass one as `dryRun` to see what a connector would send. */
export interface DryRunRecorder {
  readonly records: DryRunRecord[];
  record(entry: DryRunRecord): void;
}

export function createDryRunRecorder(): DryRunRecorder {
  const records: DryRunRecord[] = [];
  return {
    records,
    record(entry) {
      records.push(entry);
    },
  };
}
