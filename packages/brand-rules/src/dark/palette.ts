import { clampChroma, converter, formatHex, wcagContrast } from 'culori';
import { normalizeHexColor, type BrandKit, type DarkColorPair, type DarkPalette } from '@hubspoke/core';

const toOklch = converter('oklch');

/** mjml's defaults (text `#000000`) and the commonest page colour: mapped whenever the scheme is generated. */
const DEFAULTS = ['#ffffff', '#000000'] as const;

/** OKLCH lightness a white surface gets in dark mode (not pure black, which smears on OLED screens). */
const DARK_SURFACE_L = 0.2;
/** OKLCH lightness black text gets in dark mode (not pure white, which glares), before contrast asks for more. */
const LIGHT_INK_L = 0.93;

function contrast(a: string, b: string): number {
  return wcagContrast(a, b);
}

/** A colour is a surface (light, text goes on it) when black text on it contrasts more than white. */
export function isLight(hex: string): boolean {
  return contrast(hex, '#000000') >= contrast(hex, '#ffffff');
}

function hexAt(l: number, c: number, h: number | undefined): string {
  return formatHex(clampChroma({ mode: 'oklch', l, c, h: h ?? 0 }, 'oklch'));
}

/**
 * The dark counterpart of `light`: lightness mirrored in OKLCH (hue kept, chroma clamped to the
 * sRGB gamut), then moved away from `against` until the pair contrasts at least `target`.
 * Surfaces (light colours) go dark and inks go light, unless `toward` says which way.
 * Returns the best colour found when the target cannot be met.
 */
export function darkCounterpart(
  light: string,
  against: string,
  target: number,
  toward: 'dark' | 'light' = isLight(light) ? 'dark' : 'light',
): string {
  const lch = toOklch(light);
  if (lch === undefined) return light;
  const surface = toward === 'dark';
  const c = Math.min(lch.c, surface ? 0.04 : 0.2);
  // Surfaces go dark, inks go light: lightness mirrored, kept off pure black and white.
  let l = surface
    ? Math.min(Math.max(1 - lch.l + DARK_SURFACE_L, DARK_SURFACE_L), 0.4)
    : Math.min(Math.max(1 - lch.l, 0.6), LIGHT_INK_L);
  let best = hexAt(l, c, lch.h);
  let bestRatio = contrast(best, against);
  for (let i = 0; i < 100 && bestRatio < target; i += 1) {
    l = surface ? l - 0.01 : l + 0.01;
    if (l < 0 || l > 1) break;
    const next = hexAt(l, c, lch.h);
    const ratio = contrast(next, against);
    if (ratio > bestRatio) {
      best = next;
      bestRatio = ratio;
    }
  }
  return best;
}

function roleHex(kit: BrandKit, role: 'background' | 'text'): string | undefined {
  const hex = kit.palette.find((p) => p.role === role)?.hex;
  return hex === undefined ? undefined : normalizeHexColor(hex);
}

/**
 * The brand's dark scheme as light → dark pairs, for `render(…, { darkMode })`: the kit's
 * explicit `darkMode.pairs` first, then (with `generate`) a counterpart for every palette colour
 * and for `#ffffff`/`#000000` that has none. Generated colours keep the contrast the light colour
 * had, up to `minContrast`: an ink against the dark background, a surface against the dark text.
 * Empty when the kit has no `darkMode`.
 */
export function darkPalette(kit: BrandKit): DarkPalette {
  const mode = kit.darkMode;
  if (mode === undefined) return [];
  const map = new Map<string, string>();
  for (const pair of mode.pairs) {
    const light = normalizeHexColor(pair.light);
    const dark = normalizeHexColor(pair.dark);
    if (light !== undefined && dark !== undefined && !map.has(light)) map.set(light, dark);
  }
  const lightBackground = roleHex(kit, 'background') ?? '#ffffff';
  // A brand whose page is already dark has no light scheme to turn: only its explicit pairs apply.
  if (mode.generate && isLight(lightBackground)) {
    const lightText = roleHex(kit, 'text') ?? '#000000';
    const target = (ratio: number) => Math.min(ratio, mode.minContrast);
    // The page and the body text first: every other colour is measured against them.
    const darkBackground = map.get(lightBackground) ?? darkCounterpart(lightBackground, '#ffffff', 1);
    map.set(lightBackground, darkBackground);
    const darkText =
      map.get(lightText) ??
      darkCounterpart(lightText, darkBackground, target(contrast(lightText, lightBackground)), 'light');
    map.set(lightText, darkText);
    const colours = [...kit.palette.map((p) => normalizeHexColor(p.hex)), ...DEFAULTS];
    for (const light of colours) {
      if (light === undefined || map.has(light)) continue;
      const dark = isLight(light)
        ? darkCounterpart(light, darkText, target(contrast(lightText, light)))
        : darkCounterpart(light, darkBackground, target(contrast(light, lightBackground)));
      map.set(light, dark);
    }
  }
  return [...map].map(([light, dark]): DarkColorPair => ({ light, dark }));
}

/** A colour as the dark scheme shows it (unchanged when the scheme has no pair for it). */
export function inDark(palette: DarkPalette, hex: string): string {
  const key = normalizeHexColor(hex) ?? hex;
  return palette.find((p) => p.light === key)?.dark ?? key;
}
