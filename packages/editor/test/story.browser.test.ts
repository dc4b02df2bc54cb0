import type { Server } from 'node:http';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, SKIP_REASON, launch, serveHarness } from './browser.js';
import { REVIEWER, SPOKE, axe, openHarness, pageErrors, previewText } from './page.js';

/** Waits for the page to catch up (a loaded machine is slow; this only bounds a hang). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 100 });

if (!CHROMIUM) console.warn(`editor story test skipped: ${SKIP_REASON}`);

// Screenshots go to .reports/ on every run; HUBSPOKE_UPDATE_SCREENSHOTS=1 refreshes the README's copies.
const SHOTS = new URL(
  process.env.HUBSPOKE_UPDATE_SCREENSHOTS === '1' ? '../docs/screenshots/' : '../.reports/screenshots/',
  import.meta.url,
).pathname;

/** Every screen: no WCAG 2.2 AA violation, then a screenshot for the README. */
async function screen(page: Page, name: string): Promise<void> {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
  });
  await page.waitForTimeout(300); // let frames lay out for the picture (the checks above already waited)
  await page.screenshot({ path: `${SHOTS}${name}.png` });
  expect(await axe(page), `axe on ${name}`).toEqual([]);
}

async function typeInto(box: Locator, page: Page, text: string): Promise<void> {
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

describe.skipIf(!CHROMIUM)(
  'a spoke and a reviewer in the in-memory hub, in Chromium (needs HUBSPOKE_TEST_CHROMIUM)',
  () => {
    let browser: Browser;
    let server: Server;
    let url: string;

    beforeAll(async () => {
      ({ url, server } = await serveHarness());
      browser = await launch();
    });
    afterAll(async () => {
      await browser.close();
      server.close();
    });

    it('drafts, personalizes, fixes, composes, translates, submits; review, changes, resubmit, diff, approve', async () => {
      const page = await openHarness(browser, url);
      const draftId = await page.evaluate(async (spoke) => {
        const record = await window.hubspoke.hub
          .as(spoke)
          .createDraft({ templateId: 'newsletter', name: 'May newsletter' });
        window.hubspoke.mount('editor', spoke, record.draft.id);
        return record.draft.id;
      }, SPOKE);
      await page.getByRole('heading', { name: 'May newsletter' }).waitFor();

      // Hero: a headline with a first-name chip (fallback), no braces typed.
      await page.getByRole('button', { name: 'Hero', exact: true }).click();
      const headline = page.locator('[data-slot="hero/headline"]');
      await typeInto(headline.getByRole('textbox'), page, 'Spring is here, ');
      await headline.getByRole('button', { name: 'Insert field' }).click();
      await headline.getByLabel('Contact field', { exact: true }).selectOption('contact.firstName');
      await headline.getByLabel('Fallback when it is empty').fill('friend');
      await headline.getByRole('button', { name: 'Insert', exact: true }).click();
      await eventually(() => headline.locator('.chip').textContent()).toBe('First name · or “friend”');
      await eventually(() => previewText(page)).toContain('Spring is here, Ana');

      // The link policy as you type, then a one-click fix.
      const cta = page.locator('[data-slot="hero/cta"]');
      await cta.getByLabel('Web address').fill('https://elsewhere.example/x');
      await eventually(() => cta.locator('.policy').textContent()).toContain('not an approved domain');
      await cta.getByLabel('Web address').fill('https://northwind.example/spring');
      await eventually(() => cta.locator('.policy').textContent()).toContain('approved domain');
      const fix = cta.getByRole('button', { name: 'Add utm_source' });
      await fix.click();
      await eventually(() => cta.locator('.finding').count()).toBe(0);

      // Article: a title and an approved image (the library shows only what DACH may use today).
      await page.getByRole('button', { name: 'Article', exact: true }).click();
      await typeInto(page.locator('[data-slot="article/title"]').getByRole('textbox'), page, 'Three trails for May');
      const photo = page.locator('[data-slot="article/photo"]');
      await photo.getByRole('button', { name: 'Choose from the brand library' }).click();
      await eventually(() => photo.locator('details summary').textContent()).toContain('2 images not available');
      await photo.getByRole('radio', { name: /trail-spring/ }).click();
      await eventually(() => photo.locator('input[id$="-alt"]').inputValue()).toBe('Hikers on a spring trail');

      // Compose: a second article, moved with the Move menu, announced.
      await page.getByLabel('Add a module').selectOption('article');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('button', { name: 'Move Article 1', exact: true }).click();
      await page.getByRole('menuitem', { name: 'Move down' }).click();
      await eventually(() => page.getByRole('status').filter({ hasText: 'moved to position' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Remove Article 1', exact: true }).click();

      await eventually(() => page.locator('#hs-submit').isEnabled()).toBe(true);
      await screen(page, 'editor');

      // A second locale, translated through the assistant (findings shown first).
      await page.getByLabel('Locale to add').selectOption('de');
      await page.getByRole('button', { name: 'Add locale' }).click();
      await page.getByRole('tab', { name: /de/ }).waitFor();
      await page.getByRole('button', { name: 'Translate from en' }).click();
      await page.getByRole('button', { name: 'Use the translation' }).click();
      await eventually(() => previewText(page)).toContain('Der Frühling ist da, Ana');
      await screen(page, 'editor-locale');

      await page.locator('#hs-submit').click();
      await eventually(() => page.getByText('In review', { exact: true }).count()).toBeGreaterThan(0);

      // The reviewer's inbox and panel: a comment on the headline, changes requested.
      await page.evaluate((reviewer) => {
        window.hubspoke.mount('inbox', reviewer);
      }, REVIEWER);
      await page.getByRole('heading', { name: 'Waiting for your review' }).waitFor();
      await screen(page, 'inbox');
      await page.getByRole('button', { name: 'Review May newsletter' }).click();
      await page.getByRole('heading', { name: 'Decision' }).waitFor();
      await page.getByLabel('Comment on').selectOption('hero/headline');
      await page.getByLabel('Comment', { exact: true }).fill('Shorter, please: drop “is here”.');
      await page.getByRole('button', { name: 'Add comment' }).click();
      await eventually(() => page.locator('.comment').count()).toBe(1);
      await page.getByRole('radio', { name: 'Request changes' }).check();
      await page.getByLabel(/Reason/).fill('See the comment on the headline');
      await screen(page, 'review');
      await page.getByRole('button', { name: 'Record decision' }).click();
      await eventually(() => page.getByText('Changes requested', { exact: true }).count()).toBeGreaterThan(0);

      // The spoke sees the comment on its slot, fixes, resolves, resubmits.
      await page.evaluate(
        ([spoke, id]) => {
          window.hubspoke.mount('editor', spoke ?? '', id);
        },
        [SPOKE, draftId],
      );
      await page.getByRole('button', { name: /Resubmit for review/ }).waitFor();
      await eventually(() => page.locator('#hs-submit-reason').textContent()).toContain('comment');
      await page.getByRole('button', { name: 'Hero', exact: true }).click();
      const again = page.locator('[data-slot="hero/headline"]');
      await eventually(() => again.locator('.comment').textContent()).toContain('Shorter, please');
      await again.getByRole('textbox', { name: /Headline/ }).click({ position: { x: 6, y: 12 } });
      await page.keyboard.press('Home');
      for (const _ of 'Spring is here') await page.keyboard.press('Delete');
      await page.keyboard.type('Spring');
      await again.getByRole('button', { name: 'Resolve' }).click();
      await screen(page, 'editor-returned');
      await eventually(() => page.locator('#hs-submit').isEnabled()).toBe(true);
      await page.locator('#hs-submit').click();
      await eventually(() => page.getByText('In review', { exact: true }).count()).toBeGreaterThan(0);

      // The reviewer compares the rounds and approves.
      const submissionId = await page.evaluate(
        async ([spoke, id]) => (await window.hubspoke.hub.as(spoke ?? '').draft(id ?? '')).submissionId,
        [SPOKE, draftId],
      );
      await page.evaluate(
        ([reviewer, id]) => {
          window.hubspoke.mount('review', reviewer ?? '', id);
        },
        [REVIEWER, submissionId],
      );
      await page.getByRole('tab', { name: /Changes since round 1/ }).click();
      const row = page.locator('table.diff tbody tr').filter({ hasText: 'Hero › headline' }).first();
      await eventually(() => row.locator('del').allTextContents()).toContainEqual(expect.stringContaining('Spring is'));
      await eventually(() => row.locator('ins').count()).toBeGreaterThan(0);
      await screen(page, 'diff');
      await page.getByRole('tab', { name: 'Review' }).click();
      await page.getByRole('radio', { name: 'Approve', exact: true }).check();
      await page.getByRole('button', { name: 'Record decision' }).click();
      await eventually(() => page.getByText('Approved', { exact: true }).count()).toBeGreaterThan(0);

      // Approved: read-only until a new version.
      await page.evaluate(
        ([spoke, id]) => {
          window.hubspoke.mount('editor', spoke ?? '', id);
        },
        [SPOKE, draftId],
      );
      await page.getByRole('button', { name: 'Start a new version' }).waitFor();
      await page.getByRole('button', { name: 'Hero', exact: true }).click();
      await expect
        .poll(() => page.locator('[data-slot="hero/headline"] .pm').getAttribute('contenteditable'))
        .toBe('false');
      await screen(page, 'approved');

      // Pushed from the app, then a new version, editable again (by keyboard).
      await page.getByRole('button', { name: 'Push to the ESP' }).click();
      await eventually(() => page.getByRole('status').filter({ hasText: 'Pushed through memory' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Start a new version' }).focus();
      await page.keyboard.press('Enter');
      await eventually(() => page.locator('#hs-submit').count()).toBe(1);
      await expect
        .poll(() => page.locator('[data-slot="hero/headline"] .pm').getAttribute('contenteditable'))
        .toBe('true');
      expect(pageErrors(page)).toEqual([]);
    }, 900_000); // a whole story of clicks; the shared default (180 s) is for single steps
  },
);
