import { describe, expect, it } from 'vitest';
import { BrandKitSchema } from '../schemas/brand-kit.js';
import { valid } from '../__fixtures__/samples.js';
import { brandLibrary, normalizeHexColor, paletteColorOf, sameLibraryUrl } from './brand-library.js';

const kit = BrandKitSchema.parse(valid.brandKit);

describe('palette', () => {
  it('normalizes hex colours and finds palette members in any case or length', () => {
    expect(normalizeHexColor(' #AbC ')).toBe('#aabbcc');
    expect(normalizeHexColor('rgb(0,0,0)')).toBeUndefined();
    expect(paletteColorOf(kit.palette, '#0b5fff')?.name).toBe('Acme Blue');
    expect(paletteColorOf(kit.palette, '#fff')?.name).toBe('Paper');
    expect(paletteColorOf(kit.palette, '#0b5ffe')).toBeUndefined();
  });
});

describe('sameLibraryUrl', () => {
  it('ignores host case, default ports and fragments; keeps path case', () => {
    expect(sameLibraryUrl('https://cdn.acme.example/hero.jpg', 'https://CDN.acme.example:443/hero.jpg#x')).toBe(true);
    expect(sameLibraryUrl('https://cdn.acme.example/hero.jpg', 'https://cdn.acme.example/Hero.jpg')).toBe(false);
    expect(sameLibraryUrl('https://cdn.acme.example/hero.jpg', 'http://cdn.acme.example/hero.jpg')).toBe(false);
  });

  it('lets a query through only when the library URL has none', () => {
    expect(sameLibraryUrl('https://cdn.acme.example/hero.jpg', 'https://cdn.acme.example/hero.jpg?w=600')).toBe(true);
    expect(sameLibraryUrl('https://cdn.acme.example/img?id=1', 'https://cdn.acme.example/img?id=2')).toBe(false);
    expect(sameLibraryUrl('https://cdn.acme.example/img?id=1', 'https://cdn.acme.example/img?id=1')).toBe(true);
    expect(sameLibraryUrl('https://cdn.acme.example/img', 'javascript:alert(1)')).toBe(false);
  });
});

describe('brandLibrary', () => {
  const lib = brandLibrary(kit);

  it('finds assets and logos by URL', () => {
    expect(lib.imageOf({ src: 'https://cdn.acme.example/hero.jpg?w=1200' })).toMatchObject({ kind: 'asset' });
    expect(lib.imageOf({ src: 'https://cdn.acme.example/logo.png' })).toMatchObject({ kind: 'logo' });
    expect(lib.imageOf({ src: 'https://images.example.net/stock.jpg' })).toEqual({ kind: 'none' });
    expect(lib.logoOf('https://cdn.acme.example/logo.png?v=2')?.id).toBe('main');
    expect(lib.logoOf('https://cdn.acme.example/hero.jpg')).toBeUndefined();
  });

  it('requires an assetId to exist and to live at the image URL', () => {
    expect(lib.imageOf({ src: 'https://cdn.acme.example/hero.jpg', assetId: 'hero-spring' }).kind).toBe('asset');
    expect(lib.imageOf({ src: 'https://evil.example/x.png', assetId: 'hero-spring' }).kind).toBe('mismatch');
    expect(lib.imageOf({ src: 'https://images.example.net/stock.jpg', assetId: 'nope' })).toEqual({
      kind: 'unknown-asset',
      assetId: 'nope',
    });
  });

  it('an unknown assetId gets did-you-mean, and the asset its URL is still counts (no weaker rules)', () => {
    const hero = kit.assets.find((a) => a.id === 'hero-spring');
    expect(lib.imageOf({ src: 'https://cdn.acme.example/hero.jpg', assetId: 'hero-sprng' })).toEqual({
      kind: 'unknown-asset',
      assetId: 'hero-sprng',
      didYouMean: 'hero-spring',
      atUrl: hero,
    });
    // A real id at another asset's URL: the file sent is the one at the URL, whose rules apply.
    const two = BrandKitSchema.parse({
      ...valid.brandKit,
      assets: [...kit.assets, { id: 'summer', url: 'https://cdn.acme.example/summer.jpg' }],
    });
    const summer = two.assets.find((a) => a.id === 'summer');
    expect(brandLibrary(two).imageOf({ src: 'https://cdn.acme.example/hero.jpg', assetId: 'summer' })).toEqual({
      kind: 'mismatch',
      asset: summer,
      atUrl: two.assets.find((a) => a.id === 'hero-spring'),
    });
  });
});
