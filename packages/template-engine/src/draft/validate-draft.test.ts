import { BrandKitSchema, DraftSchema, type Diagnostic } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, newsletter, newsletterDraft, NEWSLETTER_MODULES, template } from '../__fixtures__/fixtures.js';
import { validateDraft } from './validate-draft.js';

const T = newsletter();
const KIT = BrandKitSchema.parse({
  id: 'northwind',
  name: 'Northwind',
  palette: [
    { name: 'Ocean', hex: '#0B5CAD', role: 'primary' },
    { name: 'White', hex: '#ffffff', role: 'background' },
    { name: 'Mist', hex: '#e6f0fa' },
  ],
  logos: [{ id: 'logo', url: 'https://cdn.northwind.example/logo.png', alt: 'Northwind' }],
  assets: [{ id: 'hero-1', url: 'https://cdn.northwind.example/a/contoso.jpg' }],
});

const rules = (ds: Diagnostic[]) => ds.map((d) => d.ruleId);

describe('validateDraft', () => {
  it('accepts a well-formed draft', () => {
    expect(validateDraft(T, newsletterDraft(T), { brandKit: KIT })).toEqual([]);
  });

  it('reports every violation at once, with locations', () => {
    const draft = draftOf(
      T,
      ['hero', 'intro', 'article', 'article', 'quote', ['q2', 'quote'], 'nope', 'footer'].map((m, i) =>
        typeof m === 'string' ? [`${m}-${i}`, m] : m,
      ) as [string, string][],
      {
        en: {
          subject: 'x'.repeat(91),
          slots: {
            'hero-0': {
              headline: 'A headline that is far too long for the hero because the limit is sixty characters',
              cta: { href: 'javascript:alert(1)', text: '' },
              subline: { src: 'https://x.example/a.png' },
            },
            'intro-1': {
              greeting: 'Hi {{ contact.firstName | upcase }}',
              body: '<p>ok<script>x()</script></p>',
              ghost: 'boo',
            },
            'article-2': {
              photo: { src: 'https://elsewhere.example/a.jpg', width: 400 },
              link: { href: 'https://evil.example/', text: 'Read' },
            },
            'quote-4': { bg: '#123456' },
            'footer-7': { address: 'Somewhere else' },
            nobody: { a: 'b' },
          },
        },
      },
    );
    const ds = validateDraft(T, draft, { brandKit: KIT });
    expect(rules(ds).sort()).toEqual(
      [
        'personalization/syntax',
        'template/empty-link-text',
        'template/image-domain',
        'template/image-size',
        'template/link-scheme',
        'template/locked-slot',
        'template/missing-alt',
        'template/module-count',
        'template/off-palette',
        'template/pinned-module',
        'template/required-slot',
        'template/required-slot',
        'template/rich-text-sanitized',
        'template/too-long',
        'template/too-long',
        'template/unknown-instance',
        'template/unknown-module',
        'template/unknown-slot',
        'template/wrong-kind',
      ].sort(),
    );
    const find = (rule: string) => ds.find((d) => d.ruleId === rule);
    expect(find('template/pinned-module')?.location).toMatchObject({ moduleId: 'header' });
    expect(find('template/module-count')?.message).toContain('at most 1');
    expect(find('template/unknown-module')?.location).toMatchObject({ instanceId: 'nope-6', path: 'draft.modules[6]' });
    expect(find('template/locked-slot')?.location).toMatchObject({
      instanceId: 'footer-7',
      slotId: 'address',
      property: 'text',
      locale: 'en',
    });
    expect(find('template/link-scheme')?.location).toMatchObject({ slotId: 'cta', property: 'href' });
    expect(find('template/image-size')?.data).toMatchObject({ width: 400, max: 240 });
    expect(find('personalization/syntax')?.location).toMatchObject({
      slotId: 'greeting',
      start: 3,
      end: 35,
      line: 1,
      column: 4,
    });
    expect(find('template/rich-text-sanitized')?.message).toContain('<script>');
    const palette = find('template/off-palette');
    expect(palette?.suggestions?.map((s) => s.edits[0]?.text)).toEqual(['#0b5cad', '#e6f0fa']);
    expect(
      ds.filter((d) => d.ruleId === 'template/too-long').map((d) => d.location.field ?? d.location.slotId),
    ).toEqual(['subject', 'headline']);
    expect(find('template/required-slot')?.location).toMatchObject({ slotId: 'title', instanceId: 'article-2' });
  });

  it('checks order and positions', () => {
    const draft = draftOf(T, ['footer', 'hero', 'intro', 'header', 'article']);
    const ds = validateDraft(T, draft);
    expect(rules(ds)).toEqual(expect.arrayContaining(['template/module-position', 'template/module-order']));
    expect(ds.filter((d) => d.ruleId === 'template/module-position').map((d) => d.location.instanceId)).toEqual([
      'footer',
      'header',
    ]);
  });

  it('reports hidden pinned modules and locked subjects', () => {
    const draft = draftOf(T, NEWSLETTER_MODULES, { en: {} });
    draft.modules[0]!.hidden = true;
    const locked = template(
      mjml(
        '<mj-section hs-module="m"><mj-column><mj-text>x</mj-text></mj-column></mj-section>',
        '<mj-title hs-lock="locked">Fixed subject</mj-title>',
      ),
    );
    expect(rules(validateDraft(T, draft))).toContain('template/pinned-module');
    expect(rules(validateDraft(locked, draftOf(locked, ['m'], { en: { subject: 'Changed' } })))).toEqual([
      'template/locked-field',
    ]);
    expect(validateDraft(locked, draftOf(locked, ['m'], { en: { subject: 'Fixed subject' } }))).toEqual([]);
  });

  it('checks each locale for required slots, with fallbacks counting', () => {
    const draft = newsletterDraft(T);
    draft.content.fr = { slots: {} };
    expect(validateDraft(T, draft, { brandKit: KIT })).toEqual([]);
    const missing = draftOf(T, NEWSLETTER_MODULES, {
      en: { subject: 'Hi', slots: { hero: { headline: 'x' }, article: { title: 'y' } } },
      de: { slots: { hero: { headline: '' } } },
    });
    const ds = validateDraft(T, missing, { brandKit: KIT });
    expect(ds.map((d) => [d.ruleId, d.location.locale, d.location.instanceId, d.location.slotId])).toEqual([
      ['template/required-slot', 'de', 'article-2', 'title'],
      ['template/required-slot', 'de', 'hero', 'headline'],
      ['template/required-slot', 'en', 'article-2', 'title'],
    ]);
  });

  it('warns about values for non-translatable slots outside the default locale', () => {
    const t = template(
      mjml(
        '<mj-section hs-module="m"><mj-column><mj-text hs-slot="code" hs-kind="text" hs-translatable="false">A1</mj-text></mj-column></mj-section>',
      ),
    );
    const ds = validateDraft(t, draftOf(t, ['m'], { en: {}, de: { slots: { m: { code: 'B2' } } } }));
    expect(ds).toEqual([
      expect.objectContaining({
        ruleId: 'l10n/not-translatable',
        severity: 'warning',
        location: expect.objectContaining({ locale: 'de' }),
      }),
    ]);
  });

  it('checks patterns, minimum lengths, single lines, list options, library images and colours', () => {
    const t = template(
      mjml(`<mj-section hs-module="m"><mj-column>
  <mj-text hs-slot="code" hs-kind="text" hs-pattern="[A-Z]{2}-\\d+" hs-min="4">AB-1</mj-text>
  <mj-text hs-slot="align" hs-kind="list" hs-options="left, right">left</mj-text>
  <mj-image hs-slot="img" hs-kind="image" hs-from-library="true" src="https://cdn.northwind.example/logo.png" alt="Logo" />
  <mj-button hs-slot="c" hs-kind="color" hs-attr="background-color" hs-palette-only="false" background-color="#000000" href="https://x.example">x</mj-button>
</mj-column></mj-section>`),
    );
    const bad = draftOf(t, ['m'], {
      en: {
        slots: {
          m: { code: 'ab\n1', align: 'middle', img: { src: 'https://random.example/x.png', alt: 'x' }, c: 'red' },
        },
      },
    });
    expect(rules(validateDraft(t, bad, { brandKit: KIT })).sort()).toEqual(
      [
        'template/image-library',
        'template/invalid-color',
        'template/list-option',
        'template/multiline',
        'template/pattern',
      ].sort(),
    );
    const short = draftOf(t, ['m'], { en: { slots: { m: { code: 'A-1' } } } });
    expect(rules(validateDraft(t, short))).toEqual(expect.arrayContaining(['template/too-short', 'template/pattern']));
    const good = draftOf(t, ['m'], {
      en: {
        slots: {
          m: {
            code: 'XY-42',
            img: { src: 'https://cdn.northwind.example/a/contoso.jpg?w=400', assetId: 'hero-1', alt: 'x' },
            c: '#123456',
          },
        },
      },
    });
    expect(validateDraft(t, good, { brandKit: KIT })).toEqual([]);
    expect(rules(validateDraft(t, good))).toEqual(['template/library-unknown']);
    // An asset id is a claim about the file: it must live at the image's URL (core's brandLibrary).
    const claimed = draftOf(t, ['m'], {
      en: { slots: { m: { code: 'XY-42', img: { src: 'https://x.example/a.png', assetId: 'hero-1', alt: 'x' } } } },
    });
    expect(validateDraft(t, claimed, { brandKit: KIT }).map((d) => d.message)).toEqual([
      'Image "img" claims asset "hero-1", which lives at https://cdn.northwind.example/a/contoso.jpg',
    ]);
  });

  it('measures tokens by their fallback and conditions by their longest branch', () => {
    const draft = newsletterDraft(T);
    draft.content.en!.slots.hero!.headline = '{% if contact.vip %}' + 'x'.repeat(61) + '{% else %}short{% endif %}';
    expect(rules(validateDraft(T, draft, { brandKit: KIT }))).toEqual(['template/too-long']);
    draft.content.en!.slots.hero!.headline = 'Hello {{ contact.firstName | default: "' + 'y'.repeat(50) + '" }}';
    expect(validateDraft(T, draft, { brandKit: KIT })).toEqual([]);
  });

  it('checks that fields are mapped for the target dialects', () => {
    const draft = newsletterDraft(T);
    const ds = validateDraft(T, draft, { dialects: ['eloqua', 'hubspot', 'preview'] });
    expect(ds.map((d) => [d.data?.dialect, d.data?.field, d.location.slotId ?? d.location.field])).toEqual(
      expect.arrayContaining([
        ['eloqua', 'contact.firstName', 'greeting'],
        ['eloqua', 'contact.tier', 'offer'],
        ['hubspot', 'contact.tier', 'offer'],
        ['eloqua', 'contact.firstName', 'subject'],
      ]),
    );
    expect(
      validateDraft(T, draft, {
        brandKit: KIT,
        dialects: ['hubspot'],
        fieldMap: { hubspot: { 'contact.tier': 'contact.tier' } },
      }),
    ).toEqual([]);
  });

  it('reports pin mismatches', () => {
    const draft = draftOf(T, NEWSLETTER_MODULES, { en: {} }, { template: { id: 'newsletter', version: 2 } });
    expect(validateDraft(T, draft)[0]).toMatchObject({ ruleId: 'template/version-mismatch', severity: 'error' });
  });

  it('turns a malformed draft into diagnostics naming the path, and throws for a malformed template', () => {
    const ds = validateDraft(T, {
      ...newsletterDraft(T),
      content: { en: { slots: { hero: { headline: 42 } } } },
    } as never);
    expect(ds[0]).toMatchObject({
      ruleId: 'draft/invalid',
      severity: 'error',
      location: { path: expect.stringContaining('draft.content.en.slots.hero.headline') },
    });
    expect(() => validateDraft({ id: 'x' } as never, newsletterDraft(T))).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION' }),
    );
    expect(() => validateDraft(T, newsletterDraft(T), { brandKit: { palette: 'blue' } as never })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: expect.stringContaining('options.brandKit') }),
    );
  });

  it('never throws on arbitrary slot values (property)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.record({
        src: fc.string({ minLength: 1 }),
        alt: fc.option(fc.string(), { nil: undefined }),
        width: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
      }),
      fc.record({ href: fc.string(), text: fc.string() }),
    );
    const slotIds = [
      'headline',
      'subline',
      'cta',
      'greeting',
      'body',
      'photo',
      'title',
      'summary',
      'link',
      'bg',
      'quote',
      'icon1',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...slotIds), value), (slots) => {
        const draft = DraftSchema.parse({
          ...newsletterDraft(T),
          content: { en: { slots: { hero: slots, intro: slots, article: slots, quote: slots, features: slots } } },
        });
        const ds = validateDraft(T, draft, { brandKit: KIT, dialects: ['sfmc'] });
        for (const d of ds) expect(d.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });
});
