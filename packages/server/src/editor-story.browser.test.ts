// The whole story in Chromium against this server (in-process, PGlite, --dev, the example hub), through
// the web app it serves: no JSON typed. A spoke drafts, personalizes, fixes a finding, submits; a
// reviewer comments on a slot and asks for changes; the spoke resolves and resubmits; approvals make it
// read-only; the spoke pushes it (fs connector) and starts a new version, all from the app. And the server
// refuses what the UI hides: a crafted write to a locked slot is 403 E_LOCKED, one to the approved draft 409.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserStage,
  eventually,
  openModule,
  screen,
  skipBrowserTest,
  typeInto,
  type BrowserStage,
} from './browser-support.js';

const skip = await skipBrowserTest('editor story test');

/** The customer story's attribution, locked by a second template version the hub publishes for this test. */
function lockFooter(mjml: string): string {
  return mjml
    .replace('hs-version="1"', 'hs-version="2"')
    .replace('hs-slot="author" hs-kind="text"', 'hs-slot="author" hs-kind="text" hs-lock="locked"');
}

describe.skipIf(skip)('the whole story in Chromium against the hub server', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    // The hub's assistant is the offline provider (rules, no network): suggestions go through the hub.
    stage = await browserStage({
      env: { HUBSPOKE_AI_PROVIDER: 'offline' },
      prepare: async ({ hub }) => {
        const v1 = await hub.template('seasonal-newsletter', 1);
        await hub.publishTemplate(await hub.principal('hana'), lockFooter(v1.source ?? ''));
      },
    });
  });
  afterAll(() => stage.close());

  /** The text of the 600 px preview frame (inside the elements' shadow roots). */
  const previewText = (page: Page): Promise<string> =>
    page.evaluate(`(() => {
      const find = (root) => {
        const direct = root.querySelector('iframe.email');
        if (direct) return direct;
        for (const el of root.querySelectorAll('*')) {
          const inner = el.shadowRoot ? find(el.shadowRoot) : null;
          if (inner) return inner;
        }
        return null;
      };
      return find(document)?.contentDocument?.body.textContent ?? '';
    })()`);

  /** The submission's state as the hub has it (who must decide now). */
  async function activeStage(submissionId: string) {
    const hana = await stage.example.hub.principal('hana');
    const state = await stage.example.hub.status(hana, submissionId);
    return { status: state.status, stage: state.stages.find((s) => s.status === 'active') };
  }

  it('drafts, personalizes, fixes, submits; review, changes, resubmit, approve; a locked write is 403', async () => {
    // ── The spoke: new from template, fill, a field chip, a finding on its slot, a one-click fix ──
    const lena = await stage.signIn('lena', /Lena Vogel/);
    await lena.getByRole('heading', { name: 'My drafts' }).waitFor();
    await lena.getByText('No drafts yet.').waitFor();
    await screen(lena, 'server-home');
    await lena.getByLabel('Name of the new email').first().waitFor();
    const card = lena.locator('li.card').filter({ hasText: 'Seasonal newsletter' });
    await card.getByLabel('Name of the new email').fill('Berlin spring');
    await card.getByRole('button', { name: /Start/ }).click();
    await lena.getByRole('heading', { name: 'Berlin spring' }).waitFor();
    const draftId = decodeURIComponent(new URL(lena.url()).hash.replace('#/drafts/', ''));

    await openModule(lena, 'Hero');
    const headline = lena.locator('[data-slot="hero/headline"]');
    await typeInto(headline.getByRole('textbox'), lena, 'Spring is here, ');
    await headline.getByRole('button', { name: 'Insert field' }).click();
    await headline.getByLabel('Contact field', { exact: true }).selectOption('contact.firstName');
    await headline.getByLabel('Fallback when it is empty').fill('friend');
    await headline.getByRole('button', { name: 'Insert', exact: true }).click();
    await eventually(() => headline.locator('.chip').textContent()).toBe('First name · or “friend”');
    await eventually(() => previewText(lena)).toContain('Spring is here, Anna');

    // A banned word: the finding sits on its slot, and submit says why it is disabled.
    const subline = lena.locator('[data-slot="hero/subline"]');
    await typeInto(subline.getByRole('textbox'), lena, 'Cheap gear for longer days');
    await eventually(() => subline.locator('.finding').textContent()).toMatch(/cheap/i);
    await eventually(() => lena.locator('#hs-submit-reason').textContent()).toMatch(/error/);
    await typeInto(subline.getByRole('textbox'), lena, 'Good gear for longer days');
    await eventually(() => subline.locator('.finding').count()).toBe(0);

    // A link without the required tracking: one click adds it.
    const cta = lena.locator('[data-slot="hero/cta"]');
    await cta.getByLabel('Web address').fill('https://northwind.example/spring');
    const fix = cta.getByRole('button', { name: /^Add utm/ });
    await fix.first().click();
    await eventually(() => cta.locator('.finding').count()).toBe(0);

    // A required title, and the Berlin imprint the brand's legal rule asks for in EMEA.
    await openModule(lena, 'Featured product');
    await typeInto(lena.locator('[data-slot="feature/title"]').getByRole('textbox'), lena, 'Alpine 2 tent');
    await openModule(lena, 'Footer');
    await typeInto(
      lena.locator('[data-slot="footer/address"]').getByRole('textbox'),
      lena,
      'Northwind Trails GmbH · Torstraße 1 · 10119 Berlin',
    );

    // The locked attribution is shown fixed, saying why.
    await openModule(lena, 'Customer story');
    await eventually(() => lena.locator('[data-slot="quote/author"]').textContent()).toMatch(/lock/i);

    // AI help through the hub (its offline provider): subject-line variants and alt text, each with its brand check.
    await lena.getByRole('button', { name: 'Suggest subject lines' }).click();
    const subjects = lena.getByRole('list', { name: 'Subject line suggestions' });
    await eventually(() => subjects.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await subjects.locator('li .badge').count()).toBe(await subjects.getByRole('listitem').count());
    await openModule(lena, 'Hero');
    const heroImage = lena.locator('[data-slot="hero/image"]');
    await heroImage.getByRole('button', { name: 'Suggest alt text' }).click();
    const alts = heroImage.getByRole('list', { name: 'Suggestions' });
    await eventually(() => alts.getByRole('listitem').first().textContent()).toMatch(/\S/);
    await eventually(() => alts.getByRole('listitem').first().textContent()).toMatch(/Brand check passed|finding/);
    await screen(lena, 'server-assist');
    const passing = subjects.getByRole('listitem').filter({ hasText: 'Brand check passed' }).first();
    const chosen = ((await passing.locator('span').first().textContent()) ?? '').trim();
    await passing.getByRole('button', { name: 'Use' }).click();
    await eventually(async () => {
      const saved = await stage.example.hub.getDraft(await stage.example.hub.principal('lena'), draftId);
      return saved.draft.content['en-US']?.subject;
    }).toBe(chosen);

    await eventually(() => lena.getByText('All changes saved').count()).toBe(1);
    await eventually(() => lena.locator('#hs-submit').isEnabled()).toBe(true);
    await screen(lena, 'server-editor');

    // ── What the UI hides, the server refuses: a crafted save of the locked slot, with lena's own session cookie ──
    const cookie = (await lena.context().cookies(stage.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${stage.url}${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
    const { csrfToken } = (await (await call('/api/session')).json()) as { csrfToken: string };
    const current = await call(`/api/drafts/${draftId}`);
    const envelope = (await current.json()) as {
      draft: {
        modules: { moduleId: string; instanceId: string }[];
        content: Record<string, { slots: Record<string, Record<string, unknown>> }>;
      };
    };
    const quote = envelope.draft.modules.find((m) => m.moduleId === 'quote')?.instanceId ?? 'quote';
    const content = envelope.draft.content['en-US'];
    if (content) (content.slots[quote] ??= {}).author = 'Somebody else';
    const put = await call(`/api/drafts/${draftId}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        'if-match': current.headers.get('etag') ?? '',
        'x-csrf-token': csrfToken,
        origin: stage.url,
      },
      body: JSON.stringify(envelope.draft),
    });
    const refused = { status: put.status, body: (await put.json()) as { code: string; path?: string } };
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('E_LOCKED');
    expect(refused.body.path).toMatch(/author/);

    await lena.locator('#hs-submit').click();
    await eventually(() => lena.getByText('In review', { exact: true }).count()).toBeGreaterThan(0);
    const submissionId =
      (await stage.example.hub.getDraft(await stage.example.hub.principal('lena'), draftId)).submissionId ?? '';
    expect(submissionId).not.toBe('');

    /** Each active stage's first assignee approves through their inbox, until the submission leaves review. */
    const pages = new Map<string, Page>();
    let shotDiff = false;
    const approveAll = async (diff: boolean) => {
      for (let turn = 0; turn < 5; turn += 1) {
        const now = await activeStage(submissionId);
        if (now.status !== 'inReview' || now.stage === undefined) return;
        const who = now.stage.assignees[0] ?? '';
        let page = pages.get(who);
        if (page === undefined) {
          const name = (await stage.example.hub.principal(who)).name ?? who;
          page = await stage.signIn(who, new RegExp(name.split(' (')[0] ?? who));
          pages.set(who, page);
        }
        await page.goto(`${stage.url}/#/inbox`);
        await page.getByRole('button', { name: 'Review Berlin spring' }).click();
        await page.getByRole('heading', { name: 'Decision' }).waitFor();
        if (diff && !shotDiff) {
          await page.getByRole('tab', { name: /Changes since round 1/ }).click();
          const row = page
            .locator('table.diff tbody tr')
            .filter({ hasText: /headline/i })
            .first();
          await eventually(() => row.locator('del').allTextContents()).toContainEqual(
            expect.stringContaining('Spring is'),
          );
          await screen(page, 'server-diff');
          await page.getByRole('tab', { name: 'Review' }).click();
          shotDiff = true;
        }
        await page.getByRole('radio', { name: 'Approve', exact: true }).check();
        await page.getByRole('button', { name: 'Record decision' }).click();
        await eventually(async () => {
          const after = await activeStage(submissionId);
          return after.status !== 'inReview' || after.stage?.id !== now.stage?.id;
        }).toBe(true);
      }
    };

    // ── The first reviewer: inbox, a comment on the headline, changes requested ──
    const first = await activeStage(submissionId);
    const reviewerId = first.stage?.assignees[0] ?? '';
    const reviewerName = (await stage.example.hub.principal(reviewerId)).name ?? reviewerId;
    const reviewer = await stage.signIn(reviewerId, new RegExp(reviewerName.split(' (')[0] ?? reviewerId));
    pages.set(reviewerId, reviewer);
    await reviewer.getByRole('link', { name: 'Inbox' }).click();
    await reviewer.getByRole('heading', { name: 'Waiting for your review' }).waitFor();
    await reviewer.getByRole('button', { name: 'Review Berlin spring' }).waitFor();
    await screen(reviewer, 'server-inbox');
    await reviewer.getByRole('button', { name: 'Review Berlin spring' }).click();
    await reviewer.getByRole('heading', { name: 'Decision' }).waitFor();
    await reviewer.getByLabel('Comment on').selectOption('hero/headline');
    await reviewer.getByLabel('Comment', { exact: true }).fill('Shorter, please: drop “is here”.');
    await reviewer.getByRole('button', { name: 'Add comment' }).click();
    await eventually(() => reviewer.locator('.comment').count()).toBe(1);
    await reviewer.getByRole('radio', { name: 'Request changes' }).check();
    await reviewer.getByLabel(/Reason/).fill('See the comment on the headline');
    await screen(reviewer, 'server-review');
    await reviewer.getByRole('button', { name: 'Record decision' }).click();
    await eventually(() => reviewer.getByText('Decision recorded: Request changes').count()).toBe(1);
    // The stages still running decide too (the workflow returns the draft once they have).
    await approveAll(false);
    expect((await activeStage(submissionId)).status).toBe('returned');

    // ── The spoke, live (no reload): the comment on its slot; fix, resolve, resubmit ──
    await lena.getByRole('button', { name: /Resubmit for review/ }).waitFor();
    await eventually(() => lena.locator('#hs-submit-reason').textContent()).toContain('comment');
    await openModule(lena, 'Hero');
    const again = lena.locator('[data-slot="hero/headline"]');
    await eventually(() => again.locator('.comment').textContent()).toContain('Shorter, please');
    await again.getByRole('textbox', { name: /Headline/ }).click({ position: { x: 6, y: 12 } });
    await lena.keyboard.press('Home');
    for (const _ of 'Spring is here') await lena.keyboard.press('Delete');
    await lena.keyboard.type('Spring');
    await again.getByRole('button', { name: 'Resolve' }).click();
    await eventually(() => lena.getByText('All changes saved').count()).toBe(1);
    await screen(lena, 'server-editor-returned');
    await eventually(() => lena.locator('#hs-submit').isEnabled()).toBe(true);
    await lena.locator('#hs-submit').click();
    await eventually(() => lena.getByText('In review', { exact: true }).count()).toBeGreaterThan(0);

    // ── Every stage approves in turn (who depends on the hub's routing), through the UI ──
    await approveAll(true);
    expect((await activeStage(submissionId)).status).toBe('approved');

    // ── Approved: the spoke's editor turns read-only, live ──
    await eventually(() => lena.getByText('Approved', { exact: true }).count()).toBeGreaterThan(0);
    await openModule(lena, 'Hero');
    await eventually(() => lena.locator('[data-slot="hero/headline"] .pm').getAttribute('contenteditable')).toBe(
      'false',
    );
    await screen(lena, 'server-approved');

    // ── The spoke pushes the approved draft from the app (the hub's default connector: fs) ──
    await lena.getByRole('button', { name: 'Push to the ESP' }).click();
    await eventually(() => lena.getByRole('status').filter({ hasText: 'Pushed through fs' }).count()).toBe(1);
    await screen(lena, 'server-pushed');
    // The fs connector wrote the approved version under the hub's folder.
    const pushedVersion = (await stage.example.hub.getDraft(await stage.example.hub.principal('lena'), draftId))
      .version;
    expect(existsSync(path.join(stage.example.hub.dir, 'out/export', draftId, `v${String(pushedVersion)}`))).toBe(true);

    // ── Read-only until a new version: a crafted save of the approved draft is refused ──
    const approvedNow = await call(`/api/drafts/${draftId}`);
    const approvedBody = (await approvedNow.json()) as { draft: { name: string } };
    const write = await call(`/api/drafts/${draftId}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        'if-match': approvedNow.headers.get('etag') ?? '',
        'x-csrf-token': csrfToken,
        origin: stage.url,
      },
      body: JSON.stringify({ ...approvedBody.draft, name: 'Changed after approval' }),
    });
    expect(write.status).toBe(409);
    expect(((await write.json()) as { details?: { reason?: string } }).details?.reason).toBe('approved');

    // ── The spoke starts a new version from the app, by keyboard, and edits it ──
    const start = lena.getByRole('button', { name: 'Start a new version' });
    await start.focus();
    await lena.keyboard.press('Enter');
    await eventually(() =>
      lena
        .getByRole('status')
        .filter({ hasText: /Version \d+ started/ })
        .count(),
    ).toBe(1);
    await eventually(() => lena.locator('#hs-submit').count()).toBe(1);
    expect(await lena.getByRole('button', { name: 'Push to the ESP' }).count()).toBe(0);
    await openModule(lena, 'Hero');
    await eventually(() => lena.locator('[data-slot="hero/headline"] .pm').getAttribute('contenteditable')).toBe(
      'true',
    );
    await typeInto(lena.locator('[data-slot="hero/subline"]').getByRole('textbox'), lena, 'Good gear for summer days');
    await eventually(() => lena.getByText('All changes saved').count()).toBe(1);
    const reopened = await stage.example.hub.getDraft(await stage.example.hub.principal('lena'), draftId);
    expect(reopened.status).toBe('draft');
    await screen(lena, 'server-new-version');
    expect(stage.errors).toEqual([]);
  }, 900_000);
});
