import { lexTokens } from '@hubspoke/core';

/** A personalization token span in text: `{{ output }}` or a `{% tag %}`. */
export interface TokenSpan {
  /** `output` for `{{ … }}`, `control` for `{% … %}` (a hub `{% platform %}` block is one control span). */
  kind: 'output' | 'control';
  start: number;
  end: number;
  text: string;
}

/**
 * The neutral personalization tokens of a text as core's lexer reads them (the template engine
 * compiles from the same lexer), valid or not: everything a translator or a model must leave alone.
 */
export function findTokens(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  const { lexemes } = lexTokens(text);
  for (let i = 0; i < lexemes.length; i++) {
    const lexeme = lexemes[i];
    if (lexeme === undefined) break;
    let end = lexeme.end;
    // Platform code is one piece: nothing inside it is text.
    const closing = lexemes[i + 1];
    if (lexeme.name === 'platform' && closing?.name === 'endplatform') {
      end = closing.end;
      i += 1;
    }
    spans.push({
      kind: lexeme.kind === 'output' ? 'output' : 'control',
      start: lexeme.start,
      end,
      text: text.slice(lexeme.start, end),
    });
  }
  return spans;
}

/** The tag name of a control token: `if`, `elsif`, `else`, `endif`, … */
export function controlTagName(token: string): string {
  return /^\{%-?\s*([A-Za-z_]+)/.exec(token)?.[1]?.toLowerCase() ?? '';
}

/** Compares tokens ignoring whitespace differences inside the delimiters. */
export function tokenKey(token: string): string {
  return token
    .replace(/\s+/g, ' ')
    .replace(/^(\{[{%]-?) ?/, '$1')
    .replace(/ ?(-?[}%]\})$/, '$1');
}

/** The first of the Unicode private-use characters that stand in for tokens while text is edited. */
const STAND_IN = 0xe000;
const STAND_INS = /[\uE000-\uF8FF]/g;

/**
 * Applies a text edit (a split, a replacement, a cut) with every token standing in as one
 * private-use character, so the edit cannot cut into a token: a token is kept whole or dropped
 * whole. Text that already holds private-use characters is returned unedited.
 */
export function editAroundTokens(text: string, edit: (masked: string) => string): string {
  const tokens = findTokens(text);
  if (tokens.length === 0) return edit(text);
  if (/[\uE000-\uF8FF]/.test(text) || tokens.length > 0x18ff) return text;
  let masked = '';
  let at = 0;
  tokens.forEach((token, i) => {
    masked += text.slice(at, token.start) + String.fromCharCode(STAND_IN + i);
    at = token.end;
  });
  masked += text.slice(at);
  return edit(masked).replace(STAND_INS, (c) => tokens[c.charCodeAt(0) - STAND_IN]?.text ?? '');
}

const OPENERS = new Set(['if', 'unless', 'for', 'case', 'capture', 'comment', 'raw']);
const BRANCHES = new Set(['else', 'elsif', 'when']);

/** Whether every block tag (`{% if %}`, `{% for %}`…) is closed by its end tag, in order. */
export function controlsBalanced(text: string): boolean {
  const open: string[] = [];
  for (const token of findTokens(text)) {
    if (token.kind !== 'control') continue;
    const name = controlTagName(token.text);
    if (OPENERS.has(name)) open.push(name);
    else if (name.startsWith('end') && OPENERS.has(name.slice(3))) {
      if (open.pop() !== name.slice(3)) return false;
    } else if (BRANCHES.has(name) && open.length === 0) return false;
  }
  return open.length === 0;
}
