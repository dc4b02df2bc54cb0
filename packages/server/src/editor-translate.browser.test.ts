// A locale tab's "translate" in Chromium against this server: the hub's assistant (the offline
// provider, no network) translates, the panel shows the pre-lint before anything is used, and
// "Use the translation" fills the locale, which is saved.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp, type HubspokeServerApp } from './app.js';
import { listen, type RunningServer } from './serve.js';
import { findWebApp } from './web-app.js';
import { exampleHub, type ExampleHub } from './test-support.js';

const CHROMIUM = process.env.HUBSPOKE_TEST_CHROMIUM;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const webApp = await findWebApp();
const skip = CHROMIUM === undefined || webApp === undefined;
if (skip) console.warn('editor translate test skipped: needs HUBSPOKE_TEST_CHROMIUM and a built @hubspoke/editor');

/** Waits for the page to catch up (a loaded machine is slow; this only bounds a hang). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 150 });

describe.skipIf(skip)('translating a locale in Chromium through the hub server', () => {
  let example: ExampleHub;
  let server: HubspokeServerApp;
  let running: RunningServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    example = await exampleHub('pglite', { env: { HUBSPOKE_AI_PROVIDER: 'offline' } });
    const lena = await example.hub.principal('lena');
    const { draft } = await example.hub.createDraft(lena, {
      id: 'to-translate',
      name: 'To translate',
      template: { id: 'seasonal-newsletter' },
    });
    const en = draft.content['en-US'] ?? { slots: {} };
    // At the template's 60-character limit: the offline pseudo-translation's brackets make it too long.
    const subject = 'Our Austin store is open: packs, boots and free pack fitting';
    await example.hub.saveDraft(
      lena,
      { ...draft, content: { ...draft.content, 'en-US': { ...en, subject } } },
      { expectedVersion: 1 },
    );
    server = await createServerApp({ hub: example.hub, dev: true, log: () => undefined });
    running = await listen(server, { host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM ?? '', args: ARGS });
  });
  afterAll(async () => {
    await browser.close();
    await running.close();
    await server.close();
    await example.cleanup();
  });

  it('shows the brand check first, then the translation is used and saved', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/editor/context')))
        errors.push(`${String(r.status())} ${r.url()}`);
    });
    await page.goto(`${running.url}/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Lena Vogel/ }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`${running.url}/#/drafts/to-translate`);
    await page.getByRole('heading', { name: 'To translate' }).waitFor();

    await page.getByLabel('Locale to add').selectOption('de-DE');
    await page.getByRole('button', { name: 'Add locale' }).click();
    await page.getByRole('tab', { name: /de-DE/, selected: true }).waitFor();
    await page.getByRole('button', { name: 'Translate from en-US' }).click();
    const panel = page.getByRole('region', { name: 'Translation en-US → de-DE' });
    // The pre-lint shows before anything is used: the translated subject is over its limit.
    await eventually(() => panel.locator('.badge').first().textContent()).toMatch(/finding/);
    await eventually(() => panel.locator('.finding').allTextContents()).toContainEqual(
      expect.stringMatching(/more than the 60 allowed/),
    );
    await panel.getByRole('button', { name: 'Use the translation' }).click();
    await eventually(() => page.getByText('All changes saved').count()).toBe(1);
    await eventually(
      async () =>
        (await example.hub.getDraft(await example.hub.principal('lena'), 'to-translate')).draft.content['de-DE']
          ?.subject,
    ).toMatch(/^\[Óúr Áústíñ/);
    expect(errors).toEqual([]);
  }, 300_000);
});
