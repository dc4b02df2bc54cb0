// Two people edit the same draft in Chromium against this server: the one whose save is stale gets a
// 412, sees the conflict banner (nothing typed is lost) and resolves it by keyboard, either taking
// the saved version or keeping theirs.
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp, type HubspokeServerApp } from './app.js';
import { listen, type RunningServer } from './serve.js';
import { findWebApp } from './web-app.js';
import { exampleHub, type ExampleHub } from './test-support.js';

const CHROMIUM = process.env.HUBSPOKE_TEST_CHROMIUM;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
// Screenshots go to .reports/ on every run; HUBSPOKE_UPDATE_SCREENSHOTS=1 refreshes the README's copies.
const SHOTS = new URL(
  process.env.HUBSPOKE_UPDATE_SCREENSHOTS === '1' ? '../docs/screenshots/' : '../.reports/screenshots/',
  import.meta.url,
).pathname;
const webApp = await findWebApp();
const skip = CHROMIUM === undefined || webApp === undefined;
if (skip) console.warn('editor conflict test skipped: needs HUBSPOKE_TEST_CHROMIUM and a built @hubspoke/editor');

/** Waits for the page to catch up (a loaded machine is slow; this only bounds a hang). */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 150 });

describe.skipIf(skip)('a stale save in Chromium: the 412 conflict banner, then reload or keep mine', () => {
  let example: ExampleHub;
  let server: HubspokeServerApp;
  let running: RunningServer;
  let browser: Browser;
  const errors: string[] = [];
  const stale: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    example = await exampleHub('pglite');
    await example.hub.createDraft(await example.hub.principal('lena'), {
      id: 'two-editors',
      name: 'Two editors',
      template: { id: 'seasonal-newsletter' },
    });
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

  async function open(person: string, name: RegExp): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`${person}: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() === 412 && r.request().method() === 'PUT') stale.push(person);
      else if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/editor/context')))
        errors.push(`${person}: ${String(r.status())} ${r.url()}`);
    });
    await page.goto(`${running.url}/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`${running.url}/#/drafts/two-editors`);
    await page.getByRole('heading', { name: 'Two editors' }).waitFor();
    const hero = page.getByRole('button', { name: 'Hero', exact: true });
    if ((await hero.getAttribute('aria-expanded')) !== 'true') await hero.click();
    return page;
  }

  async function typeInto(box: Locator, page: Page, text: string): Promise<void> {
    await box.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  }

  const field = (page: Page, slot: string) => page.locator(`[data-slot="hero/${slot}"]`).getByRole('textbox');
  const saved = async () =>
    (await example.hub.getDraft(await example.hub.principal('lena'), 'two-editors')).draft.content['en-US']?.slots;

  it('the stale editor sees the banner, takes the saved version, edits again; the other keeps theirs', async () => {
    const lena = await open('lena', /Lena Vogel/);
    const ravi = await open('ravi', /Ravi Shah/);

    await typeInto(field(lena, 'headline'), lena, 'Lena was here first');
    await eventually(() => lena.getByText('All changes saved').count()).toBe(1);

    // Ravi edits the version he loaded: his save is 412, and the banner says so; his text is still there.
    await typeInto(field(ravi, 'subline'), ravi, 'Ravi edits an old copy');
    const banner = ravi.getByRole('alert').filter({ hasText: 'Someone else saved this draft.' });
    await banner.waitFor();
    expect(stale).toContain('ravi');
    expect(await field(ravi, 'subline').textContent()).toContain('Ravi edits an old copy');
    await eventually(() => ravi.locator('#hs-submit-reason').textContent()).toContain('conflicting save');
    await ravi.evaluate('window.scrollTo(0, 0)');
    await ravi.waitForTimeout(300);
    await ravi.screenshot({ path: `${SHOTS}server-conflict.png` });
    const axe = await new AxeBuilder({ page: ravi })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .options({ iframes: false })
      .setLegacyMode(true)
      .analyze();
    expect(axe.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);

    // Reload: he takes the saved version (by keyboard), sees Lena's headline, and edits on top of it.
    await banner.getByRole('button', { name: 'Use the saved version' }).focus();
    await ravi.keyboard.press('Enter');
    await eventually(() => banner.count()).toBe(0);
    await eventually(() => field(ravi, 'headline').textContent()).toContain('Lena was here first');
    await typeInto(field(ravi, 'subline'), ravi, 'Ravi on top of Lena');
    await eventually(() => ravi.getByText('All changes saved').count()).toBe(1);
    await eventually(async () => await saved()).toMatchObject({
      hero: {
        headline: expect.stringContaining('Lena was here first'),
        subline: expect.stringContaining('Ravi on top of Lena'),
      },
    });

    // Now Lena's copy is stale: she keeps her version over his (by keyboard), and it is saved.
    const before = stale.length;
    await typeInto(field(lena, 'headline'), lena, 'Lena keeps hers');
    const hers = lena.getByRole('alert').filter({ hasText: 'Someone else saved this draft.' });
    await hers.waitFor();
    expect(stale.slice(before)).toContain('lena');
    await hers.getByRole('button', { name: 'Keep my version' }).focus();
    await lena.keyboard.press('Enter');
    await eventually(() => hers.count()).toBe(0);
    await eventually(() => lena.getByText('All changes saved').count()).toBe(1);
    await eventually(async () => (await saved())?.hero?.headline).toEqual(expect.stringContaining('Lena keeps hers'));
    expect(errors).toEqual([]);
  }, 600_000);
});
