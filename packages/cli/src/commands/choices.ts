/**
 * The lists `--help` shows, copied from the libraries that own them so that help loads no
 * library (it starts in about the time of a bare `node`). choices.test.ts checks that each
 * equals the library's own; commands validate against the library's list when they run.
 */

/** brand-rules' lint formats (`LINT_FORMATS` of @hubspoke/hub). */
export const LINT_FORMATS = ['stylish', 'compact', 'json', 'sarif'] as const;
/** The outbox statuses (`OUTBOX_STATUSES` of @hubspoke/hub). */
export const OUTBOX_STATUSES = ['pending', 'dead', 'dispatched'] as const;
/** okr-metrics' report formats (`OKR_REPORT_FORMATS` of @hubspoke/hub). */
export const OKR_REPORT_FORMATS = ['md', 'json', 'csv', 'svg'] as const;
/** core's metric dimensions (`METRIC_DIMENSIONS`). */
export const METRIC_DIMENSIONS = [
  'campaignId',
  'region',
  'locale',
  'team',
  'templateId',
  'variant',
  'platform',
  'date',
  'week',
  'month',
] as const;
/** core's dialects (`DialectSchema.options`). */
export const DIALECTS = ['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze', 'preview'] as const;
