import type { SampleContact } from '../schemas/personalization.js';
import { parseTokens, type Condition, type FieldNode, type TokenNode } from './grammar.js';

export type ContactFields = SampleContact['fields'];

/** Neutral truthiness: not null, not false, not empty or whitespace-only. */
export function isPresent(value: ContactFields[string] | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

/** Whether a condition holds for a contact (a missing contact has no fields). */
export function evaluate(c: Condition, contact: ContactFields | undefined): boolean {
  switch (c.type) {
    case 'all':
      return c.terms.every((t) => evaluate(t, contact));
    case 'any':
      return c.terms.some((t) => evaluate(t, contact));
    case 'present':
      return isPresent(contact?.[c.path]) !== c.negated;
    case 'compare': {
      const actual = contact?.[c.path];
      const equal = actual !== undefined && actual !== null && String(actual) === String(c.value);
      return c.op === '==' ? equal : !equal;
    }
  }
}

/**
 * The text a recipient sees, unescaped: field values or their fallbacks, the branch whose
 * condition holds. Without a contact: fallbacks and what holds when every field is empty.
 * Platform code the hub wrote is left out.
 */
export function personalizedText(nodes: readonly TokenNode[], contact?: ContactFields): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.value;
    else if (node.type === 'field') {
      const value = contact?.[node.path];
      out += isPresent(value) ? String(value) : (node.fallback ?? '');
    } else if (node.type === 'if') {
      const branch = node.branches.find((b) => evaluate(b.condition, contact));
      out += personalizedText(branch ? branch.body : (node.otherwise ?? []), contact);
    }
  }
  return out;
}

/** What a recipient without data sees of a text in the neutral syntax (a syntax error stays literal). */
export function textWithoutData(text: string): string {
  return personalizedText(parseTokens(text).nodes);
}

/** Whether a condition being true means `path` has a value. */
function implies(c: Condition, path: string): boolean {
  switch (c.type) {
    case 'present':
      return !c.negated && c.path === path;
    case 'compare':
      return c.op === '==' && c.path === path && c.value !== '' && c.value !== false;
    case 'all':
      return c.terms.some((t) => implies(t, path));
    case 'any':
      return c.terms.every((t) => implies(t, path));
  }
}

export interface FieldUse {
  node: FieldNode;
  /** An enclosing `{% if %}` branch only shows when the field has a value, so no fallback is needed. */
  guarded: boolean;
  /** Where a `| default: "…"` filter would go: before the closing braces and the space before them. */
  insertAt: number;
}

/** Every field token of a text, with whether a condition guards it. */
export function fieldUses(text: string): FieldUse[] {
  const uses: FieldUse[] = [];
  const walk = (nodes: readonly TokenNode[], guards: readonly Condition[]) => {
    for (const node of nodes) {
      if (node.type === 'field') {
        let insertAt = node.end - 2;
        while (insertAt > node.start && /\s/.test(text.charAt(insertAt - 1))) insertAt--;
        uses.push({ node, guarded: guards.some((g) => implies(g, node.path)), insertAt });
      } else if (node.type === 'if') {
        for (const branch of node.branches) walk(branch.body, [...guards, branch.condition]);
        if (node.otherwise) walk(node.otherwise, guards);
      }
    }
  };
  walk(parseTokens(text).nodes, []);
  return uses;
}
