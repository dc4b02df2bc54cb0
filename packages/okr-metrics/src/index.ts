export {
  buildOkrReport,
  colorOf,
  computeKpi,
  findInconsistency,
  gradeOf,
  kpiTrend,
  kpiTrendSvg,
  lineChartSvg,
  linearProgress,
  metricsFormatOf,
  normalCdf,
  normalQuantile,
  progressChartSvg,
  renderKpiTable,
  renderOkrReport,
  reportFromEvaluation,
  shareInBand,
  twoProportionZTest,
  wilsonInterval,
  zForConfidence,
} from './public-functions.js';
// Campaign analytics: ingest
export { ingestMetrics, readMetrics } from './metrics/ingest.js';
export type {
  MetricsFormat,
  MetricsSink,
  MetricsSource,
  ReadMetricsOptions,
  IngestOptions,
  IngestSummary,
} from './metrics/ingest.js';
export { decodeMetricsRow } from './metrics/decoding/decode-row.js';

export type { Inconsistency } from './metrics/kpis/consistency.js';

// Campaign analytics: KPIs
export { DELIVERED_DEFINITIONS, KpiDefinitionsSchema, deliveredOf } from './metrics/kpis/definitions.js';
export type { DeliveredDefinition, KpiDefinitions, KpiDefinitionsInput } from './metrics/kpis/definitions.js';
export { KPI_FORMULAS } from './metrics/kpis/kpis.js';
export type { KpiKind, KpiGap, KpiValue } from './metrics/kpis/kpis.js';
export { emptySums } from './metrics/kpis/sums.js';
export type { MetricSums } from './metrics/kpis/sums.js';
export { KpiAggregator } from './metrics/kpis/aggregate.js';
export type {
  GroupDimension,
  MetricFilters,
  KpiAggregatorOptions,
  KpiGroup,
  KpiTable,
} from './metrics/kpis/aggregate.js';
export { compareGroups, rankGroups } from './metrics/kpis/compare.js';
export type { CompareOptions, Comparison, GroupComparison, RankedGroup, Verdict } from './metrics/kpis/compare.js';

// Statistics

export type { Interval, ZTest } from './stats/significance.js';

// OKRs
export { prepareOkrSet } from './okr/prepare.js';
export type { PreparedOkrSet, ObjectiveScoreFrom, KeyResultPlace } from './okr/prepare.js';
export { evaluateOkrs, EvaluateOptionsSchema, HEALTH_ORDER } from './okr/evaluate.js';
export type {
  EvaluateOptions,
  OkrEvaluation,
  ObjectiveResult,
  KeyResultResult,
  Health,
  AtRiskReason,
} from './okr/evaluate.js';
export { expectedScoreOf } from './okr/scoring.js';
export type { ScoreColor } from './okr/scoring.js';

export { OkrMetricsBinder, BindOptionsSchema } from './okr/bind.js';
export type { BindOptions, BindResult, AddedCheckIn } from './okr/bind.js';

// Reports

export type {
  OkrReport,
  OkrReportOptions,
  OwnerSummary,
  KeyResultRef,
  DriverPair,
  OverdueCheckIn,
  AlignmentNode,
} from './report/okr-report.js';

export type { OkrReportFormat } from './report/okr-render.js';

export type { KpiReportFormat, KpiTrendOptions } from './report/kpi-report.js';
export { SCORE_COLORS } from './report/svg.js';
export type { LineChartSpec, LineSeries } from './report/svg.js';
