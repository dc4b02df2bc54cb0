import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wcagContrast } from 'culori';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrandKitSchema, type BrandKitInput } from '@hubspoke/core';
import { darkPalette, inDark, isLight } from './palette.js';
import { pngTransparency } from './png.js';

const base: BrandKitInput = {
  id: 'k',
  name: 'K',
  palette: [
    { name: 'Blue', hex: '#0B5CAD', role: 'primary' },
    { name: 'Ink', hex: '#1F2933', role: 'text' },
    { name: 'Paper', hex: '#FFFFFF', role: 'background' },
    { name: 'Sun', hex: '#FFC400' },
  ],
};
const kitWith = (extra: Partial<BrandKitInput>) => BrandKitSchema.parse({ ...base, ...extra });

describe('darkPalette', () => {
  it('is empty without darkMode, explicit with generate: false, and explicit pairs win over generated ones', () => {
    expect(darkPalette(kitWith({}))).toEqual([]);
    expect(
      darkPalette(kitWith({ darkMode: { pairs: [{ light: '#FFF', dark: '#101010' }], generate: false } })),
    ).toEqual([{ light: '#ffffff', dark: '#101010' }]);
    const palette = darkPalette(kitWith({ darkMode: { pairs: [{ light: '#0b5cad', dark: '#88bbff' }] } }));
    expect(inDark(palette, '#0B5CAD')).toBe('#88bbff');
    // Every palette colour and mjml's defaults get a counterpart; an unknown colour stays as it is.
    expect(palette.map((p) => p.light).sort()).toEqual(['#000000', '#0b5cad', '#1f2933', '#ffc400', '#ffffff']);
    expect(inDark(palette, '#123456')).toBe('#123456');
    // The page goes dark (not black), the body text light (not white).
    expect(isLight(inDark(palette, '#ffffff'))).toBe(false);
    expect(inDark(palette, '#ffffff')).not.toBe('#000000');
    expect(isLight(inDark(palette, '#1f2933'))).toBe(true);
  });

  it('leaves a brand whose page is already dark alone', () => {
    const dark = kitWith({
      palette: [
        { name: 'Night', hex: '#101820', role: 'background' },
        { name: 'Snow', hex: '#F0F0F0', role: 'text' },
      ],
      darkMode: {},
    });
    expect(darkPalette(dark)).toEqual([]);
  });

  it('keeps contrast: each generated ink against the dark page, each surface under the dark text, up to minContrast (property)', () => {
    // Only readable brands: with body text at 1:1 on its page there is no contrast to keep.
    const hex = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);
    fc.assert(
      fc.property(
        hex.filter(isLight),
        hex,
        fc.array(hex, { maxLength: 6 }),
        fc.constantFrom(3, 4.5, 7),
        (background, text, others, minContrast) => {
          // A brand whose body text is readable on its page (the light scheme's own contrast rule asks that).
          fc.pre(wcagContrast(text, background) >= 4.5);
          const kit = kitWith({
            palette: [
              { name: 'Page', hex: background, role: 'background' },
              { name: 'Text', hex: text, role: 'text' },
              ...others.map((h, i) => ({ name: `C${i}`, hex: h })),
            ],
            darkMode: { minContrast },
          });
          const palette = darkPalette(kit);
          const page = inDark(palette, background);
          const ink = inDark(palette, text);
          const c = (a: string, b: string) => wcagContrast(a, b);
          for (const { light, dark } of palette) {
            if (light === background || light === text) continue;
            if (isLight(light))
              expect(c(ink, dark)).toBeGreaterThanOrEqual(Math.min(c(text, light), minContrast) - 0.01);
            else expect(c(dark, page)).toBeGreaterThanOrEqual(Math.min(c(light, background), minContrast) - 0.01);
          }
          expect(c(ink, page)).toBeGreaterThanOrEqual(Math.min(c(text, background), minContrast) - 0.01);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('pngTransparency', () => {
  const fixture = (name: string) =>
    new Uint8Array(readFileSync(fileURLToPath(new URL(`../__fixtures__/png/${name}`, import.meta.url))));

  it('reads what Chromium’s PNG encoder wrote: an alpha channel for a transparent screenshot, none for an opaque one', () => {
    expect(pngTransparency(fixture('logo-alpha.png'))).toBe('alpha-channel');
    expect(pngTransparency(fixture('logo-opaque.png'))).toBe('opaque');
  });

  it('finds a tRNS chunk before the image data, and says nothing about bytes that are not a PNG', () => {
    const opaque = fixture('logo-opaque.png');
    // Splice a tRNS chunk (length 6, a transparent RGB colour; CRC not checked) after IHDR (8 + 25 bytes).
    const trns = new Uint8Array([0, 0, 0, 6, 0x74, 0x52, 0x4e, 0x53, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0]);
    const withTrns = new Uint8Array([...opaque.slice(0, 33), ...trns, ...opaque.slice(33)]);
    expect(pngTransparency(withTrns)).toBe('transparent-color');
    expect(pngTransparency(new TextEncoder().encode('GIF89a not a png at all, no'))).toBeUndefined();
    expect(pngTransparency(opaque.slice(0, 20))).toBeUndefined();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect([undefined, 'alpha-channel', 'transparent-color', 'opaque']).toContain(pngTransparency(bytes));
      }),
    );
  });
});
