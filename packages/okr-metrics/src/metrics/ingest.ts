import { HubspokeError, parse, type CampaignMetrics, type Diagnostic } from '@hubspoke/core';
import { z } from 'zod';
import { isTrustedSink, ADD_VALIDATED } from '../internal/trusted.js';
import { csvRows } from './decoding/csv.js';
import { DeliveredDefinitionSchema, type DeliveredDefinition } from './kpis/definitions.js';
import { NdjsonRows } from './decoding/ndjson.js';
import { items, textOrBytes, type TextSource } from './decoding/text-chunks.js';
import { RowValidator } from './decoding/validate-row.js';

export type MetricsFormat = 'objects' | 'ndjson' | 'csv';

/** Receives validated rows; `KpiAggregator` and `OkrMetricsBinder` are sinks, and so can your own code be. */
export interface MetricsSink {
  add(row: CampaignMetrics): void;
}

/** Row objects (`format: 'objects'`, the default) or text (`'ndjson'`, `'csv'`) from any of these. */
export type MetricsSource = TextSource | Iterable<unknown> | AsyncIterable<unknown> | ReadableStream<unknown>;

export interface ReadMetricsOptions {
  /** `objects` (default): arrays, iterables, async iterables or object streams of rows. `ndjson`, `csv`: text or bytes (UTF-8). */
  format?: MetricsFormat;
  /** How `delivered` is obtained per row (default `reported-else-sent-minus-bounces`); rows come out with it filled in. */
  delivered?: DeliveredDefinition;
  /** `throw` (default): the first bad row stops the import with an `E_VALIDATION` error naming its line and field. `skip`: bad rows become diagnostics and the rest go on. */
  onInvalidRow?: 'throw' | 'skip';
  /** At most this many rejected-row diagnostics are kept (default 100); the rest are counted. */
  maxDiagnostics?: number;
  /** NDJSON lines (CSV records) longer than this many characters are rejected without being held in memory (default 1,048,576). */
  maxLineLength?: number;
  /** `ndjson`, `csv`: the most UTF-8 bytes read (default 1 GiB, {@link DEFAULT_MAX_BYTES}). A string or byte array over it is refused before any of it is parsed; a stream stops with `E_VALIDATION` once it passes it. */
  maxBytes?: number;
  /** Named in messages, e.g. a file name. */
  sourceName?: string;
  signal?: AbortSignal;
}

export interface IngestOptions extends ReadMetricsOptions {
  /** Where validated rows go. */
  into: MetricsSink | readonly MetricsSink[];
}

export interface IngestSummary {
  /** Rows that passed validation and reached the sinks. */
  accepted: number;
  /** Rows rejected (only non-zero with `onInvalidRow: 'skip'`). */
  rejected: number;
  /** One per rejected row, up to `maxDiagnostics`. */
  diagnostics: Diagnostic[];
  /** Rejected rows beyond `maxDiagnostics`. */
  omittedDiagnostics: number;
}

const OBJECT_BATCH = 1024;

/** The default `maxBytes` of an NDJSON or CSV import: 1 GiB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

function tooLarge(maxBytes: number, format: string): HubspokeError {
  return new HubspokeError(
    'E_VALIDATION',
    `options.maxBytes: the ${format.toUpperCase()} source is larger than ${maxBytes} bytes (the import limit); raise maxBytes to import it`,
    { path: 'options.maxBytes', details: { limit: maxBytes } },
  );
}

/** UTF-8 length of a string, or a lower bound above `max` as soon as it is clear (no work when the length alone decides). */
function utf8Length(text: string, max: number): number {
  if (text.length > max) return text.length;
  if (text.length * 3 <= max) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > max) return bytes;
  }
  return bytes;
}

/**
 * The source with the byte limit applied: a string or byte array is measured before any parsing,
 * a stream counted chunk by chunk (stopping once past the limit).
 */
function limited(source: TextSource, maxBytes: number, format: string): TextSource {
  if (typeof source === 'string') {
    if (utf8Length(source, maxBytes) > maxBytes) throw tooLarge(maxBytes, format);
    return source;
  }
  if (source instanceof Uint8Array) {
    if (source.byteLength > maxBytes) throw tooLarge(maxBytes, format);
    return source;
  }
  return (async function* () {
    let total = 0;
    for await (const chunk of items(source)) {
      total +=
        typeof chunk === 'string'
          ? utf8Length(chunk, maxBytes - total + 1)
          : chunk instanceof Uint8Array
            ? chunk.byteLength
            : 0;
      if (total > maxBytes) throw tooLarge(maxBytes, format);
      yield chunk;
    }
  })();
}

const ReadOptionsSchema = z
  .object({
    format: z.enum(['objects', 'ndjson', 'csv']).default('objects'),
    delivered: DeliveredDefinitionSchema.default('reported-else-sent-minus-bounces'),
    onInvalidRow: z.enum(['throw', 'skip']).default('throw'),
    maxDiagnostics: z.number().int().min(0).default(100),
    maxLineLength: z.number().int().min(1).default(1_048_576),
    maxBytes: z.number().int().min(1).default(DEFAULT_MAX_BYTES),
    sourceName: z.string().max(1000).optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'expected an AbortSignal' }).optional(),
    onDiagnostic: z
      .custom<(d: Diagnostic) => void>((v) => typeof v === 'function', { error: 'expected a function' })
      .optional(),
    into: z.unknown().optional(),
  })
  .strict();
type ReadOptions = z.output<typeof ReadOptionsSchema>;

function validatorFor(options: ReadOptions): RowValidator {
  return new RowValidator({
    delivered: options.delivered,
    onInvalidRow: options.onInvalidRow,
    maxDiagnostics: options.maxDiagnostics,
    sourceName: options.sourceName,
  });
}

function isText(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

async function* objectRows(
  source: MetricsSource,
  validator: RowValidator,
  signal?: AbortSignal,
): AsyncGenerator<CampaignMetrics[]> {
  if (isText(source)) {
    throw new HubspokeError('E_VALIDATION', 'options.format: the source is text; pass format "ndjson" or "csv"', {
      path: 'options.format',
    });
  }
  let batch: CampaignMetrics[] = [];
  let index = 0;
  const take = (value: unknown): void => {
    if (isText(value)) {
      throw new HubspokeError(
        'E_VALIDATION',
        'options.format: the source yields text chunks; pass format "ndjson" or "csv"',
        { path: 'options.format' },
      );
    }
    const row = validator.validate(value, { where: `rows[${index}]`, index });
    index++;
    if (row !== undefined) batch.push(row);
  };
  // Synchronous collections are read without an await per row.
  if (Symbol.iterator in source) {
    for (const value of source) {
      take(value);
      if (batch.length >= OBJECT_BATCH) {
        if (signal?.aborted === true)
          throw new HubspokeError('E_ABORTED', 'Metrics import was cancelled', { cause: signal.reason });
        yield batch;
        batch = [];
      }
    }
  } else {
    for await (const value of items(source)) {
      if (signal?.aborted === true)
        throw new HubspokeError('E_ABORTED', 'Metrics import was cancelled', { cause: signal.reason });
      take(value);
      if (batch.length >= OBJECT_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

async function* ndjsonRows(
  source: TextSource,
  validator: RowValidator,
  maxLineLength: number,
  signal?: AbortSignal,
): AsyncGenerator<CampaignMetrics[]> {
  const lines = new NdjsonRows(validator, maxLineLength);
  for await (const piece of textOrBytes(source, signal)) {
    const batch = typeof piece === 'string' ? lines.push(piece) : lines.pushBytes(piece);
    if (batch.length > 0) yield batch;
  }
  const last = lines.end();
  if (last.length > 0) yield last;
}

function rowBatches(input: unknown, options: ReadOptions, validator: RowValidator): AsyncGenerator<CampaignMetrics[]> {
  const source = checkSource(input);
  switch (options.format) {
    case 'objects':
      return objectRows(source, validator, options.signal);
    case 'ndjson':
      return ndjsonRows(
        limited(source as TextSource, options.maxBytes, 'ndjson'),
        validator,
        options.maxLineLength,
        options.signal,
      );
    case 'csv':
      return csvRows(
        limited(source as TextSource, options.maxBytes, 'csv'),
        validator,
        options.maxLineLength,
        options.signal,
      );
  }
}

function checkSource(source: unknown): MetricsSource {
  const readable =
    typeof source === 'string' ||
    (typeof source === 'object' &&
      source !== null &&
      (Symbol.iterator in source ||
        Symbol.asyncIterator in source ||
        typeof (source as { getReader?: unknown }).getReader === 'function'));
  if (!readable) {
    throw new HubspokeError(
      'E_VALIDATION',
      `source: expected rows or text (an array, iterable, stream, string or bytes), got ${source === null ? 'null' : typeof source}`,
      { path: 'source' },
    );
  }
  return source as MetricsSource;
}

/**
 * Streams metrics rows into sinks: memory stays flat in the number of rows (rows are
 * validated and handed on chunk by chunk, never collected). Every row is checked like core's
 * `CampaignMetricsSchema` plus consistency (clicks ≤ delivered, …); see `onInvalidRow`.
 */
export async function ingestMetrics(source: MetricsSource, options: IngestOptions): Promise<IngestSummary> {
  const opts = parse(ReadOptionsSchema, options, 'options');
  const validator = validatorFor(opts);
  const sinks: unknown[] = Array.isArray(opts.into) ? opts.into : [opts.into];
  if (sinks.length === 0 || !sinks.every(isSink)) {
    throw new HubspokeError(
      'E_VALIDATION',
      'options.into: expected a sink (an object with add(row)) or a non-empty array of sinks',
      { path: 'options.into' },
    );
  }
  const adders = sinks.map((s) => (isTrustedSink(s) ? s[ADD_VALIDATED].bind(s) : s.add.bind(s)));
  for await (const batch of rowBatches(source, opts, validator)) {
    for (const add of adders) for (const row of batch) add(row);
  }
  return {
    accepted: validator.accepted,
    rejected: validator.rejected,
    diagnostics: validator.diagnostics,
    omittedDiagnostics: validator.omittedDiagnostics,
  };
}

/**
 * The validated rows of a source, one at a time (for your own processing). Same validation
 * and options as {@link ingestMetrics}; rejected rows (policy `skip`) are reported through
 * `onDiagnostic`.
 */
export async function* readMetrics(
  source: MetricsSource,
  options: ReadMetricsOptions & { onDiagnostic?: (d: Diagnostic) => void } = {},
): AsyncGenerator<CampaignMetrics> {
  const opts = parse(ReadOptionsSchema, options, 'options');
  const validator = validatorFor(opts);
  let reported = 0;
  const report = (): void => {
    for (const d of validator.diagnostics.slice(reported)) opts.onDiagnostic?.(d);
    reported = validator.diagnostics.length;
  };
  for await (const batch of rowBatches(source, opts, validator)) {
    report();
    yield* batch;
  }
  report();
}

function isSink(value: unknown): value is MetricsSink {
  return typeof value === 'object' && value !== null && typeof (value as { add?: unknown }).add === 'function';
}

/** The format of a metrics file by its extension (`.csv`; `.ndjson`, `.jsonl`), for CLIs. */
export function metricsFormatOf(fileName: string): 'csv' | 'ndjson' {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  throw new HubspokeError(
    'E_UNSUPPORTED',
    `Cannot tell the metrics format of ${JSON.stringify(fileName.slice(-60))}: use .csv, .ndjson or .jsonl, or pass the format`,
    { path: 'fileName' },
  );
}
