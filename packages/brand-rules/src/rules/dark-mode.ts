import { wcagContrast } from 'culori';
import { z } from 'zod';
import { brandLibrary, type BrandKit, type DarkPalette } from '@hubspoke/core';
import { darkCounterpart, darkPalette, inDark, isLight } from '../dark/palette.js';
import { assetOf } from './images.js';
import { defineRule } from './define-rule.js';
import { contrastOptionsSchema, textRuns, type ContrastOptions } from './text-runs.js';

const palettes = new WeakMap<BrandKit, DarkPalette>();

/** The kit's resolved dark scheme (generated once per kit). */
export function darkPaletteOf(kit: BrandKit): DarkPalette {
  let palette = palettes.get(kit);
  if (palette === undefined) {
    palette = darkPalette(kit);
    palettes.set(kit, palette);
  }
  return palette;
}

const ratio = (a: string, b: string) => Math.floor(wcagContrast(a, b) * 100) / 100;

export const darkContrast = defineRule<ContrastOptions>({
  meta: {
    type: 'problem',
    docs: {
      description:
        "Text keeps its contrast in the brand's dark scheme (`brandKit.darkMode`): each colour and background as the dark scheme shows it contrasts at least 4.5:1 (3:1 for large text); suggests the dark colour to pair it with",
      recommended: true,
    },
    messages: {
      lowContrast:
        'In dark mode, {{color}} on {{background}} shows as {{darkColor}} on {{darkBackground}}: contrast {{ratio}}:1, at least {{min}}:1 is required; pair {{color}} with {{suggested}} in darkMode.pairs ({{suggestedRatio}}:1)',
    },
    schema: contrastOptionsSchema,
  },
  create(context) {
    if (context.brandKit.darkMode === undefined) return {};
    const palette = darkPaletteOf(context.brandKit);
    return {
      end() {
        for (const unit of context.document.visual) {
          const seen = new Set<string>();
          for (const { color, background, large, required, start, end } of textRuns(unit, context.options)) {
            const darkColor = inDark(palette, color);
            const darkBackground = inDark(palette, background);
            const measured = ratio(darkColor, darkBackground);
            const key = `${color}/${background}`;
            if (measured >= required || seen.has(key)) continue;
            seen.add(key);
            // Light text on a light surface is the light scheme's own problem (brand/contrast).
            if (ratio(color, background) < required) continue;
            const suggested = darkCounterpart(color, darkBackground, required);
            context.report({
              messageId: 'lowContrast',
              data: {
                color,
                background,
                darkColor,
                darkBackground,
                ratio: measured,
                min: required,
                suggested,
                suggestedRatio: ratio(suggested, darkBackground),
              },
              at: { unit, start, end },
              facts: {
                color,
                background,
                darkColor,
                darkBackground,
                ratio: measured,
                required,
                large,
                suggestedPair: { light: color, dark: suggested },
              },
            });
          }
        }
      },
    };
  },
});

export const darkImage = defineRule<{ transparent: string[] }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Images with transparent areas (logos and assets flagged `transparent` in the brand kit, or URLs in `options.transparent`, e.g. PNGs a host found to have an alpha channel with `pngTransparency`) may vanish on a dark background; suggests an opaque logo of the kit',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      vanishes:
        'Image {{src}} has transparent areas and sits on {{background}}, which is {{darkBackground}} in dark mode: a dark logo drawn for a light page may vanish. {{advice}}',
    },
    schema: z
      .object({ transparent: z.array(z.string()).default([]) })
      .strict()
      .default({ transparent: [] }),
  },
  create(context) {
    const kit = context.brandKit;
    const lib = brandLibrary(kit);
    const given = new Set(context.options.transparent);
    const palette = kit.darkMode === undefined ? [] : darkPaletteOf(kit);
    const opaque = kit.logos.find((l) => l.transparent !== true);
    return {
      image(image) {
        const logo = lib.logoOf(image.src);
        const asset = logo === undefined ? assetOf(kit, image) : undefined;
        const flagged = logo?.transparent === true || asset?.transparent === true;
        if (!flagged && !given.has(image.src)) return;
        const background = image.background ?? '#ffffff';
        // Without a dark scheme the email stays light where media queries work, but clients that
        // invert (Gmail's apps) still darken the page behind the image.
        const darkBackground = palette.length > 0 ? inDark(palette, background) : 'dark (inverted by the client)';
        if (palette.length > 0 && isLight(darkBackground)) return;
        const swap =
          opaque !== undefined && opaque.url !== image.src
            ? {
                description: `Use the opaque logo "${opaque.id}" (${opaque.url})`,
                target: image.srcTarget,
                text: opaque.url,
              }
            : undefined;
        context.report({
          messageId: 'vanishes',
          data: {
            src: image.src,
            background,
            darkBackground,
            advice:
              swap === undefined
                ? 'Give the file an opaque background or a light outline, or keep the background behind it light in dark mode (a darkMode pair mapping it to itself).'
                : `Use the opaque logo "${opaque?.id ?? ''}", give the file an opaque background or a light outline, or keep the background behind it light in dark mode.`,
          },
          at: { location: image.location },
          suggest: swap === undefined ? undefined : [swap],
          facts: {
            src: image.src,
            background,
            darkBackground,
            detectedBy: flagged ? 'brand-kit flag' : 'options.transparent',
          },
        });
      },
    };
  },
});
