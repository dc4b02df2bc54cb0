import { BrandKitSchema, type Diagnostic } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, newsletter, newsletterDraft, template } from '../__fixtures__/fixtures.js';
import { validateDraft } from './validate-draft.js';

const KIT = BrandKitSchema.parse({
  id: 'northwind',
  name: 'Northwind',
  palette: [{ name: 'Ocean', hex: '#0B5CAD', role: 'primary' }],
  assets: [{ id: 'hero-spring', url: 'https://cdn.northwind.example/a/contoso.jpg' }],
});

const only = (ds: Diagnostic[], ruleId: string) => ds.filter((d) => d.ruleId === ruleId);

describe('an asset id the brand library does not have', () => {
  const t = template(
    mjml(`<mj-section hs-module="m"><mj-column>
  <mj-image hs-slot="img" hs-kind="image" src="https://cdn.northwind.example/a/contoso.jpg" alt="x" />
  <mj-image hs-slot="lib" hs-kind="image" hs-from-library="true" src="https://cdn.northwind.example/a/contoso.jpg" alt="x" />
</mj-column></mj-section>`),
  );

  it('is an error on any image slot (not only library-only ones), at assetId, with did-you-mean', () => {
    const draft = draftOf(t, ['m'], {
      en: { slots: { m: { img: { src: 'https://elsewhere.example/x.png', assetId: 'hero-sprng', alt: 'x' } } } },
    });
    expect(only(validateDraft(t, draft, { brandKit: KIT }), 'template/unknown-asset')).toMatchObject([
      {
        severity: 'error',
        message:
          'Image "img" names asset "hero-sprng", which the asset library does not have; did you mean "hero-spring"?',
        location: { instanceId: 'm', slotId: 'img', property: 'assetId', locale: 'en' },
        data: { assetId: 'hero-sprng', didYouMean: 'hero-spring' },
      },
    ]);
    // A known id is fine, and without a brand kit there is no library to check against.
    const known = draftOf(t, ['m'], {
      en: {
        slots: { m: { img: { src: 'https://cdn.northwind.example/a/contoso.jpg', assetId: 'hero-spring', alt: 'x' } } },
      },
    });
    expect(only(validateDraft(t, known, { brandKit: KIT }), 'template/unknown-asset')).toEqual([]);
  });

  it('a library-only slot says the same, with did-you-mean', () => {
    const draft = draftOf(t, ['m'], {
      en: {
        slots: { m: { lib: { src: 'https://cdn.northwind.example/a/contoso.jpg', assetId: 'hero-sprin', alt: 'x' } } },
      },
    });
    expect(only(validateDraft(t, draft, { brandKit: KIT }), 'template/image-library').map((d) => d.message)).toEqual([
      'Image "lib" names asset "hero-sprin", which the asset library does not have; did you mean "hero-spring"?',
    ]);
  });
});

describe('a fallback locale neither the draft nor the template has', () => {
  const T = newsletter();

  it('is an error naming the chain entry, with did-you-mean', () => {
    const draft = newsletterDraft(T);
    const de = structuredClone(draft.content.en);
    if (de === undefined) throw new Error('fixture has no en content');
    const withGerman = {
      ...draft,
      content: { ...draft.content, de, 'de-AT': { slots: {} } },
      fallbacks: { 'de-AT': ['dee', 'en'] },
    };
    const found = only(validateDraft(T, withGerman), 'template/unknown-locale');
    expect(found).toMatchObject([
      {
        severity: 'error',
        location: { path: 'draft.fallbacks.de-AT[0]', locale: 'dee' },
        data: { locale: 'dee', didYouMean: 'de' },
      },
    ]);
    expect(found[0]?.message).toContain('did you mean "de"?');
    const fixed = { ...withGerman, fallbacks: { 'de-AT': ['de', 'en'] } };
    expect(only(validateDraft(T, fixed), 'template/unknown-locale')).toEqual([]);
  });

  it('a chain for a locale the draft does not have is named too', () => {
    const draft = { ...newsletterDraft(T), fallbacks: { 'pt-BR': ['en'] } };
    expect(only(validateDraft(T, draft), 'template/unknown-locale')).toMatchObject([
      { location: { path: 'draft.fallbacks.pt-BR', locale: 'pt-BR' } },
    ]);
  });
});
