import { parseTokens, type FieldNode, type IfNode, type TokenCondition, type TokenNode } from '@hubspoke/core';
import type { PersonalizationField } from '../source/types.js';

/** A piece of a slot's text: literal text, or a personalization token shown as a chip. */
export type Piece = { kind: 'text'; text: string } | { kind: 'token'; source: string };

/**
 * Splits text in the neutral syntax into literal text and live tokens (fields and conditions),
 * each token keeping its exact source. Text that does not parse (an unclosed `{{`) stays text,
 * so nothing a spoke typed is lost; the lint reports it.
 */
export function pieces(text: string): Piece[] {
  const parsed = parseTokens(text);
  const out: Piece[] = [];
  const push = (t: string) => {
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += t;
    else if (t !== '') out.push({ kind: 'text', text: t });
  };
  let at = 0;
  for (const node of parsed.nodes) {
    if (node.type === 'field' || node.type === 'if') {
      push(text.slice(at, node.start));
      out.push({ kind: 'token', source: text.slice(node.start, node.end) });
      at = node.end;
    }
  }
  push(text.slice(at));
  return out;
}

export const hasToken = (text: string): boolean => pieces(text).some((p) => p.kind === 'token');

/** A fallback or condition value as a quoted literal of the grammar (no escapes: pick the quote it does not contain). */
export function quoteLiteral(value: string): string | undefined {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return undefined;
}

export function fieldToken(path: string, fallback: string): string {
  const quoted = fallback === '' ? undefined : quoteLiteral(fallback);
  return quoted === undefined ? `{{ ${path} }}` : `{{ ${path} | default: ${quoted} }}`;
}

/** A segment condition built from the form: field, operator, value, the text shown when it holds, and otherwise. */
export interface ConditionForm {
  path: string;
  op: 'is' | 'isNot' | 'present' | 'absent';
  value: string;
  then: string;
  otherwise: string;
}

export function conditionToken(form: ConditionForm): string {
  const quoted = quoteLiteral(form.value) ?? '""';
  const condition =
    form.op === 'present'
      ? form.path
      : form.op === 'absent'
        ? `not ${form.path}`
        : `${form.path} ${form.op === 'is' ? '==' : '!='} ${quoted}`;
  const otherwise = form.otherwise === '' ? '' : `{% else %}${form.otherwise}`;
  return `{% if ${condition} %}${form.then}${otherwise}{% endif %}`;
}

function nodeOf(source: string): FieldNode | IfNode | undefined {
  const node = parseTokens(source).nodes[0];
  return node && (node.type === 'field' || node.type === 'if') && node.end === source.length ? node : undefined;
}

const labelOf = (fields: readonly PersonalizationField[], path: string) =>
  fields.find((f) => f.path === path)?.label ?? path;

function plain(nodes: readonly TokenNode[] | undefined): string {
  return (nodes ?? []).map((n) => (n.type === 'text' ? n.value : '…')).join('');
}

function describeCondition(c: TokenCondition, fields: readonly PersonalizationField[]): string {
  switch (c.type) {
    case 'compare':
      return `${labelOf(fields, c.path)} ${c.op === '==' ? 'is' : 'is not'} ${String(c.value)}`;
    case 'present':
      return `${labelOf(fields, c.path)} ${c.negated ? 'is empty' : 'is known'}`;
    case 'all':
      return c.terms.map((t) => describeCondition(t, fields)).join(' and ');
    case 'any':
      return c.terms.map((t) => describeCondition(t, fields)).join(' or ');
  }
}

/** What a chip says: "First name · fallback “there”", "If Loyalty tier is gold: “Gold” else “Guest”". */
export function chipLabel(source: string, fields: readonly PersonalizationField[]): string {
  const node = nodeOf(source);
  if (!node) return source;
  if (node.type === 'field') {
    const label = labelOf(fields, node.path);
    return node.fallback === undefined ? label : `${label} · or “${node.fallback}”`;
  }
  const first = node.branches[0];
  const head = first ? `If ${describeCondition(first.condition, fields)}: “${plain(first.body)}”` : 'If';
  return node.otherwise === undefined ? head : `${head} else “${plain(node.otherwise)}”`;
}

/** The form a chip opens with, for editing it again; undefined for conditions the form cannot express. */
export function formOf(
  source: string,
): { field: { path: string; fallback: string } } | { condition: ConditionForm } | undefined {
  const node = nodeOf(source);
  if (!node) return undefined;
  if (node.type === 'field') return { field: { path: node.path, fallback: node.fallback ?? '' } };
  const [first, ...more] = node.branches;
  if (!first || more.length > 0) return undefined;
  const c = first.condition;
  const then = plain(first.body);
  const otherwise = plain(node.otherwise);
  if (c.type === 'compare')
    return { condition: { path: c.path, op: c.op === '==' ? 'is' : 'isNot', value: String(c.value), then, otherwise } };
  if (c.type === 'present')
    return { condition: { path: c.path, op: c.negated ? 'absent' : 'present', value: '', then, otherwise } };
  return undefined;
}

/** Characters as people count them (code points, so an emoji is one). */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Length as the template counts it: a token counts as its fallback, a condition as its longest branch. */
export function visibleLength(text: string): number {
  const count = (nodes: readonly TokenNode[]): number =>
    nodes.reduce((n, node) => {
      switch (node.type) {
        case 'text':
          return n + codePoints(node.value);
        case 'field':
          return n + codePoints(node.fallback ?? '');
        case 'if':
          return n + Math.max(count(node.otherwise ?? []), ...node.branches.map((b) => count(b.body)));
        case 'platform':
          // Hub-owned platform code (template text only) shows what the platform puts there: unknown here.
          return n;
      }
    }, 0);
  return count(parseTokens(text).nodes);
}
