import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHub, type Hub } from '@hubspoke/hub';
import { CHROMIUM_ARGS } from '../preview/screenshots.js';
import { startPreviewServer, type PreviewServer } from '../preview/server.js';
import { previewSource } from '../preview/source.js';
import { hubspoke, tempProject } from '../test-helpers.js';

const browserPath = process.env.HUBSPOKE_TEST_CHROMIUM;
const env = { NO_COLOR: '1' };

/** A hub whose example draft has English and German content, one warning, and a submission waiting for legal review. */
async function reviewedHub(): Promise<string> {
  const hub = await tempProject();
  expect((await hubspoke(['init'], { cwd: hub, env })).code).toBe(0);
  const file = path.join(hub, 'drafts/austin-store-opening.json');
  const draft = JSON.parse(await readFile(file, 'utf8')) as {
    content: Record<string, { subject?: string; slots: Record<string, Record<string, unknown>> }>;
  };
  const en = draft.content['en-US'];
  if (en === undefined) throw new Error('no en-US content');
  const message = en.slots['message-1'];
  if (message !== undefined) message.body = '<p>Log in to book a pack fitting at 500 Congress Avenue.</p>';
  draft.content['de-DE'] = {
    subject: 'Unser Laden in Austin ist eröffnet',
    slots: { 'message-1': { headline: 'Unser Laden in Austin ist eröffnet' } },
  };
  await writeFile(file, JSON.stringify(draft, null, 2));
  const submit = await hubspoke(['submit', 'austin-store-opening', '--as', 'jo'], { cwd: hub, env });
  expect(submit.code, submit.stderr).toBe(0);
  return hub;
}

describe.skipIf(browserPath === undefined)(
  'hubspoke preview on a real hub, in Chromium (needs HUBSPOKE_TEST_CHROMIUM)',
  () => {
    let hub: string;
    let server: PreviewServer;
    let browser: Browser;
    let local: Hub;

    beforeAll(async () => {
      hub = await reviewedHub();
      local = await loadHub({ cwd: hub, env });
      server = await startPreviewServer({
        source: await previewSource(local, 'austin-store-opening', 'lee', () => loadHub({ cwd: hub, env })),
      });
      browser = await chromium.launch({ executablePath: browserPath ?? '', args: CHROMIUM_ARGS });
    });

    afterAll(async () => {
      await browser.close();
      await server.close();
      await local.close();
    });

    it("shows the rendered draft, switches locale, highlights a finding's slot, darkens, and approves", async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(server.url);
      await page.waitForSelector('body[data-ready^="en-US|"]');
      const frame = page.frameLocator('#frame-desktop');
      expect(await frame.locator('[data-hs-slot="message-1/headline"]').first().textContent()).toContain(
        'Our Austin store is open',
      );

      await page.selectOption('#locale', 'de-DE');
      await page.waitForSelector('body[data-ready^="de-DE|"]');
      expect(await frame.locator('[data-hs-slot="message-1/headline"]').first().textContent()).toContain(
        'Unser Laden in Austin ist eröffnet',
      );

      await page.selectOption('#locale', 'en-US');
      await page.waitForSelector('body[data-ready^="en-US|"]');
      const finding = page.locator('#diagnostics button[data-slot="message-1/body"]').first();
      expect(await finding.textContent()).toContain('Use "Sign in" instead of "Log in"');
      await finding.click();
      expect(
        await frame
          .locator('[data-hs-slot="message-1/body"]')
          .first()
          .evaluate((el) => getComputedStyle(el).outlineStyle),
      ).toBe('solid');

      const light = await frame.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor);
      await page.check('input[name=scheme][value=dark]');
      await page.waitForSelector('body[data-ready$="|dark"]');
      expect(await frame.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(light);

      await page.waitForSelector('#review:not([hidden])');
      // German is a new locale, so legal reviews; Lee may also reject in that stage.
      expect(await page.textContent('#review-status')).toBe('inReview');
      expect(
        await page.locator('#decisions button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-decision'))),
      ).toContain('rejected');
      await page.click('#decisions button[data-decision="approved"]');
      await expect.poll(() => page.textContent('#review-stages')).toContain('Legal review — complete (lee: approved)');
      expect(await page.locator('#decisions button').count()).toBe(0);
      // The preview opens the embedded database only while it answers: other commands run meanwhile,
      // between its answers (on a busy machine the page may still be refreshing: try again until it is not).
      await page.waitForLoadState('networkidle');
      const statusNow = () => hubspoke(['status', 'austin-store-opening', '--as', 'hana', '--json'], { cwd: hub, env });
      let status = await statusNow();
      for (let tries = 1; tries < 10 && status.code === 5 && status.stderr.includes('is locked by another'); tries++)
        status = await statusNow();
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        stages: [{ id: 'brand' }, { id: 'legal', decisions: { lee: { decision: 'approved' } } }, { id: 'regional' }],
      });
      await page.close();
    });
  },
);

describe.skipIf(browserPath === undefined)('hubspoke preview --screenshot (needs HUBSPOKE_TEST_CHROMIUM)', () => {
  it('writes a PNG for each locale × width × scheme at the expected widths', async () => {
    const hub = await reviewedHub();
    const r = await hubspoke(['preview', 'austin-store-opening', '--screenshot', 'shots', '--json'], {
      cwd: hub,
      env: { ...env, HUBSPOKE_CHROMIUM: browserPath ?? '' },
    });
    expect(r.code, r.stderr).toBe(0);
    const shots = (
      JSON.parse(r.stdout) as { screenshots: { file: string; width: number; locale: string; scheme: string }[] }
    ).screenshots;
    expect(shots.map((s) => `${s.locale}-${s.width}-${s.scheme}`).sort()).toEqual([
      'de-DE-375-dark',
      'de-DE-375-light',
      'de-DE-600-dark',
      'de-DE-600-light',
      'en-US-375-dark',
      'en-US-375-light',
      'en-US-600-dark',
      'en-US-600-light',
    ]);
    for (const shot of shots) {
      const png = await readFile(shot.file);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(shot.width);
    }
  });
});
