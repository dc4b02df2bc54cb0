import { HubspokeError, METRIC_DIMENSIONS, type CampaignMetrics, type MetricDimension } from '@hubspoke/core';
import { isoWeek } from '../../internal/time.js';

/** A core metric dimension, or a custom one from a row's `dimensions`, written `dimensions.<name>`. */
export type GroupDimension = MetricDimension | `dimensions.${string}`;

/** Keep rows whose dimension equals the value (or one of the values). */
export type MetricFilters = Partial<Record<GroupDimension, string | readonly string[]>>;

export type Reader = (row: CampaignMetrics) => string | undefined;

const weekCache = new Map<string, string>();
function weekOf(date: string): string {
  let week = weekCache.get(date);
  if (week === undefined) {
    if (weekCache.size > 10_000) weekCache.clear();
    week = isoWeek(date);
    weekCache.set(date, week);
  }
  return week;
}

export function readerFor(dimension: unknown, path: string): Reader {
  if (typeof dimension === 'string' && /^dimensions\.[a-z][A-Za-z0-9_]*$/.test(dimension)) {
    const name = dimension.slice('dimensions.'.length);
    return (row) => row.dimensions?.[name];
  }
  if (!(METRIC_DIMENSIONS as readonly unknown[]).includes(dimension)) {
    const shown = typeof dimension === 'string' ? JSON.stringify(dimension.slice(0, 60)) : typeof dimension;
    throw new HubspokeError(
      'E_VALIDATION',
      `${path}: unknown dimension ${shown}; expected one of ${METRIC_DIMENSIONS.join(', ')} or dimensions.<name>`,
      { path },
    );
  }
  switch (dimension as MetricDimension) {
    case 'week':
      return (row) => (row.date === undefined ? undefined : weekOf(row.date));
    case 'month':
      return (row) => row.date?.slice(0, 7);
    case 'campaignId':
    case 'region':
    case 'locale':
    case 'team':
    case 'templateId':
    case 'variant':
    case 'platform':
    case 'date': {
      const field = dimension as Exclude<MetricDimension, 'week' | 'month'>;
      return (row) => row[field];
    }
  }
}

function filterValues(value: unknown, path: string): ReadonlySet<string> {
  if (typeof value === 'string') return new Set([value]);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return new Set(value);
  throw new HubspokeError('E_VALIDATION', `${path}: expected a string or a non-empty array of strings`, { path });
}

/** One predicate for all filters (every filter must match); `undefined` when there are none. */
export function compileFilters(filters: unknown, path: string): ((row: CampaignMetrics) => boolean) | undefined {
  if (filters === undefined) return undefined;
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
    throw new HubspokeError('E_VALIDATION', `${path}: expected an object of dimension → value(s)`, { path });
  }
  const checks = Object.entries(filters).map(([dimension, value]) => ({
    read: readerFor(dimension, `${path}.${dimension}`),
    accepts: filterValues(value, `${path}.${dimension}`),
  }));
  if (checks.length === 0) return undefined;
  return (row) => {
    for (const check of checks) {
      const value = check.read(row);
      if (value === undefined || !check.accepts.has(value)) return false;
    }
    return true;
  };
}
