import { HubspokeError } from './errors/hubspoke-error.js';

/**
 * JSON with object keys sorted at every level and no whitespace, so equal values always
 * serialise to equal strings (for content hashes and the audit hash chain).
 * `undefined` object members are dropped, as JSON.stringify does; non-finite numbers,
 * functions, symbols, bigints and cycles are rejected with `E_VALIDATION`.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), '$', 0);
}

/** The deepest nesting canonical JSON accepts (no document Hubspoke hashes comes close). */
export const MAX_JSON_DEPTH = 1_000;

function write(value: unknown, seen: Set<object>, path: string, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new HubspokeError('E_VALIDATION', `${path}: expected a finite number, got ${String(value)}`, { path });
      return JSON.stringify(value);
    case 'object': {
      if (depth >= MAX_JSON_DEPTH)
        throw new HubspokeError(
          'E_VALIDATION',
          `${clipPath(path)}: expected at most ${MAX_JSON_DEPTH} levels of nesting`,
          {
            path: clipPath(path),
            details: { limit: MAX_JSON_DEPTH },
          },
        );
      if (seen.has(value))
        throw new HubspokeError('E_VALIDATION', `${path}: expected acyclic data, got a cycle`, { path });
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((item, i) => (item === undefined ? 'null' : write(item, seen, `${path}[${i}]`, depth + 1))).join(',')}]`;
      } else {
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort();
        out = `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], seen, `${path}.${k}`, depth + 1)}`).join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw new HubspokeError('E_VALIDATION', `${path}: expected JSON data, got a ${typeof value}`, { path });
  }
  throw new HubspokeError('E_VALIDATION', `${path}: expected JSON data`, { path });
}

/** A path for an error message: a deep one keeps its start and end. */
function clipPath(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 100)}…${path.slice(-100)}`;
}
