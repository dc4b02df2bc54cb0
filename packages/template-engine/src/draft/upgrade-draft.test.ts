import { describe, expect, it } from 'vitest';
import { fixture, newsletter, newsletterDraft, template } from '../__fixtures__/fixtures.js';
import { upgradeDraft } from './upgrade-draft.js';
import { validateDraft } from './validate-draft.js';

const V3 = newsletter();
/** Version 4: events removed, stricter headline and photo, one article, author slot gone, subline locked, a legal module, a newly required title. */
const V4 = template(
  fixture('newsletter.mjml')
    .replace('hs-version="3"', 'hs-version="4"')
    .replace(/\s*<mj-section hs-module="events"[\s\S]*?<\/mj-section>/, '')
    .replace('hs-slot="headline" hs-kind="text" hs-max="60"', 'hs-slot="headline" hs-kind="text" hs-max="20"')
    .replace('hs-name="Article" hs-occurs="1..4"', 'hs-name="Article" hs-occurs="1..1"')
    .replace('hs-min-width="120" hs-max-width="240"', 'hs-min-width="120" hs-max-width="200"')
    .replace(' hs-slot="author" hs-kind="text" hs-max="60"', '')
    .replace(
      'hs-slot="subline" hs-kind="text" hs-max="120"',
      'hs-slot="subline" hs-kind="text" hs-max="120" hs-lock="locked"',
    )
    .replace(
      'hs-slot="title2" hs-kind="text" hs-max="30"',
      'hs-slot="title2" hs-kind="text" hs-max="30" hs-required="true"',
    )
    .replace(
      '<mj-section hs-module="footer"',
      '<mj-section hs-module="legal" hs-occurs="1..1" hs-lock="locked"><mj-column><mj-text>Legal notice</mj-text></mj-column></mj-section>\n    <mj-section hs-module="footer"',
    ),
);

describe('upgradeDraft', () => {
  it('keeps compatible content and reports precisely what was dropped, reset or newly required', () => {
    const draft = newsletterDraft(V3);
    const { draft: upgraded, diagnostics } = upgradeDraft(draft, V3, V4);
    expect(upgraded.template).toEqual({ id: 'newsletter', version: 4 });
    expect(upgraded.version).toBe(draft.version + 1);
    expect(upgraded.modules.map((m) => m.instanceId)).toEqual([
      'header',
      'hero',
      'intro',
      'features',
      'article',
      'quote',
      'promo',
      'social',
      'legal',
      'footer',
    ]);
    const by = (rule: string) => diagnostics.filter((d) => d.ruleId === rule);
    expect(by('upgrade/module-removed')[0]).toMatchObject({
      location: { instanceId: 'events' },
      data: { content: { en: { event1: 'Quarter planning workshop', city1: 'Munich' } } },
    });
    expect(by('upgrade/module-surplus')[0]).toMatchObject({
      location: { instanceId: 'article-2' },
      data: { content: { en: expect.objectContaining({ title: 'Five planning mistakes' }) } },
    });
    expect(by('upgrade/slot-removed')[0]).toMatchObject({
      location: { instanceId: 'quote', slotId: 'author', locale: 'en' },
      data: { value: 'Sam Lee, Fabrikam' },
    });
    expect(by('upgrade/slot-reset').map((d) => [d.location.slotId, d.data?.reason, d.data?.value])).toEqual([
      ['subline', 'locked', 'A workshop format that works'],
      [
        'photo',
        'template/image-size',
        { src: 'https://cdn.northwind.example/a/contoso.jpg', alt: 'Contoso team', width: 220 },
      ],
    ]);
    expect(by('upgrade/needs-edit').map((d) => [d.location.locale, d.location.slotId, d.data?.reason])).toEqual([
      ['de', 'headline', 'template/too-long'],
      ['en', 'headline', 'template/too-long'],
    ]);
    expect(by('upgrade/slot-required').map((d) => [d.location.locale, d.location.slotId])).toEqual([
      ['de', 'title2'],
      ['en', 'title2'],
    ]);
    expect(by('upgrade/module-added')[0]?.location).toMatchObject({ instanceId: 'legal', moduleId: 'legal' });
    expect(by('upgrade/module-outdated').map((d) => d.location.instanceId)).toEqual([
      'hero',
      'features',
      'article',
      'quote',
    ]);
    expect(upgraded.content.en?.slots.hero).toEqual({
      headline: 'Plan the quarter in a day',
      subline: 'Fresh ideas for your team, every month.',
      cta: { href: 'https://northwind.example/workshop', text: 'Book a seat' },
    });
    expect(upgraded.content.en?.slots.article?.photo).toBeUndefined();
    expect(upgraded.content.en?.slots.intro?.greeting).toBe('Hi {{ contact.firstName | default: "there" }},');
    // What is left to fix is exactly what upgrade flagged as an error.
    const remaining = validateDraft(V4, upgraded)
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.location.locale}/${d.location.slotId}`);
    expect(remaining.sort()).toEqual(
      [...by('upgrade/needs-edit'), ...by('upgrade/slot-required')]
        .map((d) => `${d.location.locale}/${d.location.slotId}`)
        .sort(),
    );
  });

  it('is a no-op apart from the pin when nothing changed', () => {
    const same = template(fixture('newsletter.mjml').replace('hs-version="3"', 'hs-version="4"'));
    const draft = newsletterDraft(V3);
    const { draft: upgraded, diagnostics } = upgradeDraft(draft, V3, same);
    expect(diagnostics).toEqual([]);
    expect({ ...upgraded, template: draft.template, version: draft.version }).toEqual(draft);
  });

  it('reorders instances to satisfy new order rules', () => {
    const free = template(
      fixture('newsletter.mjml')
        .replace('hs-ordering="declared"', 'hs-ordering="free"')
        .replace('hs-version="3"', 'hs-version="2"'),
    );
    const draft = { ...newsletterDraft(free), modules: [...newsletterDraft(free).modules].reverse() };
    const footerFirst = {
      ...draft,
      modules: draft.modules.filter((m) => !['header', 'footer'].includes(m.instanceId)),
    };
    const withPinned = {
      ...footerFirst,
      modules: [
        { instanceId: 'footer', moduleId: 'footer', hidden: false },
        ...footerFirst.modules,
        { instanceId: 'header', moduleId: 'header', hidden: false },
      ],
    };
    const { draft: upgraded, diagnostics } = upgradeDraft(withPinned, free, V3);
    expect(diagnostics.map((d) => d.ruleId)).toContain('upgrade/module-reordered');
    expect(upgraded.modules[0]?.moduleId).toBe('header');
    expect(upgraded.modules.at(-1)?.moduleId).toBe('footer');
    expect(validateDraft(V3, upgraded).filter((d) => d.ruleId.startsWith('template/module'))).toEqual([]);
  });

  it('refuses mismatched pins and templates', () => {
    const draft = newsletterDraft(V3);
    expect(() => upgradeDraft(draft, V4, V3)).toThrow(
      expect.objectContaining({ code: 'E_CONFLICT', path: 'draft.template' }),
    );
    const other = template(fixture('newsletter.mjml').replace('hs-id="newsletter"', 'hs-id="other"'));
    expect(() => upgradeDraft(draft, V3, other)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'to.id' }),
    );
    expect(() => upgradeDraft({ bad: true } as never, V3, V4)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION' }),
    );
  });
});
