import type { Location } from '@hubspoke/core';
import { foldCase, foldEquivalents } from '../matcher/fold.js';
import type { TextUnit } from '../types.js';
import { defineRule } from './define-rule.js';

function normalize(text: string): string {
  return foldEquivalents(text).replace(/\s+/g, ' ').trim();
}

function applies(values: readonly string[] | undefined, value: string | undefined, prefix: boolean): boolean {
  if (values === undefined) return true;
  if (value === undefined) return false;
  return values.some((v) => v === value || (prefix && value.startsWith(`${v}-`)));
}

export const legalText = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'The legal texts of `brandKit.legal` that apply to the locale and region appear word for word (in the footer when `placement: footer`), in HTML and in the plain-text part',
      recommended: true,
    },
    messages: {
      missing: 'Required legal text "{{id}}" is missing{{where}}',
      altered: 'Required legal text "{{id}}" is present but altered{{where}}: it must read exactly "{{text}}"',
      missingPlain: 'Required legal text "{{id}}" is missing from the plain-text part',
    },
    scope: ['body', 'footer'],
    overridable: false,
  },
  create(context) {
    return {
      end() {
        const { document, brandKit } = context;
        const all: TextUnit[] = [...document.units, ...document.hubText].filter(
          (u) => u.scopes.has('body') || u.scopes.has('footer'),
        );
        const footer = all.filter((u) => u.scopes.has('footer'));
        const haystacks = new Map<TextUnit[], string>();
        const haystackOf = (units: TextUnit[]): string => {
          let text = haystacks.get(units);
          if (text === undefined) {
            text = normalize(units.map((u) => u.text).join(' '));
            haystacks.set(units, text);
          }
          return text;
        };
        const plain = document.plainText === undefined ? undefined : normalize(document.plainText);
        const location: Location = {
          locale: context.locale,
          field: 'body',
          ...(context.rendered === undefined ? { source: 'draft' as const } : { source: 'html' as const }),
        };
        for (const legal of brandKit.legal) {
          if (!applies(legal.locales, context.locale, true) || !applies(legal.regions, context.region, false)) continue;
          const inFooter = legal.placement === 'footer' && footer.length > 0;
          const haystack = haystackOf(inFooter ? footer : all);
          const needle = normalize(legal.text);
          const where = inFooter ? ' from the footer' : '';
          if (!haystack.includes(needle)) {
            const altered = foldCase(haystack)
              .replace(/[^\p{L}\p{N}]+/gu, ' ')
              .includes(foldCase(needle).replace(/[^\p{L}\p{N}]+/gu, ' '));
            context.report({
              messageId: altered ? 'altered' : 'missing',
              data: { id: legal.id, text: legal.text, where },
              at: { location },
              facts: { legalId: legal.id, placement: inFooter ? 'footer' : 'anywhere' },
            });
          }
          if (plain !== undefined && !plain.includes(needle)) {
            context.report({
              messageId: 'missingPlain',
              data: { id: legal.id },
              at: { location: { ...location, source: 'text' } },
              facts: { legalId: legal.id },
            });
          }
        }
      },
    };
  },
});
