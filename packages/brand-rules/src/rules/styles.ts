import { differenceCiede2000, wcagContrast } from 'culori';
import { z } from 'zod';
import { memoize } from '../memoize.js';
import { fontFamilies, GENERIC_FAMILIES, normalizeColor } from '../document/css.js';
import { paletteColorOf, type BrandKit } from '@hubspoke/core';
import type { DeclarationRef, FixDescriptor } from '../types.js';
import { darkPaletteOf } from './dark-mode.js';
import { defineRule } from './define-rule.js';
import { contrastOptionsSchema, textRuns, visibleSpan, type ContrastOptions } from './text-runs.js';

const deltaE = differenceCiede2000();

interface Nearest {
  readonly name: string;
  readonly hex: string;
  readonly deltaE: number;
}

const paletteCache = new WeakMap<BrandKit, Map<string, Nearest[]>>();

/** Palette colours by CIEDE2000 distance from `hex`, nearest first (cached per kit). */
export function paletteByDistance(kit: BrandKit, hex: string): Nearest[] {
  let cache = paletteCache.get(kit);
  if (cache === undefined) {
    cache = new Map();
    paletteCache.set(kit, cache);
  }
  let list = cache.get(hex);
  if (list === undefined) {
    list = kit.palette
      .map((p) => ({ name: p.name, hex: p.hex, deltaE: Math.round(deltaE(hex, p.hex) * 100) / 100 }))
      .sort((a, b) => a.deltaE - b.deltaE);
    cache.set(hex, list);
  }
  return list;
}

function inPalette(kit: BrandKit, hex: string): boolean {
  return paletteColorOf(kit.palette, hex) !== undefined;
}

function replaceDeclaration(ref: DeclarationRef, text: string, description: string): FixDescriptor {
  return { description, target: { location: ref.location, start: ref.start, end: ref.end, escape: 'none' }, text };
}

export const palette = defineRule<{ allow: string[]; fixMaxDeltaE: number }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Colours (CSS, `bgcolor`, colour slots) come from the brand palette or its dark scheme (`brandKit.darkMode`); suggests the nearest palette colour by CIEDE2000, and fixes when it is within `fixMaxDeltaE`',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: { offPalette: '{{value}} is not a palette colour; nearest is {{name}} {{nearest}} (ΔE2000 {{deltaE}})' },
    schema: z
      .object({ allow: z.array(z.string()).default([]), fixMaxDeltaE: z.number().min(0).max(100).default(0) })
      .strict()
      .default({ allow: [], fixMaxDeltaE: 0 }),
  },
  create(context) {
    const allowed = new Set(context.options.allow.map((c) => normalizeColor(c) ?? c.toLowerCase()));
    // The dark scheme's colours are the brand's too (rendered emails carry them in their dark-mode rules).
    for (const pair of darkPaletteOf(context.brandKit)) allowed.add(pair.dark);
    return {
      style(declaration) {
        if (
          declaration.property === 'font-family' ||
          declaration.property === 'font-size' ||
          declaration.property === 'font'
        )
          return;
        const hex = normalizeColor(declaration.value);
        if (hex === undefined || allowed.has(hex) || inPalette(context.brandKit, hex)) return;
        const nearest = paletteByDistance(context.brandKit, hex)[0];
        if (nearest === undefined) return;
        const change = replaceDeclaration(declaration.ref, nearest.hex, `Use ${nearest.name} ${nearest.hex}`);
        context.report({
          messageId: 'offPalette',
          data: { value: declaration.value, name: nearest.name, nearest: nearest.hex, deltaE: nearest.deltaE },
          at: { location: { ...declaration.ref.location, start: declaration.ref.start, end: declaration.ref.end } },
          fix: nearest.deltaE <= context.options.fixMaxDeltaE ? change : undefined,
          suggest: [change],
          facts: { color: hex, nearest: nearest.hex, deltaE: nearest.deltaE },
        });
      },
    };
  },
});

function familyPart(property: string, value: string): string | undefined {
  if (property === 'font-family') return value;
  // `font: italic bold 14px/1.4 "Inter", sans-serif`: families follow the size.
  const m = /(?:^|\s)[\d.]+(?:px|pt|em|rem|%)(?:\/\S+)?\s+(.+)$/i.exec(value);
  return m?.[1];
}

export const fontFamily = defineRule<{ allow: string[] }>({
  meta: {
    type: 'problem',
    docs: {
      description: 'Every family in a font stack is a brand font, one of its fallbacks, or a generic family',
      recommended: true,
    },
    messages: { notAllowed: 'Font "{{family}}" is not a brand font (allowed: {{allowed}})' },
    schema: z
      .object({ allow: z.array(z.string()).default([]) })
      .strict()
      .default({ allow: [] }),
  },
  create(context) {
    const allowed = new Map<string, string>();
    for (const font of context.brandKit.fonts) {
      allowed.set(font.family.toLowerCase(), font.family);
      for (const f of font.fallbacks) allowed.set(f.toLowerCase(), f);
    }
    for (const f of context.options.allow) allowed.set(f.toLowerCase(), f);
    const list = [...new Set(allowed.values())].join(', ') || 'none declared';
    return {
      style(declaration) {
        if (declaration.property !== 'font-family' && declaration.property !== 'font') return;
        const part = familyPart(declaration.property, declaration.value);
        if (part === undefined || allowed.size === 0) return;
        for (const family of fontFamilies(part)) {
          const key = family.toLowerCase();
          if (allowed.has(key) || GENERIC_FAMILIES.has(key) || key === 'inherit') continue;
          context.report({
            messageId: 'notAllowed',
            data: { family, allowed: list },
            at: { location: { ...declaration.ref.location, start: declaration.ref.start, end: declaration.ref.end } },
            facts: { family },
          });
        }
      },
    };
  },
});

export const fontSize = defineRule<{ min?: number | undefined }>({
  meta: {
    type: 'problem',
    docs: {
      description: 'Visible text is at least `brandKit.typography.minFontSizePx` (or `options.min`) pixels',
      recommended: true,
    },
    messages: { tooSmall: 'Text is {{size}}px; the brand minimum is {{min}}px' },
    schema: z.object({ min: z.number().positive().optional() }).strict().default({}),
  },
  create(context) {
    const min = context.options.min ?? context.brandKit.typography.minFontSizePx;
    return {
      end() {
        for (const unit of context.document.visual) {
          for (const segment of unit.segments ?? []) {
            const size = segment.fontSizePx;
            if (size === undefined || size <= 0 || size >= min) continue;
            const span = visibleSpan(unit, segment);
            if (span === undefined) continue;
            context.report({
              messageId: 'tooSmall',
              data: { size: Math.round(size * 100) / 100, min },
              at: { unit, ...span },
              facts: { sizePx: size },
            });
          }
        }
      },
    };
  },
});

const contrastOfPair = memoize((pair) => {
  const [color = '', background = ''] = pair.split('/');
  return Math.floor(wcagContrast(color, background) * 100) / 100;
});

/** WCAG contrast of two hex colours, floored to 2 decimals (memoized: emails reuse a few pairs). */
function contrastRatio(color: string, background: string): number {
  return contrastOfPair(`${color}/${background}`);
}

export const contrast = defineRule<ContrastOptions>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Text contrasts with its background at least 4.5:1 (3:1 for large text, WCAG 2.2 SC 1.4.3); suggests the nearest palette colour that passes',
      recommended: true,
    },
    hasSuggestions: true,
    messages: { lowContrast: 'Contrast of {{color}} on {{background}} is {{ratio}}:1; at least {{min}}:1 is required' },
    schema: contrastOptionsSchema,
  },
  create(context) {
    return {
      end() {
        for (const unit of context.document.visual) {
          const seen = new Set<string>();
          for (const { segment, color, background, large, required, start, end } of textRuns(unit, context.options)) {
            const ratio = contrastRatio(color, background);
            if (ratio >= required || seen.has(`${color}/${background}`)) continue;
            seen.add(`${color}/${background}`);
            const declaration = segment.colorDeclaration;
            const better = paletteByDistance(context.brandKit, color).find(
              (p) => contrastRatio(normalizeColor(p.hex) ?? p.hex, background) >= required,
            );
            context.report({
              messageId: 'lowContrast',
              data: { color, background, ratio, min: required },
              at: { unit, start, end },
              suggest:
                declaration !== undefined && better !== undefined
                  ? [
                      replaceDeclaration(
                        declaration,
                        better.hex,
                        `Use ${better.name} ${better.hex} (contrast ${contrastRatio(normalizeColor(better.hex) ?? better.hex, background)}:1)`,
                      ),
                    ]
                  : undefined,
              facts: { color, background, ratio, required, large },
            });
          }
        }
      },
    };
  },
});
