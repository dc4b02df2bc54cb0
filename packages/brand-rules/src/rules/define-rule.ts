import { HubspokeError } from '@hubspoke/core';
import type { RuleModule } from '../types.js';

/**
 * Declares a code rule, ESLint style: `meta` (type, docs, fixable, hasSuggestions, messages,
 * schema) and `create(context)` returning visitors. Checks the meta so a rule that cannot work
 * fails when it is defined, not halfway through a lint run.
 */
export function defineRule<Options = Record<string, never>, Payload = unknown>(
  rule: RuleModule<Options, Payload>,
): RuleModule<Options, Payload> {
  const meta = (rule as Partial<RuleModule<Options, Payload>>).meta;
  if (typeof meta !== 'object') {
    throw new HubspokeError('E_VALIDATION', 'Invalid rule: expected a `meta` object', { path: 'rule.meta' });
  }
  if (!['problem', 'suggestion', 'layout'].includes(meta.type)) {
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid rule.meta.type: expected "problem" | "suggestion" | "layout", got ${JSON.stringify(meta.type)}`,
      { path: 'rule.meta.type' },
    );
  }
  if (typeof meta.docs !== 'object' || typeof meta.docs.description !== 'string' || meta.docs.description === '') {
    throw new HubspokeError('E_VALIDATION', 'Invalid rule.meta.docs.description: expected a description', {
      path: 'rule.meta.docs.description',
    });
  }
  if (typeof meta.messages !== 'object' || Object.keys(meta.messages).length === 0) {
    throw new HubspokeError('E_VALIDATION', 'Invalid rule.meta.messages: expected at least one message', {
      path: 'rule.meta.messages',
    });
  }
  if (typeof rule.create !== 'function') {
    throw new HubspokeError('E_VALIDATION', 'Invalid rule.create: expected a function', { path: 'rule.create' });
  }
  return rule;
}
