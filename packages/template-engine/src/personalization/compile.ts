import {
  SAFE_LITERAL,
  conditionFields,
  eloquaDynamicContentPlaceholder,
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
import { marketoScriptToken, type ScriptTokenOutput } from './velocity.js';
import { dynamicContentName, ruleCriteria, MAX_CRITERIA, type DynamicContentOutput } from './dynamic-content.js';

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
  /** Eloqua: compiling a dynamic content's branch, where another condition cannot be placed. */
  inDynamicContent?: boolean;
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

/**
 * Compiled output with the spans of its literal text: everything else in `text` is code the
 * compiler wrote (a token, an escape, the hub's platform code).
 */
export class Sink {
  text = '';
  /** Offsets (start, end pairs) of literal (spoke) text in {@link text}. */
  readonly data: number[] = [];
  /** Marketo: the email script tokens that `text` references as `{{my.…}}`. */
  readonly scripts: ScriptTokenOutput[] = [];
  /** Eloqua: the dynamic contents whose placeholders `text` holds. */
  readonly dynamicContents: DynamicContentOutput[] = [];

  code(s: string): void {
    this.text += s;
  }

  /** Literal text with the escape code an escape wrote inside it (offsets into `s`). */
  literal(s: string, code: readonly number[] = []): void {
    const base = this.text.length;
    let at = 0;
    for (let i = 0; i < code.length; i += 2) {
      const start = code[i] ?? 0;
      if (start > at) this.data.push(base + at, base + start);
      at = code[i + 1] ?? start;
    }
    if (s.length > at) this.data.push(base + at, base + s.length);
    this.text += s;
  }
}

/** The output that follows a piece, computed only when a plain-text escape needs to look at it. */
export type Next = () => string;
const NOTHING_NEXT: Next = () => '';

/** Compiles parsed neutral syntax to one dialect. Literal text is escaped for the context. */
export function compileNodes(
  nodes: readonly TokenNode[],
  context: OutputContext,
  env: CompileEnv,
  issues: CompileIssue[],
): string {
  const sink = new Sink();
  compileInto(sink, nodes, context, env, issues);
  return sink.text;
}

/** {@link compileNodes} into a sink that keeps where the literal text is. */
export function compileInto(
  sink: Sink,
  nodes: readonly TokenNode[],
  context: OutputContext,
  env: CompileEnv,
  issues: CompileIssue[],
  next: Next = NOTHING_NEXT,
): void {
  nodes.forEach((node, i) => {
    // What follows a literal decides whether its last characters would open a construct.
    const after = nodes[i + 1];
    const following: Next =
      after === undefined ? next : () => compileNodes(nodes.slice(i + 1), context, env, []) + next();
    if (node.type === 'text') literal(sink, node.value, context, env, node, issues, following);
    else if (node.type === 'field') compileField(sink, node, context, env, issues, following);
    else if (node.type === 'if') compileIf(sink, node, context, env, issues, following);
    // Code the hub wrote for one platform goes out unchanged, for that platform only.
    else if (node.dialect === env.dialect) sink.code(node.code);
  });
}

function literal(
  sink: Sink,
  text: string,
  context: OutputContext,
  env: CompileEnv,
  at: { start: number; end: number },
  issues: CompileIssue[],
  next: Next = NOTHING_NEXT,
): void {
  if (context !== 'text') {
    sink.literal(escapeHtml(text));
    return;
  }
  const escaped = env.dialect === 'preview' ? { text, code: [], broken: false } : escapeText(text, env.dialect, next());
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
  sink.literal(escaped.text, escaped.code);
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

function compileField(
  sink: Sink,
  node: FieldNode,
  context: OutputContext,
  env: CompileEnv,
  issues: CompileIssue[],
  next: Next,
): void {
  const fallback = node.fallback ?? '';
  const fallbackOut = (after: Next | string = next) => {
    if (typeof after === 'string') {
      const code = after;
      after = () => code;
    }
    literal(sink, fallback, context, env, node, issues, after);
  };
  const code = (s: string) => {
    sink.code(s);
  };
  if (env.dialect === 'preview') {
    const value = env.contact?.[node.path];
    if (isPresent(value)) literal(sink, String(value), context, env, node, issues, next);
    else fallbackOut();
    return;
  }
  const dialect = env.dialect;
  const ref = reference(node.path, dialect, env.fieldMap, node, issues);
  if (ref === undefined) {
    fallbackOut();
    return;
  }
  const inHtml = context !== 'text';
  switch (dialect) {
    case 'marketo': {
      if (node.fallback === undefined || fallback === '') {
        code(`{{${ref}}}`);
        return;
      }
      if (MARKETO_FALLBACK.test(fallback)) {
        code(`{{${ref}:default=${fallback}}}`);
        return;
      }
      unsupported(
        env,
        node,
        'error',
        'Marketo token defaults cannot carry these characters (only letters, digits, spaces and . , ! ? ( ) / _ -); the token is emitted without its default',
        issues,
        'fallback',
      );
      code(`{{${ref}}}`);
      return;
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
        fallbackOut();
        return;
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
      code(`<span class="eloquaemail">${ref}</span>`);
      return;
    }
    case 'sfmc': {
      const value = `AttributeValue('${ref}')`;
      if (node.fallback === undefined) {
        code(`%%=${value}=%%`);
        return;
      }
      const rest = `%%[ELSE]%%%%=${value}=%%%%[ENDIF]%%`;
      code(`%%[IF Empty(${value}) THEN]%%`);
      fallbackOut(rest);
      code(rest);
      return;
    }
    case 'hubspot': {
      const escape = inHtml ? '|escape' : '';
      if (node.fallback === undefined) {
        code(`{{ ${ref}${escape} }}`);
        return;
      }
      if (SAFE_LITERAL.test(fallback)) {
        code(`{{ personalization_token('${ref}', '${fallback}')${escape} }}`);
        return;
      }
      code(`{% if ${ref} %}{{ ${ref}${escape} }}{% else %}`);
      fallbackOut('{% endif %}');
      code('{% endif %}');
      return;
    }
    case 'braze': {
      const escape = inHtml ? ' | escape' : '';
      if (node.fallback === undefined) {
        code(`{{ ${ref}${escape} }}`);
        return;
      }
      if (SAFE_LITERAL.test(fallback)) {
        code(`{{ ${ref} | default: '${fallback}'${escape} }}`);
        return;
      }
      const rest = `{% else %}{{ ${ref}${escape} }}{% endif %}`;
      code(`{% if ${ref} == blank %}`);
      fallbackOut(rest);
      code(rest);
      return;
    }
  }
}

function compileIf(
  sink: Sink,
  node: IfNode,
  context: OutputContext,
  env: CompileEnv,
  issues: CompileIssue[],
  next: Next,
): void {
  const otherwise = (after: Next = next) => {
    compileInto(sink, node.otherwise ?? [], context, env, issues, after);
  };
  if (env.dialect === 'preview') {
    const branch = node.branches.find((b) => evaluate(b.condition, env.contact));
    if (branch) compileInto(sink, branch.body, context, env, issues, next);
    else otherwise();
    return;
  }
  const dialect = env.dialect;
  switch (dialect) {
    case 'marketo': {
      // A Velocity email script token; the else-branch only when a tested field has no Velocity name.
      const token = marketoScriptToken(node, context, env.fieldMap, issues);
      if (token === undefined) {
        otherwise();
        return;
      }
      sink.code(`{{my.${token.name}}}`);
      if (!sink.scripts.some((s) => s.name === token.name)) sink.scripts.push(token);
      return;
    }
    case 'eloqua': {
      // A Dynamic Content asset where Eloqua has one (HTML content); the else-branch elsewhere.
      if (context !== 'html' || env.inDynamicContent === true) {
        unsupported(
          env,
          node,
          'error',
          env.inDynamicContent === true
            ? 'Eloqua dynamic content cannot hold another condition; only its {% else %} content is emitted inside this branch'
            : `Eloqua has dynamic content only in HTML content, not in ${context === 'attr' ? 'attributes such as the subject in <title>' : 'plain text, the subject or the preheader'}; only the {% else %} content is emitted`,
          issues,
          env.inDynamicContent === true ? 'nested-condition' : 'condition',
        );
        otherwise();
        return;
      }
      const dc = eloquaDynamicContent(node, env, issues);
      if (dc === undefined) {
        otherwise();
        return;
      }
      sink.code(eloquaDynamicContentPlaceholder(dc.name));
      if (!sink.dynamicContents.some((d) => d.name === dc.name)) sink.dynamicContents.push(dc);
      return;
    }
    case 'sfmc':
    case 'hubspot':
    case 'braze': {
      const unmapped = [...conditionPaths(node)].filter(
        (path) => reference(path, dialect, env.fieldMap, node, issues) === undefined,
      );
      if (unmapped.length > 0) {
        otherwise();
        return;
      }
      const syntax = CONDITION_SYNTAX[dialect];
      node.branches.forEach((b, i) => {
        const cond = conditionCode(b.condition, dialect, env.fieldMap);
        sink.code((i === 0 ? syntax.if : syntax.elsif)(cond));
        const following = node.branches[i + 1];
        const after = following
          ? syntax.elsif(conditionCode(following.condition, dialect, env.fieldMap))
          : node.otherwise
            ? syntax.else
            : syntax.endif;
        compileInto(sink, b.body, context, env, issues, () => after);
      });
      if (node.otherwise) {
        sink.code(syntax.else);
        otherwise(() => syntax.endif);
      }
      sink.code(syntax.endif);
    }
  }
}

/**
 * An Eloqua condition in HTML content as a Dynamic Content definition (see `dynamic-content.ts`),
 * or undefined (with issues) when a field it tests has no Eloqua mapping or it needs more
 * criteria than a rule takes: the caller then emits the else-branch.
 */
function eloquaDynamicContent(node: IfNode, env: CompileEnv, issues: CompileIssue[]): DynamicContentOutput | undefined {
  const map = env.fieldMap.eloqua;
  const unmapped = [...conditionPaths(node)].filter(
    (path) => reference(path, 'eloqua', env.fieldMap, node, issues) === undefined,
  );
  if (unmapped.length > 0) return undefined;
  const inner: CompileEnv = { ...env, inDynamicContent: true };
  const rules: DynamicContentOutput['rules'] = [];
  const ruleData: number[][] = [];
  for (const branch of node.branches) {
    const rule = ruleCriteria(branch.condition, (path) => map[path] ?? '');
    if (rule === undefined) {
      unsupported(
        env,
        node,
        'error',
        `an Eloqua dynamic content rule takes at most ${MAX_CRITERIA} comparisons; split the condition`,
        issues,
        'condition',
      );
      return undefined;
    }
    const body = new Sink();
    compileInto(body, branch.body, 'html', inner, issues);
    rules.push({ ...rule, html: body.text });
    ruleData.push(body.data);
  }
  const fallback = new Sink();
  compileInto(fallback, node.otherwise ?? [], 'html', inner, issues);
  const name = dynamicContentName(rules, fallback.text);
  return { name, rules, defaultHtml: fallback.text, ruleData, defaultData: fallback.data };
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
