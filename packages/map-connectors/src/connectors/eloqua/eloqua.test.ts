import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPublishStore } from '../../sdk/publish/publish-store.js';
import { describeConformance, useFakeServer, guardContract } from '../../testkit/vitest.js';
import { FakeEloqua } from '../../testkit/fakes/eloqua.js';
import { fastTestRuntime, samplePng as PNG, samplePushEmailInput } from '../../testkit/fixtures.js';
import { eloqua } from './eloqua.js';

let fake: FakeEloqua;
guardContract(() => fake);
beforeEach(async () => {
  fake = await new FakeEloqua().start();
});
afterEach(async () => {
  await fake.close();
});
const fast = fastTestRuntime;
const config = (f: FakeEloqua, password = f.password) => ({
  company: f.company,
  username: f.user,
  password,
  loginUrl: f.url,
  folderId: '12',
  senderName: 'Acme',
  senderEmail: 'news@acme.example',
  syncPollMs: 5,
});

describe('eloqua connector', () => {
  it('test-sends the pushed email to each seed contact (EmailTestDeployment) and refuses unknown seeds', async () => {
    fake.contacts.set('qa@acme.example', '501');
    const connector = eloqua.create(config(fake), { ...fast, testSends: { allowedDomains: ['acme.example'] } });
    const pushed = await connector.pushEmail!(samplePushEmailInput(1));
    const test = { draftId: 'draft-1', draftVersion: 1, locale: 'en' };
    const result = await connector.sendTest!({ ...test, recipients: ['qa@acme.example'] });
    expect(result).toMatchObject({ remoteId: pushed.remoteId, sent: ['qa@acme.example'] });
    expect(fake.deployments).toEqual([
      { emailId: pushed.remoteId, contactId: '501', name: 'Hubspoke test draft-1 v1 en' },
    ]);
    await expect(
      connector.sendTest!({ ...test, recipients: ['qa@acme.example', 'new@acme.example'] }),
    ).rejects.toMatchObject({ code: 'E_NOT_FOUND', path: 'test.recipients[1]' });
    expect(fake.deployments).toHaveLength(1); // every seed is looked up before any is sent
  });

  it('uploads an image once per SHA-256 and answers its URL on the pod', async () => {
    const connector = eloqua.create(config(fake), fast);
    const first = await connector.uploadAsset!({ name: "chef's hero.png", contentType: 'image/png', data: PNG });
    expect(first.url).toMatch(new RegExp(`^${fake.url}/EloquaImages/clients/AcmeCorp/`));
    expect(await connector.uploadAsset!({ name: 'again.png', contentType: 'image/png', data: PNG })).toEqual({
      ...first,
      created: false,
    });
    fake.inject({ kind: 'reset', after: true, match: (r) => r.path === '/api/REST/1.0/assets/image/content' });
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00').toString('base64');
    const other = eloqua.create(config(fake), fast);
    const lost = await other.uploadAsset!({ name: 'dot.gif', contentType: 'image/gif', data: gif });
    expect(fake.images.size).toBe(2);
    expect(lost.created).toBe(true);
  });

  it('discovers the base URL once and creates a RawHtmlContent email, updating it on re-push', async () => {
    const connector = eloqua.create(config(fake), fast);
    const input = samplePushEmailInput(1);
    const first = await connector.pushEmail!(input);
    expect(fake.requests[0]!.path).toBe('/id');
    expect(fake.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('AcmeCorp\\Jane.Doe:eloqua-password').toString('base64')}`,
    );
    expect(fake.emails.get(first.remoteId)).toMatchObject({
      name: 'Campaign 1 [draft-1 v1 en]',
      subject: 'Spring sale starts now',
      htmlContent: { type: 'RawHtmlContent', html: input.email.html },
      plainText: 'Spring sale',
      folderId: '12',
      senderName: 'Acme',
    });
    const again = await connector.pushEmail!({ ...input, email: { ...input.email, subject: 'Updated' } });
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.emails.get(first.remoteId)!.subject).toBe('Updated');
    expect(fake.requests.filter((r) => r.path === '/id')).toHaveLength(1);
  });

  it('re-discovers the base URL after a 401 when the site moved pods', async () => {
    const pod2 = await new FakeEloqua().start();
    const connector = eloqua.create(config(fake), fast);
    await connector.pushEmail!(samplePushEmailInput(1));
    fake.movedTo = pod2.url;
    await connector.pushEmail!(samplePushEmailInput(2));
    expect(pod2.emails.size).toBe(1);
    await pod2.close();
  });

  it('finds a lost create by name, quoting safely', async () => {
    const connector = eloqua.create(config(fake), { ...fast, fetch: fake.fetch });
    fake.inject({
      kind: 'timeout',
      after: true,
      match: (r) => r.method === 'POST' && r.path === '/api/REST/2.0/assets/email',
    });
    const result = await connector.pushEmail!({ ...samplePushEmailInput(1), name: "O'Brien's sale" });
    expect(fake.emails.size).toBe(1);
    expect(fake.emails.get(result.remoteId)!.name).toBe("O'Brien's sale [draft-1 v1 en]");
    expect(fake.requests.find((r) => r.path === '/api/REST/2.0/assets/emails')!.query.get('search')).toBe("name='O*'");
  });

  it('pulls activity counts through bulk exports, paging sync data', async () => {
    const store = createMemoryPublishStore();
    const connector = eloqua.create(config(fake), { ...fast, store });
    const pushed = await connector.pushEmail!(samplePushEmailInput(1, { locale: 'fr' }));
    const at = '2026-03-02 10:00:00';
    const act = (
      type: 'EmailSend' | 'EmailOpen' | 'EmailClickthrough' | 'Bounceback' | 'Unsubscribe',
      contactId: string,
    ) => ({ type, assetId: pushed.remoteId, contactId, createdAt: at });
    fake.activities.push(
      act('EmailSend', 'c1'),
      act('EmailSend', 'c2'),
      act('EmailSend', 'c3'),
      act('EmailOpen', 'c1'),
      act('EmailOpen', 'c1'),
      act('EmailOpen', 'c2'),
      act('EmailClickthrough', 'c2'),
      act('Bounceback', 'c3'),
      act('Unsubscribe', 'c1'),
    );
    const rows = [];
    for await (const row of connector.pullMetrics!({ since: '2026-03-01T00:00:00Z', until: '2026-03-03T00:00:00Z' }))
      rows.push(row);
    expect(rows).toEqual([
      expect.objectContaining({
        campaignId: 'draft-1',
        locale: 'fr',
        platform: 'eloqua',
        sent: 3,
        uniqueOpens: 2,
        totalOpens: 3,
        uniqueClicks: 1,
        hardBounces: 1,
        unsubscribes: 1,
      }),
    ]);
    const exports = fake.requests.filter((r) => r.path === '/api/bulk/2.0/activities/exports');
    expect(exports).toHaveLength(5);
    expect((exports[0]!.json as { filter: string }).filter).toBe(
      "'{{Activity.Type}}'='EmailSend' AND '{{Activity.CreatedAt}}'>='2026-03-01 00:00:00' AND '{{Activity.CreatedAt}}'<'2026-03-03 00:00:00'",
    );
    expect(fake.requests.filter((r) => r.path.endsWith('/data')).length).toBeGreaterThan(5);
  });

  it('reports wrong credentials as E_AUTH', async () => {
    expect(await eloqua.create(config(fake, 'wrong'), fast).check()).toMatchObject({
      ok: false,
      details: { code: 'E_AUTH' },
    });
  });
});

describe('eloqua conformance', () => {
  const shared = useFakeServer(new FakeEloqua());
  describeConformance('eloqua', {
    create: ({ credentials, ...runtime }) =>
      eloqua.create(config(shared, credentials === 'valid' ? shared.password : 'wrong'), { ...runtime, ...fast }),
    secrets: [shared.password],
    injectFault: (fault) =>
      shared.inject({
        kind: fault === 'transient' ? 'http503' : fault === 'rate-limited' ? 'http429' : 'http400',
        match: (r) => r.path !== '/id',
      }),
  });
});
