import { describe, expect, it } from 'vitest';
import { BrandKitSchema } from '@hubspoke/core';
import { darkPalette, inDark } from '../dark/palette.js';
import { kit, only, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';

const NOW = '2026-06-01';
const run = (slotHtml: string, config: LintConfig, brandKit: unknown) =>
  lint({
    brandKit,
    template,
    rendered: renderedEmail({ slots: [{ instanceId: 'hero-1', slotId: 'copy', html: slotHtml }] }),
    config,
    now: NOW,
  });

describe('brand/dark-contrast', () => {
  const config = only('brand/dark-contrast') as LintConfig;

  it('does nothing for a kit without a dark scheme', () => {
    expect(run('<p style="color:#0B5FFF">blue</p>', config, kit).diagnostics).toEqual([]);
  });

  it('passes the generated scheme and flags a colour an explicit pair made unreadable, suggesting its pair', () => {
    const generated = { ...kit, darkMode: {} };
    expect(run('<p style="color:#0B5FFF">blue</p><p>ink</p>', config, generated).diagnostics).toEqual([]);
    // The page turns dark, but blue is kept as it is (an explicit pair to itself): 3.52:1 on #161616.
    const pinned = { ...kit, darkMode: { pairs: [{ light: '#0B5FFF', dark: '#0B5FFF' }] } };
    const result = run('<p style="color:#0B5FFF">Blue words</p>', config, pinned);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d?.message).toMatch(
      /^In dark mode, #0b5fff on #ffffff shows as #0b5fff on #[0-9a-f]{6}: contrast [\d.]+:1, at least 4\.5:1 is required; pair #0b5fff with #[0-9a-f]{6} in darkMode\.pairs \([\d.]+:1\)$/,
    );
    const data = d?.data as { suggestedPair: { dark: string }; ratio: number } | undefined;
    expect(data?.ratio).toBeLessThan(4.5);
    // The suggestion passes when adopted.
    const fixed = { ...kit, darkMode: { pairs: [{ light: '#0B5FFF', dark: data?.suggestedPair.dark ?? '' }] } };
    expect(run('<p style="color:#0B5FFF">Blue words</p>', config, fixed).diagnostics).toEqual([]);
  });

  it('leaves text that fails in light mode to brand/contrast', () => {
    const generated = { ...kit, darkMode: { pairs: [{ light: '#aaaaaa', dark: '#222222' }] } };
    expect(run('<p style="color:#aaaaaa">grey on white</p>', config, generated).diagnostics).toEqual([]);
  });
});

describe('brand/dark-image', () => {
  const config = only('brand/dark-image') as LintConfig;
  const transparentLogo = [{ id: 'main', url: 'https://cdn.acme.example/logo.png', alt: 'Acme', transparent: true }];

  it('flags a logo the kit marks transparent on a background that turns dark, suggesting an opaque logo', () => {
    const withOpaque = {
      ...kit,
      darkMode: {},
      logos: [...transparentLogo, { id: 'boxed', url: 'https://cdn.acme.example/logo-boxed.png', alt: 'Acme' }],
    };
    const result = run('<p>Hi</p>', config, withOpaque);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d?.message).toMatch(
      /^Image https:\/\/cdn\.acme\.example\/logo\.png has transparent areas and sits on #f4f6fa, which is #[0-9a-f]{6} in dark mode/,
    );
    expect(d?.data).toMatchObject({ background: '#f4f6fa', detectedBy: 'brand-kit flag' });
    expect(d?.suggestions?.[0]?.edits[0]?.text).toBe('https://cdn.acme.example/logo-boxed.png');
  });

  it('is quiet for opaque logos and when the background behind the logo stays light in dark mode', () => {
    expect(run('<p>Hi</p>', config, { ...kit, darkMode: {} }).diagnostics).toEqual([]);
    const kept = { ...kit, logos: transparentLogo, darkMode: { pairs: [{ light: '#F4F6FA', dark: '#F4F6FA' }] } };
    expect(run('<p>Hi</p>', config, kept).diagnostics).toEqual([]);
  });

  it('warns without a dark scheme too (clients that invert darken the page), and takes URLs a host found transparent', () => {
    const flagged = run('<p>Hi</p>', config, { ...kit, logos: transparentLogo }).diagnostics;
    expect(flagged[0]?.data).toMatchObject({ darkBackground: 'dark (inverted by the client)' });
    const byOption = run(
      '<p>Hi</p>',
      only(['brand/dark-image', ['error', { transparent: ['https://cdn.acme.example/logo.png'] }]]) as LintConfig,
      kit,
    ).diagnostics;
    expect(byOption[0]?.data).toMatchObject({ detectedBy: 'options.transparent' });
  });
});

describe('brand/palette with a dark scheme', () => {
  it('accepts the dark scheme’s colours in the dark-mode rules a rendered email carries', () => {
    const config = only('brand/palette') as LintConfig;
    const palette = darkPalette(BrandKitSchema.parse({ ...kit, darkMode: {} }));
    const page = inDark(palette, '#ffffff');
    const head = `body { margin:0 } @media (prefers-color-scheme: dark){.hs-db-ffffff{background-color:${page}!important}} [data-ogsb] .hs-db-ffffff{background-color:${page}!important}`;
    const rendered = renderedEmail({ slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<p>Hi</p>' }], head });
    const withScheme = lint({ brandKit: { ...kit, darkMode: {} }, template, rendered, config, now: NOW });
    expect(withScheme.diagnostics).toEqual([]);
    const without = lint({ brandKit: kit, template, rendered, config, now: NOW });
    expect(without.diagnostics.map((d) => d.data?.color)).toContain(page);
  });
});
