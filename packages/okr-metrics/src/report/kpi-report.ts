import { HubspokeError, type KpiName } from '@hubspoke/core';
import type { GroupDimension, KpiGroup, KpiTable } from '../metrics/kpis/aggregate.js';
import { assertKpiName, computeKpi, KPI_FORMULAS } from '../metrics/kpis/kpis.js';
import { emptySums, mergeSums, SUM_FIELDS, type MetricSums } from '../metrics/kpis/sums.js';
import { csvLine, escapeMarkdown } from './escape.js';
import { formatKpi } from './format.js';
import { lineChartSvg } from './svg.js';

export type KpiReportFormat = 'json' | 'md' | 'csv';

function groupCells(table: KpiTable, group: KpiGroup): string[] {
  return table.groupBy.map((d) => group.key[d] ?? (group === table.total ? 'total' : '(none)'));
}

/**
 * A KPI table as JSON, a Markdown table (values formatted for people, a total row, then the
 * diagnostics) or CSV (raw sums and raw KPI values, one row per group, for spreadsheets).
 */
export function renderKpiTable(table: KpiTable, format: KpiReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(table, null, 2)}\n`;
    case 'csv': {
      let out = csvLine([...table.groupBy, ...SUM_FIELDS, 'currency', ...table.kpis]);
      for (const g of [...table.groups, table.total]) {
        out += csvLine([
          ...groupCells(table, g),
          ...SUM_FIELDS.map((f) => g.sums[f]),
          g.sums.mixedCurrencies ? 'mixed' : g.sums.currency,
          ...table.kpis.map((k) => g.kpis[k]?.value ?? null),
        ]);
      }
      return out;
    }
    case 'md': {
      const dims = table.groupBy.length === 0 ? ['group'] : table.groupBy;
      const header = [...dims, ...table.kpis];
      const lines = [
        `| ${header.map(escapeMarkdown).join(' | ')} |`,
        `| ${header.map((_, i) => (i < dims.length ? '---' : '---:')).join(' | ')} |`,
      ];
      const rows = table.groupBy.length === 0 ? [table.total] : [...table.groups, table.total];
      for (const g of rows) {
        const cells = table.groupBy.length === 0 ? ['all rows'] : groupCells(table, g);
        const currency = g.sums.mixedCurrencies ? null : g.sums.currency;
        const values = table.kpis.map((k) => formatKpi(k, g.kpis[k]?.value ?? null, currency));
        const row = [...cells.map(escapeMarkdown), ...values];
        lines.push(
          `| ${(g === table.total && table.groupBy.length > 0 ? row.map((c, i) => (i === 0 ? `**${c}**` : c)) : row).join(' | ')} |`,
        );
      }
      if (table.diagnostics.length > 0) {
        lines.push('', `Notes (${table.diagnostics.length}):`, '');
        for (const d of table.diagnostics.slice(0, 50)) lines.push(`- ${escapeMarkdown(d.message)}`);
        if (table.diagnostics.length > 50) lines.push(`- … and ${table.diagnostics.length - 50} more`);
      }
      return `${lines.join('\n')}\n`;
    }
  }
  throw new HubspokeError(
    'E_VALIDATION',
    `format: expected "json", "md" or "csv", got ${JSON.stringify(String(format))}`,
    { path: 'format' },
  );
}

export interface KpiTrendOptions {
  kpi: KpiName;
  /** The time dimension along the x axis: `date`, `week` or `month` (or any grouped dimension). */
  x: GroupDimension;
  /** One line per value of this dimension (e.g. `region`); default one line. */
  series?: GroupDimension;
  title?: string;
}

/** The KPI per (x, series) cell, re-summed from the table's groups: still a ratio of sums. */
export function kpiTrend(
  table: KpiTable,
  options: KpiTrendOptions,
): { xLabels: string[]; series: { name: string; values: (number | null)[] }[] } {
  const kpi = assertKpiName(options.kpi, 'options.kpi');
  for (const [name, dimension] of [
    ['x', options.x],
    ['series', options.series],
  ] as const) {
    if (dimension !== undefined && !table.groupBy.includes(dimension)) {
      throw new HubspokeError(
        'E_VALIDATION',
        `options.${name}: the table is not grouped by ${JSON.stringify(dimension)}; group it by ${dimension} first`,
        { path: `options.${name}` },
      );
    }
  }
  const cells = new Map<string, Map<string, MetricSums>>();
  const xs = new Set<string>();
  for (const g of table.groups) {
    const x = g.key[options.x];
    if (x === null || x === undefined) continue;
    const s = options.series === undefined ? kpi : (g.key[options.series] ?? '(none)');
    xs.add(x);
    const row = cells.get(s) ?? new Map<string, MetricSums>();
    const sums = row.get(x) ?? emptySums();
    mergeSums(sums, g.sums);
    row.set(x, sums);
    cells.set(s, row);
  }
  const xLabels = [...xs].sort();
  const series = [...cells.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, row]) => ({
      name,
      values: xLabels.map((x) =>
        row.has(x) ? computeKpi(row.get(x) ?? emptySums(), kpi, table.definitions).value : null,
      ),
    }));
  return { xLabels, series };
}

/** A KPI trend line chart (SVG) from a table grouped by a time dimension (and optionally a series dimension). */
export function kpiTrendSvg(table: KpiTable, options: KpiTrendOptions): string {
  const { xLabels, series } = kpiTrend(table, options);
  const kpi = options.kpi;
  const kind = KPI_FORMULAS[kpi].kind;
  return lineChartSvg({
    title: options.title ?? `${kpi} by ${options.x}${options.series === undefined ? '' : ` and ${options.series}`}`,
    xLabels,
    series,
    formatY: (v) => (kind === 'rate' ? `${(v * 100).toFixed(Math.abs(v) < 0.1 ? 1 : 0)}%` : formatKpi(kpi, v)),
  });
}
