import type { CampaignMetrics } from '@hubspoke/core';

/**
 * Built-in sinks validate what `add()` is given; the ingest pipeline has validated its rows
 * already and hands them over through this key instead, so the hot path checks each row once.
 */
export const ADD_VALIDATED = Symbol('hubspoke.okr-metrics.addValidated');

export interface TrustedSink {
  [ADD_VALIDATED](row: CampaignMetrics): void;
}

export function isTrustedSink(value: object): value is TrustedSink {
  return ADD_VALIDATED in value;
}
