import { z } from 'zod';
import {
  IdSchema,
  IsoDateSchema,
  IsoDateTimeSchema,
  LocaleSchema,
  NonNegativeIntSchema,
  RegionSchema,
  TagSchema,
} from './common.js';
import { DialectSchema } from './personalization.js';

/** A send of one draft (or variant) through one platform. */
export const CampaignSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    draftId: IdSchema.optional(),
    draftVersion: z.number().int().positive().optional(),
    templateId: IdSchema.optional(),
    region: RegionSchema.optional(),
    locale: LocaleSchema.optional(),
    team: IdSchema.optional(),
    platform: DialectSchema.optional(),
    variant: z.string().max(64).optional(),
    sentAt: IsoDateTimeSchema.optional(),
    tags: z.array(TagSchema).default([]),
  })
  .strict();
export type Campaign = z.infer<typeof CampaignSchema>;

const count = NonNegativeIntSchema;
const money = z
  .number()
  .min(0, { error: 'expected an amount of at least 0' })
  .refine((n) => Number.isFinite(n), { error: 'expected a finite amount' });

/**
 * Raw counts for one campaign (optionally one day, variant or segment). Rates are never
 * stored: they are derived from summed counts at any grain.
 */
export const CampaignMetricsSchema = z
  .object({
    campaignId: IdSchema,
    /** The day the counts belong to, when the source reports per day. */
    date: IsoDateSchema.optional(),
    region: RegionSchema.optional(),
    locale: LocaleSchema.optional(),
    team: IdSchema.optional(),
    templateId: IdSchema.optional(),
    variant: z.string().max(64).optional(),
    platform: DialectSchema.optional(),
    /** Extra grouping dimensions, e.g. `{ "segment": "vip" }`. */
    dimensions: z.record(z.string().regex(/^[a-z][A-Za-z0-9_]*$/), z.string().max(200)).optional(),
    sent: count,
    /** As reported by the platform; when absent it is derived (sent − bounces, by the chosen definition). */
    delivered: count.optional(),
    hardBounces: count.default(0),
    softBounces: count.default(0),
    uniqueOpens: count.default(0),
    totalOpens: count.default(0),
    /** Opens attributed to machine prefetch (e.g. Apple Mail Privacy Protection). */
    machineOpens: count.default(0),
    uniqueClicks: count.default(0),
    totalClicks: count.default(0),
    unsubscribes: count.default(0),
    complaints: count.default(0),
    conversions: count.default(0),
    revenue: money.default(0),
    cost: money.default(0),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code like "EUR"' })
      .optional(),
  })
  .strict()
  .describe('Raw campaign counts; KPIs are derived from summed counts');
export type CampaignMetrics = z.infer<typeof CampaignMetricsSchema>;
export type CampaignMetricsInput = z.input<typeof CampaignMetricsSchema>;

/** Key performance indicators derivable from CampaignMetrics. */
export const KPI_NAMES = [
  'sent',
  'delivered',
  'deliveryRate',
  'bounceRate',
  'hardBounceRate',
  'softBounceRate',
  'openRate',
  'humanOpenRate',
  'clickThroughRate',
  'clickToOpenRate',
  'unsubscribeRate',
  'complaintRate',
  'conversionRate',
  'revenue',
  'cost',
  'roi',
  'roas',
] as const;
export const KpiNameSchema = z.enum(KPI_NAMES);
export type KpiName = z.infer<typeof KpiNameSchema>;

/** Dimensions metrics can be grouped and filtered by. */
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
export const MetricDimensionSchema = z.enum(METRIC_DIMENSIONS);
export type MetricDimension = z.infer<typeof MetricDimensionSchema>;
