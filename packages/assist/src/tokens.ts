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
