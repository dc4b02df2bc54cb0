import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kit, only, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';
import { parseSimpleSelector, parseStyleRules } from './css.js';
import { walkHtml } from './html-walker.js';
import { StyleSheetIndex } from './style-sheet.js';

/** The computed style of each text block: [text, colour, background, font px, bold]. */
function computed(head: string, body: string) {
  const html = `<html><head><style>${head}</style></head><body>${body}</body></html>`;
  return walkHtml(html, { location: { source: 'html' }, scopes: new Set() }).units.map(({ item }) => {
    const s = item.segments?.[0];
    return [item.text, s?.color, s?.background, s?.fontSizePx, s?.bold];
  });
}

describe('simple selectors and <style> rules', () => {
  it('parses type, class, id and universal selectors with their specificity; rejects the rest', () => {
    expect(parseSimpleSelector('p')).toEqual({ tag: 'p', id: undefined, classes: [], specificity: 1 });
    expect(parseSimpleSelector(' td.footer.small ')).toEqual({
      tag: 'td',
      id: undefined,
      classes: ['footer', 'small'],
      specificity: 201,
    });
    expect(parseSimpleSelector('#legal')).toEqual({ tag: undefined, id: 'legal', classes: [], specificity: 10_000 });
    expect(parseSimpleSelector('*')).toEqual({ tag: undefined, id: undefined, classes: [], specificity: 0 });
    for (const other of [
      '#outlook a',
      'p > a',
      'a:hover',
      '[x-apple-data-detectors]',
      'u + #body a',
      '.a ~ .b',
      '#a#b',
      '',
      'p::first-line',
    ])
      expect(parseSimpleSelector(other), other).toBeUndefined();
  });

  it('reads top-level rules and selector lists, skipping @media, @font-face, @import and comments', () => {
    const css =
      '@import url(x.css); /* p { color: red } */ p, .note, #outlook a { color: #111 } @media (max-width:480px) { p { color: #222 } } @font-face { font-family: X; src: url(x) } .x { font-size: 12px !important }';
    const rules = parseStyleRules(css, 100);
    expect(
      rules.map((r) => [
        r.selector.tag ?? r.selector.classes.join('.'),
        r.declarations.map((d) => `${d.property}:${d.value}${d.important === true ? '!' : ''}`).join(';'),
      ]),
    ).toEqual([
      ['p', 'color:#111'],
      ['note', 'color:#111'],
      ['x', 'font-size:12px!'],
    ]);
    const decl = rules[0]?.declarations[0];
    expect(css.slice((decl?.start ?? 0) - 100, (decl?.end ?? 0) - 100)).toBe('#111');
  });

  it('never throws on random CSS (property)', () => {
    const piece = fc.constantFrom(
      'p',
      '.a',
      '#b',
      '*',
      ' ',
      ',',
      '{',
      '}',
      ';',
      ':',
      'color',
      '#fff',
      '@media x',
      '/*',
      '*/',
      '!important',
      'font-size',
      '12px',
      '>',
      ':hover',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
        (css) => {
          for (const rule of parseStyleRules(css)) expect(rule.declarations.every((d) => d.start <= d.end)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the cascade the walker computes', () => {
  it('applies type, class and id rules to colour, background, size and weight', () => {
    expect(
      computed(
        'p { color: #111111; font-size: 12px } .cta { background: #0B5FFF; font-weight: bold } #legal { color: #777777 }',
        '<p>plain</p><p class="cta">button</p><p id="legal">small print</p>',
      ),
    ).toEqual([
      ['plain', '#111111', undefined, 12, false],
      ['button', '#111111', '#0b5fff', 12, true],
      ['small print', '#777777', undefined, 12, false],
    ]);
  });

  it('orders by specificity, then source order; inline styles beat rules; !important beats inline', () => {
    const head =
      '#a { color: #aaaaaa } .b { color: #bbbbbb } p { color: #cccccc } .c { color: #dddddd } .d { color: #eeeeee !important }';
    expect(
      computed(
        head,
        '<p id="a" class="b">id wins</p><p class="b c">later wins</p><p class="b" style="color:#123456">inline wins</p><p class="d" style="color:#123456">important wins</p><p class="d" style="color:#654321 !important">inline important wins</p>',
      ).map((u) => u[1]),
    ).toEqual(['#aaaaaa', '#dddddd', '#123456', '#eeeeee', '#654321']);
  });

  it('inherits into children, and hides text a class hides', () => {
    expect(
      computed(
        '.dark { color: #ffffff; background-color: #000000 } .hide { display: none }',
        '<div class="dark"><p>child</p></div><div class="hide">secret</div>',
      ),
    ).toEqual([['child', '#ffffff', '#000000', undefined, false]]);
  });

  const shown = (head: string, body: string) => computed(head, body).map((u) => u[0]);

  it('lets a more specific, later or inline display value show what a class hid', () => {
    expect(
      shown(
        '.hide { display: none } #shown { display: block }',
        '<p class="hide" id="shown">id wins</p><p class="hide">hidden</p>',
      ),
    ).toEqual(['id wins']);
    expect(shown('.hide { display: none }', '<p class="hide" style="display:block">inline wins</p>')).toEqual([
      'inline wins',
    ]);
    expect(
      shown(
        '.a { display: block } .b { display: none }',
        '<p class="a b">later hides</p><p class="b a">whatever the attribute order</p>',
      ),
    ).toEqual([]);
    expect(shown('.b { display: none } .a { display: block }', '<p class="a b">later shows</p>')).toEqual([
      'later shows',
    ]);
    expect(
      shown('.hide { display: none !important }', '<p class="hide" style="display:block">!important beats inline</p>'),
    ).toEqual([]);
    expect(
      shown('.o { opacity: 0 } #x { opacity: 1 }', '<p class="o" id="x">opaque again</p><p class="o">transparent</p>'),
    ).toEqual(['opaque again']);
  });

  it('keeps a hidden ancestor hiding its children; visibility:visible shows a child of a visibility:hidden parent', () => {
    expect(
      shown(
        '.hide { display: none } .show { display: block }',
        '<div class="hide"><p class="show">inside none</p></div>',
      ),
    ).toEqual([]);
    expect(shown('.o { opacity: 0 }', '<div class="o"><p style="opacity:1">inside transparent</p></div>')).toEqual([]);
    expect(
      shown(
        '.v { visibility: hidden } .back { visibility: visible }',
        '<div class="v">parent<p>inherits</p><p class="back">child shown</p><p style="visibility:inherit">inherit</p></div>',
      ),
    ).toEqual(['child shown']);
  });

  it('lints text a class hid and a more specific rule showed again', () => {
    const rendered = renderedEmail({
      head: '.hide { display: none } #shown { display: block }',
      slots: [
        {
          instanceId: 'hero-1',
          slotId: 'copy',
          html: '<p class="hide" id="shown">So cheap</p><p class="hide">Also cheap</p>',
        },
      ],
    });
    const result = lint({
      brandKit: kit,
      template,
      rendered,
      config: only('brand/banned-term') as LintConfig,
      now: '2026-06-01',
    });
    expect(result.diagnostics.map((d) => rendered.html.slice(d.location.start, (d.location.end ?? 0) + 4))).toEqual([
      'cheap</p>',
    ]);
  });

  it('caches matches by tag, id and class without mixing up an id with a class spelled like one', () => {
    const sheet = new StyleSheetIndex();
    sheet.add(parseStyleRules('#a { color: #111111 } .b { color: #222222 }'), () => ({
      location: { source: 'html' },
      start: 0,
      end: 0,
      value: '',
      property: 'color',
    }));
    const colours = (id: string | undefined, cls: string | undefined) =>
      sheet.match('p', id, cls)?.normal.map((d) => d.declaration.value);
    expect(colours('a', 'b')).toEqual(['#222222', '#111111']);
    expect(colours(undefined, '#a b')).toEqual(['#222222']);
    expect(colours('a', 'b')).toEqual(['#222222', '#111111']);
    expect(colours(undefined, '#a b')).toEqual(['#222222']);
  });

  it('ignores @media rules and selectors with combinators', () => {
    expect(
      computed(
        '@media (max-width:480px) { p { color: #ff0000 } } div p { color: #00ff00 } a:hover { color: #0000ff }',
        '<div><p>x</p></div>',
      ).map((u) => u[1]),
    ).toEqual([undefined]);
  });

  it('applies a rule only to elements after its <style>, as rendered HTML keeps styles in the head', () => {
    const html = '<p class="x">before</p><style>.x { color: #111111 }</style><p class="x">after</p>';
    expect(
      walkHtml(html, { location: { source: 'html' }, scopes: new Set() }).units.map((u) => u.item.segments?.[0]?.color),
    ).toEqual([undefined, '#111111']);
  });
});
