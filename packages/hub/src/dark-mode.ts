import { darkPalette } from '@hubspoke/brand-rules';
import type { BrandKit, DarkPalette } from '@hubspoke/core';

const palettes = new WeakMap<BrandKit, DarkPalette>();

/**
 * The render option for the brand's dark scheme (`brandKit.darkMode` resolved by brand-rules'
 * `darkPalette`), or nothing when the kit has none: every render of the hub (checks, previews,
 * pushes) carries the same dark-mode CSS.
 */
export function darkModeOption(kit: BrandKit): { darkMode?: DarkPalette } {
  let palette = palettes.get(kit);
  if (palette === undefined) palettes.set(kit, (palette = darkPalette(kit)));
  return palette.length === 0 ? {} : { darkMode: palette };
}
