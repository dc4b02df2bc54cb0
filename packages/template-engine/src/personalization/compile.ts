import {
  SAFE_LITERAL,
  conditionFields,
  evaluate,
  isPresent,
  type ContactFields,
  type Dialect,
  type FieldNode,
  type IfNode,
  type Literal,
  type Severity,
  type TokenCondition as Condition,
  type TokenNode,
} from '@hubspoke/core';
import { escapeHtml, escapeText } from './escape.js';
import type { PlatformDialect, ResolvedFieldMap } from './field-map.js';

/**
 * Where compiled text lands: HTML content, an HTML attribute value (the subject also becomes
 * `aria-label`), or a plain-text field where entities do not work.
 */
export type OutputContext = 'html' | 'attr' | 'text';

export type { ContactFields };

export interface CompileEnv {
  dialect: Dialect;
  fieldMap: ResolvedFieldMap;
  /** Preview only: the sample recipient; without one, fallbacks and else-branches show. */
  contact?: ContactFields | undefined;
}

/** A problem found while compiling one token; the caller adds the location. */
export interface CompileIssue {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Offsets of the token in the text it came from. */
  start: number;
  end: number;
  data?: Record<string, unknown>;
}

/** Fallbacks Marketo can carry inside `{{lead.X:default=…}}` (no escape exists there). */
const MARKETO_FALLBACK = /^[\p{L}\p{M}\p{N} .,!?()/_-]*$/u;

/** Compiles parsed neutral syntax to one dialect. Literal text is escaped for the context. */
export function compileNodes(
  nodes: readonly TokenNode[],
  context: OutputContext,
  env: CompileEnv,
  issues: CompileIssue[],
): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += literal(node.value, context, env, node, issues);
    else if (node.type === 'field') out += compileField(node, context, env, issues);
    else if (node.type === 'if') out += compileIf(node, context, env, issues);
    // Code the hub wrote for one platform goes out unchanged, for that platform only.
    else if (node.dialect === env.dialect) out += node.code;
  }
  return out;
}

function literal(
  text: string,
  context: OutputContext,
  env: CompileEnv,
  at: { start: number; end: number },
  issues: CompileIssue[],
): string {
  if (context !== 'text') return escapeHtml(text);
  const escaped = escapeText(text, env.dialect);
  if (escaped.broken) {
    issues.push({
      ruleId: 'personalization/unescapable',
      severity: 'warning',
      message: `${env.dialect} has no escape for this text's template syntax in a plain-text field; a zero-width space was inserted to keep it inert`,
      start: at.start,
      end: at.end,
      data: { code: 'E_UNSUPPORTED', dialect: env.dialect },
    });
  }
  return escaped.text;
}

function reference(
  path: string,
  dialect: PlatformDialect,
  fieldMap: ResolvedFieldMap,
  at: { start: number; end: number },
  issues: CompileIssue[],
): string | undefined {
  const ref = fieldMap[dialect][path];
  if (ref === undefined) {
    issues.push({
      ruleId: 'personalization/unmapped-field',
      severity: 'error',
      message: `"${path}" has no ${dialect} field in the field map; add fieldMap.${dialect}["${path}"]`,
      start: at.start,
      end: at.end,
      data: { code: 'E_UNSUPPORTED', dialect, field: path },
    });
  }
  return ref;
}

function unsupported(
  env: CompileEnv,
  node: { start: number; end: number },
  severity: Severity,
  message: string,
  issues: CompileIssue[],
  construct: string,
): void {
  issues.push({
    ruleId: 'personalization/unsupported',
    severity,
    message,
    start: node.start,
    end: node.end,
    data: { code: 'E_UNSUPPORTED', dialect: env.dialect, construct },
  });
}

function compileField(node: FieldNode, context: OutputContext, env: CompileEnv, issues: CompileIssue[]): string {
  const fallback = node.fallback ?? '';
  const fallbackOut = () => literal(fallback, context, env, node, issues);
  if (env.dialect === 'preview') {
    const value = env.contact?.[node.path];
    return isPresent(value) ? literal(String(value), context, env, node, issues) : fallbackOut();
  }
  const dialect = env.dialect;
  const ref = reference(node.path, dialect, env.fieldMap, node, issues);
  if (ref === undefined) return fallbackOut();
  const inHtml = context !== 'text';
  switch (dialect) {
    case 'marketo': {
      if (node.fallback === undefined || fallback === '') return `{{${ref}}}`;
      if (MARKETO_FALLBACK.test(fallback)) return `{{${ref}:default=${fallback}}}`;
      unsupported(
        env,
        node,
        'error',
        'Marketo token defaults cannot carry these characters (only letters, digits, spaces and . , ! ? ( ) / _ -); the token is emitted without its default',
        issues,
        'fallback',
      );
      return `{{${ref}}}`;
    }
    case 'eloqua': {
      if (context !== 'html') {
        unsupported(
          env,
          node,
          'error',
          `Eloqua field merges are only documented in HTML content (<span class="eloquaemail">), not in ${context === 'attr' ? 'attributes such as the subject in <title>' : 'plain text'}; the fallback is used instead`,
          issues,
          'merge-outside-html',
        );
        return fallbackOut();
      }
      if (node.fallback !== undefined) {
        unsupported(
          env,
          node,
          'warning',
          "Eloqua keeps a merge's default on the field merge asset, not in the email: set it there",
          issues,
          'fallback',
        );
      }
      return `<span class="eloquaemail">${ref}</span>`;
    }
    case 'sfmc': {
      const value = `AttributeValue('${ref}')`;
      if (node.fallback === undefined) return `%%=${value}=%%`;
      return `%%[IF Empty(${value}) THEN]%%${fallbackOut()}%%[ELSE]%%%%=${value}=%%%%[ENDIF]%%`;
    }
    case 'hubspot': {
      const escape = inHtml ? '|escape' : '';
      if (node.fallback === undefined) return `{{ ${ref}${escape} }}`;
      if (SAFE_LITERAL.test(fallback)) return `{{ personalization_token('${ref}', '${fallback}')${escape} }}`;
      return `{% if ${ref} %}{{ ${ref}${escape} }}{% else %}${fallbackOut()}{% endif %}`;
    }
    case 'braze': {
      const escape = inHtml ? ' | escape' : '';
      if (node.fallback === undefined) return `{{ ${ref}${escape} }}`;
      if (SAFE_LITERAL.test(fallback)) return `{{ ${ref} | default: '${fallback}'${escape} }}`;
      return `{% if ${ref} == blank %}${fallbackOut()}{% else %}{{ ${ref}${escape} }}{% endif %}`;
    }
  }
}

function compileIf(node: IfNode, context: OutputContext, env: CompileEnv, issues: CompileIssue[]): string {
  const otherwise = () => compileNodes(node.otherwise ?? [], context, env, issues);
  if (env.dialect === 'preview') {
    const branch = node.branches.find((b) => evaluate(b.condition, env.contact));
    return branch ? compileNodes(branch.body, context, env, issues) : otherwise();
  }
  const dialect = env.dialect;
  switch (dialect) {
    case 'marketo':
    case 'eloqua': {
      const how = dialect === 'marketo' ? 'a Velocity email script token or Dynamic Content' : 'Dynamic Content';
      unsupported(
        env,
        node,
        'error',
        `${dialect} cannot express conditions inline (use ${how}); only the {% else %} content is emitted`,
        issues,
        'condition',
      );
      return otherwise();
    }
    case 'sfmc':
    case 'hubspot':
    case 'braze': {
      const unmapped = [...conditionPaths(node)].filter(
        (path) => reference(path, dialect, env.fieldMap, node, issues) === undefined,
      );
      if (unmapped.length > 0) return otherwise();
      const syntax = CONDITION_SYNTAX[dialect];
      let out = '';
      node.branches.forEach((b, i) => {
        const cond = conditionCode(b.condition, dialect, env.fieldMap);
        out += (i === 0 ? syntax.if : syntax.elsif)(cond) + compileNodes(b.body, context, env, issues);
      });
      if (node.otherwise) out += syntax.else + otherwise();
      return out + syntax.endif;
    }
  }
}

function conditionPaths(node: IfNode): Set<string> {
  const paths = new Set<string>();
  for (const b of node.branches) conditionFields(b.condition, paths);
  return paths;
}

const CONDITION_SYNTAX = {
  sfmc: {
    if: (c: string) => `%%[IF ${c} THEN]%%`,
    elsif: (c: string) => `%%[ELSEIF ${c} THEN]%%`,
    else: '%%[ELSE]%%',
    endif: '%%[ENDIF]%%',
  },
  hubspot: {
    if: (c: string) => `{% if ${c} %}`,
    elsif: (c: string) => `{% elif ${c} %}`,
    else: '{% else %}',
    endif: '{% endif %}',
  },
  braze: {
    if: (c: string) => `{% if ${c} %}`,
    elsif: (c: string) => `{% elsif ${c} %}`,
    else: '{% else %}',
    endif: '{% endif %}',
  },
} as const;

/** Every field was checked to be mapped before this is called. */
function conditionCode(c: Condition, dialect: 'sfmc' | 'hubspot' | 'braze', fieldMap: ResolvedFieldMap): string {
  const sfmc = dialect === 'sfmc';
  if (c.type === 'all' || c.type === 'any') {
    const joiner = sfmc ? (c.type === 'all' ? ' AND ' : ' OR ') : c.type === 'all' ? ' and ' : ' or ';
    return c.terms
      .map((t) => (sfmc ? `(${conditionCode(t, dialect, fieldMap)})` : conditionCode(t, dialect, fieldMap)))
      .join(joiner);
  }
  const ref = fieldMap[dialect][c.path] ?? '';
  const field = sfmc ? `AttributeValue('${ref}')` : ref;
  if (c.type === 'present') {
    if (sfmc) return c.negated ? `Empty(${field})` : `NOT Empty(${field})`;
    if (dialect === 'braze') return `${field} ${c.negated ? '==' : '!='} blank`;
    return c.negated ? `not ${field}` : field;
  }
  return `${field} ${c.op} ${literalCode(c.value, sfmc)}`;
}

/** Literals were checked against SAFE_LITERAL by the parser (no quotes), so quoting is enough. */
function literalCode(value: Literal, sfmc: boolean): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean' && sfmc) return `'${String(value)}'`;
  return String(value);
}
