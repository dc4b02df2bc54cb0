import { HubspokeError, guardMethods, type CampaignMetricsInput, type Dialect } from '@hubspoke/core';
import type { PublishStore } from './publish/publish-store.js';

/** Activity kinds a platform's event export can report for one email. */
export type ActivityKind =
  'sent' | 'delivered' | 'hardBounce' | 'softBounce' | 'open' | 'click' | 'unsubscribe' | 'complaint';

interface Tally {
  counts: Record<ActivityKind, number>;
  openers: Set<string>;
  clickers: Set<string>;
}

/**
 * Folds a stream of activity rows into raw counts per remote email. Memory grows with the
 * number of emails and of distinct openers/clickers (for unique counts), not with rows.
 */
const ACTIVITY_KINDS: ReadonlySet<string> = new Set<ActivityKind>([
  'sent',
  'delivered',
  'hardBounce',
  'softBounce',
  'open',
  'click',
  'unsubscribe',
  'complaint',
]);

export class ActivityTally {
  private readonly byAsset = new Map<string, Tally>();

  add(assetId: string, kind: ActivityKind, contactId: string): void {
    if (!ACTIVITY_KINDS.has(kind))
      throw new HubspokeError('E_VALIDATION', `kind: expected one of ${[...ACTIVITY_KINDS].join(', ')}`, {
        path: 'kind',
      });
    let tally = this.byAsset.get(assetId);
    if (tally === undefined) {
      tally = {
        counts: {
          sent: 0,
          delivered: 0,
          hardBounce: 0,
          softBounce: 0,
          open: 0,
          click: 0,
          unsubscribe: 0,
          complaint: 0,
        },
        openers: new Set(),
        clickers: new Set(),
      };
      this.byAsset.set(assetId, tally);
    }
    tally.counts[kind]++;
    if (kind === 'open') tally.openers.add(contactId);
    if (kind === 'click') tally.clickers.add(contactId);
  }

  /** Raw counts per remote email id, in core's `CampaignMetrics` field names. */
  *entries(): Generator<
    [
      string,
      Pick<
        CampaignMetricsInput,
        | 'sent'
        | 'delivered'
        | 'hardBounces'
        | 'softBounces'
        | 'uniqueOpens'
        | 'totalOpens'
        | 'uniqueClicks'
        | 'totalClicks'
        | 'unsubscribes'
        | 'complaints'
      >,
    ]
  > {
    for (const [assetId, t] of this.byAsset) {
      yield [
        assetId,
        {
          sent: t.counts.sent,
          delivered: t.counts.delivered,
          hardBounces: t.counts.hardBounce,
          softBounces: t.counts.softBounce,
          uniqueOpens: t.openers.size,
          totalOpens: t.counts.open,
          uniqueClicks: t.clickers.size,
          totalClicks: t.counts.click,
          unsubscribes: t.counts.unsubscribe,
          complaints: t.counts.complaint,
        },
      ];
    }
  }
}

guardMethods(
  'ActivityTally',
  ActivityTally.prototype,
  { add: ['assetId:string', 'kind:string', 'contactId:string'] },
  { sync: ['add'] },
);

const ID_SAFE = /[^A-Za-z0-9_.-]/g;

/**
 * Names the campaign a remote asset belongs to: the draft it was published from (its locale,
 * and the pushed version as `dimensions.draftVersion`) when the store knows it, else
 * `<platform>-<remote id>`.
 */
export async function campaignFor(
  store: PublishStore,
  instance: string,
  platform: Dialect,
  remoteId: string,
): Promise<Pick<CampaignMetricsInput, 'campaignId' | 'locale' | 'platform' | 'dimensions'>> {
  const published = await store.findByRemoteId(instance, 'email', remoteId);
  const dimensions = { remoteId: remoteId.slice(0, 200) };
  if (published !== undefined)
    return {
      campaignId: published.sourceId,
      locale: published.locale,
      platform,
      dimensions: { ...dimensions, draftVersion: String(published.version) },
    };
  return { campaignId: `${platform}-${remoteId.replace(ID_SAFE, '_')}`.slice(0, 128), platform, dimensions };
}

/**
 * The store namespace for a second id of the same published asset (e.g. SFMC's classic email
 * id beside the Content Builder id), so metrics that name only that id still find the draft.
 */
export const aliasNamespace = (instance: string, alias: string) => `${instance}#${alias}`;

/** The most ranges {@link splitRange} makes (a day at a time, over 27 years). */
export const MAX_RANGES = 10_000;

/**
 * Splits [since, until] into consecutive ranges of at most `maxDays` (vendor export limits).
 * `maxDays` must be positive and the split at most {@link MAX_RANGES} ranges (`E_VALIDATION`):
 * a zero step never ended.
 */
export function splitRange(since: string, until: string, maxDays: number): { start: Date; end: Date }[] {
  const ranges: { start: Date; end: Date }[] = [];
  if (typeof maxDays !== 'number' || !Number.isFinite(maxDays) || maxDays <= 0)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid maxDays: expected a positive number of days, got ${String(maxDays)}`,
      {
        path: 'maxDays',
      },
    );
  const end = Date.parse(until);
  if (Number.isNaN(Date.parse(since)) || Number.isNaN(end))
    throw new HubspokeError('E_VALIDATION', 'Invalid range: since and until must be ISO 8601 dates', {
      path: Number.isNaN(end) ? 'until' : 'since',
    });
  const count = Math.ceil((end - Date.parse(since)) / (maxDays * 86_400_000));
  if (count > MAX_RANGES)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid range: ${count} ranges of ${maxDays} days; at most ${MAX_RANGES} (MAX_RANGES) are made at once`,
      { path: 'maxDays', details: { limit: MAX_RANGES } },
    );
  for (let start = Date.parse(since); start < end; start += maxDays * 86_400_000) {
    ranges.push({ start: new Date(start), end: new Date(Math.min(end, start + maxDays * 86_400_000)) });
  }
  return ranges;
}

/** ISO 8601 without milliseconds, as several bulk APIs require. */
export const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
