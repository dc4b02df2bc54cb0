// Shared by the browser tests (*.browser.test.ts): the example hub served over HTTP with its web app,
// Chromium, and people signed in through the dev page, each in a browser context of their own.
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page, type Response } from 'playwright-core';
import { expect } from 'vitest';
import { createServerApp, type HubspokeServerApp } from './app.js';
import { listen, type RunningServer } from './serve.js';
import { exampleHub, type ExampleHub } from './test-support.js';
import { findWebApp } from './web-app.js';

const CHROMIUM = process.env.HUBSPOKE_TEST_CHROMIUM;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
// Screenshots go to .reports/ on every run; HUBSPOKE_UPDATE_SCREENSHOTS=1 refreshes the README's copies.
const SHOTS = new URL(
  process.env.HUBSPOKE_UPDATE_SCREENSHOTS === '1' ? '../docs/screenshots/' : '../.reports/screenshots/',
  import.meta.url,
).pathname;

/** Headless Chromium from HUBSPOKE_TEST_CHROMIUM (skip the test when it is unset). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM ?? '', args: ARGS });
}

/** Whether the browser test `what` must be skipped here (it says why once): no Chromium, or no built web app. */
export async function skipBrowserTest(what: string): Promise<boolean> {
  const reason =
    CHROMIUM === undefined
      ? 'set HUBSPOKE_TEST_CHROMIUM (e.g. /usr/bin/chromium)'
      : (await findWebApp()) === undefined
        ? 'build @hubspoke/editor (its web app)'
        : undefined;
  if (reason !== undefined) console.warn(`${what} skipped: ${reason}`);
  return reason !== undefined;
}

/** Waits for the page to catch up (a loaded machine is slow; this only bounds a hang). */
export function eventually<T>(fn: () => Promise<T> | T): ReturnType<typeof expect.poll<T>> {
  return expect.poll(fn, { timeout: 60_000, interval: 150 });
}

export interface BrowserStage {
  example: ExampleHub;
  /** The server's address, `http://127.0.0.1:<port>`. */
  url: string;
  browser: Browser;
  /** What went wrong in any page: page errors, console errors, responses of 400 and above (not expected ones). */
  errors: string[];
  /**
   * A browser of one person: a context of their own (their cookie), signed in through the dev page by
   * the button named `name`. `expected` claims responses that are not errors (the 401 before sign-in always is).
   */
  signIn(person: string, name: RegExp, expected?: (response: Response) => boolean): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The example hub on PGlite (`prepare` sets it up), served in dev mode on a free loopback port,
 * and Chromium. Start it in `beforeAll`, close it in `afterAll`.
 */
export async function browserStage(
  options: { env?: Record<string, string | undefined>; prepare?: (example: ExampleHub) => Promise<unknown> } = {},
): Promise<BrowserStage> {
  const example = await exampleHub('pglite', { env: options.env ?? {} });
  await options.prepare?.(example);
  const server: HubspokeServerApp = await createServerApp({ hub: example.hub, dev: true, log: () => undefined });
  const running: RunningServer = await listen(server, { host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  const errors: string[] = [];
  return {
    example,
    url: running.url,
    browser,
    errors,
    async signIn(person, name, expected = () => false) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      context.setDefaultTimeout(120_000);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`${person}: ${e.message}`));
      page.on('console', (m) => {
        // The example's image hosts do not resolve offline; failed responses are checked below, with their URL.
        if (m.type() === 'error' && !/ERR_NAME_NOT_RESOLVED|Failed to load resource/.test(m.text()))
          errors.push(`${person}: ${m.text()}`);
      });
      page.on('response', (r) => {
        const beforeSignIn = r.status() === 401 && r.url().endsWith('/api/editor/context');
        if (r.status() >= 400 && !beforeSignIn && !expected(r))
          errors.push(`${person}: ${String(r.status())} ${r.url()}`);
      });
      await page.goto(`${running.url}/`);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByRole('button', { name }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await running.close();
      await server.close();
      await example.cleanup();
    },
  };
}

/** Goes to a draft's editor and waits for its heading. */
export async function openDraft(page: Page, url: string, id: string, name: string): Promise<void> {
  await page.goto(`${url}/#/drafts/${id}`);
  await page.getByRole('heading', { name }).waitFor();
}

/** Opens a module's card (a second click would close it). */
export async function openModule(page: Page, name: string): Promise<void> {
  const toggle = page.getByRole('button', { name, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Replaces the text of a box by typing, as a person would. */
export async function typeInto(box: Locator, page: Page, text: string): Promise<void> {
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** A screen: a screenshot (for the README), then no WCAG 2.2 AA violation. */
export async function screen(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(300); // frames lay out for the picture (the checks before already waited)
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png` });
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    // Only violations are asserted: passes and incomplete results are not gathered node by node (faster on a big page).
    .options({ iframes: false, resultTypes: ['violations'] })
    .setLegacyMode(true)
    .analyze();
  expect(
    result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })),
    `axe on ${name}`,
  ).toEqual([]);
}
