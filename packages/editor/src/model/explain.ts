import { builtinRules } from '@hubspoke/brand-rules/browser';
import { ENGINE_RULES } from './rule-docs.js';

// Apart from lint.ts, so that the public `explain` does not pull the linter into a page that
// lints in a worker (lint.ts is loaded on demand there; see `pageLinter`).

/** A rule's explanation: the brand rule's own description, else the template engine's (see `rule-docs.ts`). */
export function explain(ruleId: string): string | undefined {
  return brandRuleDocs()[ruleId] ?? ENGINE_RULES[ruleId];
}

let docs: Record<string, string> | undefined;

/** Each brand rule's one-line description, by rule id. */
export function brandRuleDocs(): Record<string, string> {
  if (docs === undefined) {
    docs = {};
    for (const [id, rule] of Object.entries(
      builtinRules as Record<string, { meta?: { docs?: { description?: string } } } | undefined>,
    )) {
      const description = rule?.meta?.docs?.description;
      if (description !== undefined) docs[id] = description;
    }
  }
  return docs;
}
