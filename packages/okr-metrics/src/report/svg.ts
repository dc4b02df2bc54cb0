import { clamp } from '../internal/math.js';
import type { ScoreColor } from '../okr/scoring.js';
import { escapeXml } from './escape.js';
import type { OkrReport } from './okr-report.js';

/** Google's bands as colours that keep a 3:1 contrast on white. */
export const SCORE_COLORS: Readonly<Record<ScoreColor, string>> = {
  red: '#c5221f',
  yellow: '#b06000',
  green: '#137333',
};
const SERIES_COLORS = ['#1a73e8', '#d93025', '#188038', '#e37400', '#9334e6', '#007b83', '#c5221f', '#5f6368'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

/** A number for an SVG attribute: finite, at most 2 decimals (the inputs are guarded, this is the last line). */
function n(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '0';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-label="${escapeXml(title)}" ${FONT}>`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * Progress bars per key result, grouped by objective: the bar is progress (capped at 100%),
 * coloured by Google's band of the score; the dark tick is the expected progress by date.
 */
export function progressChartSvg(report: OkrReport): string {
  const width = 760;
  const labelWidth = 320;
  const barX = labelWidth + 10;
  const barWidth = 280;
  const rowHeight = 26;
  const body: string[] = [];
  let y = 40;
  const title = `${report.name}: progress as of ${report.asOf.slice(0, 10)}`;
  body.push(`<text x="16" y="24" font-size="16" font-weight="600" fill="#202124">${escapeXml(title)}</text>`);
  for (const o of report.objectives) {
    y += 10;
    body.push(
      `<text x="16" y="${n(y + 14)}" font-size="14" font-weight="600" fill="#202124">${escapeXml(truncate(o.title, 70))}</text>`,
      `<text x="${n(width - 16)}" y="${n(y + 14)}" font-size="13" text-anchor="end" fill="${SCORE_COLORS[o.color]}">${escapeXml(`${o.grade.toFixed(1)} (${o.type}, expected ${o.expectedScore.toFixed(1)})`)}</text>`,
    );
    y += rowHeight;
    for (const kr of o.keyResults) {
      const fill = clamp(kr.progress, 0, 1) * barWidth;
      const marker = barX + clamp(kr.expectedProgress, 0, 1) * barWidth;
      const tag = kr.indicator === 'leading' ? 'leading' : 'lagging';
      const label = `${truncate(kr.title, 44)}${kr.counted ? '' : ' (not counted)'}`;
      body.push(
        `<g><title>${escapeXml(`${kr.title}: progress ${(kr.progress * 100).toFixed(0)}%, score ${kr.grade.toFixed(1)}, expected ${(kr.expectedProgress * 100).toFixed(0)}%, ${tag}`)}</title>`,
        `<text x="28" y="${n(y + 13)}" font-size="12" fill="#3c4043">${escapeXml(label)}</text>`,
        `<rect x="${n(barX)}" y="${n(y + 2)}" width="${n(barWidth)}" height="14" rx="3" fill="#e8eaed"/>`,
        `<rect x="${n(barX)}" y="${n(y + 2)}" width="${n(fill)}" height="14" rx="3" fill="${SCORE_COLORS[kr.color]}"/>`,
        `<line x1="${n(marker)}" y1="${n(y)}" x2="${n(marker)}" y2="${n(y + 18)}" stroke="#202124" stroke-width="2"/>`,
        `<text x="${n(barX + barWidth + 10)}" y="${n(y + 13)}" font-size="12" fill="#3c4043">${escapeXml(`${kr.grade.toFixed(1)} · ${tag}${kr.atRisk ? ' · at risk' : ''}`)}</text></g>`,
      );
      y += rowHeight;
    }
  }
  if (report.objectives.length === 0) {
    body.push(`<text x="16" y="${n(y + 20)}" font-size="13" fill="#5f6368">No objectives in this view.</text>`);
    y += 30;
  }
  return svgDocument(width, y + 16, title, body);
}

export interface LineSeries {
  name: string;
  /** One value per x label; `null` leaves a gap. */
  values: readonly (number | null)[];
}

export interface LineChartSpec {
  title: string;
  xLabels: readonly string[];
  series: readonly LineSeries[];
  /** Tick label for a y value. */
  formatY?: (value: number) => string;
  width?: number;
  height?: number;
}

/** The smallest 1/2/5 × 10ⁿ step that splits `max` into at most 5 ticks. */
function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  return step > 0 && Number.isFinite(step) ? step : 1;
}

/** A line chart (KPI trends): categories on x, one polyline per series, gaps for missing values. */
export function lineChartSvg(spec: LineChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 380;
  const format = spec.formatY ?? ((v: number) => String(v));
  const left = 72;
  const right = 40;
  const top = 44;
  const legendRows = Math.ceil(spec.series.length / 4);
  const bottom = 56 + legendRows * 18;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const body: string[] = [
    `<text x="16" y="26" font-size="16" font-weight="600" fill="#202124">${escapeXml(spec.title)}</text>`,
  ];
  if (values.length === 0 || spec.xLabels.length === 0) {
    body.push(
      `<text x="${n(width / 2)}" y="${n(height / 2)}" font-size="13" text-anchor="middle" fill="#5f6368">No data</text>`,
    );
    return svgDocument(width, height, spec.title, body);
  }
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  let yMin = lo;
  let yMax = hi;
  const ticks: number[] = [lo, hi];
  if (Number.isFinite(hi - lo)) {
    const step = niceStep(hi - lo || Math.abs(hi) || 1);
    yMin = Math.floor(lo / step) * step;
    yMax = Math.max(yMin + step, Math.ceil(hi / step) * step);
    ticks.length = 0;
    for (let i = 0; i <= 12 && yMin + i * step <= yMax + step / 2; i++) ticks.push(yMin + i * step);
  }
  const x = (i: number): number =>
    left + (spec.xLabels.length === 1 ? plotW / 2 : (i * plotW) / (spec.xLabels.length - 1));
  // Halves keep the span finite even for values near ±Number.MAX_VALUE.
  const y = (v: number): number => top + plotH - ((v / 2 - yMin / 2) / (yMax / 2 - yMin / 2 || 1)) * plotH;
  for (const t of ticks) {
    body.push(
      `<line x1="${n(left)}" y1="${n(y(t))}" x2="${n(left + plotW)}" y2="${n(y(t))}" stroke="#e8eaed"/>`,
      `<text x="${n(left - 8)}" y="${n(y(t) + 4)}" font-size="11" text-anchor="end" fill="#5f6368">${escapeXml(format(t))}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(spec.xLabels.length / 10));
  spec.xLabels.forEach((label, i) => {
    if (i % every === 0 || i === spec.xLabels.length - 1) {
      body.push(
        `<text x="${n(x(i))}" y="${n(top + plotH + 18)}" font-size="11" text-anchor="middle" fill="#5f6368">${escapeXml(truncate(label, 14))}</text>`,
      );
    }
  });
  body.push(
    `<line x1="${n(left)}" y1="${n(top + plotH)}" x2="${n(left + plotW)}" y2="${n(top + plotH)}" stroke="#9aa0a6"/>`,
  );
  spec.series.forEach((series, s) => {
    const color = SERIES_COLORS[s % SERIES_COLORS.length] ?? '#1a73e8';
    const segments: string[][] = [[]];
    series.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || i >= spec.xLabels.length) segments.push([]);
      else segments[segments.length - 1]?.push(`${n(x(i))},${n(y(v))}`);
    });
    const lines = segments
      .filter((seg) => seg.length > 1)
      .map((seg) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${seg.join(' ')}"/>`);
    const dots = series.values.flatMap((v, i) =>
      v === null || !Number.isFinite(v) || i >= spec.xLabels.length
        ? []
        : [
            `<circle cx="${n(x(i))}" cy="${n(y(v))}" r="3" fill="${color}"><title>${escapeXml(`${series.name}, ${spec.xLabels[i] ?? ''}: ${format(v)}`)}</title></circle>`,
          ],
    );
    const lx = left + (s % 4) * (plotW / 4);
    const ly = height - bottom + 40 + Math.floor(s / 4) * 18;
    body.push(
      `<g>`,
      ...lines,
      ...dots,
      `<rect x="${n(lx)}" y="${n(ly - 9)}" width="10" height="10" fill="${color}"/>`,
      `<text x="${n(lx + 14)}" y="${n(ly)}" font-size="11" fill="#3c4043">${escapeXml(truncate(series.name, 28))}</text>`,
      `</g>`,
    );
  });
  return svgDocument(width, height, spec.title, body);
}
