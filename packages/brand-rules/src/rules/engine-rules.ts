import { defineRule } from './define-rule.js';

/** Reported by the engine itself: unclosed HTML elements. */
export const htmlSyntax = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'HTML is well formed: every element that needs an end tag has one (clients repair broken markup differently)',
      recommended: true,
    },
    messages: { syntax: '{{message}}' },
  },
  create(context) {
    return {
      end() {
        for (const issue of context.document.syntaxIssues)
          context.report({ messageId: 'syntax', data: { message: issue.message }, at: { location: issue.location } });
      },
    };
  },
});

/** Suppression directives without a reason, or naming unknown rules. Reported by the engine. */
export const invalidSuppression = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every `hubspoke-disable…` comment names known rules and gives a reason after `--`; one without a reason suppresses nothing',
      recommended: true,
    },
    messages: {
      missingReason: '{{directive}} needs a reason: write "-- <why, who approved>" after the rule ids',
      unknownRule: 'Suppression names unknown rule(s): {{rules}}',
    },
    overridable: false,
  },
  create: () => ({}),
});

/** Suppression directives that suppressed nothing. Reported by the engine. */
export const unusedSuppression = defineRule({
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Every suppression comment still suppresses something (remove it when the finding is gone)',
      recommended: true,
    },
    messages: { unused: 'Suppression of {{rules}} is unused' },
  },
  create: () => ({}),
});
