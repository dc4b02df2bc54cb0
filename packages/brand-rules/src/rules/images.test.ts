import { describe, expect, it } from 'vitest';
import { draftWith, kit, only, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';

const NOW = '2026-06-01';
interface Pic {
  src: string;
  alt?: string;
  assetId?: string;
  width?: number;
}
const withPic = (pic: Pic, config: LintConfig, extra: { region?: string; fix?: boolean; now?: string } = {}) =>
  lint({
    brandKit: kit,
    template,
    draft: draftWith((en) => {
      en.slots['hero-1'].pic = pic as never;
    }),
    config,
    now: extra.now ?? NOW,
    ...(extra.fix === undefined ? {} : { fix: extra.fix }),
    ...(extra.region === undefined ? {} : { region: extra.region }),
  });
const html = (slotHtml: string, config: LintConfig) =>
  lint({
    brandKit: kit,
    template,
    rendered: renderedEmail({ slots: [{ instanceId: 'hero-1', slotId: 'copy', html: slotHtml }] }),
    config,
    now: NOW,
  });

describe('brand/image-alt', () => {
  const config = only('brand/image-alt') as LintConfig;
  it('fixes a missing alt with the library alt text for the locale', () => {
    const result = withPic({ src: 'https://cdn.acme.example/hero.jpg', assetId: 'hero-spring' }, config, { fix: true });
    expect(result.fixed?.draft?.content.en?.slots['hero-1']?.pic).toMatchObject({ alt: 'Tulips in a Berlin park' });
    expect(result.diagnostics).toHaveLength(0);
  });
  it('reports missing alt without a fix when the library has none', () => {
    const [d] = withPic({ src: 'https://cdn.acme.example/old.jpg' }, config).diagnostics;
    expect(d?.message).toBe('Image old.jpg has no alt text');
    expect(d?.fix).toBeUndefined();
  });
  it('flags generic alt text and file names, suggesting the library text', () => {
    for (const alt of ['Image', 'photo.', 'hero.jpg', 'IMG_2041', 'DSC0001']) {
      const [d] = withPic(
        { src: 'https://cdn.acme.example/hero.jpg', alt, assetId: 'hero-spring' },
        config,
      ).diagnostics;
      expect(d?.message, alt).toBe(`Alt text "${alt}" of image hero.jpg does not describe it`);
      expect(d?.suggestions?.[0]?.edits[0]?.text).toBe('Tulips in a Berlin park');
    }
    expect(
      withPic({ src: 'https://cdn.acme.example/hero.jpg', alt: 'A photo of tulips', assetId: 'hero-spring' }, config)
        .diagnostics,
    ).toHaveLength(0);
  });
  it('in HTML: allows empty alt for decorative images, but not on linked images; inserts a missing alt', () => {
    expect(html('<img src="https://cdn.acme.example/hero.jpg" alt="">', config).diagnostics).toHaveLength(0);
    expect(
      html('<a href="https://acme.example"><img src="https://cdn.acme.example/hero.jpg" alt=""></a>', config)
        .diagnostics[0]?.message,
    ).toMatch(/Linked image/);
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<img src="https://cdn.acme.example/hero.jpg">' }],
    });
    const fixed = lint({ brandKit: kit, template, rendered, config, now: NOW, fix: true });
    expect(fixed.fixed?.rendered[0]?.html).toContain(
      '<img alt="Tulips in a Berlin park" src="https://cdn.acme.example/hero.jpg">',
    );
  });
  it('does not require alt when the kit says so', () => {
    const relaxed = { ...kit, images: { ...kit.images, requireAlt: false } };
    expect(
      lint({
        brandKit: relaxed,
        template,
        draft: draftWith((en) => {
          en.slots['hero-1'].pic = { src: 'https://cdn.acme.example/old.jpg' } as never;
        }),
        config,
        now: NOW,
      }).diagnostics,
    ).toHaveLength(0);
  });
});

describe('brand/image-library, brand/asset-expiry, brand/asset-license', () => {
  it('requires library images when libraryOnly, with exemptions by prefix', () => {
    const config = only('brand/image-library') as LintConfig;
    expect(withPic({ src: 'https://cdn.acme.example/hero.jpg?w=600', alt: 'Tulips' }, config).diagnostics).toHaveLength(
      0,
    );
    expect(
      withPic({ src: 'https://images.example.net/stock.jpg', alt: 'Tulips' }, config).diagnostics[0]?.message,
    ).toBe('Image https://images.example.net/stock.jpg is not in the approved asset library');
    expect(
      withPic(
        { src: 'https://px.example.net/p.gif', alt: 'x' },
        { rules: { 'brand/image-library': ['error', { allow: ['https://px.example.net/'] }] } },
      ).diagnostics,
    ).toHaveLength(0);
    expect(
      withPic({ src: 'https://cdn.acme.example/old.jpg', alt: 'x', assetId: 'hero-spring' }, config).diagnostics[0]
        ?.message,
    ).toMatch(/claims asset "hero-spring"/);
  });
  it('reports expired assets, and assets about to expire when warnDays is set', () => {
    const config = only('brand/asset-expiry') as LintConfig;
    expect(withPic({ src: 'https://cdn.acme.example/old.jpg', alt: 'x' }, config).diagnostics[0]?.message).toBe(
      'Asset "old-promo" expired on 2025-12-31',
    );
    expect(
      withPic({ src: 'https://cdn.acme.example/old.jpg', alt: 'x' }, config, { now: '2025-12-31' }).diagnostics,
    ).toHaveLength(0);
    const soon = withPic(
      { src: 'https://cdn.acme.example/old.jpg', alt: 'x' },
      { rules: { 'brand/asset-expiry': ['warning', { warnDays: 10 }] } },
      { now: '2025-12-25' },
    );
    expect(soon.diagnostics[0]?.message).toBe('Asset "old-promo" expires on 2025-12-31, in 6 day(s)');
  });
  it('reports assets not licensed for the draft region', () => {
    const config = only('brand/asset-license') as LintConfig;
    expect(withPic({ src: 'https://cdn.acme.example/us.jpg', alt: 'x' }, config).diagnostics[0]?.message).toBe(
      'Asset "us-only" is licensed for NA, not EMEA',
    );
    expect(withPic({ src: 'https://cdn.acme.example/hero.jpg', alt: 'x' }, config).diagnostics).toHaveLength(0);
  });
});

describe('an asset id the library does not have', () => {
  it('is an error naming the id it meant (did-you-mean)', () => {
    const config = only('brand/image-library') as LintConfig;
    const [d] = withPic(
      { src: 'https://images.example.net/x.jpg', alt: 'x', assetId: 'hero-sprng' },
      config,
    ).diagnostics;
    expect(d).toMatchObject({
      ruleId: 'brand/image-library',
      severity: 'error',
      message:
        'Image https://images.example.net/x.jpg names asset "hero-sprng", which the asset library does not have; did you mean "hero-spring"?',
      data: { assetId: 'hero-sprng', didYouMean: 'hero-spring' },
    });
  });

  it('never switches the rules of the asset at the URL off: expiry and licence still apply', () => {
    // The file sent is the expired "old-promo" (or the NA-only "us-only"), whatever id the draft claims.
    const expiry = only('brand/asset-expiry') as LintConfig;
    for (const assetId of ['no-such-asset', 'hero-spring'])
      expect(
        withPic({ src: 'https://cdn.acme.example/old.jpg', alt: 'x', assetId }, expiry).diagnostics.map(
          (d) => d.message,
        ),
        assetId,
      ).toEqual(['Asset "old-promo" expired on 2025-12-31']);
    const licence = only('brand/asset-license') as LintConfig;
    for (const assetId of ['no-such-asset', 'hero-spring'])
      expect(
        withPic({ src: 'https://cdn.acme.example/us.jpg', alt: 'x', assetId }, licence).diagnostics.map(
          (d) => d.message,
        ),
        assetId,
      ).toEqual(['Asset "us-only" is licensed for NA, not EMEA']);
  });
});

describe('brand/logo', () => {
  const config = only('brand/logo') as LintConfig;
  it('checks approved logo widths', () => {
    expect(
      withPic({ src: 'https://cdn.acme.example/logo.png', alt: 'Acme', width: 120 }, config).diagnostics,
    ).toHaveLength(0);
    expect(
      withPic({ src: 'https://cdn.acme.example/logo.png', alt: 'Acme', width: 40 }, config).diagnostics[0]?.message,
    ).toBe('Logo "main" is 40px wide; at least 80px is approved');
    expect(
      html('<img src="https://cdn.acme.example/logo.png" alt="Acme" width="400">', config).diagnostics[0]?.message,
    ).toBe('Logo "main" is 400px wide; at most 200px is approved');
  });
  it('flags images that look like a logo but are not the approved file', () => {
    expect(
      withPic({ src: 'https://cdn.example.net/acme-logo-old.png', alt: 'Acme' }, config).diagnostics[0]?.message,
    ).toMatch(/looks like a logo/);
    expect(html('<img src="https://cdn.example.net/x.png" alt="Acme logo">', config).diagnostics).toHaveLength(1);
  });
});
