import {
  sha256Hex,
  type EloquaCriterion,
  type EloquaDynamicContent,
  type TokenCondition as Condition,
} from '@hubspoke/core';

/**
 * Eloqua segment conditions as Dynamic Content assets. Eloqua has no inline conditional markup in
 * an email; a marketer builds a Dynamic Content (rules, each with criteria on contact fields and a
 * content section, and a default content section) and places it in the email, where the HTML
 * references it as `<span elqid="<id>" elqtype="DynamicContent">`. A condition in HTML content
 * becomes one such asset: each `if`/`elsif` branch a rule (in order), the `else` content the
 * default, and a placeholder element (core's `eloquaDynamicContentPlaceholder`) where the
 * condition stood, which the Eloqua connector replaces with the created asset's id on push.
 *
 * The branch content is compiled like any HTML content for Eloqua (spoke text entity-encoded,
 * fields as field merges), and the whole-output check lexes it again, as it does the email.
 */

/** A compiled dynamic content with the spans (start, end pairs) of spoke text in each content. */
export interface DynamicContentOutput extends EloquaDynamicContent {
  /** Per rule, the spoke text spans in its `html`. */
  ruleData: number[][];
  /** The spoke text spans in `defaultHtml`. */
  defaultData: number[];
}

/** Eloqua's rule statements name at most this many criteria (core's schema). */
export const MAX_CRITERIA = 50;

/**
 * A neutral condition as Eloqua criteria and a statement over their 1-based positions, given each
 * field's Eloqua reference; undefined when it needs more than {@link MAX_CRITERIA} criteria.
 */
export function ruleCriteria(
  condition: Condition,
  fieldOf: (path: string) => string,
): { criteria: EloquaCriterion[]; statement: string } | undefined {
  const criteria: EloquaCriterion[] = [];
  const walk = (c: Condition, nested: boolean): string => {
    switch (c.type) {
      case 'all':
      case 'any': {
        const joined = c.terms.map((t) => walk(t, true)).join(c.type === 'all' ? ' AND ' : ' OR ');
        return nested && c.terms.length > 1 ? `(${joined})` : joined;
      }
      case 'present':
        criteria.push({ field: fieldOf(c.path), operator: c.negated ? 'blank' : 'notBlank' });
        return String(criteria.length);
      case 'compare':
        criteria.push({
          field: fieldOf(c.path),
          operator: c.op === '==' ? 'equal' : 'notEqual',
          value: String(c.value),
        });
        return String(criteria.length);
    }
  };
  const statement = walk(condition, false);
  if (criteria.length === 0 || criteria.length > MAX_CRITERIA) return undefined;
  return { criteria, statement };
}

/** The asset's name: a hash of what it shows and when, so a changed condition is a new asset. */
export function dynamicContentName(rules: EloquaDynamicContent['rules'], defaultHtml: string): string {
  // 12 hex digits of the hash: core's ELOQUA_DYNAMIC_CONTENT_NAME, which the connector relies on.
  return `hubspoke_dc_${sha256Hex(JSON.stringify({ rules, defaultHtml })).slice(0, 12)}`;
}
