import { z } from 'zod';
import { fieldUses } from '@hubspoke/core';
import { defineRule } from './define-rule.js';

export const personalizationFallback = defineRule<{ defaults: Record<string, string> }>({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every personalization token has a fallback (`{{ contact.firstName | default: "there" }}`) unless it sits inside `{% if <same field> %}`; with `options.defaults` the fix adds the hub\'s fallback, otherwise an empty one is suggested',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    messages: { noFallback: 'Token {{token}} has no fallback: recipients without {{field}} see nothing' },
    schema: z
      .object({ defaults: z.record(z.string(), z.string()).default({}) })
      .strict()
      .default({ defaults: {} }),
    scope: ['subject', 'preheader', 'body', 'alt', 'link.href'],
  },
  create(context) {
    return {
      text(unit) {
        if (!unit.text.includes('{{')) return;
        for (const { node: token, guarded, insertAt } of fieldUses(unit.text)) {
          if (token.fallback !== undefined || guarded) continue;
          const configured = context.options.defaults[token.path];
          const target = context.unitTarget(unit, insertAt, insertAt);
          const filter = (value: string) => ` | default: ${JSON.stringify(value)}`;
          const suggestion =
            target === undefined ? undefined : { description: `Add an empty fallback`, target, text: filter('') };
          context.report({
            messageId: 'noFallback',
            data: { token: unit.text.slice(token.start, token.end), field: token.path },
            at: { unit, start: token.start, end: token.end },
            fix:
              target === undefined || configured === undefined
                ? undefined
                : { description: `Add the fallback "${configured}"`, target, text: filter(configured) },
            suggest: configured === undefined && suggestion !== undefined ? [suggestion] : undefined,
            facts: { field: token.path },
          });
        }
      },
    };
  },
});
