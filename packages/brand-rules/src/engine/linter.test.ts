import { DraftSchema, hybrid, isHubspokeError, RenderedEmailSchema, TemplateSchema } from '@hubspoke/core';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { cleanDraft, draftWith, kit, only, renderedEmail, template, withLocales } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { defineRule } from '../rules/define-rule.js';
import { applyBaseline, createBaseline, parseBaseline } from './baseline.js';
import { createLinter, lint } from './linter.js';

const NOW = '2026-06-01';

function code(fn: () => unknown): { code: string; path: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (isHubspokeError(error)) return { code: error.code, path: error.path };
    throw error;
  }
  throw new Error('expected a HubspokeError');
}

describe('code rules (defineRule)', () => {
  const noLorem = defineRule<{ words: string[] }, string>({
    meta: {
      type: 'suggestion',
      docs: { description: 'No placeholder text' },
      fixable: 'code',
      messages: { lorem: 'Placeholder "{{text}}" left in' },
      schema: z
        .object({ words: z.array(z.string()).default(['lorem ipsum']) })
        .strict()
        .default({ words: ['lorem ipsum'] }),
      scope: ['body'],
    },
    terms: (options) => options.words.map((w) => ({ term: w, caseSensitive: false, payload: w })),
    create: (context) => ({
      term(match) {
        const target = context.unitTarget(match.unit, match.start, match.end);
        context.report({
          messageId: 'lorem',
          data: { text: match.text },
          at: match,
          fix: target && { description: 'Remove', target, text: '' },
        });
      },
    }),
  });
  const plugin = { rules: { 'no-lorem': noLorem } };

  it('runs plugin rules with validated options and shared term matching', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'Lorem ipsum flowers';
      en.subject = 'lorem ipsum';
    });
    const result = lint({
      brandKit: kit,
      template,
      draft,
      now: NOW,
      config: { plugins: { acme: plugin }, rules: { 'acme/no-lorem': 'warning' } },
    });
    expect(result.diagnostics.map((d) => [d.ruleId, d.severity, d.message, d.location.slotId])).toEqual([
      ['acme/no-lorem', 'warning', 'Placeholder "Lorem ipsum" left in', 'headline'],
    ]);
    const custom = lint({
      brandKit: kit,
      template,
      draft,
      now: NOW,
      config: { plugins: { acme: plugin }, rules: { 'acme/no-lorem': ['error', { words: ['flowers'] }] } },
    });
    expect(custom.diagnostics.map((d) => d.message)).toEqual(['Placeholder "flowers" left in']);
    expect(
      code(() =>
        createLinter({
          brandKit: kit,
          config: { plugins: { acme: plugin }, rules: { 'acme/no-lorem': ['error', { words: 'x' }] } },
        }),
      ).path,
    ).toBe('config.rules["acme/no-lorem"].options.words');
  });

  it('reports a crashing rule as a diagnostic against that rule and keeps linting', () => {
    const boom = defineRule({
      meta: { type: 'problem', docs: { description: 'crashes' }, messages: { x: 'x' } },
      create: () => ({
        text() {
          throw new TypeError('cannot read x of undefined');
        },
      }),
    });
    const boomCreate = defineRule({
      meta: { type: 'problem', docs: { description: 'crashes' }, messages: { x: 'x' } },
      create: () => {
        throw new Error('bad setup');
      },
    });
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'cheap';
    });
    const result = lint({
      brandKit: kit,
      template,
      draft,
      now: NOW,
      config: {
        plugins: { acme: { rules: { boom, 'boom-create': boomCreate } } },
        rules: { 'acme/boom': 'warning', 'acme/boom-create': 'warning', 'brand/banned-term': 'error' },
      },
    });
    const byRule = Object.fromEntries(result.diagnostics.map((d) => [d.ruleId, d]));
    expect(byRule['acme/boom']?.message).toBe(
      'Rule acme/boom crashed and was skipped for en: cannot read x of undefined',
    );
    expect(byRule['acme/boom']?.severity).toBe('error');
    expect(byRule['acme/boom-create']?.message).toContain('bad setup');
    expect(byRule['brand/banned-term']).toBeDefined();
  });

  it('treats a report breaking the rule contract as a crash of that rule', () => {
    const sneaky = defineRule({
      meta: { type: 'problem', docs: { description: 'fixes without fixable' }, messages: { x: 'x' } },
      create: (context) => ({
        text(unit) {
          context.report({
            messageId: 'x',
            at: { unit, start: 0, end: 1 },
            fix: { description: 'x', target: { location: unit.location, start: 0, end: 1, escape: 'none' }, text: 'y' },
          });
        },
      }),
    });
    const result = lint({
      brandKit: kit,
      template,
      draft: cleanDraft,
      now: NOW,
      config: { plugins: { acme: { rules: { sneaky } } }, rules: { 'acme/sneaky': 'error' } },
    });
    expect(result.diagnostics[0]?.message).toContain('meta.fixable is not set');
  });

  it('rejects a rule without the required meta', () => {
    expect(
      code(() =>
        defineRule({
          meta: { type: 'oops', docs: { description: 'x' }, messages: { x: 'x' } },
          create: () => ({}),
        } as never),
      ).path,
    ).toBe('rule.meta.type');
    expect(
      code(() =>
        defineRule({ meta: { type: 'problem', docs: { description: 'x' }, messages: {} }, create: () => ({}) }),
      ).path,
    ).toBe('rule.meta.messages');
  });
});

describe('inline suppressions', () => {
  const config = only('brand/banned-term', 'brand/invalid-suppression', [
    'brand/unused-suppression',
    'warning',
  ]) as LintConfig;
  const copy = (html: string) =>
    lint({
      brandKit: kit,
      template,
      draft: draftWith((en) => {
        en.slots['hero-1'].copy = html;
      }),
      config,
      now: NOW,
    });

  it('suppresses the next line with a reason and reports the suppression', () => {
    const result = copy(
      '<!-- hubspoke-disable-next-line brand/banned-term -- approved by legal, ticket 123 -->\n<p>cheap</p>\n<p>cheap again</p>',
    );
    expect(result.diagnostics.map((d) => d.location.line)).toEqual([3]);
    expect(result.suppressed).toHaveLength(1);
    expect(result.suppressed[0]).toMatchObject({
      reason: 'approved by legal, ticket 123',
      diagnostic: { ruleId: 'brand/banned-term', location: { line: 2 } },
    });
  });

  it('supports disable-line and disable/enable ranges', () => {
    expect(copy('<p>cheap</p><!-- hubspoke-disable-line brand/banned-term -- legal ok -->').diagnostics).toEqual([]);
    const range = copy(
      '<!-- hubspoke-disable brand/banned-term -- quote from press -->\n<p>cheap</p>\n<p>cheap</p>\n<!-- hubspoke-enable brand/banned-term -->\n<p>cheap</p>',
    );
    expect(range.diagnostics.map((d) => d.location.line)).toEqual([5]);
    expect(range.suppressed).toHaveLength(2);
  });

  it('a suppression without a reason is an error and suppresses nothing', () => {
    const result = copy('<!-- hubspoke-disable-next-line brand/banned-term -->\n<p>cheap</p>');
    expect(result.diagnostics.map((d) => d.ruleId).sort()).toEqual(['brand/banned-term', 'brand/invalid-suppression']);
    expect(result.diagnostics.find((d) => d.ruleId === 'brand/invalid-suppression')?.severity).toBe('error');
    expect(copy('<!-- hubspoke-disable-next-line brand/banned-term --   -->\n<p>cheap</p>').diagnostics).toHaveLength(
      2,
    );
  });

  it('reports unknown rules and unused suppressions', () => {
    expect(copy('<!-- hubspoke-disable-next-line brand/nope -- because -->\n<p>ok</p>').diagnostics[0]?.message).toBe(
      'Suppression names unknown rule(s): brand/nope',
    );
    const unused = copy('<!-- hubspoke-disable-next-line brand/banned-term -- because -->\n<p>fine</p>');
    expect(unused.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['brand/unused-suppression', 'warning']]);
  });

  it('works in rendered HTML and only for the named rules', () => {
    const rendered = renderedEmail({
      slots: [
        {
          instanceId: 'hero-1',
          slotId: 'copy',
          html: '\n<!-- hubspoke-disable-next-line brand/preferred-term -- brand voice exception -->\n<p>cheap login</p>\n',
        },
      ],
    });
    const result = lint({
      brandKit: kit,
      template,
      rendered,
      now: NOW,
      config: only('brand/banned-term', 'brand/preferred-term') as LintConfig,
    });
    expect(result.diagnostics.map((d) => d.ruleId)).toEqual(['brand/banned-term']);
    expect(result.suppressed.map((s) => s.diagnostic.ruleId)).toEqual(['brand/preferred-term']);
  });
});

describe('baselines', () => {
  const config = only('brand/banned-term') as LintConfig;
  const old = draftWith((en) => {
    en.slots['hero-1'].headline = 'cheap';
    en.subject = 'cheap cheap';
  });

  it('leaves out known violations and reports only new ones', () => {
    const before = lint({ brandKit: kit, template, draft: old, config, now: NOW });
    const baseline = createBaseline(before.diagnostics);
    expect(baseline.entries).toEqual({
      'spring-sale › en › draft › hero-1 › headline': { 'brand/banned-term': 1 },
      'spring-sale › en › draft › subject': { 'brand/banned-term': 2 },
    });
    expect(lint({ brandKit: kit, template, draft: old, config, now: NOW, baseline }).diagnostics).toEqual([]);
    const worse = draftWith((en) => {
      en.slots['hero-1'].headline = 'cheap';
      en.subject = 'cheap cheap';
      en.preheader = 'cheap';
    });
    const after = lint({ brandKit: kit, template, draft: worse, config, now: NOW, baseline });
    expect(after.diagnostics.map((d) => d.location.field)).toEqual(['preheader']);
    expect(after.baselined).toHaveLength(3);
  });

  it('reports every violation of a location that got worse, and stale entries', () => {
    const baseline = createBaseline(lint({ brandKit: kit, template, draft: old, config, now: NOW }).diagnostics);
    const worse = draftWith((en) => {
      en.slots['hero-1'].headline = 'cheap';
      en.subject = 'cheap cheap cheap';
    });
    const result = lint({ brandKit: kit, template, draft: worse, config, now: NOW, baseline });
    expect(result.diagnostics.map((d) => d.data?.baseline)).toEqual([
      { recorded: 2, found: 3 },
      { recorded: 2, found: 3 },
      { recorded: 2, found: 3 },
    ]);
    const better = lint({ brandKit: kit, template, draft: cleanDraft, config, now: NOW });
    expect(
      applyBaseline(better.diagnostics, baseline)
        .stale.map((s) => s.key)
        .sort(),
    ).toEqual(['spring-sale › en › draft › hero-1 › headline', 'spring-sale › en › draft › subject']);
  });

  it('validates a baseline read from a file', () => {
    expect(code(() => parseBaseline({ version: 1, entries: { x: { 'brand/banned-term': 0 } } })).path).toBe(
      'baseline.entries.x["brand/banned-term"]',
    );
    expect(code(() => parseBaseline({ version: 2, entries: {} })).path).toBe('baseline.version');
    expect(parseBaseline(JSON.parse(JSON.stringify(createBaseline([]))))).toEqual({ version: 1, entries: {} });
  });
});

describe('permission-aware overrides', () => {
  const draft = draftWith((en) => {
    en.slots['hero-1'].headline = 'cheap';
    en.slots['hero-1'].pic = { src: 'https://cdn.acme.example/us.jpg', alt: 'Tulips' } as never;
  });
  const config = { ...only('brand/banned-term', 'brand/asset-license'), nonOverridable: [] } as LintConfig;
  const marks = (principal: unknown) =>
    lint({ brandKit: kit, template, draft, config, now: NOW, principal, operatingModel: 'hybrid' }).diagnostics.map(
      (d) => [d.ruleId, d.overridable],
    );

  it('a brand manager may override, except rules that are never overridable', () => {
    expect(marks({ id: 'bm', roles: ['brand-manager'] })).toEqual([
      ['brand/banned-term', true],
      ['brand/asset-license', false],
    ]);
  });
  it('a spoke marketer may not override anything', () => {
    expect(marks({ id: 'lena', roles: ['spoke-marketer'], regions: ['EMEA'] })).toEqual([
      ['brand/banned-term', false],
      ['brand/asset-license', false],
    ]);
  });
  it("region-scoped permissions cover only drafts of the principal's region (decentralized)", () => {
    const check = (regions: string[]) =>
      lint({
        brandKit: kit,
        template,
        draft,
        config,
        now: NOW,
        principal: { id: 'rm', roles: ['regional-manager'], regions },
        operatingModel: 'decentralized',
      }).diagnostics.map((d) => d.overridable);
    expect(check(['EMEA'])).toEqual([true, false]);
    expect(check(['NA'])).toEqual([false, false]);
  });
  it('config can make more rules non-overridable, and accepts a model object', () => {
    const result = lint({
      brandKit: kit,
      template,
      draft,
      now: NOW,
      config: { ...only('brand/banned-term'), nonOverridable: ['brand/banned-term'] } as LintConfig,
      principal: { id: 'a', roles: ['hub-admin'] },
      operatingModel: hybrid,
    });
    expect(result.diagnostics.map((d) => d.overridable)).toEqual([false]);
  });
  it('needs both principal and operating model', () => {
    expect(code(() => lint({ brandKit: kit, draft, principal: { id: 'a', roles: [] }, now: NOW })).path).toBe(
      'operatingModel',
    );
    expect(
      code(() => lint({ brandKit: kit, draft, principal: { id: 'a', roles: [] }, operatingModel: 'anarchy', now: NOW }))
        .path,
    ).toBe('operatingModel');
  });
});

describe('bad input', () => {
  it('names the path of an invalid draft, rendered email, template, region or date', () => {
    expect(
      code(() => lint({ brandKit: kit, draft: { ...cleanDraft, modules: [{ instanceId: '1bad', moduleId: 'hero' }] } }))
        .path,
    ).toBe('draft.modules[0].instanceId');
    expect(code(() => lint({ brandKit: kit, rendered: [renderedEmail(), { ...renderedEmail(), html: 5 }] })).path).toBe(
      'rendered[1].html',
    );
    expect(code(() => lint({ brandKit: kit, template: { ...template, version: 0 } })).path).toBe('template.version');
    expect(code(() => lint({ brandKit: kit, region: 'not a region' })).path).toBe('region');
    expect(code(() => lint({ brandKit: kit, now: 'yesterday' })).path).toBe('now');
  });

  it('reports malformed HTML as diagnostics, not crashes', () => {
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<div><span>unclosed <b>bold</div><p>para' }],
    });
    const result = lint({ brandKit: kit, rendered, now: NOW, config: only('brand/html-syntax') as LintConfig });
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      '<span> is never closed (implicitly closed by a later end tag)',
      '<b> is never closed (implicitly closed by a later end tag)',
    ]);
    expect(result.diagnostics[0]?.location).toMatchObject({ source: 'html', line: 1 });
    const truncated = lint({
      brandKit: kit,
      rendered: { ...renderedEmail(), html: '<html><body><table><tr><td><div>cut off' },
      now: NOW,
      config: only('brand/html-syntax') as LintConfig,
    });
    expect(truncated.diagnostics.map((d) => d.message)).toEqual([
      '<table> is never closed (implicitly closed at the end of the document)',
      '<div> is never closed (implicitly closed at the end of the document)',
    ]);
  });

  it('lints nothing when given nothing, and only the requested locales', () => {
    expect(lint({ brandKit: kit, now: NOW }).diagnostics).toEqual([]);
    const draft = withLocales({ 'de-DE': { subject: 'cheap', slots: {} } }, (en) => {
      en.subject = 'cheap';
    });
    expect(
      lint({
        brandKit: kit,
        draft,
        now: NOW,
        locales: ['de-DE'],
        config: only('brand/banned-term') as LintConfig,
      }).diagnostics.map((d) => d.location.locale),
    ).toEqual(['de-DE']);
  });
});

describe('draft and rendered together', () => {
  it('reports slot text once (at the draft) and template-owned HTML outside slot spans', () => {
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'cheap';
    });
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'headline', html: '<h1>cheap</h1>' }],
      footer:
        'Acme GmbH, Hauptstraße 1, 10115 Berlin<br>You can unsubscribe at any time. <img src="https://cdn.example.net/x.png">',
    });
    const result = lint({
      brandKit: kit,
      template,
      draft,
      rendered,
      now: NOW,
      config: only('brand/banned-term', 'brand/image-alt') as LintConfig,
    });
    expect(result.diagnostics.map((d) => [d.ruleId, d.location.source])).toEqual([
      ['brand/image-alt', 'html'],
      ['brand/banned-term', 'draft'],
    ]);
  });
});

describe('lintValidated (draft and rendered emails a caller has already validated)', () => {
  it('finds what lint finds without validating them again; the other options are still checked', () => {
    const draft = DraftSchema.parse(
      draftWith((en) => {
        en.slots['hero-1'].headline = 'cheap';
      }),
    );
    const rendered = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'headline', html: '<h1>cheap</h1>' }],
      footer: 'Acme GmbH <img src="https://cdn.example.net/x.png">',
    });
    const linter = createLinter({
      brandKit: kit,
      template,
      config: only('brand/banned-term', 'brand/image-alt') as LintConfig,
    });
    const parse = vi.spyOn(RenderedEmailSchema, 'safeParse');
    const validated = linter.lintValidated({ draft, rendered: [rendered], now: NOW });
    expect(parse).not.toHaveBeenCalled();
    const { sourceText: _a, ...expected } = linter.lint({ draft, rendered: [rendered], now: NOW });
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
    const { sourceText: _b, ...actual } = validated;
    expect(actual).toEqual(expected);
    expect(actual.diagnostics.length).toBeGreaterThan(0);
    expect(linter.lintValidated({ rendered, now: NOW }).diagnostics).toEqual(
      linter.lint({ rendered, now: NOW }).diagnostics,
    );
    expect(code(() => linter.lintValidated({ rendered, region: 'not a region' })).path).toBe('region');
    expect(code(() => linter.lintValidated(null as never)).path).toBe('input');
    // Input the schemas would refuse is the caller's mistake, reported as one, never a raw error.
    for (const bogus of [{ html: 5, slots: 7 }, null, { slots: [null] }, 'text'])
      expect(code(() => linter.lintValidated({ rendered: bogus as never, now: NOW }))).toMatchObject({
        code: 'E_VALIDATION',
        path: 'input',
      });
    // lint itself still validates what it is given.
    expect(code(() => linter.lint({ rendered: [{ ...rendered, html: 5 }] })).path).toBe('rendered[0].html');
  });
});

describe('the template given per lint call', () => {
  it('is validated once per content: an equal template is not validated again, a changed object is', () => {
    const linter = createLinter({ brandKit: kit });
    const input = { draft: cleanDraft, rendered: renderedEmail(), now: NOW };
    const parses = vi.spyOn(TemplateSchema, 'safeParse');
    try {
      const first = linter.lint({ ...input, template });
      // Another object with the same content (as a store or a JSON round trip gives) is the same template.
      const again = linter.lint({ ...input, template: structuredClone(template) });
      expect(parses).toHaveBeenCalledTimes(1);
      expect(again.diagnostics).toEqual(first.diagnostics);
      // The same object changed in place is validated again: an invalid change is refused, not remembered.
      const changed: { version: number } = structuredClone(template);
      linter.lint({ ...input, template: changed });
      expect(parses).toHaveBeenCalledTimes(1);
      changed.version = 0;
      expect(code(() => linter.lint({ ...input, template: changed })).path).toBe('template.version');
    } finally {
      parses.mockRestore();
    }
  });
});
