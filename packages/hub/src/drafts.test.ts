import { describe, expect, it } from 'vitest';
import { BACKENDS, useStoreHub } from './__fixtures__/hubs.js';
import type { Hub } from './hub.js';

const LOCKED_TEMPLATE = `<mjml hs-id="notice" hs-version="1" hs-name="Notice" hs-locale="en-US">
  <mj-body>
    <mj-section hs-module="message" hs-name="Message" hs-occurs="1..1">
      <mj-column>
        <mj-text hs-slot="body" hs-kind="text" hs-max="200">Hello</mj-text>
        <mj-text hs-slot="legal" hs-kind="text" hs-lock="locked">Northwind Trails Inc.</mj-text>
        <mj-button hs-slot="cta" hs-kind="link" hs-lock="textOnly" href="https://northwind.example/">Visit</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe.each(BACKENDS)('drafts on a HubStore (%s)', (backend) => {
  let hub: Hub;
  const as = (id: string) => hub.principal(id);

  useStoreHub(async (opened) => {
    ({ hub } = opened);
    await hub.publishTemplate(await as('bea'), LOCKED_TEMPLATE);
  }, backend);

  it('publishes a template version once, for those who may', async () => {
    expect((await hub.publishTemplate(await as('bea'), LOCKED_TEMPLATE)).created).toBe(false);
    expect(await rejection(hub.publishTemplate(await as('jo'), LOCKED_TEMPLATE))).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    expect(await rejection(hub.publishTemplate(await as('bea'), LOCKED_TEMPLATE.replace('Hello', 'Hi')))).toMatchObject(
      { code: 'E_CONFLICT', details: { reason: 'published' } },
    );
    expect(await rejection(hub.publishTemplate(await as('bea'), '<mjml><mj-body>'))).toMatchObject({
      code: 'E_VALIDATION',
    });
  });

  it("creates a draft of a template's newest version in the principal's region and team", async () => {
    const created = await hub.createDraft(await as('jo'), {
      id: 'notice-austin',
      name: 'Notice',
      template: { id: 'notice' },
    });
    expect(created.version).toBe(1);
    expect(created.draft).toMatchObject({
      author: 'jo',
      region: 'NA',
      team: 'austin',
      template: { id: 'notice', version: 1 },
      modules: [{ instanceId: expect.any(String) as unknown, moduleId: 'message' }],
    });
    expect(
      await rejection(
        hub.createDraft(await as('jo'), { id: 'notice-berlin', name: 'N', template: { id: 'notice' }, region: 'EMEA' }),
      ),
    ).toMatchObject({ code: 'E_FORBIDDEN' });
    expect(
      await rejection(hub.createDraft(await as('jo'), { id: 'notice-austin', name: 'N', template: { id: 'notice' } })),
    ).toMatchObject({ code: 'E_CONFLICT' });
    expect(
      await rejection(hub.createDraft(await as('jo'), { id: 'x', name: 'N', template: { id: 'notic' } })),
    ).toMatchObject({ code: 'E_NOT_FOUND', hint: expect.stringContaining('notice') as unknown });
  });

  it('saves with optimistic concurrency: one of two writers of the same version wins, the other gets E_CONFLICT', async () => {
    const { draft } = await hub.getDraft(await as('jo'), 'notice-austin');
    const instance = draft.modules[0]?.instanceId ?? '';
    const edit = (text: string) => {
      const content = structuredClone(draft.content);
      const slots = content['en-US']?.slots;
      if (slots !== undefined) slots[instance] = { body: text };
      return { ...draft, content };
    };
    const [a, b] = await Promise.allSettled([
      hub.saveDraft(await as('jo'), edit('First'), { expectedVersion: 1 }),
      hub.saveDraft(await as('jo'), edit('Second'), { expectedVersion: 1 }),
    ]);
    const outcomes = [a, b].map((r) => r.status).sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const lost = [a, b].find((r) => r.status === 'rejected');
    expect(lost?.reason).toMatchObject({ code: 'E_CONFLICT', details: { reason: 'stale', currentVersion: 2 } });
    expect((await hub.getDraft(await as('jo'), 'notice-austin')).version).toBe(2);
    const first = await hub.getDraftVersion(await as('jo'), 'notice-austin', 1);
    expect(first.version).toBe(1);
    expect(JSON.stringify(first)).not.toMatch(/First|Second/);
    expect((await hub.getDraftVersion(await as('jo'), 'notice-austin', 2)).version).toBe(2);
    await expect(hub.getDraftVersion(await as('jo'), 'notice-austin', 9)).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
    await expect(hub.getDraftVersion(await as('lena'), 'notice-austin', 1)).rejects.toMatchObject({
      code: 'E_FORBIDDEN',
    });
  });

  it('refuses a change to a locked slot with E_LOCKED naming it, unless the principal may edit locked content', async () => {
    const current = await hub.getDraft(await as('jo'), 'notice-austin');
    const instance = current.draft.modules[0]?.instanceId ?? '';
    const set = (slot: string, value: unknown) => {
      const content = structuredClone(current.draft.content);
      const slots = content['en-US']?.slots;
      if (slots !== undefined) slots[instance] = { ...slots[instance], [slot]: value as string };
      return { ...current.draft, content };
    };
    const locked = await rejection(
      hub.saveDraft(await as('jo'), set('legal', 'Cheap Inc.'), { expectedVersion: current.version }),
    );
    expect(locked).toMatchObject({
      code: 'E_LOCKED',
      path: `content.en-US.slots.${instance}.legal`,
      details: { slots: [{ slotId: 'legal', instanceId: instance, locale: 'en-US' }] },
    });
    const href = await rejection(
      hub.saveDraft(await as('jo'), set('cta', { href: 'https://evil.example/', text: 'Visit' }), {
        expectedVersion: current.version,
      }),
    );
    expect(href).toMatchObject({ code: 'E_LOCKED', path: `content.en-US.slots.${instance}.cta` });
    const text = await hub.saveDraft(await as('jo'), set('cta', { href: 'https://northwind.example/', text: 'Come' }), {
      expectedVersion: current.version,
    });
    expect(text.version).toBe(current.version + 1);
    const admin = await hub.saveDraft(await as('hana'), set('legal', 'Northwind Trails LLC'), {
      expectedVersion: text.version,
    });
    expect(admin.version).toBe(text.version + 1);
  });

  it('keeps the author, the template pin and the region to those who may', async () => {
    const { draft, version } = await hub.getDraft(await as('jo'), 'notice-austin');
    expect(
      await rejection(hub.saveDraft(await as('jo'), { ...draft, author: 'sam' }, { expectedVersion: version })),
    ).toMatchObject({ code: 'E_VALIDATION', path: 'draft.author' });
    expect(
      await rejection(
        hub.saveDraft(await as('jo'), { ...draft, region: 'EMEA', team: 'berlin' }, { expectedVersion: version }),
      ),
    ).toMatchObject({ code: 'E_FORBIDDEN' });
    expect(
      await rejection(
        hub.saveDraft(
          await as('jo'),
          { ...draft, template: { id: 'notice', version: 2 } },
          { expectedVersion: version },
        ),
      ),
    ).toMatchObject({ code: 'E_VALIDATION', path: 'draft.template' });
    expect(await rejection(hub.saveDraft(await as('lena'), draft, { expectedVersion: version }))).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    expect(
      await rejection(hub.saveDraft(await as('jo'), { id: draft.id }, { expectedVersion: version })),
    ).toMatchObject({
      code: 'E_VALIDATION',
    });
  });

  it('an approved draft is read-only until its author starts a new version (audited in the change feed)', async () => {
    const id = 'austin-store-opening';
    await hub.submit(await as('jo'), id);
    for (let turn = 0; turn < 6; turn += 1) {
      const state = await hub.status(await as('hana'), id);
      const stage = state.stages.find((s) => s.status === 'active');
      if (state.status !== 'inReview' || stage === undefined) break;
      await hub.decide(await as(stage.assignees[0] ?? 'hana'), id, { verdict: 'approved', stageId: stage.id });
    }
    const approved = await hub.getDraft(await as('jo'), id);
    expect(approved.status).toBe('approved');
    const edited = { ...approved.draft, name: 'Changed after approval' };
    expect(await rejection(hub.saveDraft(await as('jo'), edited, { expectedVersion: approved.version }))).toMatchObject(
      {
        code: 'E_CONFLICT',
        details: { reason: 'approved' },
      },
    );
    // The store refuses it too, in the same statement as the write (not only the hub's check before it).
    const { store } = await hub.state();
    expect(await rejection(hub.source.drafts.update(edited, approved.version, 'jo'))).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'approved' },
    });
    expect(await rejection(hub.startNewVersion(await as('lena'), id))).toMatchObject({ code: 'E_FORBIDDEN' });
    expect(
      await rejection(hub.startNewVersion(await as('jo'), id, { expectedVersion: approved.version - 1 })),
    ).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'stale' },
    });
    const next = await hub.startNewVersion(await as('jo'), id, { expectedVersion: approved.version });
    expect(next).toMatchObject({ version: approved.version + 1, status: 'draft' });
    expect(next.submissionId).toBeUndefined();
    expect(next.draft.version).toBe(approved.version + 1);
    expect(next.draft.content).toEqual(approved.draft.content);
    expect(await hub.getDraftVersion(await as('jo'), id, approved.version)).toEqual(approved.draft);
    const changes = await store.changesSince('0', 5000);
    expect(changes.filter((c) => c.kind === 'draft' && c.key === id).at(-1)).toMatchObject({
      actor: 'jo',
      version: approved.version + 1,
      data: { action: 'newVersion', from: approved.version },
    });
    expect(await rejection(hub.startNewVersion(await as('jo'), id))).toMatchObject({
      code: 'E_CONFLICT',
      details: { reason: 'notApproved' },
    });
    const saved = await hub.saveDraft(
      await as('jo'),
      { ...next.draft, name: 'Second version' },
      { expectedVersion: next.version },
    );
    expect(saved).toMatchObject({ version: next.version + 1, status: 'draft', draft: { name: 'Second version' } });
  });

  it('lists only the drafts a principal may see, filtered and paged', async () => {
    await hub.createDraft(await as('lena'), { id: 'notice-berlin', name: 'Hinweis', template: { id: 'notice' } });
    const ids = async (principal: string, query = {}) =>
      (await hub.listDrafts(await as(principal), query)).items.map((d) => d.draft.id).sort();
    expect(await ids('jo')).toEqual(['austin-store-opening', 'notice-austin']);
    expect(await ids('lena')).toEqual(['notice-berlin']);
    expect(await ids('hana')).toEqual(['austin-store-opening', 'notice-austin', 'notice-berlin']);
    expect(await ids('hana', { region: 'EMEA' })).toEqual(['notice-berlin']);
    expect(await ids('hana', { team: 'austin' })).toEqual(['austin-store-opening', 'notice-austin']);
    expect(await ids('hana', { status: 'draft', templateId: 'notice' })).toEqual(['notice-austin', 'notice-berlin']);
    const first = await hub.listDrafts(await as('hana'), { limit: 2 });
    const rest = await hub.listDrafts(await as('hana'), { limit: 2, offset: 2 });
    expect(first.more).toBe(true);
    expect(rest.more).toBe(false);
    expect([...first.items, ...rest.items].map((d) => d.draft.id).sort()).toEqual(await ids('hana'));
    expect(await rejection(hub.getDraft(await as('lena'), 'notice-austin'))).toMatchObject({ code: 'E_FORBIDDEN' });
  });

  it('reads every draft of a large store, a page at a time', async () => {
    const { database } = await hub.state();
    const { draft } = await hub.draft('austin-store-opening');
    const before = (await hub.drafts()).length;
    await database.sql.query(
      `INSERT INTO hub_drafts (id, version, name, template_id, template_version, author, region, team, status, body, created_at, updated_at, updated_by)
       SELECT 'bulk-' || n, 1, 'Bulk', 'announcement', 1, 'jo', 'NA', 'austin', 'draft',
              replace($1, '"austin-store-opening"', '"bulk-' || n || '"'), now(), now(), 'jo'
       FROM generate_series(1, 1001) AS n`,
      [JSON.stringify(draft)],
    );
    const all = await hub.drafts();
    expect(all.length).toBe(before + 1001);
    expect(new Set(all.map((d) => d.draft.id)).size).toBe(all.length);
  });

  it('denies by default a principal the directory does not know, or knows otherwise, with the reason', async () => {
    const jo = await as('jo');
    const { draft, version } = await hub.getDraft(jo, 'notice-austin');
    const unknown = { ...jo, id: 'joe' };
    const refused = {
      code: 'E_FORBIDDEN',
      details: { reason: 'unknown-principal', principal: 'joe', didYouMean: 'jo' },
    };
    expect(
      await rejection(hub.authorize(unknown, 'draft.create', { region: 'NA', team: 'austin', ownerId: 'joe' })),
    ).toMatchObject(refused);
    expect(await rejection(hub.getDraft(unknown, 'notice-austin'))).toMatchObject(refused);
    expect(await rejection(hub.listDrafts(unknown))).toMatchObject(refused);
    expect(
      await rejection(hub.saveDraft(unknown, { ...draft, author: 'joe' }, { expectedVersion: version })),
    ).toMatchObject(refused);
    // Jo claiming the admin role the directory does not give her publishes nothing.
    const promoted = { ...jo, roles: [...jo.roles, 'hub-admin'] };
    const mismatch = { code: 'E_FORBIDDEN', details: { reason: 'principal-mismatch', principal: 'jo' } };
    expect(await rejection(hub.authorize(promoted, 'template.publish'))).toMatchObject(mismatch);
    expect(await rejection(hub.saveDraft(promoted, draft, { expectedVersion: version }))).toMatchObject(mismatch);
    expect(await rejection(hub.publishTemplate(promoted, LOCKED_TEMPLATE))).toMatchObject(mismatch);
    // Someone an identity provider the hub trusts vouched for acts with the roles of their claims.
    const issuer = 'https://login.example.com/';
    const vouched = { ...jo, id: 'jo.tanaka@example.com', issuer, subject: 'u-7' };
    expect(await rejection(hub.listDrafts(vouched))).toMatchObject({ details: { reason: 'unknown-principal' } });
    hub.trustIssuer(issuer);
    expect((await hub.getDraft(vouched, 'notice-austin')).draft.id).toBe('notice-austin');
    await hub.authorize(vouched, 'draft.create', { region: 'NA', team: 'austin', ownerId: vouched.id });
    expect((await hub.getDraft(jo, 'notice-austin')).version).toBe(version);
  });
});
