import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../sdk/http/logger.js';
import { createMemoryPublishStore } from '../../sdk/publish/publish-store.js';
import { describeConformance, useFakeServer, guardContract } from '../../testkit/vitest.js';
import { contractFor } from '../../testkit/contracts/vendors.js';
import { FakeBraze } from '../../testkit/fakes/braze.js';
import { fastTestRuntime, samplePng, samplePushEmailInput } from '../../testkit/fixtures.js';
import { braze, readSourceMarker, withSourceMarker } from './braze.js';

let fake: FakeBraze;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeBraze().start();
});
afterEach(async () => {
  await fake.close();
});
const fast = fastTestRuntime;
const config = (apiKey = fake.apiKey) => ({ apiKey, restEndpoint: fake.url });

describe('braze connector', () => {
  it('creates an email template with the documented fields and updates it on re-push', async () => {
    const connector = braze.create(config(), fast);
    const first = await connector.pushEmail!(samplePushEmailInput(1));
    expect(fake.requests.find((r) => r.path === '/templates/email/create')!.json).toEqual({
      template_name: 'Campaign 1 [draft-1 v1 en]',
      subject: 'Spring sale starts now',
      body: withSourceMarker(samplePushEmailInput(1).email.html, { sourceId: 'draft-1', version: 1, locale: 'en' }),
      plaintext_body: 'Spring sale',
      preheader: 'Up to 30% off',
      should_inline_css: false,
    });
    const again = await connector.pushEmail!({
      ...samplePushEmailInput(1),
      email: { ...samplePushEmailInput(1).email, subject: 'New subject' },
    });
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.templates.get(first.remoteId)!.subject).toBe('New subject');
    expect(fake.templates.size).toBe(1);
  });

  it('test-sends the pushed template to seed users by alias (/messages/send) and refuses seeds Braze does not know', async () => {
    const testSends = { allowedDomains: ['acme.example'] };
    const unconfigured = braze.create(config(), { ...fast, testSends });
    await unconfigured.pushEmail!(samplePushEmailInput(1));
    const test = { draftId: 'draft-1', draftVersion: 1, locale: 'en' };
    await expect(unconfigured.sendTest!({ ...test, recipients: ['qa@acme.example'] })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'config.testSendAppId',
    });
    const connector = braze.create(
      { ...config(), testSendAppId: 'app-123', testSendFrom: 'Acme QA <qa-sender@acme.example>' },
      { ...fast, testSends },
    );
    const pushed = await connector.pushEmail!(samplePushEmailInput(1));
    fake.users.set('hubspoke_seed:qa@acme.example', { email: 'qa@acme.example' });
    fake.users.set('hubspoke_seed:lead@acme.example', { email: 'lead@acme.example' });
    const result = await connector.sendTest!({ ...test, recipients: ['qa@acme.example', 'lead@acme.example'] });
    expect(result).toMatchObject({ remoteId: pushed.remoteId, sent: ['qa@acme.example', 'lead@acme.example'] });
    expect(result.messageIds).toEqual([fake.sentMessages[0]!.dispatchId]);
    expect(fake.sentMessages.map((m) => [m.to, m.templateId, m.subject, m.appId])).toEqual([
      ['qa@acme.example', pushed.remoteId, 'Spring sale starts now', 'app-123'],
      ['lead@acme.example', pushed.remoteId, 'Spring sale starts now', 'app-123'],
    ]);
    expect(fake.requests.find((r) => r.path === '/messages/send')!.json).toEqual({
      user_aliases: [
        { alias_name: 'qa@acme.example', alias_label: 'hubspoke_seed' },
        { alias_name: 'lead@acme.example', alias_label: 'hubspoke_seed' },
      ],
      messages: {
        email: { app_id: 'app-123', from: 'Acme QA <qa-sender@acme.example>', email_template_id: pushed.remoteId },
      },
    });
    await expect(connector.sendTest!({ ...test, recipients: ['new@acme.example'] })).rejects.toMatchObject({
      code: 'E_VALIDATION',
    });
    expect(fake.sentMessages).toHaveLength(2);
  });

  it('uploads an image into the media library once per SHA-256 and answers its hosted URL', async () => {
    const connector = braze.create(config(), fast);
    const first = await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: samplePng });
    expect(first).toMatchObject({ created: true });
    expect(first.url).toMatch(/^https:\/\/braze-images\.example\/.+\.png$/);
    const stored = fake.media.get(first.url)!;
    expect(stored.bytes.equals(Buffer.from(samplePng, 'base64'))).toBe(true);
    expect(stored.name).toMatch(/^hubspoke-[0-9a-f]{16}-hero\.png$/);
    expect(await connector.uploadAsset!({ name: 'again.png', contentType: 'image/png', data: samplePng })).toEqual({
      ...first,
      created: false,
    });
    expect(fake.media.size).toBe(1);
    const upload = fake.requests.find((r) => r.path === '/media_library/create')!;
    expect(upload.files?.get('asset_file')?.contentType).toBe('image/png');
  });

  it('the Braze contract refuses a /messages/send body the documentation refuses', () => {
    const check = (json: unknown) =>
      contractFor('braze').check({
        method: 'POST',
        path: '/messages/send',
        query: new URLSearchParams(),
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify(json),
        json,
      }).violations;
    const email = { app_id: 'a', from: 'A <a@b.example>', email_template_id: 't' };
    expect(check({ user_aliases: [{ alias_name: 'x@y.example', alias_label: 'l' }], messages: { email } })).toEqual([]);
    // One alias object instead of an array (what the Postman conversion described), no sender, no content.
    expect(check({ user_aliases: { alias_name: 'x', alias_label: 'l' }, messages: { email } })).not.toEqual([]);
    expect(check({ external_user_ids: ['u'], messages: { email: { app_id: 'a', body: '<p>' } } })).not.toEqual([]);
    expect(
      check({ external_user_ids: ['u'], messages: { email: { app_id: 'a', from: 'A <a@b.example>' } } }),
    ).not.toEqual([]);
    expect(check({ messages: { email } })).not.toEqual([]);
  });

  it('waits for X-RateLimit-Reset after a 429 instead of failing', async () => {
    await fake.close();
    fake = await new FakeBraze('braze-api-key', { requests: 2, windowMs: 700 }).start();
    const logger = memoryLogger();
    const connector = braze.create(config(), { ...fast, logger, limits: {} });
    for (let i = 1; i <= 3; i++) await connector.pushEmail!(samplePushEmailInput(i));
    expect(fake.templates.size).toBe(3);
    expect(logger.records.some((r) => r.event === 'http.rate-limited' || r.event === 'http.quota-spent')).toBe(true);
  }, 10_000);

  it('recovers a create whose answer was lost by listing templates (without offset=0)', async () => {
    const connector = braze.create(config(), fast);
    fake.inject({ kind: 'malformed', after: true, match: (r) => r.path === '/templates/email/create' });
    const result = await connector.pushEmail!(samplePushEmailInput(1));
    expect(fake.templates.size).toBe(1);
    expect(result.remoteId).toBe([...fake.templates.keys()][0]);
    expect(fake.requests.find((r) => r.path === '/templates/email/list')!.query.has('offset')).toBe(false);
  });

  it('refuses bodies over 400 KB before sending', async () => {
    const big = 'x'.repeat(400 * 1024 + 1);
    await expect(braze.create(config(), fast).pushEmail!(samplePushEmailInput(1, { html: big }))).rejects.toMatchObject(
      { code: 'E_VALIDATION', path: 'email.html' },
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('pulls daily campaign metrics of the Braze campaigns asked for', async () => {
    fake.series.set('cmp-1', [
      {
        time: '2026-03-01',
        email: {
          sent: 100,
          opens: 70,
          unique_opens: 50,
          clicks: 12,
          unique_clicks: 10,
          unsubscribes: 1,
          bounces: 2,
          delivered: 98,
          reported_spam: 1,
        },
        conversions: 3,
        revenue: 120.5,
      },
      {
        time: '2026-03-02',
        email: {
          sent: 10,
          opens: 5,
          unique_opens: 4,
          clicks: 1,
          unique_clicks: 1,
          unsubscribes: 0,
          bounces: 0,
          delivered: 10,
          reported_spam: 0,
        },
      },
    ]);
    fake.campaigns.set('cmp-1', { name: 'Hand made', messages: {} });
    const rows = [];
    for await (const row of braze.create(config(), fast).pullMetrics!({
      campaignIds: ['cmp-1'],
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-03T00:00:00Z',
    }))
      rows.push(row);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      campaignId: 'braze-cmp-1',
      date: '2026-03-01',
      sent: 100,
      delivered: 98,
      uniqueOpens: 50,
      totalOpens: 70,
      uniqueClicks: 10,
      hardBounces: 2,
      complaints: 1,
      conversions: 3,
      revenue: 120.5,
    });
  });

  it('reports campaigns that used a pushed email under its draft and version (metrics come home)', async () => {
    const store = createMemoryPublishStore();
    const connector = braze.create(config(), { ...fast, store });
    await connector.pushEmail!(samplePushEmailInput(1, { draftVersion: 2, locale: 'fr-FR' }));
    const pushed = [...fake.templates.values()][0]!;
    expect(readSourceMarker(pushed.body)).toEqual({ sourceId: 'draft-1', version: 2, locale: 'fr-FR' });
    expect(pushed.body).toMatch(/<head><meta name="hubspoke-source" content="[^"]+"><title>/);
    const day = {
      sent: 20,
      opens: 9,
      unique_opens: 7,
      clicks: 3,
      unique_clicks: 2,
      unsubscribes: 0,
      bounces: 1,
      delivered: 19,
      reported_spam: 0,
    };
    // The campaign copied the template's body (as the dashboard does) and never names the template.
    fake.campaigns.set('cmp-ours', {
      name: 'Spring',
      messages: { v1: { channel: 'email', subject: 's', body: pushed.body } },
    });
    fake.campaigns.set('cmp-other', {
      name: 'Other',
      messages: { v1: { channel: 'email', body: '<p>hand made</p>' } },
    });
    // A marker for a draft this store never pushed is not trusted.
    fake.campaigns.set('cmp-forged', {
      name: 'Forged',
      messages: {
        v1: { channel: 'email', body: withSourceMarker('<p>x</p>', { sourceId: 'draft-9', version: 1, locale: 'en' }) },
      },
    });
    for (const id of ['cmp-ours', 'cmp-other', 'cmp-forged']) fake.series.set(id, [{ time: '2026-03-01', email: day }]);
    const rows = [];
    for await (const row of connector.pullMetrics!({ since: '2026-03-01T00:00:00Z', until: '2026-03-03T00:00:00Z' }))
      rows.push(row);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      campaignId: 'draft-1',
      locale: 'fr-FR',
      dimensions: { remoteId: 'cmp-ours', draftVersion: '2' },
      sent: 20,
      uniqueOpens: 7,
      totalOpens: 9,
    });
  });
});

describe('braze conformance', () => {
  const shared = useFakeServer(new FakeBraze());
  describeConformance('braze', {
    create: ({ credentials, ...runtime }) =>
      braze.create(
        { apiKey: credentials === 'valid' ? shared.apiKey : 'wrong', restEndpoint: shared.url },
        { ...runtime, ...fast },
      ),
    secrets: [shared.apiKey],
    injectFault: (fault) =>
      shared.inject({ kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400' }),
  });
});
