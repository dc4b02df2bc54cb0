import { TemplateSchema, isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, mjml, newsletter } from '../__fixtures__/fixtures.js';
import { loadMjml } from '../mjml/load.js';
import { parseSourceTree, walkElements } from './source-tree.js';
import { parseTemplate } from './parse-template.js';

function errorsOf(source: string) {
  const result = parseTemplate(source, { file: 'x.mjml' });
  expect(result.ok).toBe(false);
  return result.diagnostics.filter((d) => d.severity === 'error');
}

describe('parseTemplate', () => {
  it('reads the newsletter: modules, slots, locks, repeat bounds, head fields, fallbacks', () => {
    const t = newsletter();
    expect(TemplateSchema.parse(t)).toEqual(t);
    expect(t).toMatchObject({
      id: 'newsletter',
      version: 3,
      name: 'Monthly newsletter',
      defaultLocale: 'en',
      ordering: 'declared',
    });
    expect(t.fallbacks).toEqual({ 'de-AT': ['de', 'en'], 'fr-CA': ['fr', 'en'] });
    expect(t.modules.map((m) => m.id)).toEqual([
      'header',
      'hero',
      'intro',
      'features',
      'article',
      'quote',
      'events',
      'promo',
      'social',
      'footer',
    ]);
    const header = t.modules[0]!;
    expect(header).toMatchObject({ lock: 'locked', pinned: true, position: 'start', occurs: { min: 1, max: 1 } });
    expect(t.modules.find((m) => m.id === 'article')?.occurs).toEqual({ min: 1, max: 4 });
    expect(t.subject).toEqual({ maxLength: 90, required: true, lock: 'editable', default: 'News from Northwind' });
    expect(t.preheader).toMatchObject({ maxLength: 140, required: false, default: 'What is new this month' });
    expect(t.head).toContain('<mj-attributes>');
    expect(t.head).not.toContain('mj-title');
    expect(t.bodyAttributes).toEqual({ width: '600px', 'background-color': '#f4f6f8' });
  });

  it('derives every kind of slot with its constraints and default', () => {
    const t = newsletter();
    const slots = Object.fromEntries(t.modules.flatMap((m) => m.slots.map((s) => [`${m.id}.${s.id}`, s])));
    expect(slots['hero.headline']).toMatchObject({
      kind: 'text',
      maxLength: 60,
      required: true,
      default: 'Spring is here',
    });
    expect(slots['intro.body']).toMatchObject({
      kind: 'richText',
      maxLength: 1200,
      default: '<p>This month we look at <strong>three ways</strong> to plan your quarter.</p>',
    });
    expect(slots['article.photo']).toMatchObject({
      kind: 'image',
      minWidth: 120,
      maxWidth: 240,
      allowedDomains: ['cdn.northwind.example'],
      default: { src: 'https://cdn.northwind.example/a/default.jpg', alt: 'Team at a whiteboard', width: 200 },
    });
    expect(slots['hero.cta']).toMatchObject({
      kind: 'link',
      maxTextLength: 30,
      allowedDomains: ['northwind.example', '*.northwind.example'],
      default: { href: 'https://northwind.example/spring', text: 'Read the issue' },
    });
    expect(slots['quote.bg']).toMatchObject({ kind: 'color', paletteOnly: true, default: '#e6f0fa' });
    expect(slots['quote.quote']).toMatchObject({ multiline: true });
    expect(slots['promo.terms']).toMatchObject({ lock: 'locked' });
    expect(slots['hero.headline']?.sourceLine).toBe(30);
  });

  it('reads boolean and list slots and custom locks', () => {
    const t = parseTemplate(
      mjml(`<mj-section hs-module="m" hs-lock="custom(text: enabled, href: locked, visible: enabled, value: hidden)"><mj-column>
  <mj-text hs-slot="note" hs-kind="boolean" hs-default="false">Note</mj-text>
  <mj-image hs-slot="align" hs-kind="list" hs-options="left, center, right" hs-attr="align" align="center" src="https://x.example/a.png" alt="A" />
  <mj-button hs-slot="cta" hs-kind="link" href="https://x.example">Go</mj-button>
</mj-column></mj-section>`),
    );
    expect(t.ok).toBe(true);
    const m = t.template?.modules[0];
    expect(m?.lock).toEqual({ custom: { text: 'enabled', href: 'locked', visible: 'enabled', value: 'hidden' } });
    expect(m?.slots.map((s) => [s.id, s.kind, s.default])).toEqual([
      ['note', 'boolean', false],
      ['align', 'list', 'center'],
      ['cta', 'link', { href: 'https://x.example', text: 'Go' }],
    ]);
  });

  it('accepts what mjml repairs (never-closed elements, stray closing tags) with a warning at the line and column', () => {
    const warningsOf = (source: string) => {
      const result = parseTemplate(source, { file: 'x.mjml' });
      expect(result.ok).toBe(true);
      return result.diagnostics.filter((d) => d.ruleId === 'template/malformed');
    };
    const [unclosed] = warningsOf(
      mjml('<mj-section hs-module="a">\n  <mj-column>\n    <mj-text>x</mj-text>\n</mj-section>'),
    );
    expect(unclosed).toMatchObject({ severity: 'warning', location: { line: 5, column: 3, file: 'x.mjml' } });
    expect(unclosed?.message).toContain('<mj-column> is never closed');
    const stray = warningsOf(mjml('<mj-section hs-module="a"><mj-column></mj-column></mj-column></mj-section>'));
    expect(stray[0]).toMatchObject({ severity: 'warning', location: { line: 4 } });
    expect(stray[0]?.message).toContain('</mj-column> closes nothing');
    // Inside an ending tag the content is raw HTML for mjml: nothing to report.
    expect(
      warningsOf(mjml('<mj-section hs-module="a"><mj-column><mj-text>a</div>b<p>c</mj-text></mj-column></mj-section>')),
    ).toEqual([]);
    expect(errorsOf('<mj-section></mj-section>')[0]?.ruleId).toBe('template/malformed');
  });

  it('reads closing tags written with whitespace before ">" (formatter output) with the right offsets', () => {
    const source = mjml(
      '<mj-section hs-module="a"\n  ><mj-column\n    ><mj-text hs-slot="t" hs-kind="richText"\n      >See <a href="https://x.example/">here</a\n      ></mj-text\n    ></mj-column\n  ></mj-section\n>',
    );
    const result = parseTemplate(source);
    expect(result.diagnostics).toEqual([]);
    const slot = result.template?.modules[0]?.slots[0];
    expect(slot).toMatchObject({ kind: 'richText', default: 'See <a href="https://x.example/">here</a\n      >' });
    const tree = parseSourceTree(source);
    for (const e of walkElements(tree.nodes)) {
      expect(source.slice(e.start, e.openEnd)).toMatch(new RegExp(`^<${e.name}[\\s>]`));
      if (e.end > e.openEnd) expect(source.slice(e.closeStart, e.end)).toMatch(new RegExp(`^</${e.name}\\s*>$`));
    }
  });

  it('reports MJML validation errors from mjml itself at the element', () => {
    const [e] = errorsOf(
      mjml('<mj-section hs-module="a">\n<mj-column>\n  <mj-frobnicate />\n</mj-column></mj-section>'),
    );
    expect(e).toMatchObject({ ruleId: 'mjml/invalid', location: { line: 6, column: 3 } });
  });

  it('reports unknown kinds, duplicate ids, bad bindings and lock conflicts at the slot', () => {
    const diagnostics = errorsOf(
      mjml(`<mj-section hs-module="a" hs-lock="locked"><mj-column>
  <mj-text hs-slot="x" hs-kind="paragraph">x</mj-text>
  <mj-text hs-slot="y" hs-kind="text">one</mj-text>
  <mj-text hs-slot="y" hs-kind="text">two</mj-text>
  <mj-text hs-slot="z" hs-kind="text"><b>bold</b></mj-text>
  <mj-text hs-slot="w" hs-kind="text" hs-lock="editable">w</mj-text>
  <mj-divider hs-slot="v" hs-kind="text" />
</mj-column></mj-section>`),
    );
    const by = (rule: string) => diagnostics.filter((d) => d.ruleId === rule);
    expect(by('template/unknown-kind')[0]?.location).toMatchObject({ line: 5, column: 3, moduleId: 'a', slotId: 'x' });
    expect(by('template/duplicate-slot')[0]?.location).toMatchObject({ line: 7, slotId: 'y' });
    expect(by('template/slot-binding').map((d) => d.location.slotId)).toEqual(['z', 'v']);
    expect(by('template/lock-conflict')[0]).toMatchObject({ location: { line: 9, slotId: 'w' } });
    expect(by('template/lock-conflict')[0]?.message).toContain('locked');
  });

  it('requires modules, ids and rejects includes and stray hs attributes', () => {
    const diagnostics = errorsOf(
      mjml(
        '<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>\n<mj-section hs-module="b" hs-frob="1"><mj-column><mj-include path="../../etc/passwd" /><mj-text hs-max="3">x</mj-text></mj-column></mj-section>',
        '',
        'hs-version="x"',
      ),
    );
    const rules = diagnostics.map((d) => d.ruleId);
    expect(rules).toEqual(
      expect.arrayContaining([
        'template/module-missing-id',
        'template/missing-id',
        'template/include',
        'template/unknown-attribute',
        'template/invalid-attribute',
      ]),
    );
    expect(diagnostics.filter((d) => d.ruleId === 'template/unknown-attribute')).toHaveLength(2);
  });

  it('checks slot defaults: personalization syntax, colours, list options', () => {
    const diagnostics = errorsOf(
      mjml(`<mj-section hs-module="a" background-color="red" hs-slot="bg" hs-kind="color" hs-attr="background-color"><mj-column>
  <mj-text hs-slot="t" hs-kind="text">Hi {{ contact.firstName | upcase }}</mj-text>
  <mj-text hs-slot="l" hs-kind="list" hs-options="a, b">c</mj-text>
</mj-column></mj-section>`),
    );
    expect(diagnostics.map((d) => d.ruleId).sort()).toEqual([
      'personalization/syntax',
      'template/slot-default',
      'template/slot-default',
    ]);
    expect(diagnostics.find((d) => d.ruleId === 'personalization/syntax')?.message).toContain(
      'unknown filter "upcase"',
    );
  });

  it('rejects ordering declarations that cannot be satisfied', () => {
    const diagnostics = errorsOf(
      mjml(
        '<mj-section hs-module="a"><mj-column /></mj-section><mj-section hs-module="h" hs-position="start"><mj-column /></mj-section>',
      ),
    );
    expect(diagnostics[0]?.ruleId).toBe('template/order-conflict');
  });

  it('warns (and ignores) lang and dir on <mjml>', () => {
    const result = parseTemplate(
      mjml('<mj-section hs-module="a"><mj-column /></mj-section>', '', 'hs-id="t" lang="de"'),
    );
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ ruleId: 'template/ignored-attribute', severity: 'warning' }),
    ]);
  });

  it('has test templates that together use every mj-* component MJML ships', () => {
    const used = new Set(
      ['newsletter.mjml', 'event-invite.mjml'].flatMap((f) =>
        [...walkElements(parseSourceTree(fixture(f)).nodes)].map((e) => e.name),
      ),
    );
    const shipped = [
      ...Object.keys(loadMjml().components),
      'mjml',
      'mj-all',
      'mj-class',
      'mj-selector',
      'mj-html-attribute',
    ];
    expect(shipped.filter((c) => !used.has(c))).toEqual([]);
    expect(shipped.length).toBeGreaterThanOrEqual(35);
  });

  it('throws E_VALIDATION for a non-string source', () => {
    expect(() => parseTemplate(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
    try {
      parseTemplate(null as unknown as string);
    } catch (e) {
      expect(isHubspokeError(e, 'E_VALIDATION')).toBe(true);
    }
  });

  it('never throws on arbitrary or mangled input (property)', () => {
    const source = fixture('newsletter.mjml');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .tuple(fc.nat(source.length), fc.nat(source.length), fc.string())
            .map(([a, b, s]) => source.slice(0, Math.min(a, b)) + s + source.slice(Math.max(a, b))),
        ),
        (input) => {
          const result = parseTemplate(input);
          expect(typeof result.ok).toBe('boolean');
          if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          for (const d of result.diagnostics) expect(d.location.line ?? 1).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});
