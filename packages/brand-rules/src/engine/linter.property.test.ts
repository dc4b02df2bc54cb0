import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDraft, draftWith, kit, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { builtinRules } from '../rules/index.js';
import { createLinter } from './linter.js';

const NOW = '2026-06-01';
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '{{ contact.firstName }}',
    '{% if contact.x %}{{ contact.x }}',
    '%%=v(@x)=%%',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    'cheap login e-mail',
    '<!-- hubspoke-disable -->',
    '<!-- hubspoke-disable-next-line brand/banned-term -- ok -->\ncheap',
    '&amp;&lt;&#0;&#x110000;',
    '<p style="color:#zzz;font-size:-3px;font-family:">x</p>',
    '\u0000\uFFFF\uD800',
    'FREE MONEY!!! 🌷🌷🌷',
  ),
);
const content = fc.array(hostile, { maxLength: 4 }).map((parts) => parts.join(' '));

function draftOf(headline: string, copy: string, subject: string) {
  return draftWith((en) => {
    en.subject = subject;
    en.slots['hero-1'].headline = headline;
    en.slots['hero-1'].copy = copy;
  });
}

describe('lint over random content (property)', () => {
  const linter = createLinter({ brandKit: kit, template, config: { extends: ['hubspoke/strict'] } });

  it('never throws on any slot text, rich text or HTML, and every location is in range', () => {
    fc.assert(
      fc.property(content, content, content, (headline, copy, subject) => {
        const rendered = renderedEmail({
          slots: [{ instanceId: 'hero-1', slotId: 'copy', html: copy }],
          subject: subject === '' ? 'x' : subject,
        });
        const result = linter.lint({ draft: draftOf(headline, copy, subject), rendered, now: NOW });
        for (const d of [...result.diagnostics, ...result.suppressed.map((s) => s.diagnostic)]) {
          const text = result.sourceText(d.location);
          if (text !== undefined && d.location.end !== undefined)
            expect(d.location.end).toBeLessThanOrEqual(text.length);
          expect(d.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('fixing twice changes nothing more', () => {
    fc.assert(
      fc.property(content, content, content, (headline, copy, subject) => {
        const rendered = renderedEmail({ slots: [{ instanceId: 'hero-1', slotId: 'copy', html: copy }] });
        const first = linter.lint({ draft: draftOf(headline, copy, subject), rendered, now: NOW, fix: true });
        const second = linter.lint({ draft: first.fixed?.draft, rendered: first.fixed?.rendered, now: NOW, fix: true });
        expect(second.fixed?.edits).toBe(0);
        expect(second.fixed?.draft).toEqual(first.fixed?.draft);
        expect(second.diagnostics).toEqual(first.diagnostics);
      }),
      { numRuns: 100 },
    );
  });
});

describe('random configs (property)', () => {
  const ruleIds = Object.keys(builtinRules);
  const setting = fc.oneof(
    fc.constantFrom('error', 'warning', 'suggestion', 'off', 'fatal', 3, null),
    fc.tuple(
      fc.constantFrom('error', 'off'),
      fc.oneof(fc.constant(undefined), fc.object({ maxDepth: 1 }), fc.constant({ maxLength: 'x' })),
    ),
    fc.record({
      level: fc.constantFrom('error', 'warning'),
      scope: fc.oneof(fc.constant(['subject']), fc.constant(['~footer', 'body']), fc.constant(['nowhere'])),
    }),
  );
  const config = fc.record(
    {
      rules: fc.dictionary(fc.oneof(fc.constantFrom(...ruleIds), fc.string({ maxLength: 12 })), setting, {
        maxKeys: 4,
      }),
      minLevel: fc.constantFrom('error', 'warning', 'suggestion', 'loud'),
      extends: fc.constantFrom(['hubspoke/recommended'], ['hubspoke/strict'], ['nope'], []),
    },
    { requiredKeys: [] },
  );

  it('either lints or throws E_VALIDATION naming a config path, never anything else', () => {
    fc.assert(
      fc.property(config, (cfg) => {
        try {
          const result = createLinter({ brandKit: kit, template, config: cfg as LintConfig }).lint({
            draft: cleanDraft,
            now: NOW,
          });
          expect(Array.isArray(result.diagnostics)).toBe(true);
        } catch (error) {
          expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
          if (isHubspokeError(error)) expect(error.path ?? '').toMatch(/^(config|preset)/);
        }
      }),
      { numRuns: 200 },
    );
  });
});
