import { describe, expect, it } from 'vitest';
import { ActivityTally, campaignFor, isoSeconds, splitRange } from './metrics.js';
import { createMemoryPublishStore } from './publish/publish-store.js';

describe('ActivityTally', () => {
  it('counts totals and unique contacts per asset', () => {
    const tally = new ActivityTally();
    tally.add('e1', 'open', 'a');
    tally.add('e1', 'open', 'a');
    tally.add('e1', 'open', 'b');
    tally.add('e1', 'click', 'a');
    tally.add('e2', 'sent', 'a');
    expect(Object.fromEntries(tally.entries())).toMatchObject({
      e1: { totalOpens: 3, uniqueOpens: 2, totalClicks: 1, uniqueClicks: 1, sent: 0 },
      e2: { sent: 1 },
    });
  });
});

describe('splitRange', () => {
  it('covers the range in chunks of at most maxDays, without gaps', () => {
    const ranges = splitRange('2026-01-01T00:00:00Z', '2026-03-15T00:00:00Z', 31);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]!.start.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(ranges[1]!.start).toEqual(ranges[0]!.end);
    expect(ranges.at(-1)!.end.toISOString()).toBe('2026-03-15T00:00:00.000Z');
    expect(splitRange('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', 31)).toEqual([]);
  });
  it('formats ISO timestamps without milliseconds', () => {
    expect(isoSeconds(new Date('2026-01-01T10:20:30.456Z'))).toBe('2026-01-01T10:20:30Z');
  });
});

describe('campaignFor', () => {
  it('names the draft and pushed version a remote asset came from, else a safe platform id', async () => {
    const store = createMemoryPublishStore();
    await store.put({
      connector: 'm',
      kind: 'email',
      sourceId: 'spring',
      version: 4,
      locale: 'fr',
      remoteId: '77',
      updatedAt: 'x',
    });
    expect(await campaignFor(store, 'm', 'marketo', '77')).toEqual({
      campaignId: 'spring',
      locale: 'fr',
      platform: 'marketo',
      dimensions: { remoteId: '77', draftVersion: '4' },
    });
    expect((await campaignFor(store, 'm', 'braze', 'a b/c')).campaignId).toBe('braze-a_b_c');
  });
});
