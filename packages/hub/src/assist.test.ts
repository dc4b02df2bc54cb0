import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeHub } from './__fixtures__/hubs.js';
import { assistCapabilities, assistProviderName } from './assist.js';
import type { Hub } from './hub.js';

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
      translate: false,
    });
    expect(() => assistProviderName({ HUBSPOKE_AI_PROVIDER: 'gpt' })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'HUBSPOKE_AI_PROVIDER' }),
    );
  });
});

describe('subject lines and alt text through the hub (offline provider, PGlite store)', () => {
  let hub: Hub;
  let bare: Hub;
  let cleanup: () => Promise<void>;
  let cleanupBare: () => Promise<void>;
  const as = (id: string) => hub.principal(id);

  beforeAll(async () => {
    ({ hub, cleanup } = await storeHub('pglite', { HUBSPOKE_AI_PROVIDER: 'offline' }));
    ({ hub: bare, cleanup: cleanupBare } = await storeHub('pglite'));
  });
  afterAll(async () => {
    await cleanup();
    await cleanupBare();
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
});
