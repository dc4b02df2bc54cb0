import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPublishStore } from '../../sdk/publish/publish-store.js';
import { describeConformance, useFakeServer, guardContract } from '../../testkit/vitest.js';
import { FakeHubSpot } from '../../testkit/fakes/hubspot.js';
import { fastTestRuntime, samplePng, samplePushEmailInput } from '../../testkit/fixtures.js';
import { hubspotContract } from '../../testkit/contracts/vendors.js';
import { createDryRunRecorder } from '../../sdk/http/dry-run.js';
import { codedTemplate, hubspot } from './hubspot.js';

let fake: FakeHubSpot;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeHubSpot().start();
});
afterEach(async () => {
  await fake.close();
});
const fast = fastTestRuntime;
const config = (token = fake.token) => ({
  accessToken: token,
  baseUrl: fake.url,
  fromName: 'Acme',
  replyTo: 'reply@acme.example',
});

describe('hubspot connector', () => {
  it('uploads a coded template and creates a marketing email that uses it, then patches it on re-push', async () => {
    const connector = hubspot.create(config(), fast);
    const input = samplePushEmailInput(1, { locale: 'de-DE' });
    const first = await connector.pushEmail!(input);
    const path = 'hubspoke/emails/draft-1-v1-de-DE.html';
    expect(fake.files.get(path)).toBe(codedTemplate(input.email.html, 'Campaign 1 [draft-1 v1 de-DE]'));
    const upload = fake.requests.find((r) => r.method === 'PUT')!;
    expect(upload.path).toBe(`/cms/source-code/2026-09/published/content/${path}`);
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(fake.emails.get(first.remoteId)).toMatchObject({
      name: 'Campaign 1 [draft-1 v1 de-DE]',
      subject: 'Spring sale starts now',
      language: 'de-de',
      content: { templatePath: path, plainTextVersion: 'Spring sale' },
      from: { fromName: 'Acme', replyTo: 'reply@acme.example' },
    });
    const again = await connector.pushEmail!({ ...input, email: { ...input.email, subject: 'Neu' } });
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.emails.get(first.remoteId)!.subject).toBe('Neu');
    expect(fake.requests.some((r) => r.method === 'PATCH')).toBe(true);
  });

  it('uses the dated API version (default 2026-09, configurable); the legacy /v3/ path is refused by the contract', async () => {
    const connector = hubspot.create(config(), fast);
    await connector.pushEmail!(samplePushEmailInput(1));
    const create = fake.requests.find((r) => r.method === 'POST' && r.path.startsWith('/marketing/'))!;
    expect(create.path).toBe('/marketing/emails/2026-09');
    expect(hubspotContract().check({ ...create, path: '/marketing/v3/emails' }).violations).toEqual([
      expect.objectContaining({ in: 'operation' }),
    ]);
    expect(() => hubspot.create({ ...config(), apiVersion: '2026-13' })).toThrow(/apiVersion/);
    const dry = createDryRunRecorder();
    await hubspot.create({ ...config(), apiVersion: '2027-03' }, { ...fast, dryRun: dry }).pushEmail!(
      samplePushEmailInput(2),
    );
    expect(dry.records.map((r) => r.target)).toContain(`${fake.url}/marketing/emails/2027-03`);
  });

  it('uploads an image to the File Manager once per SHA-256 (public, not indexed) and has no sendTest', async () => {
    const connector = hubspot.create(config(), fast);
    expect('sendTest' in connector).toBe(false);
    const first = await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: samplePng });
    const again = await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: samplePng });
    expect(again).toEqual({ ...first, created: false });
    const stored = fake.uploads.get(first.remoteId)!;
    expect(stored).toMatchObject({ folderPath: '/hubspoke/images', access: 'PUBLIC_NOT_INDEXABLE', url: first.url });
    expect(stored.bytes.equals(Buffer.from(samplePng, 'base64'))).toBe(true);
    // An upload whose answer is lost is found again by its name (files/search), not uploaded twice.
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00').toString('base64');
    fake.inject({ kind: 'reset', after: true, match: (r) => r.method === 'POST' && r.path.endsWith('/files') });
    const lost = await hubspot.create(config(), fast).uploadAsset!({
      name: 'dot.gif',
      contentType: 'image/gif',
      data: gif,
    });
    expect(fake.uploads.size).toBe(2);
    expect(fake.uploads.get(lost.remoteId)?.url).toBe(lost.url);
    expect(fake.requests.some((r) => r.path.endsWith('/files/search'))).toBe(true);
  });

  it('waits for the rolling window after a TEN_SECONDLY_ROLLING 429', async () => {
    await fake.close();
    fake = await new FakeHubSpot('pat-na1-fake', { calls: 3, windowMs: 300 }).start();
    const connector = hubspot.create(config(), { ...fast, limits: {} });
    for (let i = 1; i <= 3; i++) await connector.pushEmail!(samplePushEmailInput(i));
    expect(fake.emails.size).toBe(3);
    expect(fake.meter.refused).toBeGreaterThan(0);
  }, 10_000);

  it('recovers a lost create by paging the email list with `after` cursors', async () => {
    const connector = hubspot.create(config(), fast);
    for (let i = 2; i <= 5; i++) await connector.pushEmail!(samplePushEmailInput(i));
    fake.inject({
      kind: 'reset',
      after: true,
      match: (r) => r.method === 'POST' && r.path === '/marketing/emails/2026-09',
    });
    const result = await connector.pushEmail!(samplePushEmailInput(1));
    expect(fake.emails.size).toBe(5);
    expect(fake.emails.get(result.remoteId)!.name).toBe('Campaign 1 [draft-1 v1 en]');
    expect(fake.requests.filter((r) => r.method === 'GET' && r.query.has('after')).length).toBeGreaterThan(0);
  });

  it('pulls email statistics and maps them to the drafts they came from', async () => {
    const store = createMemoryPublishStore();
    const connector = hubspot.create(config(), { ...fast, store });
    const pushed = await connector.pushEmail!(samplePushEmailInput(1));
    fake.stats.set(pushed.remoteId, {
      sent: 200,
      delivered: 190,
      open: 80,
      click: 20,
      hardbounced: 6,
      softbounced: 4,
      unsubscribed: 2,
      spamreport: 1,
    });
    const rows = [];
    for await (const row of connector.pullMetrics!({ since: '2026-03-01T00:00:00Z', until: '2026-03-31T00:00:00Z' }))
      rows.push(row);
    expect(rows).toEqual([
      expect.objectContaining({
        campaignId: 'draft-1',
        locale: 'en',
        platform: 'hubspot',
        sent: 200,
        delivered: 190,
        uniqueOpens: 80,
        uniqueClicks: 20,
        hardBounces: 6,
        softBounces: 4,
        unsubscribes: 2,
        complaints: 1,
      }),
    ]);
  });

  it('keeps template annotations intact whatever the label says', () => {
    expect(codedTemplate('<p/>', 'evil\n--> <script>')).toBe(
      '<!--\n  templateType: email\n  isAvailableForNewContent: true\n  label: evil  <script>\n-->\n<p/>',
    );
  });
});

describe('hubspot conformance', () => {
  const shared = useFakeServer(new FakeHubSpot('pat-na1-fake', { calls: 1000, windowMs: 200 }));
  describeConformance('hubspot', {
    create: ({ credentials, ...runtime }) =>
      hubspot.create(
        { accessToken: credentials === 'valid' ? shared.token : 'wrong', baseUrl: shared.url },
        { ...runtime, ...fast },
      ),
    secrets: [shared.token],
    injectFault: (fault) =>
      shared.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'throttle' : 'http400' }),
  });
});
