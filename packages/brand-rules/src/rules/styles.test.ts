import { describe, expect, it } from 'vitest';
import { draftWith, kit, only, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';

const NOW = '2026-06-01';
const html = (slotHtml: string, config: LintConfig, extra: Parameters<typeof renderedEmail>[0] = {}) =>
  lint({
    brandKit: kit,
    template,
    rendered: renderedEmail({ slots: [{ instanceId: 'hero-1', slotId: 'copy', html: slotHtml }], ...extra }),
    config,
    now: NOW,
  });

describe('brand/palette', () => {
  const config = only('brand/palette') as LintConfig;

  it('accepts palette colours in any notation and flags others with the nearest palette colour by CIEDE2000', () => {
    expect(html('<p style="color:#1a1a1a;background:rgb(255,255,255)">ok</p>', config).diagnostics).toHaveLength(0);
    const result = html('<p style="color:#0a5ef0">off</p>', config);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d?.message).toMatch(/^#0a5ef0 is not a palette colour; nearest is Acme Blue #0B5FFF \(ΔE2000 [\d.]+\)$/);
    expect(d?.fix).toBeUndefined();
    expect(d?.suggestions?.[0]?.edits[0]?.text).toBe('#0B5FFF');
  });

  it('checks bgcolor attributes, shorthands, border colours and <style> blocks', () => {
    const result = html(
      '<table bgcolor="#ff0000"><tr><td style="border:1px solid #00ff00">x</td></tr></table>',
      config,
      { head: '.x { color: #123456 }' },
    );
    expect(result.diagnostics.map((d) => d.data?.color).sort()).toEqual(['#00ff00', '#123456', '#ff0000']);
  });

  it('fixes near-identical colours within fixMaxDeltaE, and fixing twice changes nothing more', () => {
    const cfg = { rules: { 'brand/palette': ['error', { fixMaxDeltaE: 2 }] } } as LintConfig;
    const result = html('<p style="color:#0b5ffe">near</p><p style="color:#ff0000">far</p>', cfg, { head: '' });
    expect(result.fixed).toBeUndefined();
    const fixed = lint({
      brandKit: kit,
      template,
      rendered: renderedEmail({
        slots: [
          {
            instanceId: 'hero-1',
            slotId: 'copy',
            html: '<p style="color:#0b5ffe">near</p><p style="color:#ff0000">far</p>',
          },
        ],
        head: '',
      }),
      config: cfg,
      now: NOW,
      fix: true,
    });
    expect(fixed.fixed?.rendered[0]?.html).toContain('color:#0B5FFF">near');
    expect(fixed.diagnostics.map((d) => d.data?.color)).toEqual(['#ff0000']);
    const again = lint({ brandKit: kit, template, rendered: fixed.fixed?.rendered, config: cfg, now: NOW, fix: true });
    expect(again.fixed?.edits).toBe(0);
  });

  it('checks colour slots in drafts, and allows extra colours from options', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].accent = '#FF0000';
    });
    const result = lint({ brandKit: kit, template, draft, config, now: NOW });
    expect(result.diagnostics[0]?.location).toMatchObject({ source: 'draft', slotId: 'accent' });
    expect(
      lint({
        brandKit: kit,
        template,
        draft,
        config: { rules: { 'brand/palette': ['error', { allow: ['#f00'] }] } },
        now: NOW,
      }).diagnostics,
    ).toHaveLength(0);
  });

  it('reports a colour slot once, against the slot, though the renderer wrote its value into several attributes', () => {
    // MJML writes a section's background into bgcolor and into the style attribute; the renderer's
    // spans cover each copy of the value, not the tag.
    const base = renderedEmail({ slots: [] });
    const at = base.html.indexOf('</div></body>');
    const pieces = ['<table bgcolor="', '#FF0000', '" style="background:', '#FF0000', ';"><tr><td>x</td></tr></table>'];
    let html = base.html.slice(0, at);
    const slotSpans = [];
    for (const [i, piece] of pieces.entries()) {
      if (i % 2 === 1)
        slotSpans.push({
          instanceId: 'hero-1',
          slotId: 'accent',
          property: 'color',
          start: html.length,
          end: html.length + piece.length,
        });
      html += piece;
    }
    const rendered = { ...base, html: html + base.html.slice(at), slotSpans };
    const alone = lint({ brandKit: kit, template, rendered, config, now: NOW }).diagnostics;
    expect(alone).toHaveLength(2);
    for (const d of alone) expect(d.location).toMatchObject({ source: 'html', instanceId: 'hero-1', slotId: 'accent' });

    const draft = draftWith((en) => {
      en.slots['hero-1'].accent = '#FF0000';
    });
    const both = lint({ brandKit: kit, template, draft, rendered, config, now: NOW }).diagnostics;
    expect(both).toHaveLength(1);
    expect(both[0]?.location).toMatchObject({ source: 'draft', instanceId: 'hero-1', slotId: 'accent' });
  });

  it('ignores transparent, inherit and colours inside MSO conditional comments', () => {
    expect(
      html(
        '<!--[if mso]><table bgcolor="#ff0000"><![endif]--><p style="color:inherit;background:transparent">x</p>',
        config,
      ).diagnostics,
    ).toHaveLength(0);
  });
});

describe('brand/font-family and brand/font-size', () => {
  it('allows brand fonts, their fallbacks and generic families only', () => {
    const config = only('brand/font-family') as LintConfig;
    expect(html('<p style="font-family:\'Inter\', Arial, sans-serif">ok</p>', config).diagnostics).toHaveLength(0);
    const result = html(
      '<p style="font-family:Ubuntu, Helvetica, Arial, sans-serif">x</p><p style="font:bold 16px/1.4 Comic Sans MS, cursive">y</p>',
      config,
    );
    expect(result.diagnostics.map((d) => d.data?.family)).toEqual(['Ubuntu', 'Comic Sans MS']);
  });

  it('flags visible text below the minimum size but not zero-size layout wrappers', () => {
    const config = only('brand/font-size') as LintConfig;
    expect(html('<div style="font-size:0px"><p style="font-size:14px">ok</p></div>', config).diagnostics).toHaveLength(
      0,
    );
    const result = html('<p style="font-size:10pt">small print</p><p style="font-size:0.5em">tiny</p>', config);
    expect(result.diagnostics.map((d) => d.data?.sizePx)).toEqual([40 / 3, 8]);
    expect(result.diagnostics[0]?.message).toBe('Text is 13.33px; the brand minimum is 14px');
    expect(
      lint({
        brandKit: kit,
        template,
        rendered: renderedEmail({
          slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<p style="font-size:13px">x</p>' }],
        }),
        config: { rules: { 'brand/font-size': ['error', { min: 12 }] } },
        now: NOW,
      }).diagnostics,
    ).toHaveLength(0);
  });

  it('applies <style> rules in the head: a class can make text too small, inline styles win', () => {
    const config = only('brand/font-size') as LintConfig;
    const head = '.fine-print { font-size: 11px } @media (max-width:480px) { p { font-size: 8px !important } }';
    const result = html(
      '<p class="fine-print">terms apply</p><p class="fine-print" style="font-size:14px">ok</p><p>normal</p>',
      config,
      { head },
    );
    expect(result.diagnostics.map((d) => [d.data?.sizePx, d.location.line !== undefined])).toEqual([[11, true]]);
  });

  it('does not check text hidden with display:none (the preheader)', () => {
    const config = only('brand/font-size') as LintConfig;
    // The fixture's hidden preheader div has font-size:1px.
    expect(html('<p>ok</p>', config).diagnostics).toHaveLength(0);
  });
});

describe('brand/contrast', () => {
  const config = only('brand/contrast') as LintConfig;

  it('passes dark text on light backgrounds and flags low contrast with a palette suggestion', () => {
    expect(html('<p style="color:#1A1A1A">fine</p>', config).diagnostics).toHaveLength(0);
    const result = html('<p style="color:#aaaaaa">grey on white</p>', config);
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d?.data).toMatchObject({ color: '#aaaaaa', background: '#ffffff', required: 4.5, large: false });
    expect(d?.suggestions?.[0]?.edits[0]?.text).toMatch(/^#/);
  });

  it('uses 3:1 for large text and inherits backgrounds from ancestors (bgcolor)', () => {
    // #767676 on white is 4.54:1, #949494 is 3.03:1.
    expect(html('<h1 style="color:#949494;font-size:24px">Big</h1>', config).diagnostics).toHaveLength(0);
    expect(html('<p style="color:#949494;font-size:16px">small</p>', config).diagnostics).toHaveLength(1);
    const dark = html(
      '<table bgcolor="#1A1A1A"><tr><td><p style="color:#0B5FFF">blue on ink</p></td></tr></table>',
      config,
    );
    expect(dark.diagnostics[0]?.data).toMatchObject({ color: '#0b5fff', background: '#1a1a1a' });
  });

  it('uses colours and backgrounds from <style> rules, suggesting a fix at the rule', () => {
    const head =
      'body { margin:0 } .muted { color: #aaaaaa } td.dark { background-color: #1A1A1A } .on-dark { color: #FFFFFF }';
    const result = html(
      '<p class="muted">grey on white</p><table><tr><td class="dark"><p class="on-dark">white on ink</p><p>ink on ink</p></td></tr></table>',
      config,
      { head },
    );
    expect(result.diagnostics.map((d) => [d.data?.color, d.data?.background])).toEqual([
      ['#aaaaaa', '#ffffff'],
      ['#1a1a1a', '#1a1a1a'],
    ]);
    const edit = result.diagnostics[0]?.suggestions?.[0]?.edits[0];
    const rendered = renderedEmail({ slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '' }], head });
    expect(rendered.html.slice(edit?.start, edit?.end)).toBe('#aaaaaa');
  });

  it('treats unstyled links as browser blue', () => {
    const result = html(
      '<table bgcolor="#0B5FFF"><tr><td><a href="https://acme.example">link</a></td></tr></table>',
      config,
    );
    expect(result.diagnostics[0]?.data).toMatchObject({ color: '#0000ee' });
  });
});
