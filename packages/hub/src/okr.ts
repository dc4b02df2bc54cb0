import { HubspokeError } from '@hubspoke/core';
import { buildOkrReport, renderOkrReport, type OkrReportFormat } from '@hubspoke/okr-metrics';
import type { Hub } from './hub.js';
import { assertKnown, knownReferences } from './references.js';

export const OKR_REPORT_FORMATS: readonly OkrReportFormat[] = ['md', 'json', 'csv', 'svg'];

export interface OkrReportOptions {
  /** `md` (default), `json`, `csv` or `svg`. */
  format?: OkrReportFormat;
  /** Only objectives this team owns. */
  team?: string;
  /** Only objectives this region owns. */
  region?: string;
  /** Evaluate as of this ISO date (default: today). */
  asOf?: string;
}

/** The hub's OKRs as a report: scores, pace, forecasts, at-risk flags, per team and region. */
export async function okrReport(hub: Hub, options: OkrReportOptions = {}): Promise<string> {
  const format = options.format ?? 'md';
  if (!OKR_REPORT_FORMATS.includes(format))
    throw new HubspokeError(
      'E_VALIDATION',
      `format: expected one of ${OKR_REPORT_FORMATS.join(', ')}, got "${format}"`,
      {
        path: 'format',
      },
    );
  if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf)))
    throw new HubspokeError('E_VALIDATION', `asOf: expected an ISO date like 2026-05-15, got "${options.asOf}"`, {
      path: 'asOf',
    });
  if (options.region !== undefined || options.team !== undefined) {
    // An unknown region or team is not an empty report: it is a reference to nothing.
    const known = await knownReferences(hub);
    assertKnown('region', options.region, known, 'region');
    assertKnown('team', options.team, known, 'team');
  }
  const report = buildOkrReport(await hub.okrs(), {
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.team === undefined ? {} : { team: options.team }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  return renderOkrReport(report, format);
}
