import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, SKIP_REASON, launch, serveHarness } from './browser.js';
import { SPOKE, axe, openHarness, pageErrors, previewText } from './page.js';

/** Waits for the page to catch up (a loaded machine is slow; this only bounds a hang). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 100 });

if (!CHROMIUM) console.warn(`editor browser tests skipped: ${SKIP_REASON}`);

describe.skipIf(!CHROMIUM)('<hubspoke-editor> in Chromium (needs HUBSPOKE_TEST_CHROMIUM)', () => {
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

  async function newDraft(page: Page): Promise<string> {
    const id = await page.evaluate(async (spoke) => {
      const record = await window.hubspoke.hub
        .as(spoke)
        .createDraft({ templateId: 'newsletter', name: 'May newsletter' });
      window.hubspoke.mount('editor', spoke, record.draft.id);
      return record.draft.id;
    }, SPOKE);
    await page.getByRole('heading', { name: 'May newsletter' }).waitFor();
    return id;
  }

  it('edits a text slot: preview and checks follow each keystroke', async () => {
    const page = await openHarness(browser, url);
    await newDraft(page);
    await page.getByRole('button', { name: 'Hero', exact: true }).click();
    const headline = page.getByRole('textbox', { name: /Headline/ });
    await headline.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('So cheap it hurts');
    await eventually(() => previewText(page)).toContain('So cheap it hurts');
    await eventually(() => page.locator('[data-slot="hero/headline"] .finding.error').count()).toBeGreaterThan(0);
    await expect(page.locator('#hs-submit').isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: '.reports/editor.png', fullPage: false });
    const violations = await axe(page);
    expect(violations).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });
});
