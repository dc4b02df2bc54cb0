import { CampaignMetricsSchema, HubspokeError, type CampaignMetrics } from '@hubspoke/core';
import { CsvRecordReader } from './csv-records.js';
import { textChunks, type TextSource } from './text-chunks.js';
import { lineAt, type RowValidator } from './validate-row.js';

const FIELDS = Object.keys(CampaignMetricsSchema.shape).filter((k) => k !== 'dimensions');
const NUMERIC_FIELDS: ReadonlySet<string> = new Set([
  'sent',
  'delivered',
  'hardBounces',
  'softBounces',
  'uniqueOpens',
  'totalOpens',
  'machineOpens',
  'uniqueClicks',
  'totalClicks',
  'unsubscribes',
  'complaints',
  'conversions',
  'revenue',
  'cost',
]);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DIMENSION_PREFIX = 'dimensions.';

type Column = { kind: 'field'; name: string; numeric: boolean } | { kind: 'dimension'; name: string };

/** Maps the header row to columns; unknown, duplicate or missing required columns stop the import. */
function readHeader(header: readonly string[]): Column[] {
  const seen = new Set<string>();
  const columns = header.map((raw, i): Column => {
    const name = raw.trim();
    if (seen.has(name))
      throw new HubspokeError('E_VALIDATION', `CSV header: column ${JSON.stringify(name)} appears twice`, {
        path: `header[${i}]`,
      });
    seen.add(name);
    if (name.startsWith(DIMENSION_PREFIX) && name.length > DIMENSION_PREFIX.length)
      return { kind: 'dimension', name: name.slice(DIMENSION_PREFIX.length) };
    if (FIELDS.includes(name)) return { kind: 'field', name, numeric: NUMERIC_FIELDS.has(name) };
    throw new HubspokeError(
      'E_VALIDATION',
      `CSV header: unknown column ${JSON.stringify(name.slice(0, 60))}; expected ${FIELDS.join(', ')} or dimensions.<name>`,
      {
        path: `header[${i}]`,
        details: { column: name.slice(0, 200), known: FIELDS },
      },
    );
  });
  for (const required of ['campaignId', 'sent']) {
    if (!seen.has(required))
      throw new HubspokeError('E_VALIDATION', `CSV header: missing the required column ${required}`, {
        path: 'header',
      });
  }
  return columns;
}

/** One record as the object a JSON row would be: empty cells are absent, numeric-looking cells are numbers. */
function toObject(columns: readonly Column[], record: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  let dimensions: Record<string, string> | undefined;
  for (let i = 0; i < columns.length; i++) {
    const cell = record[i];
    const column = columns[i];
    if (cell === undefined || cell === '' || column === undefined) continue;
    if (column.kind === 'dimension') (dimensions ??= {})[column.name] = cell;
    else row[column.name] = column.numeric && NUMBER.test(cell) ? Number(cell) : cell;
  }
  if (dimensions !== undefined) row.dimensions = dimensions;
  return row;
}

/**
 * Validated rows of a CSV source, per chunk. The first record is the header. A malformed
 * file (an unclosed quote) stops the import with its line; a row that fails validation
 * follows the row policy.
 */
export async function* csvRows(
  source: TextSource,
  validator: RowValidator,
  maxRecordLength: number,
  signal?: AbortSignal,
): AsyncGenerator<CampaignMetrics[]> {
  const reader = new CsvRecordReader(maxRecordLength);
  let columns: Column[] | undefined;
  let batch: CampaignMetrics[] = [];
  const onRecord = (record: string[], line: number): void => {
    if (columns === undefined) {
      columns = readHeader(record);
      return;
    }
    const place = lineAt(line);
    if (record.length !== columns.length) {
      validator.reject(
        place,
        'metrics/invalid-csv',
        `expected ${columns.length} cells like the header, got ${record.length}`,
      );
      return;
    }
    const row = validator.validate(toObject(columns, record), place, true);
    if (row !== undefined) batch.push(row);
  };
  for await (const text of textChunks(source, signal)) {
    reader.push(text, onRecord);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  reader.end(onRecord);
  if (batch.length > 0) yield batch;
}
