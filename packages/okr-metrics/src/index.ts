// Campaign analytics
export { decodeMetricsRow } from './metrics/decode-row.js';
export { findInconsistency } from './metrics/consistency.js';
export type { Inconsistency } from './metrics/consistency.js';
export { DELIVERED_DEFINITIONS, KpiDefinitionsSchema, deliveredOf } from './metrics/definitions.js';
export type { DeliveredDefinition, KpiDefinitions, KpiDefinitionsInput } from './metrics/definitions.js';
export { ingestMetrics, readMetrics } from './metrics/ingest.js';
export type { MetricsFormat, MetricsSink, MetricsSource, ReadMetricsOptions, IngestOptions, IngestSummary } from './metrics/ingest.js';
export { KPI_FORMULAS, computeKpi } from './metrics/kpis.js';
export type { KpiKind, KpiGap, KpiValue } from './metrics/kpis.js';
export { emptySums } from './metrics/sums.js';
export type { MetricSums } from './metrics/sums.js';
export { KpiAggregator } from './metrics/aggregate.js';
export type { GroupDimension, MetricFilters, KpiAggregatorOptions, KpiGroup, KpiTable } from './metrics/aggregate.js';

// Statistics
export { wilsonInterval, twoProportionZTest, zForConfidence } from './stats/significance.js';
export type { Interval, ZTest } from './stats/significance.js';
export { normalCdf, normalQuantile } from './stats/normal.js';
