import { afterAll, describe, expect, it } from 'vitest';
import { useStoreHub } from './__fixtures__/hubs.js';
import { assistCapabilities, assistProviderName } from './assist.js';
import { openHub, type Hub } from './hub.js';

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('the hub configures its assistant from its environment', () => {
  it('offers assistance only with HUBSPOKE_AI_PROVIDER, and refuses an unknown provider naming the variable', () => {
    expect(assistCapabilities({})).toEqual({ subjects: false, altText: false, translate: false });
    expect(assistCapabilities({ HUBSPOKE_AI_PROVIDER: 'offline' })).toEqual({
      subjects: true,
      altText: true,
      translate: true,
    });
    expect(() => assistProviderName({ HUBSPOKE_AI_PROVIDER: 'gpt' })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'HUBSPOKE_AI_PROVIDER' }),
    );
  });
});

describe('subject lines and alt text through the hub (offline provider, PGlite store)', () => {
  let hub: Hub;
  // The same store without an assist provider in its environment.
  let bare: Hub;
  const as = (id: string) => hub.principal(id);

  useStoreHub(
    async (opened) => {
      ({ hub } = opened);
      bare = await openHub({ database: opened.database, env: {} });
    },
    'pglite',
    { HUBSPOKE_AI_PROVIDER: 'offline' },
  );
  afterAll(async () => {
    await bare.close();
  });

  it('suggests subject lines for a draft its editor may edit, each with the brand check, and refuses others', async () => {
    const { draft } = await hub.getDraft(await as('jo'), 'austin-store-opening');
    const items = await hub.suggestSubjects(await as('jo'), { draft, locale: draft.defaultLocale, count: 3 });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.text.trim()).not.toBe('');
      expect(item.passed).toBe(!item.diagnostics.some((d) => d.severity === 'error'));
    }
    expect(items.some((i) => i.passed)).toBe(true);
    // A subject with a banned word: its variants that keep the word are refused by the brand rules, and say so.
    const cheap = {
      ...draft,
      content: {
        ...draft.content,
        [draft.defaultLocale]: { ...draft.content[draft.defaultLocale], subject: 'Cheap tents, cheap deals' },
      },
    };
    const checked = await hub.suggestSubjects(await as('jo'), { draft: cheap, locale: draft.defaultLocale, count: 3 });
    for (const item of checked.filter((i) => /cheap/i.test(i.text)))
      expect(item.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(
      await rejection(hub.suggestSubjects(await as('lena'), { draft, locale: draft.defaultLocale })),
    ).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    expect(await rejection(hub.suggestSubjects(await as('jo'), { draft: { id: 'x' }, locale: 'en-US' }))).toMatchObject(
      {
        code: 'E_VALIDATION',
      },
    );
    expect(
      await rejection(bare.suggestSubjects(await bare.principal('jo'), { draft, locale: draft.defaultLocale })),
    ).toMatchObject({ code: 'E_UNSUPPORTED' });
  });

  it('suggests alt text for one image slot (the template default when the draft has none there)', async () => {
    const { draft } = await hub.createDraft(await as('jo'), {
      id: 'assist-news',
      name: 'News',
      template: { id: 'seasonal-newsletter' },
    });
    const template = await hub.template(draft.template.id, draft.template.version);
    const withImage = draft.modules
      .map((m) => ({
        m,
        slot: template.modules.find((d) => d.id === m.moduleId)?.slots.find((s) => s.kind === 'image'),
      }))
      .find((x) => x.slot !== undefined);
    expect(withImage).toBeDefined();
    const instanceId = withImage?.m.instanceId ?? '';
    const slotId = withImage?.slot?.id ?? '';
    const items = await hub.suggestAltText(await as('jo'), {
      draft,
      locale: draft.defaultLocale,
      instanceId,
      slotId,
      image: { src: 'https://cdn.northwind.example/assets/red-canoe-on-lake.jpg' },
    });
    expect(items.length).toBe(1);
    expect(items[0]?.text.toLowerCase()).toContain('canoe');
    expect(
      await rejection(
        hub.suggestAltText(await as('jo'), { draft, locale: draft.defaultLocale, instanceId: 'nope', slotId: 'nope' }),
      ),
    ).toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('translates one locale from another, pre-linted, keeping tokens and the text the target has', async () => {
    const { draft } = await hub.getDraft(await as('jo'), 'austin-store-opening');
    const from = draft.defaultLocale;
    const source = draft.content[from]!;
    // The target already has its own headline: kept; the rest is translated.
    const withGerman = {
      ...draft,
      content: { ...draft.content, 'de-DE': { slots: { 'message-1': { headline: 'Unser Laden in Austin' } } } },
    };
    const result = await hub.translateLocale(await as('jo'), { draft: withGerman, from, to: 'de-DE' });
    expect(result.content.slots['message-1']?.headline).toBe('Unser Laden in Austin');
    expect(result.content.subject).toBeDefined();
    expect(result.content.subject).not.toBe(source.subject);
    expect(result.content.subject).toContain('{{ contact.firstName | default: "Friends" }}');
    expect(result.passed).toBe(!result.diagnostics.some((d) => d.severity === 'error'));
    for (const d of result.diagnostics) expect(d.location.locale ?? 'de-DE').toBe('de-DE');
    // Pre-linted: a subject at the template's 60-character limit comes back longer (the pseudo-translation
    // brackets it), and the brand rules run on the translated locale (this NA draft lacks its US address).
    const full = {
      ...draft,
      content: {
        ...draft.content,
        [from]: { ...source, subject: 'Our Austin store is open: packs, boots and free pack fitting' },
      },
    };
    const checked = await hub.translateLocale(await as('jo'), { draft: full, from, to: 'de-DE' });
    expect(checked.passed).toBe(false);
    expect(checked.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'assist/too-long',
        severity: 'error',
        location: expect.objectContaining({ locale: 'de-DE', field: 'subject' }),
      }),
    );
    expect(checked.diagnostics).toContainEqual(
      expect.objectContaining({ ruleId: 'brand/legal-text', location: expect.objectContaining({ locale: 'de-DE' }) }),
    );
    // Refused: someone who may not edit it, the same locale, a locale without content, a hub without an assistant.
    expect(await rejection(hub.translateLocale(await as('lena'), { draft, from, to: 'de-DE' }))).toMatchObject({
      code: 'E_FORBIDDEN',
    });
    expect(await rejection(hub.translateLocale(await as('jo'), { draft, from, to: from }))).toMatchObject({
      code: 'E_VALIDATION',
      path: 'to',
    });
    expect(await rejection(hub.translateLocale(await as('jo'), { draft, from: 'fr-FR', to: 'de-DE' }))).toMatchObject({
      code: 'E_VALIDATION',
      path: 'from',
    });
    expect(await rejection(hub.translateLocale(await as('jo'), null as never))).toMatchObject({
      code: 'E_VALIDATION',
    });
    expect(
      await rejection(bare.translateLocale(await bare.principal('jo'), { draft, from, to: 'de-DE' })),
    ).toMatchObject({ code: 'E_UNSUPPORTED' });
  });
});
