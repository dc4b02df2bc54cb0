// Two people edit the same draft in Chromium against this server: the one whose save is stale gets a
// 412, sees the conflict banner (nothing typed is lost) and resolves it by keyboard, either taking
// the saved version or keeping theirs.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserStage,
  eventually,
  openDraft,
  openModule,
  screen,
  skipBrowserTest,
  typeInto,
  type BrowserStage,
} from './browser-support.js';

const skip = await skipBrowserTest('editor conflict test');

describe.skipIf(skip)('a stale save in Chromium: the 412 conflict banner, then reload or keep mine', () => {
  let stage: BrowserStage;
  const stale: string[] = [];

  beforeAll(async () => {
    stage = await browserStage({
      prepare: async ({ hub }) =>
        hub.createDraft(await hub.principal('lena'), {
          id: 'two-editors',
          name: 'Two editors',
          template: { id: 'seasonal-newsletter' },
        }),
    });
  });
  afterAll(() => stage.close());

  /** A person's editor on the draft; a 412 to their save is noted in `stale`, not an error. */
  async function open(person: string, name: RegExp): Promise<Page> {
    const page = await stage.signIn(person, name, (r) => {
      const conflict = r.status() === 412 && r.request().method() === 'PUT';
      if (conflict) stale.push(person);
      return conflict;
    });
    await openDraft(page, stage.url, 'two-editors', 'Two editors');
    await openModule(page, 'Hero');
    return page;
  }

  const field = (page: Page, slot: string) => page.locator(`[data-slot="hero/${slot}"]`).getByRole('textbox');
  const saved = async () =>
    (await stage.example.hub.getDraft(await stage.example.hub.principal('lena'), 'two-editors')).draft.content['en-US']
      ?.slots;

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
    await screen(ravi, 'server-conflict');

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
    expect(stage.errors).toEqual([]);
  }, 600_000);
});
