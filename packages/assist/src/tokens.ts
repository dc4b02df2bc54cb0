/** A personalization token span in text: `{{ output }}` or a `{% tag %}`. */
export interface TokenSpan {
  /** `output` for `{{ … }}`, `control` for `{% … %}`. */
  kind: 'output' | 'control';
  start: number;
  end: number;
  text: string;
}

/**
 * Finds neutral personalization tokens (`{{ contact.firstName | default: "there" }}`,
 * `{% if contact.vip %}`) without interpreting them: the template engine owns the grammar.
 * Quoted strings inside a token may contain `}}` or `%}`. An unterminated opener is text.
 */
export function findTokens(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let i = 0;
  while (i < text.length - 1) {
    const open = text.indexOf('{', i);
    if (open === -1 || open >= text.length - 1) break;
    const next = text[open + 1];
    // `{{{ x }}` is a brace, then a token.
    if ((next !== '{' && next !== '%') || (next === '{' && text[open + 2] === '{')) {
      i = open + 1;
      continue;
    }
    const close = next === '{' ? '}}' : '%}';
    const end = findClose(text, open + 2, close);
    if (end === -1) {
      i = open + 1;
      continue;
    }
    spans.push({ kind: next === '{' ? 'output' : 'control', start: open, end, text: text.slice(open, end) });
    i = end;
  }
  return spans;
}

function findClose(text: string, from: number, close: string): number {
  let quote: string | undefined;
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (quote !== undefined) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === close[0] && text[j + 1] === close[1]) {
      return j + 2;
    }
  }
  return -1;
}

/** The tag name of a control token: `if`, `elsif`, `else`, `endif`, `for`… */
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
