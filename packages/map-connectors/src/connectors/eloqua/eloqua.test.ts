import { eloquaDynamicContentPlaceholder, type EloquaDynamicContent } from '@hubspoke/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
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

const GOLD: EloquaDynamicContent = {
  name: 'hubspoke_dc_00000000000a',
  rules: [
    {
      criteria: [
        { field: 'Tier1', operator: 'equal', value: 'gold' },
        { field: 'Country1', operator: 'notBlank' },
      ],
      statement: '1 AND 2',
      html: 'Gold &amp; <span class="eloquaemail">FirstName1</span>',
    },
    { criteria: [{ field: 'Tier1', operator: 'blank' }], statement: '1', html: 'Join us' },
  ],
  defaultHtml: 'Member',
};
const DE: EloquaDynamicContent = {
  name: 'hubspoke_dc_00000000000b',
  rules: [{ criteria: [{ field: 'Country1', operator: 'notEqual', value: 'DE' }], statement: '1', html: 'Hello' }],
  defaultHtml: 'Hallo',
};
const FIELD_IDS = { Tier1: '100213', Country1: '100005' };
const contactFieldIds = 'Tier1=100213,Country1=100005';

/** An email whose HTML holds the placeholders the template engine writes for these dynamic contents. */
function withConditions(
  n: number,
  dcs: EloquaDynamicContent[],
  html = dcs.map((d) => `<p>${eloquaDynamicContentPlaceholder(d.name)}</p>`).join(''),
) {
  const input = samplePushEmailInput(n, { html: `<html><body>${html}</body></html>`, dialect: 'eloqua' });
  return { ...input, email: { ...input.email, dynamicContents: dcs } };
}

describe('eloqua dynamic content (segment conditions)', () => {
  it('creates each dynamic content from the contract, then the email with the assets\u2019 ids in place of the placeholders', async () => {
    const connector = eloqua.create({ ...config(fake), contactFieldIds }, fast);
    const input = withConditions(
      1,
      [GOLD, DE],
      `<p>A ${eloquaDynamicContentPlaceholder(GOLD.name)} B ${eloquaDynamicContentPlaceholder(DE.name)} ${eloquaDynamicContentPlaceholder(GOLD.name)}</p>`,
    );
    const pushed = await connector.pushEmail!(input);
    const [gold, de] = [...fake.dynamicContents.values()];
    expect(gold).toMatchObject({
      name: GOLD.name,
      defaultContentSection: { contentHtml: 'Member' },
      rules: [
        {
          contentSection: { contentHtml: 'Gold &amp; <span class="eloquaemail">FirstName1</span>' },
          criteria: [
            { id: '-101', fieldId: '100213', condition: { operator: 'equal', value: 'gold' } },
            { id: '-102', fieldId: '100005', condition: { operator: 'notEqual', value: '' } },
          ],
          statement: '-101 AND -102',
        },
        {
          contentSection: { contentHtml: 'Join us' },
          criteria: [{ id: '-201', fieldId: '100213', condition: { operator: 'equal', value: '' } }],
          statement: '-201',
        },
      ],
    });
    expect(de).toMatchObject({
      name: DE.name,
      rules: [{ criteria: [{ fieldId: '100005', condition: { operator: 'notEqual', value: 'DE' } }] }],
    });
    const ref = (id: string | undefined) => `<span elqid="${id ?? ''}" elqtype="DynamicContent"></span>`;
    expect(fake.emails.get(pushed.remoteId)?.htmlContent?.html).toBe(
      `<html><body><p>A ${ref(gold?.id)} B ${ref(de?.id)} ${ref(gold?.id)}</p></body></html>`,
    );
    // The assets are made before the email that references them.
    const paths = fake.requests.map((r) => `${r.method} ${r.path}`).filter((r) => r.includes('/assets/'));
    expect(paths).toEqual([
      'POST /api/REST/2.0/assets/dynamicContent',
      'POST /api/REST/2.0/assets/dynamicContent',
      'POST /api/REST/2.0/assets/email',
    ]);
  });

  it('sends bodies of the shape Oracle documents and public Eloqua clients send (checked apart from the transcribed contract)', async () => {
    // DynamicContentRest10 / DynamicContentRuleRest10 / ContentSectionRest10 (Oracle swagger.json); the criterion
    // as Smartling's eloqua-rest-sdk-java and CleverTouch's go-eloqua send it (Oracle documents no criterion fields).
    const section = z
      .object({
        type: z.literal('ContentSection'),
        name: z.string(),
        contentHtml: z.string(),
        scope: z.enum(['local', 'global']),
      })
      .strict();
    const documented = z
      .object({
        type: z.literal('DynamicContent'),
        id: z.string().regex(/^\d+$/).optional(),
        name: z.string().max(100),
        description: z.string(),
        defaultContentSection: section,
        rules: z
          .array(
            z
              .object({
                type: z.literal('DynamicContentRule'),
                contentSection: section,
                criteria: z
                  .array(
                    z
                      .object({
                        type: z.literal('ContactFieldCriterion'),
                        id: z.string().regex(/^-\d+$/),
                        fieldId: z.string().regex(/^\d+$/),
                        condition: z
                          .object({ type: z.literal('TextValueCondition'), operator: z.string(), value: z.string() })
                          .strict(),
                      })
                      .strict(),
                  )
                  .min(1),
                statement: z.string().min(1),
              })
              .strict(),
          )
          .min(1),
      })
      .strict();
    const connector = eloqua.create({ ...config(fake), contactFieldIds }, fast);
    await connector.pushEmail!(withConditions(1, [GOLD, DE]));
    await connector.pushEmail!(withConditions(1, [GOLD, DE]));
    const sent = fake.requests.filter(
      (r) =>
        r.path.startsWith('/api/REST/2.0/assets/dynamicContent/') || r.path === '/api/REST/2.0/assets/dynamicContent',
    );
    expect(sent.map((r) => r.method)).toEqual(['POST', 'POST', 'PUT', 'PUT']);
    for (const r of sent) {
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(documented.safeParse(r.json).error?.issues ?? []).toEqual([]);
    }
    // A PUT names the asset it replaces.
    expect(sent.filter((r) => r.method === 'PUT').map((r) => [r.params.id, (r.json as { id?: string }).id])).toEqual(
      [...fake.dynamicContents.keys()].map((id) => [id, id]),
    );
  });

  it('is idempotent: a re-push updates the same assets, and a lost create answer is found by name', async () => {
    const connector = eloqua.create({ ...config(fake), contactFieldIds }, fast);
    const first = await connector.pushEmail!(withConditions(1, [GOLD]));
    const again = await connector.pushEmail!(withConditions(1, [GOLD]));
    expect(again).toMatchObject({ remoteId: first.remoteId, created: false });
    expect(fake.dynamicContents.size).toBe(1);
    expect(
      fake.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/REST/2.0/assets/dynamicContent/')),
    ).toHaveLength(1);
    // Another draft with the same condition shares the asset.
    await connector.pushEmail!(withConditions(2, [GOLD]));
    expect(fake.dynamicContents.size).toBe(1);
    // The create of a new one is made but its answer lost: the retry finds it by name instead of making two.
    fake.inject({
      kind: 'reset',
      after: true,
      match: (r) => r.method === 'POST' && r.path === '/api/REST/2.0/assets/dynamicContent',
    });
    const third = await connector.pushEmail!(withConditions(3, [DE]));
    expect(fake.dynamicContents.size).toBe(2);
    const de = [...fake.dynamicContents.values()].find((d) => d.name === DE.name);
    expect(fake.emails.get(third.remoteId)?.htmlContent?.html).toContain(`elqid="${de?.id ?? ''}"`);
  });

  it('sends any valid definition within the contract, each statement naming its rule\u2019s criteria (property)', async () => {
    const field = fc.constantFrom('Tier1', 'Country1');
    const criterion = fc.oneof(
      fc.record({
        field,
        operator: fc.constantFrom('equal' as const, 'notEqual' as const),
        value: fc.string({ maxLength: 20 }),
      }),
      fc.record({ field, operator: fc.constantFrom('blank' as const, 'notBlank' as const) }),
    );
    const rule = fc
      .tuple(fc.array(criterion, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.string({ maxLength: 40 }))
      .map(([criteria, any, html]) => ({
        criteria,
        statement: criteria.map((_c, i) => String(i + 1)).join(any ? ' OR ' : ' AND '),
        html,
      }));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        fc.string({ maxLength: 40 }),
        async (rules, defaultHtml) => {
          n++;
          const dc: EloquaDynamicContent = {
            name: `hubspoke_dc_${n.toString(16).padStart(12, '0')}`,
            rules,
            defaultHtml,
          };
          const connector = eloqua.create({ ...config(fake), contactFieldIds }, fast);
          const pushed = await connector.pushEmail!(withConditions(n, [dc]));
          const sent = [...fake.dynamicContents.values()].find((d) => d.name === dc.name);
          expect(sent?.defaultContentSection.contentHtml).toBe(defaultHtml);
          expect(sent?.rules.map((r) => r.contentSection.contentHtml)).toEqual(rules.map((r) => r.html));
          sent?.rules.forEach((r, i) => {
            expect(r.criteria.map((c) => c.fieldId)).toEqual(
              rules[i]?.criteria.map((c) => FIELD_IDS[c.field as 'Tier1']),
            );
            expect(r.statement).toBe(
              r.criteria.map((c) => c.id).join(rules[i]?.statement.includes('OR') ? ' OR ' : ' AND '),
            );
          });
          expect(fake.emails.get(pushed.remoteId)?.htmlContent?.html).toContain(`elqid="${sent?.id ?? ''}"`);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses, before sending anything, a rule field without a contact field id and placeholders that do not match the definitions', async () => {
    const connector = eloqua.create({ ...config(fake), contactFieldIds: 'Tier1=100213' }, fast);
    await expect(connector.pushEmail!(withConditions(1, [GOLD]))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'email.dynamicContents[0].rules[0].criteria[1].field',
      message: expect.stringContaining('add "Country1=<the contact field\'s id in Eloqua>" to config.contactFieldIds'),
    });
    expect(() => eloqua.create({ ...config(fake), contactFieldIds: 'Tier1:100213' }, fast)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION' }),
    );
    const full = eloqua.create({ ...config(fake), contactFieldIds }, fast);
    await expect(full.pushEmail!(withConditions(1, [GOLD], '<p>none</p>'))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'email.dynamicContents[0]',
    });
    await expect(
      full.pushEmail!(
        withConditions(
          1,
          [GOLD],
          `${eloquaDynamicContentPlaceholder(GOLD.name)}${eloquaDynamicContentPlaceholder(DE.name)}`,
        ),
      ),
    ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'email.html' });
    expect(fake.requests.filter((r) => r.path.includes('/assets/'))).toEqual([]);
    expect(fake.dynamicContents.size).toBe(0);
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
