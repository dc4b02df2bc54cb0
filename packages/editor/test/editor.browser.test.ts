import { readFileSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
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
  let outDir: string;

  beforeAll(async () => {
    ({ url, server, outDir } = await serveHarness());
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

  it("the lint worker imports the page's chunks: template-engine's fill path and zod are built once", () => {
    // As the app is built (vite.config.ts, lintWorkerChunk); a worker bundled apart repeated both.
    const assets = path.join(outDir, 'assets');
    const js = readdirSync(assets).filter((name) => name.endsWith('.js'));
    const holding = (marker: string) =>
      js.filter((name) => readFileSync(path.join(assets, name), 'utf8').includes(marker));
    expect(holding('but renders with version')).toHaveLength(1); // template-engine's render session
    expect(holding('$constructor("$ZodError"')).toHaveLength(1); // zod
    expect(js.some((name) => name.startsWith('lint-worker'))).toBe(true);
  });

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

  it('a keystroke patches the frames on screen at once; the one off screen catches up and equals a full render', async () => {
    const page = await openHarness(browser, url);
    await newDraft(page);
    const frameTexts = () =>
      page
        .locator('iframe.email')
        .evaluateAll((list) =>
          list.map((frame) => (frame as HTMLIFrameElement).contentDocument?.documentElement.outerHTML ?? ''),
        );
    await page.getByRole('button', { name: 'Hero', exact: true }).click();
    await page.getByRole('textbox', { name: /Headline/ }).click();
    await page.keyboard.press('Control+A');
    // At the top of the page the 375 px frame (below the 600 px one) is off screen.
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await expect
      .poll(() =>
        page
          .locator('iframe.email')
          .nth(1)
          .evaluate((f) => f.getBoundingClientRect().top > innerHeight),
      )
      .toBe(true);
    // What each frame shows when the preview reports the keystroke's frames updated.
    await page.evaluate(() => {
      const w = window as unknown as { atUpdate: string[][] };
      w.atUpdate = [];
      const preview = document.querySelector('hubspoke-editor')?.shadowRoot?.querySelector('hs-preview') as unknown as {
        onFramesUpdated?: () => void;
      };
      preview.onFramesUpdated = () => {
        w.atUpdate.push(
          Array.from(document.querySelector('hubspoke-editor')?.shadowRoot?.querySelectorAll('iframe') ?? [], (f) =>
            f.contentDocument?.body.textContent.includes('Quiet trails') ? 'new' : 'old',
          ),
        );
      };
    });
    await page.keyboard.type('Quiet trails');
    await eventually(frameTexts).toEqual([
      expect.stringContaining('Quiet trails'),
      expect.stringContaining('Quiet trails'),
    ]);
    // The rest of the editor follows (the counter is redrawn in the frame after the preview's).
    await eventually(() => page.locator('[data-slot="hero/headline"] .counter').textContent()).toMatch(/^12 \//);
    const atUpdate = await page.evaluate(() => (window as unknown as { atUpdate: string[][] }).atUpdate);
    // The last keystroke's update: the frame on screen had it, the one off screen did not yet.
    expect(atUpdate.at(-1)).toEqual(['new', 'old']);
    const patched = await frameTexts();
    // A full render of the same HTML (dark, then light again: each morphs the whole document).
    await page.getByRole('radio', { name: 'Dark', exact: true }).check();
    await eventually(frameTexts).not.toEqual(patched);
    await page.getByRole('radio', { name: 'Light', exact: true }).check();
    await eventually(frameTexts).toEqual(patched);
    expect(pageErrors(page)).toEqual([]);
  });

  it('dark preview: after one-slot patches both frames equal a full dark render', async () => {
    const page = await openHarness(browser, url);
    await newDraft(page);
    // Each frame's document, with the focus outline left out and whitespace collapsed.
    const frames = () =>
      page.locator('iframe.email').evaluateAll((list) =>
        list.map((frame) => {
          const doc = (frame as HTMLIFrameElement).contentDocument;
          if (!doc) return '';
          const copy = doc.documentElement.cloneNode(true) as HTMLElement;
          for (const el of Array.from(copy.querySelectorAll<HTMLElement>('[data-hs-focus]'))) {
            el.removeAttribute('data-hs-focus');
            el.style.removeProperty('outline');
            el.style.removeProperty('outline-offset');
            if (el.getAttribute('style') === '') el.removeAttribute('style');
          }
          return copy.outerHTML.replace(/\s+/g, ' ');
        }),
      );
    const dark = page.getByRole('radio', { name: 'Dark', exact: true });
    await dark.check();
    await eventually(frames).toEqual([expect.stringContaining('@media all'), expect.stringContaining('@media all')]);
    await page.getByRole('button', { name: 'Hero', exact: true }).click();
    await page.getByRole('textbox', { name: /Headline/ }).click();
    await page.keyboard.press('Control+A');
    // The last keystrokes are one-slot patches; the text has what the dark preview rewrites.
    await page.keyboard.type('Try @media (prefers-color-scheme: dark)!');
    await eventually(() => previewText(page)).toMatch(/Try @media (all|\(prefers-color-scheme: dark\))!/);
    // The frame off screen (375 px, below the fold) catches up when typing pauses.
    const typed = /Try @media (all|\(prefers-color-scheme: dark\))!/;
    await eventually(frames).toEqual([expect.stringMatching(typed), expect.stringMatching(typed)]);
    const patched = await frames();
    // A full render of the same HTML: light, then dark again (each morphs the whole document).
    await page.getByRole('radio', { name: 'Light', exact: true }).check();
    await eventually(frames).not.toEqual(patched);
    await dark.check();
    await eventually(frames).toEqual(patched);
    expect(pageErrors(page)).toEqual([]);
  });
});
