// The public face of okr-metrics' functions: arguments checked in O(1), only HubspokeErrors escape
// (core's `guarded`); the modules keep the plain functions for internal use.
import { guarded } from '@hubspoke/core';
import * as consistency from './metrics/kpis/consistency.js';
import * as ingest from './metrics/ingest.js';
import * as kpis from './metrics/kpis/kpis.js';
import * as keyResult from './okr/key-result.js';
import * as scoring from './okr/scoring.js';
import * as kpiReport from './report/kpi-report.js';
import * as okrRender from './report/okr-render.js';
import * as okrReport from './report/okr-report.js';
import * as svg from './report/svg.js';
import * as normal from './stats/normal.js';
import * as significance from './stats/significance.js';

export const colorOf = guarded('colorOf', ['grade:number'], scoring.colorOf);
export const gradeOf = guarded('gradeOf', ['score:number'], scoring.gradeOf);
export const computeKpi = guarded('computeKpi', ['sums:object', 'kpi:string', 'definitions:object'], kpis.computeKpi);
export const findInconsistency = guarded(
  'findInconsistency',
  ['row:object', 'delivered:number'],
  consistency.findInconsistency,
);
export const kpiTrend = guarded('kpiTrend', ['table:object', 'options:object'], kpiReport.kpiTrend);
export const kpiTrendSvg = guarded('kpiTrendSvg', ['table:object', 'options:object'], kpiReport.kpiTrendSvg);
export const renderKpiTable = guarded('renderKpiTable', ['table:object', 'format:string'], kpiReport.renderKpiTable);
export const lineChartSvg = guarded('lineChartSvg', ['spec:object'], svg.lineChartSvg);
export const progressChartSvg = guarded('progressChartSvg', ['report:object'], svg.progressChartSvg);
export const linearProgress = guarded(
  'linearProgress',
  ['current:number', 'baseline:number', 'target:number', 'ceiling:number'],
  keyResult.linearProgress,
);
export const shareInBand = guarded(
  'shareInBand',
  ['readings:array', 'band:object', 'from:number', 'until:number'],
  keyResult.shareInBand,
);
export const metricsFormatOf = guarded('metricsFormatOf', ['fileName:string'], ingest.metricsFormatOf);
export const normalCdf = guarded('normalCdf', ['z:number'], normal.normalCdf);
export const normalQuantile = guarded('normalQuantile', ['p:number'], normal.normalQuantile);
export const renderOkrReport = guarded(
  'renderOkrReport',
  ['report:object', 'format:string'],
  okrRender.renderOkrReport,
);
export const reportFromEvaluation = guarded(
  'reportFromEvaluation',
  ['evaluation:object', 'scope:object?'],
  okrReport.reportFromEvaluation,
);
export const buildOkrReport = guarded('buildOkrReport', ['okrSet:any', 'options:object?'], okrReport.buildOkrReport);
export const twoProportionZTest = guarded(
  'twoProportionZTest',
  ['a:object', 'b:object'],
  significance.twoProportionZTest,
);
export const wilsonInterval = guarded(
  'wilsonInterval',
  ['successes:number', 'trials:number', 'confidence:number?'],
  significance.wilsonInterval,
);
export const zForConfidence = guarded('zForConfidence', ['confidence:any'], significance.zForConfidence);
