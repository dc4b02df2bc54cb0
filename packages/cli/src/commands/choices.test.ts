import { DialectSchema, METRIC_DIMENSIONS as CORE_DIMENSIONS } from '@hubspoke/core';
import {
  LINT_FORMATS as HUB_LINT_FORMATS,
  OKR_REPORT_FORMATS as HUB_OKR,
  OUTBOX_STATUSES as HUB_OUTBOX,
} from '@hubspoke/hub';
import { describe, expect, it } from 'vitest';
import { DIALECTS, LINT_FORMATS, METRIC_DIMENSIONS, OKR_REPORT_FORMATS, OUTBOX_STATUSES } from './choices.js';

describe('the lists --help shows', () => {
  it('equal the libraries’ own', () => {
    expect(LINT_FORMATS).toEqual(HUB_LINT_FORMATS);
    expect(OUTBOX_STATUSES).toEqual(HUB_OUTBOX);
    expect(OKR_REPORT_FORMATS).toEqual(HUB_OKR);
    expect(METRIC_DIMENSIONS).toEqual(CORE_DIMENSIONS);
    expect(DIALECTS).toEqual(DialectSchema.options);
  });
});
