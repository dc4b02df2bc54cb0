import type { KpiName } from '@hubspoke/core';
import { KPI_FORMULAS } from '../metrics/kpis/kpis.js';

/** `1234567.8` → `1,234,567.8`: fixed, locale-independent output. */
export function groupThousands(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function percent(value: number | null, digits = 1): string {
  return value === null ? '–' : `${(value * 100).toFixed(digits)}%`;
}

export function decimal(value: number | null, digits = 2): string {
  return value === null ? '–' : groupThousands(value.toFixed(digits));
}

/** A KPI value for people: rates and ROI as percentages, ROAS as a multiple, counts grouped, money with 2 decimals. */
export function formatKpi(kpi: KpiName, value: number | null, currency?: string | null): string {
  if (value === null) return '–';
  switch (KPI_FORMULAS[kpi].kind) {
    case 'rate':
      return percent(value, 2);
    case 'count':
      return groupThousands(String(Math.round(value)));
    case 'money':
      return `${decimal(value, 2)}${currency ? ` ${currency}` : ''}`;
    case 'ratio':
      return kpi === 'roas' ? `${value.toFixed(2)}x` : percent(value, 1);
  }
}
