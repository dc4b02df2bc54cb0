import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeConformance, useFakeServer, guardContract } from '../../testkit/vitest.js';
import { createMemoryPublishStore } from '../../sdk/publish/publish-store.js';
import { FakeSfmc } from '../../testkit/fakes/sfmc.js';
import { fastTestRuntime, samplePng, samplePushEmailInput } from '../../testkit/fixtures.js';
import { sfmc } from './sfmc.js';

let fake: FakeSfmc;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeSfmc().start();
});
afterEach(async () => {
  await fake.close();
});
const fast = fastTestRuntime;
const config = (secret = fake.clientSecret) => ({
  subdomain: 'mc-test',
  clientId: fake.clientId,
  clientSecret: secret,
  categoryId: 321,
  authBaseUrl: `${fake.url}/`,
});

describe('sfmc connector', () => {
  it('gets a v2 token and creates an htmlemail asset with the documented shape, updating it on re-push', async () => {
    const connector = sfmc.create(config(), fast);
    expect(await connector.check()).toMatchObject({ ok: true });
    const input = samplePushEmailInput(1);
    const first = await connector.pushEmail!(input);
    const token = fake.requests.find((r) => r.path === '/v2/token')!;
    expect(token.json).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/asset/v1/content/assets')!;
    expect(create.json).toMatchObject({
      name: 'Campaign 1 [draft-1 v1 en]',
      category: { id: 321 },
      assetType: { name: 'htmlemail', id: 208 },
      views: {
        html: { content: input.email.html },
        subjectline: { content: 'Spring sale starts now' },
        preheader: { content: 'Up to 30% off' },
      },
      data: { email: { options: { characterEncoding: 'utf-8' } } },
    });
    expect((create.json as { customerKey: string }).customerKey).toMatch(/^hs-[0-9a-f]{32}$/);
    const again = await connector.pushEmail!({ ...input, email: { ...input.email, subject: 'Updated' } });
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.assets.get(Number(first.remoteId))!.views.subjectline!.content).toBe('Updated');
  });

  it('refreshes an expired token (401) and waits out 429 errorcode 50100', async () => {
    await fake.close();
    fake = await new FakeSfmc('sfmc-client', 'sfmc-secret').start();
    const connector = sfmc.create(config(), fast);
    await connector.pushEmail!(samplePushEmailInput(1));
    fake.expireTokens();
    fake.inject({ kind: 'throttle' });
    await connector.pushEmail!(samplePushEmailInput(2));
    expect(fake.assets.size).toBe(2);
    expect(fake.issuedTokens.length).toBeGreaterThanOrEqual(2);
  });

  it('adopts the asset when the create answer is lost, via its name (no duplicate customerKey)', async () => {
    const connector = sfmc.create(config(), fast);
    fake.inject({
      kind: 'http500',
      after: true,
      match: (r) => r.method === 'POST' && r.path === '/asset/v1/content/assets',
    });
    const result = await connector.pushEmail!(samplePushEmailInput(1));
    expect(fake.assets.size).toBe(1);
    expect(result.remoteId).toBe(String([...fake.assets.keys()][0]));
  });

  it('pulls Send tracking summaries over SOAP, following MoreDataAvailable', async () => {
    for (let i = 1; i <= 5; i++) {
      fake.sends.push({
        ID: 100 + i,
        EmailName: `Email ${i} & co`,
        SendDate: `2026-03-0${i}T10:00:00`,
        NumberSent: 100 * i,
        NumberDelivered: 95 * i,
        UniqueOpens: 40 * i,
        UniqueClicks: 10 * i,
        HardBounces: 3,
        SoftBounces: 2,
        Unsubscribes: 1,
      });
    }
    const rows = [];
    for await (const row of sfmc.create(config(), fast).pullMetrics!({
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-31T00:00:00Z',
    }))
      rows.push(row);
    expect(rows).toHaveLength(5);
    expect(rows[4]).toMatchObject({
      campaignId: 'sfmc-send-105',
      date: '2026-03-05',
      sent: 500,
      delivered: 475,
      uniqueOpens: 200,
      uniqueClicks: 50,
      hardBounces: 3,
      softBounces: 2,
      unsubscribes: 1,
      dimensions: { emailName: 'Email 5 & co' },
    });
    const sends = fake.requests.filter(
      (r) => r.path === '/Service.asmx' && /<ObjectType>Send<|ContinueRequest/.test(r.body),
    );
    expect(sends).toHaveLength(3);
    expect(sends[0]!.body).toContain('<fueloauth xmlns="http://exacttarget.com">');
    expect(sends[1]!.body).toContain('<ContinueRequest>');
  });

  it('counts total opens and clicks from the tracking events, not from the unique counts', async () => {
    fake.sends.push({
      ID: 201,
      EmailName: 'Totals',
      SendDate: '2026-03-02T10:00:00',
      NumberSent: 10,
      NumberDelivered: 10,
      UniqueOpens: 2,
      UniqueClicks: 1,
      HardBounces: 0,
      SoftBounces: 0,
      Unsubscribes: 0,
    });
    const at = '2026-03-02T11:00:00';
    for (const key of ['a', 'a', 'a', 'b'])
      fake.events.push({ type: 'OpenEvent', SendID: 201, SubscriberKey: key, EventDate: at });
    for (const key of ['a', 'a'])
      fake.events.push({ type: 'ClickEvent', SendID: 201, SubscriberKey: key, EventDate: at });
    fake.events.push({ type: 'OpenEvent', SendID: 999, SubscriberKey: 'z', EventDate: at });
    const rows = [];
    for await (const row of sfmc.create(config(), fast).pullMetrics!({
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-31T00:00:00Z',
    }))
      rows.push(row);
    // The old mapping set totals to the unique counts (2 and 1).
    expect(rows[0]).toMatchObject({ uniqueOpens: 2, totalOpens: 4, uniqueClicks: 1, totalClicks: 2 });
  });

  it('reports the sends of a pushed email under its draft and version (metrics come home)', async () => {
    const store = createMemoryPublishStore();
    const connector = sfmc.create(config(), { ...fast, store });
    const pushed = await connector.pushEmail!(samplePushEmailInput(1, { draftVersion: 3, locale: 'de-DE' }));
    const legacyId = fake.assets.get(Number(pushed.remoteId))!.legacyData!.legacyId;
    const send = {
      EmailName: 'x',
      NumberSent: 5,
      NumberDelivered: 5,
      UniqueOpens: 1,
      UniqueClicks: 0,
      HardBounces: 0,
      SoftBounces: 0,
      Unsubscribes: 0,
    };
    fake.sends.push({ ...send, ID: 301, EmailID: legacyId, SendDate: '2026-03-03T10:00:00' });
    fake.sends.push({ ...send, ID: 302, EmailID: 4242, SendDate: '2026-03-04T10:00:00' });
    const rows = [];
    for await (const row of connector.pullMetrics!({ since: '2026-03-01T00:00:00Z', until: '2026-03-31T00:00:00Z' }))
      rows.push(row);
    expect(rows.find((r) => r.dimensions?.remoteId === '301')).toMatchObject({
      campaignId: 'draft-1',
      locale: 'de-DE',
      dimensions: { draftVersion: '3' },
      sent: 5,
    });
    expect(rows.find((r) => r.dimensions?.remoteId === '302')).toMatchObject({ campaignId: 'sfmc-send-302' });
    // A second connector on the same store (another process) finds it too.
    const other = sfmc.create(config(), { ...fast, store });
    const again = [];
    for await (const row of other.pullMetrics!({
      since: '2026-03-01T00:00:00Z',
      until: '2026-03-31T00:00:00Z',
      campaignIds: ['draft-1'],
    }))
      again.push(row);
    expect(again.map((r) => r.dimensions?.remoteId)).toEqual(['301']);
  });

  it('test-sends the pushed email through a transactional send definition, one message per seed', async () => {
    const connector = sfmc.create(config(), { ...fast, testSends: { allowedDomains: ['acme.example'] } });
    const input = samplePushEmailInput(1);
    const pushed = await connector.pushEmail!(input);
    const asset = fake.assets.get(Number(pushed.remoteId))!;
    const test = { draftId: input.draftId, draftVersion: input.draftVersion, locale: input.locale };
    const result = await connector.sendTest!({ ...test, recipients: ['qa@acme.example', 'lead@acme.example'] });
    expect(result).toMatchObject({ remoteId: pushed.remoteId, sent: ['qa@acme.example', 'lead@acme.example'] });
    expect(result.messageIds).toHaveLength(2);
    const definition = fake.definitions.get(`hubspoke-test-${asset.customerKey}`)!;
    expect(definition).toMatchObject({
      status: 'Active',
      content: { customerKey: asset.customerKey },
      subscriptions: { list: 'All Subscribers', updateSubscriber: false },
    });
    expect(fake.messages.map((m) => [m.to, m.contactKey, m.customerKey, m.subject])).toEqual([
      ['qa@acme.example', 'qa@acme.example', asset.customerKey, input.email.subject],
      ['lead@acme.example', 'lead@acme.example', asset.customerKey, input.email.subject],
    ]);
    // A second test send reuses (refreshes) the definition and sends with fresh message keys.
    await connector.pushEmail!({ ...input, email: { ...input.email, subject: 'Changed' } });
    await connector.sendTest!({ ...test, recipients: ['qa@acme.example'] });
    expect(fake.definitions.size).toBe(1);
    expect(fake.messages.at(-1)).toMatchObject({ to: 'qa@acme.example', subject: 'Changed' });
    expect(new Set(fake.messages.map((m) => m.messageKey)).size).toBe(3);
    const posts = fake.requests.filter((r) => r.path === '/messaging/v1/email/definitions/');
    expect(posts).toHaveLength(1);
    await expect(
      connector.sendTest!({ ...test, draftVersion: 9, recipients: ['qa@acme.example'] }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND', path: 'test.draftId' });
  });

  it('uploads an image into Content Builder once per SHA-256 and answers its published URL', async () => {
    const connector = sfmc.create(config(), fast);
    const first = await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: samplePng });
    expect(first.url).toMatch(/^https:\/\/image\.s7\.exacttarget\.example\//);
    expect(await connector.uploadAsset!({ name: 'hero.png', contentType: 'image/png', data: samplePng })).toEqual({
      ...first,
      created: false,
    });
    const stored = fake.assets.get(Number(first.remoteId))!;
    expect(stored.file!.equals(Buffer.from(samplePng, 'base64'))).toBe(true);
    const webp = Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ').toString('base64');
    await expect(
      connector.uploadAsset!({ name: 'x.webp', contentType: 'image/webp', data: webp }),
    ).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
    });
  });

  it('reports bad client credentials as E_AUTH', async () => {
    expect(await sfmc.create(config('wrong'), fast).check()).toMatchObject({ ok: false, details: { code: 'E_AUTH' } });
  });
});

describe('sfmc conformance', () => {
  const shared = useFakeServer(new FakeSfmc());
  describeConformance('sfmc', {
    create: ({ credentials, ...runtime }) =>
      sfmc.create(
        {
          subdomain: 'mc-test',
          clientId: shared.clientId,
          clientSecret: credentials === 'valid' ? shared.clientSecret : 'wrong',
          categoryId: 1,
          authBaseUrl: `${shared.url}/`,
        },
        { ...runtime, ...fast },
      ),
    secrets: [shared.clientId, shared.clientSecret],
    injectFault: (fault) =>
      shared.inject({
        kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'throttle' : 'http400',
        match: (r) => r.path !== '/v2/token',
      }),
  });
});
