/**
 * The neutral personalization syntax: one lexer and one parser that the template engine compiles
 * from and every other package reads tokens with.
 *
 *   {{ contact.firstName }}                      output a field
 *   {{ contact.firstName | default: "there" }}   … with a fallback when it is empty
 *   {% if contact.tier == "gold" %}…{% elsif contact.country != "DE" and contact.vip %}…{% else %}…{% endif %}
 *   {% raw %}{{ shown as typed }}{% endraw %}
 *   {% platform marketo %}{{lead.Score}}{% endplatform %}   hub-owned code for one platform (hub text only)
 *
 * Everything else is literal text.
 */
import type { Dialect } from '../schemas/personalization.js';

export interface TextNode {
  type: 'text';
  value: string;
  start: number;
  end: number;
}

export interface FieldNode {
  type: 'field';
  path: string;
  fallback?: string;
  start: number;
  end: number;
}

export interface Branch {
  condition: Condition;
  body: TokenNode[];
}

export interface IfNode {
  type: 'if';
  branches: Branch[];
  otherwise?: TokenNode[];
  start: number;
  end: number;
}

/**
 * Platform code the hub wrote (a merge tag, a script token): emitted unchanged for `dialect`,
 * nothing for the others. Only parsed in hub-owned text ({@link ParseOptions.hubOwned}).
 */
export interface PlatformNode {
  type: 'platform';
  dialect: PlatformDialect;
  code: string;
  /** Offsets of `code` in the input. */
  codeStart: number;
  start: number;
  end: number;
}

export type TokenNode = TextNode | FieldNode | IfNode | PlatformNode;
export type Literal = string | number | boolean;
export type PlatformDialect = Exclude<Dialect, 'preview'>;

export type Condition =
  | { type: 'compare'; path: string; op: '==' | '!='; value: Literal }
  | { type: 'present'; path: string; negated: boolean }
  | { type: 'all'; terms: Condition[] }
  | { type: 'any'; terms: Condition[] };

export interface TokenError {
  message: string;
  start: number;
  end: number;
}

/** One delimited piece of neutral syntax as the lexer reads it, before its inside is interpreted. */
export interface Lexeme {
  /** `output` for `{{ … }}`, `tag` for `{% … %}`. */
  kind: 'output' | 'tag';
  /** A tag's first word (`if`, `endif`, `raw`, …); '' for outputs and tags that start otherwise. */
  name: string;
  start: number;
  end: number;
  /** The text between the delimiters. */
  inner: string;
}

export interface LexedTokens {
  lexemes: Lexeme[];
  /** Unclosed delimiters and raw blocks; the text from there on is literal. */
  errors: TokenError[];
}

export interface ParsedTokens {
  nodes: TokenNode[];
  errors: TokenError[];
  /** Whether any live token (field, condition or platform code) was found. */
  live: boolean;
  /** Offsets of every tag that was read (`{{ … }}`, `{% if … %}`, `{% endif %}`, `{% raw %}`, …), in order. */
  tags: { start: number; end: number; control: boolean }[];
}

export interface ParseOptions {
  /** Text the hub wrote (template defaults): `{% platform … %}` blocks are allowed. Never for spoke text. */
  hubOwned?: boolean;
}

/**
 * A fallback as a quoted literal of the grammar that reads back as exactly `text`: the escape is a
 * backslash before `\\`, `"` or `'` (`default: "Say \\"hi\\""` is `Say "hi"`); any other
 * backslash is text. The quote the text does not contain is preferred, so most fallbacks need no
 * escape at all.
 */
export function quoteLiteral(text: string): string {
  const quote = text.includes('"') && !text.includes("'") ? "'" : '"';
  return `${quote}${text.replace(new RegExp(`[\\\\${quote}]`, 'g'), (ch) => `\\${ch}`)}${quote}`;
}

/** Reads the escapes of {@link quoteLiteral}. */
function unescapeLiteral(raw: string): string {
  return raw.replace(/\\([\\"'])/g, '$1');
}

export const FIELD_PATH = /^[a-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/;

/**
 * What a string literal inside a condition or an inline fallback may contain: safe inside a
 * single-quoted string in every dialect, and inside an HTML attribute (no quotes, braces, `%`,
 * `$`, `#`, `<`, `>`, `=`, `|`, `\`).
 */
export const SAFE_LITERAL = /^[\p{L}\p{M}\p{N} .,!?&()/:;_-]*$/u;

const PLATFORMS: readonly string[] = ['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'];

/**
 * Finds every `{{ … }}` and `{% … %}` in `input`. An opener is a `{` followed by `{` or `%`; its
 * closer is the first `}}` or `%}` outside quotes (quotes are ignored when one is never closed).
 * The inside of `{% raw %}` and `{% platform … %}` blocks is not scanned. Never throws.
 */
export function lexTokens(input: string): LexedTokens {
  const lexemes: Lexeme[] = [];
  const errors: TokenError[] = [];
  let i = 0;
  while (i < input.length) {
    const open = nextOpening(input, i);
    if (open === -1) break;
    const isOutput = input[open + 1] === '{';
    const close = findClose(input, open + 2, isOutput ? '}}' : '%}');
    if (close === -1) {
      errors.push({
        message: `${isOutput ? '{{' : '{%'} is never closed with ${isOutput ? '}}' : '%}'}`,
        start: open,
        end: input.length,
      });
      break;
    }
    const inner = input.slice(open + 2, close);
    const end = close + 2;
    const name = isOutput ? '' : (/^\s*([a-z]+)\b/.exec(inner)?.[1] ?? '');
    lexemes.push({ kind: isOutput ? 'output' : 'tag', name, start: open, end, inner });
    i = end;
    if (name === 'raw' || name === 'platform') {
      const closing = new RegExp(`\\{%\\s*end${name}\\s*%\\}`, 'g');
      closing.lastIndex = end;
      const m = closing.exec(input);
      if (!m) {
        errors.push({ message: `{% ${name} %} is never closed with {% end${name} %}`, start: open, end: input.length });
        break;
      }
      lexemes.push({
        kind: 'tag',
        name: `end${name}`,
        start: m.index,
        end: m.index + m[0].length,
        inner: m[0].slice(2, -2),
      });
      i = m.index + m[0].length;
    }
  }
  return { lexemes, errors };
}

interface Frame {
  node: IfNode;
  body: TokenNode[];
  sawElse: boolean;
}

/** Parses neutral syntax; never throws. Errors carry offsets into `input`; what fails to parse is literal text. */
export function parseTokens(input: string, options: ParseOptions = {}): ParsedTokens {
  const root: TokenNode[] = [];
  const stack: Frame[] = [];
  const tags: ParsedTokens['tags'] = [];
  const { lexemes, errors: lexErrors } = lexTokens(input);
  const errors: TokenError[] = [];
  let live = false;
  let textStart = 0;

  const body = (): TokenNode[] => stack[stack.length - 1]?.body ?? root;
  const pushText = (start: number, end: number, value = input.slice(start, end)) => {
    if (end <= start && value === '') return;
    const target = body();
    const last = target[target.length - 1];
    if (last?.type === 'text') {
      last.value += value;
      last.end = end;
    } else target.push({ type: 'text', value, start, end });
  };

  for (let k = 0; k < lexemes.length; k++) {
    const lexeme = lexemes[k];
    if (lexeme === undefined) break;
    const { start: open, end, inner } = lexeme;
    pushText(textStart, open);
    textStart = end;
    if (lexeme.kind === 'output') {
      const field = parseOutput(inner, open, end, errors);
      if (field) {
        body().push(field);
        tags.push({ start: open, end, control: false });
        live = true;
      } else pushText(open, end);
      continue;
    }
    const rest = /^\s*[a-z]+\b\s*([\s\S]*?)\s*$/.exec(inner)?.[1] ?? '';
    const name = lexeme.name;
    switch (name) {
      case 'if': {
        const condition = parseCondition(rest, open, end, errors);
        if (!condition) {
          pushText(open, end);
          break;
        }
        const node: IfNode = { type: 'if', branches: [{ condition, body: [] }], start: open, end };
        body().push(node);
        tags.push({ start: open, end, control: true });
        stack.push({ node, body: node.branches[0]?.body ?? [], sawElse: false });
        live = true;
        break;
      }
      case 'elsif':
      case 'elseif': {
        const frame = stack[stack.length - 1];
        const condition = parseCondition(rest, open, end, errors);
        if (!frame || frame.sawElse) {
          errors.push({
            message: frame ? `{% ${name} %} after {% else %}` : `{% ${name} %} without {% if %}`,
            start: open,
            end,
          });
          pushText(open, end);
        } else if (condition) {
          tags.push({ start: open, end, control: true });
          const branch: Branch = { condition, body: [] };
          frame.node.branches.push(branch);
          frame.body = branch.body;
        }
        break;
      }
      case 'else': {
        const frame = stack[stack.length - 1];
        if (!frame || frame.sawElse) {
          errors.push({
            message: frame ? '{% else %} appears twice' : '{% else %} without {% if %}',
            start: open,
            end,
          });
          pushText(open, end);
        } else {
          if (rest !== '')
            errors.push({ message: '{% else %} takes no condition (use {% elsif … %})', start: open, end });
          tags.push({ start: open, end, control: true });
          frame.sawElse = true;
          frame.node.otherwise = [];
          frame.body = frame.node.otherwise;
        }
        break;
      }
      case 'endif': {
        const frame = stack.pop();
        if (!frame) {
          errors.push({ message: '{% endif %} without {% if %}', start: open, end });
          pushText(open, end);
        } else {
          frame.node.end = end;
          tags.push({ start: open, end, control: true });
        }
        break;
      }
      case 'raw':
      case 'platform': {
        const closing = lexemes[k + 1];
        if (closing?.name !== `end${name}`) {
          // The lexer reported the missing closer and stopped: the rest is literal.
          pushText(open, input.length);
          textStart = input.length;
          break;
        }
        k += 1;
        textStart = closing.end;
        if (name === 'raw') {
          pushText(open, closing.end, input.slice(end, closing.start));
          tags.push({ start: open, end, control: true }, { start: closing.start, end: closing.end, control: true });
          break;
        }
        const dialect = rest;
        if (options.hubOwned !== true || !PLATFORMS.includes(dialect)) {
          errors.push({
            message:
              options.hubOwned !== true
                ? '{% platform %} is for code the hub writes in a template, not for draft content'
                : `{% platform ${rest} %}: expected one of ${PLATFORMS.join(', ')}`,
            start: open,
            end: closing.end,
          });
          pushText(open, closing.end);
          break;
        }
        body().push({
          type: 'platform',
          dialect: dialect as PlatformDialect,
          code: input.slice(end, closing.start),
          codeStart: end,
          start: open,
          end: closing.end,
        });
        tags.push({ start: open, end: closing.end, control: true });
        live = true;
        break;
      }
      default:
        errors.push({
          message: `unknown tag {% ${name || inner.trim()} %}: expected if, elsif, else, endif or raw`,
          start: open,
          end,
        });
        pushText(open, end);
    }
  }
  pushText(textStart, input.length);
  errors.push(...lexErrors);
  for (const frame of stack.reverse()) {
    errors.push({ message: '{% if %} is never closed with {% endif %}', start: frame.node.start, end: frame.node.end });
    frame.node.end = input.length;
  }
  return { nodes: root, errors, live, tags };
}

function nextOpening(input: string, from: number): number {
  for (let i = input.indexOf('{', from); i !== -1; i = input.indexOf('{', i + 1)) {
    const next = input[i + 1];
    if (next === '{' || next === '%') return i;
  }
  return -1;
}

/**
 * Finds the closing delimiter, skipping quoted strings and the character after a backslash inside
 * them (or ignoring quotes when one is never closed).
 */
function findClose(input: string, from: number, closing: string): number {
  let quote: string | undefined;
  for (let i = from; i < input.length; i++) {
    const ch = input[i];
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (input.startsWith(closing, i)) return i;
  }
  return quote ? input.indexOf(closing, from) : -1;
}

function parseOutput(inner: string, start: number, end: number, errors: TokenError[]): FieldNode | undefined {
  const m = /^\s*([^\s|]*)\s*(?:\|\s*(.*?)\s*)?$/s.exec(inner);
  const path = m?.[1] ?? '';
  if (!FIELD_PATH.test(path)) {
    errors.push({
      message:
        path === ''
          ? 'empty {{ }}: expected a field like contact.firstName'
          : `"${path}" is not a field path like contact.firstName`,
      start,
      end,
    });
    return undefined;
  }
  const filter = m?.[2];
  if (filter === undefined) return { type: 'field', path, start, end };
  const fallback = /^default\s*:\s*(?:"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)')$/.exec(filter);
  if (!fallback) {
    const name = /^[a-z_]+/.exec(filter)?.[0];
    errors.push({
      message:
        name && name !== 'default'
          ? `unknown filter "${name}": only default: "…" is supported`
          : 'expected default: "fallback text"',
      start,
      end,
    });
    return undefined;
  }
  return { type: 'field', path, fallback: unescapeLiteral(fallback[1] ?? fallback[2] ?? ''), start, end };
}

function parseCondition(text: string, start: number, end: number, errors: TokenError[]): Condition | undefined {
  const words = tokenizeCondition(text);
  if (!words) {
    errors.push({ message: 'unterminated string in condition', start, end });
    return undefined;
  }
  if (words.length === 0) {
    errors.push({ message: '{% if %} needs a condition such as contact.country == "DE"', start, end });
    return undefined;
  }
  const terms: Condition[] = [];
  let joiner: 'and' | 'or' | undefined;
  let k = 0;
  while (k < words.length) {
    const term = parseTerm(words, k);
    if ('error' in term) {
      errors.push({ message: term.error, start, end });
      return undefined;
    }
    terms.push(term.condition);
    k = term.next;
    if (k >= words.length) break;
    const word = words[k];
    if (word !== 'and' && word !== 'or') {
      errors.push({ message: `expected "and" or "or", got "${word ?? ''}"`, start, end });
      return undefined;
    }
    if (joiner && joiner !== word) {
      errors.push({
        message: 'a condition cannot mix "and" with "or": use {% elsif %} or nested conditions',
        start,
        end,
      });
      return undefined;
    }
    joiner = word;
    k += 1;
    if (k >= words.length) {
      errors.push({ message: `condition ends after "${word}"`, start, end });
      return undefined;
    }
  }
  if (terms.length === 1 && terms[0]) return terms[0];
  return joiner === 'or' ? { type: 'any', terms } : { type: 'all', terms };
}

type TermResult = { condition: Condition; next: number } | { error: string };

function parseTerm(words: string[], k: number): TermResult {
  let negated = false;
  let word = words[k];
  if (word === 'not') {
    negated = true;
    k += 1;
    word = words[k];
  }
  if (word === undefined || !FIELD_PATH.test(word))
    return { error: `expected a field like contact.country, got "${word ?? ''}"` };
  const op = words[k + 1];
  if (op !== '==' && op !== '!=') return { condition: { type: 'present', path: word, negated }, next: k + 1 };
  if (negated) return { error: '"not" only applies to a bare field: write contact.x != "value" instead' };
  const raw = words[k + 2];
  if (raw === undefined) return { error: `expected a value after ${op}` };
  const value = parseLiteral(raw);
  if (value === undefined)
    return { error: `expected a quoted string, a number, true or false after ${op}, got ${raw}` };
  if (typeof value === 'string' && !SAFE_LITERAL.test(value)) {
    return { error: 'condition values may only contain letters, digits, spaces and . , ! ? & ( ) / : ; _ -' };
  }
  return { condition: { type: 'compare', path: word, op, value }, next: k + 3 };
}

function parseLiteral(raw: string): Literal | undefined {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+(?:\.\d+)?$/.test(raw)) return Number(raw);
  const quoted = /^(?:"([^"]*)"|'([^']*)')$/s.exec(raw);
  return quoted ? (quoted[1] ?? quoted[2] ?? '') : undefined;
}

function tokenizeCondition(text: string): string[] | undefined {
  const words: string[] = [];
  const word = /"[^"]*"|'[^']*'|==|!=|[^\s"'=!]+|[=!]+/y;
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
    if (at >= text.length) return words;
    word.lastIndex = at;
    const m = word.exec(text);
    if (!m) return undefined;
    words.push(m[0]);
    at = word.lastIndex;
  }
}

/** Every field path a parsed text refers to. */
export function fieldsOf(nodes: readonly TokenNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    if (node.type === 'field') into.add(node.path);
    else if (node.type === 'if') {
      for (const b of node.branches) {
        conditionFields(b.condition, into);
        fieldsOf(b.body, into);
      }
      if (node.otherwise) fieldsOf(node.otherwise, into);
    }
  }
  return into;
}

export function conditionFields(c: Condition, into: Set<string>): void {
  if (c.type === 'all' || c.type === 'any') {
    for (const t of c.terms) conditionFields(t, into);
  } else into.add(c.path);
}
