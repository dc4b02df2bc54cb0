// A locale tab's "translate" in Chromium against this server: the hub's assistant (the offline
// provider, no network) translates, the panel shows the pre-lint before anything is used, and
// "Use the translation" fills the locale, which is saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserStage, eventually, openDraft, skipBrowserTest, type BrowserStage } from './browser-support.js';

const skip = await skipBrowserTest('editor translate test');

describe.skipIf(skip)('translating a locale in Chromium through the hub server', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage({
      env: { HUBSPOKE_AI_PROVIDER: 'offline' },
      prepare: async ({ hub }) => {
        const lena = await hub.principal('lena');
        const { draft } = await hub.createDraft(lena, {
          id: 'to-translate',
          name: 'To translate',
          template: { id: 'seasonal-newsletter' },
        });
        const en = draft.content['en-US'] ?? { slots: {} };
        // At the template's 60-character limit: the offline pseudo-translation's brackets make it too long.
        const subject = 'Our Austin store is open: packs, boots and free pack fitting';
        await hub.saveDraft(
          lena,
          { ...draft, content: { ...draft.content, 'en-US': { ...en, subject } } },
          { expectedVersion: 1 },
        );
      },
    });
  });
  afterAll(() => stage.close());

  it('shows the brand check first, then the translation is used and saved', async () => {
    const page = await stage.signIn('lena', /Lena Vogel/);
    await openDraft(page, stage.url, 'to-translate', 'To translate');

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
    const { hub } = stage.example;
    await eventually(
      async () => (await hub.getDraft(await hub.principal('lena'), 'to-translate')).draft.content['de-DE']?.subject,
    ).toMatch(/^\[Óúr Áústíñ/);
    expect(stage.errors).toEqual([]);
  }, 300_000);
});
