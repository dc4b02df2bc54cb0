import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { brandKit, hubInfo, newsletter, nodeSkeletons, NOW, viewers } from './fixtures/demo.js';

export const SPOKE = 'lena@northwind.example';
export const REVIEWER = 'omar@northwind.example';

/**
 * A page with the test harness, the demo hub in memory, and skeletons compiled by mjml in this process.
 * `extra` adds to the harness's fixture (drafts, stages, a view to mount at start); `beforeLoad` runs
 * before the page is loaded (to add an init script, say).
 */
export async function openHarness(
  browser: Browser,
  url: string,
  extra: Record<string, unknown> = {},
  beforeLoad?: (page: Page) => Promise<unknown>,
): Promise<Page> {
  const template = newsletter();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  // Waits fail after two minutes instead of hanging (a loaded machine is slow, never this slow).
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The demo's image hosts do not resolve offline, and the CSP keeps the email's web font out.
    const text = m.text();
    if (m.type() === 'error' && !/ERR_NAME_NOT_RESOLVED|fonts\.googleapis\.com/.test(text)) errors.push(text);
  });
  (page as Page & { errors: string[] }).errors = errors;
  await page.exposeFunction('hubspokeSkeleton', nodeSkeletons(template));
  const fixture = {
    hub: { ...hubInfo, brandKit },
    templates: [template],
    viewers,
    now: NOW.toISOString(),
    ...extra,
  };
  await page.addInitScript((f) => {
    (window as unknown as { hubspokeFixture: unknown }).hubspokeFixture = f;
  }, fixture);
  await beforeLoad?.(page);
  await page.goto(url);
  await page.waitForFunction('"hubspoke" in window');
  return page;
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

/** WCAG 2.2 AA violations on the page (axe-core checks open shadow roots). */
export async function axe(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    // Not inside the preview frames: the email is the hub's template (template-engine checks its
    // accessibility), and the frames run no script, so axe could not run there anyway.
    .options({ iframes: false })
    .setLegacyMode(true)
    .analyze();
  return result.violations.map((v) => ({
    id: v.id,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }));
}

/** Text of the 600 px preview frame. */
export function previewText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const find = (root: Document | ShadowRoot): HTMLIFrameElement | null => {
      const direct = root.querySelector<HTMLIFrameElement>('iframe.email');
      if (direct) return direct;
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) {
          const inner = find(el.shadowRoot);
          if (inner) return inner;
        }
      }
      return null;
    };
    return find(document)?.contentDocument?.body.textContent ?? '';
  });
}
