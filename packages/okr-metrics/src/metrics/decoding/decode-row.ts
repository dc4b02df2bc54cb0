import { CampaignMetricsSchema, safeParse, type CampaignMetrics, type ParseResult } from '@hubspoke/core';
import type { z } from 'zod';
import { detach } from '../../internal/detach.js';

const shape = CampaignMetricsSchema.shape;
const MEMO_LIMIT = 65_536;

/**
 * A string check backed by core's own schema for that field, memoised: dimension values
 * (campaign ids, regions, dates) repeat across rows, so each distinct value meets zod once.
 */
function memoised(schema: z.ZodType): (value: string) => boolean {
  const accepted = new Set<string>();
  return (value) => {
    if (accepted.has(value)) return true;
    if (!schema.safeParse(value).success) return false;
    if (accepted.size >= MEMO_LIMIT) accepted.clear();
    accepted.add(detach(value));
    return true;
  };
}

const isId = memoised(shape.campaignId);
const isDate = memoised(shape.date);
const isRegion = memoised(shape.region);
const isLocale = memoised(shape.locale);
const isTeam = memoised(shape.team);
const isTemplateId = memoised(shape.templateId);
const isVariant = memoised(shape.variant);
const isPlatform = memoised(shape.platform);
const isCurrency = memoised(shape.currency);

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isMoney = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= Number.MAX_VALUE;

const DEFAULTED = [
  'hardBounces',
  'softBounces',
  'uniqueOpens',
  'totalOpens',
  'machineOpens',
  'uniqueClicks',
  'totalClicks',
  'unsubscribes',
  'complaints',
  'conversions',
  'revenue',
  'cost',
] as const;

/**
 * The fast path: accepts only rows it can prove valid with cheap checks and returns the
 * same value core's `CampaignMetricsSchema` would (defaults filled). Anything unusual
 * (a missing field, a wrong type, an unknown key, a non-plain object) returns
 * `undefined` and goes to the zod fallback, so the two never disagree on what is valid.
 * With `inPlace` (only for objects this package just parsed itself) the defaults are
 * written into `input` instead of a copy, which saves an allocation per row.
 */
export function decodeFast(input: unknown, inPlace = false): CampaignMetrics | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const row = input as Record<string, unknown>;
  let required = 0;
  let dimensions: Record<string, string> | undefined;
  for (const key in row) {
    const v = row[key];
    // Optional keys may be present with `undefined`, as zod allows.
    if (v === undefined && key !== 'campaignId' && key !== 'sent') {
      if (!Object.hasOwn(shape, key)) return undefined;
      continue;
    }
    switch (key) {
      case 'campaignId':
        if (typeof v !== 'string' || !isId(v)) return undefined;
        required++;
        break;
      case 'sent':
        if (!isCount(v)) return undefined;
        required++;
        break;
      case 'date':
        if (typeof v !== 'string' || !isDate(v)) return undefined;
        break;
      case 'region':
        if (typeof v !== 'string' || !isRegion(v)) return undefined;
        break;
      case 'locale':
        if (typeof v !== 'string' || !isLocale(v)) return undefined;
        break;
      case 'team':
        if (typeof v !== 'string' || !isTeam(v)) return undefined;
        break;
      case 'templateId':
        if (typeof v !== 'string' || !isTemplateId(v)) return undefined;
        break;
      case 'variant':
        if (typeof v !== 'string' || !isVariant(v)) return undefined;
        break;
      case 'platform':
        if (typeof v !== 'string' || !isPlatform(v)) return undefined;
        break;
      case 'currency':
        if (typeof v !== 'string' || !isCurrency(v)) return undefined;
        break;
      case 'dimensions': {
        // Rare and nested: core's schema checks it directly.
        const parsed = shape.dimensions.safeParse(v);
        if (!parsed.success || parsed.data === undefined) return undefined;
        dimensions = parsed.data;
        break;
      }
      case 'delivered':
      case 'hardBounces':
      case 'softBounces':
      case 'uniqueOpens':
      case 'totalOpens':
      case 'machineOpens':
      case 'uniqueClicks':
      case 'totalClicks':
      case 'unsubscribes':
      case 'complaints':
      case 'conversions':
        if (!isCount(v)) return undefined;
        break;
      case 'revenue':
      case 'cost':
        if (!isMoney(v)) return undefined;
        break;
      default:
        return undefined;
    }
  }
  if (required !== 2) return undefined;
  const out = inPlace ? row : { ...row };
  for (const field of DEFAULTED) out[field] ??= 0;
  if (dimensions !== undefined) out.dimensions = dimensions;
  return out as CampaignMetrics;
}

/**
 * Validates one metrics row exactly as core's `CampaignMetricsSchema` does (a property test
 * holds them together), at a fraction of the cost for valid rows. Invalid rows get core's
 * `E_VALIDATION` error naming every bad field under `label`, e.g. `row[12].sent`.
 */
export function decodeMetricsRow(input: unknown, label = 'row'): ParseResult<CampaignMetrics> {
  return decodeRow(input, label, false);
}

/** {@link decodeMetricsRow}, completing `input` in place when this package parsed it itself. */
export function decodeRow(input: unknown, label: string, inPlace: boolean): ParseResult<CampaignMetrics> {
  let fast: CampaignMetrics | undefined;
  try {
    fast = decodeFast(input, inPlace);
  } catch {
    // A getter or proxy that throws: core's safeParse reports it as a validation error.
  }
  if (fast !== undefined) return { ok: true, value: fast };
  return safeParse(CampaignMetricsSchema, input, label);
}
