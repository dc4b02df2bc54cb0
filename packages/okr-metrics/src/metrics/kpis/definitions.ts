import { parse } from '@hubspoke/core';
import { z } from 'zod';

/**
 * How `delivered` is obtained for a row. Vendors disagree on what "delivered" subtracts
 * (all bounces, hard bounces only, or they report it themselves), so it is an option.
 * The `reported-else-…` choices use the platform's `delivered` when the row has one.
 */
export const DELIVERED_DEFINITIONS = [
  'reported-else-sent-minus-bounces',
  'reported-else-sent-minus-hard-bounces',
  'sent-minus-bounces',
  'sent-minus-hard-bounces',
] as const;
export type DeliveredDefinition = (typeof DELIVERED_DEFINITIONS)[number];

/** The denominators of the rate KPIs where vendors differ; the defaults are the standard formulas. */
export const KpiDefinitionsSchema = z
  .object({
    /** `openRate` and `humanOpenRate` divide by delivered (standard) or sent (Mailcoach). */
    openRateBase: z.enum(['delivered', 'sent']).default('delivered'),
    /** `clickThroughRate` divides unique clicks by delivered (standard) or sent. */
    clickThroughRateBase: z.enum(['delivered', 'sent']).default('delivered'),
    /** `clickToOpenRate` divides unique clicks by unique opens (standard) or by human opens (unique opens − machine opens). */
    clickToOpenRateBase: z.enum(['uniqueOpens', 'humanOpens']).default('uniqueOpens'),
    /** `unsubscribeRate` divides by delivered (standard) or sent (EmailNetworks). */
    unsubscribeRateBase: z.enum(['delivered', 'sent']).default('delivered'),
    /** `complaintRate` divides by delivered (standard) or sent. */
    complaintRateBase: z.enum(['delivered', 'sent']).default('delivered'),
    /** `conversionRate` divides by delivered (standard) or by unique clicks. */
    conversionRateBase: z.enum(['delivered', 'uniqueClicks']).default('delivered'),
  })
  .strict();
export type KpiDefinitions = z.output<typeof KpiDefinitionsSchema>;
export type KpiDefinitionsInput = z.input<typeof KpiDefinitionsSchema>;

export const DeliveredDefinitionSchema = z.enum(DELIVERED_DEFINITIONS);

export function resolveKpiDefinitions(input: unknown, label = 'definitions'): KpiDefinitions {
  return parse(KpiDefinitionsSchema, input ?? {}, label);
}

export function resolveDeliveredDefinition(input: unknown, label = 'delivered'): DeliveredDefinition {
  return parse(DeliveredDefinitionSchema.default('reported-else-sent-minus-bounces'), input, label);
}

/** The `delivered` count of one row under `definition`. */
export function deliveredOf(
  row: { sent: number; delivered?: number | undefined; hardBounces: number; softBounces: number },
  definition: DeliveredDefinition,
): number {
  switch (definition) {
    case 'reported-else-sent-minus-bounces':
      return row.delivered ?? row.sent - row.hardBounces - row.softBounces;
    case 'reported-else-sent-minus-hard-bounces':
      return row.delivered ?? row.sent - row.hardBounces;
    case 'sent-minus-bounces':
      return row.sent - row.hardBounces - row.softBounces;
    case 'sent-minus-hard-bounces':
      return row.sent - row.hardBounces;
  }
}
