import {
  conditionFields,
  sha256Hex,
  type Literal,
  type MarketoScriptToken,
  type TokenCondition as Condition,
  type IfNode,
  type Severity,
  type TokenNode,
} from '@hubspoke/core';
import { escapeHtml, headerSafe } from './escape.js';
import type { ResolvedFieldMap } from './field-map.js';

/**
 * Marketo segment conditions as Velocity email-script tokens. A condition becomes one script
 * token, `{{my.hubspoke_if_<hash>}}` in the email, whose script tests the lead's fields and prints
 * the branch content. Everything a spoke wrote is printed as data:
 *
 * - for HTML (`html`/`attr`), entity-encoded: `escapeHtml` already turns `$ # { } %` into
 *   entities, and a backslash becomes `&#92;`, so the script holds no `$`, `#` or `\` of spoke text;
 * - for plain text (subject, preheader, text part), `$` and `#` are printed through variables set
 *   from single-quoted strings (`#set($hubspokeD = '$')…${hubspokeD}`, the escape Velocity always
 *   honours), `\` through `${esc.b}`, and a `{{` is broken with a zero-width space as elsewhere
 *   in Marketo text. No backslash of spoke text is left to escape the code after it.
 *
 * Lead fields are read once into variables through string interpolation
 * (`#set($hubspokeF0 = "$!{lead.Country}")`), so an empty field is an empty string, never null,
 * and every later reference is in formal notation (`${…}`), so no text after it can extend it.
 */

/** A compiled script with the spans (start, end pairs) of spoke text in it. */
export interface ScriptTokenOutput extends MarketoScriptToken {
  data: number[];
}

/** Where the Velocity field name is not the `{{lead.…}}` token name (Marketo's REST/SOAP names). */
const VELOCITY_NAMES: Readonly<Record<string, string>> = {
  'First Name': 'FirstName',
  'Last Name': 'LastName',
  'Email Address': 'Email',
  'Job Title': 'Title',
};

/**
 * The Velocity reference for a Marketo field reference (`lead.First Name` → `lead.FirstName`):
 * only lead fields, by their API name (a mapped name without spaces is taken as written).
 */
export function velocityField(reference: string): string | undefined {
  const m = /^lead\.(.+)$/.exec(reference);
  const name = m?.[1];
  if (name === undefined) return undefined;
  const api = VELOCITY_NAMES[name] ?? name;
  return /^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(api) ? `lead.${api}` : undefined;
}

export const SCRIPT_TOKEN_PREFIX = 'hubspoke_if_';

/** A problem found while compiling; the caller turns it into a diagnostic. */
export interface VelocityIssue {
  ruleId: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  data?: Record<string, unknown>;
}

class ScriptSink {
  text = '';
  readonly data: number[] = [];
  /**
   * The last code was a directive (`#if(…)`, `#{else}`, `#{end}`): text after it that starts with
   * `(` would extend it into a call, and a line break after it is eaten by Velocity.
   */
  private bare = false;
  code(s: string): void {
    this.text += s;
    this.bare = /(?:\)|#\{else\}|#\{end\})$/.test(s);
  }
  literal(s: string): void {
    if (s === '') return;
    // A quiet reference to nothing ends the directive: `#{else}$!{hubspokeE}(` prints `(`.
    if (this.bare && /^[\s(]/.test(s)) this.text += '$!{hubspokeE}';
    this.bare = false;
    this.data.push(this.text.length, this.text.length + s.length);
    this.text += s;
  }
}

/**
 * Plain text prints `$` and `#` through variables set from single-quoted strings, and `\` through
 * EscapeTool's `$esc.b` (a backslash cannot be written in a string literal that every Velocity
 * reads alike: Velocity 1.7 takes `'\'` as is, velocityjs as an escaped quote).
 */
const TEXT_ESCAPES: Readonly<Record<string, string>> = { $: '${hubspokeD}', '#': '${hubspokeH}', '\\': '${esc.b}' };
const TEXT_VALUES: Readonly<Record<string, string>> = { D: '$', H: '#' };

interface ScriptEnv {
  mode: 'html' | 'text';
  fieldMap: ResolvedFieldMap;
  issues: VelocityIssue[];
  /** Velocity references read, in order; variable i is `$hubspokeF<i>`. */
  fields: string[];
  /** Characters printed through a variable in text mode. */
  chars: Set<string>;
}

function variableOf(env: ScriptEnv, velocity: string): string {
  let i = env.fields.indexOf(velocity);
  if (i === -1) i = env.fields.push(velocity) - 1;
  return `hubspokeF${i}`;
}

function literal(sink: ScriptSink, text: string, env: ScriptEnv): void {
  if (env.mode === 'html') {
    sink.literal(escapeHtml(text).replace(/\\/g, '&#92;'));
    return;
  }
  // A `{` that ends the previous piece and one that starts this piece would meet as `{{`.
  let run = text.startsWith('{') && sink.text.endsWith('{') ? '\u200b' : '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const v = TEXT_ESCAPES[ch];
    if (v !== undefined) {
      sink.literal(run);
      run = '';
      if (ch !== '\\') env.chars.add(ch === '$' ? 'D' : 'H');
      sink.code(v);
    } else {
      run += ch;
      // `{{` would be a Marketo token if Marketo read the script's output again: keep it broken.
      if (ch === '{' && text[i + 1] === '{') run += '\u200b';
    }
  }
  sink.literal(run);
}

/** The Velocity variable for a neutral field path, or undefined (with an issue) when it has none. */
function fieldVariable(path: string, env: ScriptEnv, at: { start: number; end: number }): string | undefined {
  const reference = env.fieldMap.marketo[path];
  if (reference === undefined) {
    env.issues.push({
      ruleId: 'personalization/unmapped-field',
      severity: 'error',
      message: `"${path}" has no marketo field in the field map; add fieldMap.marketo["${path}"]`,
      start: at.start,
      end: at.end,
      data: { code: 'E_UNSUPPORTED', dialect: 'marketo', field: path },
    });
    return undefined;
  }
  const velocity = velocityField(reference);
  if (velocity === undefined) {
    env.issues.push({
      ruleId: 'personalization/unsupported',
      severity: 'error',
      message: `Marketo email scripts read lead fields by API name: "${reference}" has none known; map "${path}" to lead.<ApiName> (e.g. lead.FirstName)`,
      start: at.start,
      end: at.end,
      data: { code: 'E_UNSUPPORTED', dialect: 'marketo', construct: 'condition', field: path },
    });
    return undefined;
  }
  return variableOf(env, velocity);
}

/** Literals passed SAFE_LITERAL in the parser (no quotes, `$` or `#`): a single-quoted string is enough. */
function velocityLiteral(value: Literal): string {
  return `'${String(value)}'`;
}

function conditionCode(c: Condition, vars: ReadonlyMap<string, string>): string {
  switch (c.type) {
    case 'all':
    case 'any':
      return `(${c.terms.map((t) => conditionCode(t, vars)).join(c.type === 'all' ? ' && ' : ' || ')})`;
    case 'present':
      return `$${vars.get(c.path) ?? ''}.trim() ${c.negated ? '==' : '!='} ''`;
    case 'compare':
      return `$${vars.get(c.path) ?? ''} ${c.op} ${velocityLiteral(c.value)}`;
  }
}

function body(sink: ScriptSink, nodes: readonly TokenNode[], env: ScriptEnv): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        literal(sink, node.value, env);
        break;
      case 'field': {
        const variable = fieldVariable(node.path, env, node);
        if (variable === undefined) {
          literal(sink, node.fallback ?? '', env);
          break;
        }
        const value = env.mode === 'html' ? `\${esc.html($${variable})}` : `\${${variable}}`;
        if (node.fallback === undefined || node.fallback === '') sink.code(value);
        else {
          sink.code(`#if($${variable}.trim() != '')${value}#{else}`);
          literal(sink, node.fallback, env);
          sink.code('#{end}');
        }
        break;
      }
      case 'if':
        ifCode(sink, node, env);
        break;
      case 'platform':
        if (node.dialect === 'marketo')
          env.issues.push({
            ruleId: 'personalization/unsupported',
            severity: 'warning',
            message: 'Marketo platform code inside a condition is left out: an email script prints it, it does not run',
            start: node.start,
            end: node.end,
            data: { code: 'E_UNSUPPORTED', dialect: 'marketo', construct: 'platform-in-condition' },
          });
        break;
    }
  }
}

/** Every field every condition of `node` and its branches reads, or undefined when one has no Velocity name. */
function conditionVariables(node: IfNode, env: ScriptEnv): Map<string, string> | undefined {
  const paths = new Set<string>();
  for (const b of node.branches) conditionFields(b.condition, paths);
  const vars = new Map<string, string>();
  let ok = true;
  for (const path of paths) {
    const variable = fieldVariable(path, env, node);
    if (variable === undefined) ok = false;
    else vars.set(path, variable);
  }
  return ok ? vars : undefined;
}

function ifCode(sink: ScriptSink, node: IfNode, env: ScriptEnv): void {
  const vars = conditionVariables(node, env);
  if (vars === undefined) {
    body(sink, node.otherwise ?? [], env);
    return;
  }
  node.branches.forEach((b, i) => {
    sink.code(`${i === 0 ? '#if' : '#elseif'}(${conditionCode(b.condition, vars)})`);
    body(sink, b.body, env);
  });
  if (node.otherwise && node.otherwise.length > 0) {
    sink.code('#{else}');
    body(sink, node.otherwise, env);
  }
  sink.code('#{end}');
}

/**
 * The token for a header field (subject, preheader): no control character (CR, LF, tab…) of spoke
 * text may reach it, so those become spaces; the name follows the script (same length).
 */
export function headerScriptToken(token: ScriptTokenOutput): ScriptTokenOutput {
  let script = token.script;
  for (let i = 0; i + 1 < token.data.length; i += 2) {
    const start = token.data[i] ?? 0;
    const end = token.data[i + 1] ?? 0;
    script = script.slice(0, start) + headerSafe(script.slice(start, end)) + script.slice(end);
  }
  if (script === token.script) return token;
  return { ...token, script, name: `${SCRIPT_TOKEN_PREFIX}${sha256Hex(`${token.context}\n${script}`).slice(0, 12)}` };
}

/**
 * Compiles one condition to a Marketo Email Script token for HTML (`html`, `attr`) or plain text,
 * or returns undefined (with issues) when a field it tests has no Velocity name: the caller then
 * emits the else-branch.
 */
export function marketoScriptToken(
  node: IfNode,
  context: 'html' | 'attr' | 'text',
  fieldMap: ResolvedFieldMap,
  issues: VelocityIssue[],
): ScriptTokenOutput | undefined {
  const env: ScriptEnv = {
    mode: context === 'text' ? 'text' : 'html',
    fieldMap,
    issues: [],
    fields: [],
    chars: new Set(),
  };
  const main = new ScriptSink();
  if (conditionVariables(node, env) === undefined) {
    issues.push(...env.issues);
    return undefined;
  }
  ifCode(main, node, env);
  issues.push(...env.issues);
  // The prelude: what the script reads and the characters plain text prints through variables.
  let prelude = '';
  env.fields.forEach((f, i) => {
    prelude += `#set($hubspokeF${i} = "$!{${f}}")`;
  });
  for (const v of ['D', 'H']) if (env.chars.has(v)) prelude += `#set($hubspoke${v} = '${TEXT_VALUES[v] ?? ''}')`;
  const script = prelude + main.text;
  const data = main.data.map((at) => at + prelude.length);
  const name = `${SCRIPT_TOKEN_PREFIX}${sha256Hex(`${env.mode}\n${script}`).slice(0, 12)}`;
  return { name, script, fields: [...env.fields], context: env.mode, data };
}
