import { findTokens, tokenKey } from '../text/tokens.js';

export interface CleanOptions {
  /** Tokens the spoke typed in the source; any other token in the output is removed. */
  allowedTokens?: Iterable<string>;
  /** Fold line breaks into spaces (subject lines, alt text). */
  singleLine?: boolean;
}

export interface CleanResult {
  text: string;
  /** What was taken out, for a diagnostic: markup, tokens, invisible characters. */
  removed: string[];
}

// Script-like elements lose their content too; any other tag is dropped and its text kept.
const SCRIPT_ELEMENT = /<(script|style|iframe|object|embed|template|noscript)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const TAG = /<\/?[A-Za-z][^<>]*>|<!--[\s\S]*?(?:-->|$)/g;
// C0/C1 controls (tab and newline are handled separately), bidi overrides and isolates,
// zero-width characters except ZWJ (emoji sequences need it), and the BOM.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const LEFTOVER_DELIMITERS = /\{\{|\}\}|\{%|%\}/g;
const WRAPPING_QUOTES = /^(["'“”‘’«»„])(.*)(["'“”‘’«»])$/s;

/**
 * Removes what the spoke could not have typed from model output, keeping everything else
 * as is: HTML markup (script-like elements whole), personalization tokens not in
 * `allowedTokens`, stray token delimiters, and invisible or bidi-override characters.
 * With `markup: false`, markup stays (for text already decoded from entities).
 */
export function stripUntrusted(
  input: string,
  allowedTokens: Iterable<string> = [],
  options: { markup?: boolean } = {},
): CleanResult {
  const removed: string[] = [];
  const take = (pattern: RegExp, text: string): string =>
    text.replace(pattern, (match) => {
      removed.push(match);
      return '';
    });

  const allowed = new Set([...allowedTokens].map(tokenKey));
  const pass = (input: string): string => {
    let text = input;
    if (options.markup !== false) text = take(TAG, take(SCRIPT_ELEMENT, text));
    let kept = '';
    let at = 0;
    for (const token of findTokens(text)) {
      kept += text.slice(at, token.start);
      if (allowed.has(tokenKey(token.text))) kept += token.text;
      else removed.push(token.text);
      at = token.end;
    }
    text = protectTokens(kept + text.slice(at), (plain) => take(LEFTOVER_DELIMITERS, plain));
    return take(INVISIBLE, text);
  };
  // Repeat until stable: removing one piece can join others into a tag or token (`<scr<b>ipt>`).
  let text = input.normalize('NFC');
  for (let before = ''; before !== text;) {
    before = text;
    text = pass(text);
  }
  return { text, removed };
}

/**
 * Model output is untrusted spoke input: {@link stripUntrusted}, then tidies what models
 * wrap answers in (quotes, list markers, doubled spaces). Downstream code still escapes for
 * its dialect; this only keeps the text to what a spoke could have typed.
 */
export function cleanModelText(input: string, options: CleanOptions = {}): CleanResult {
  const stripped = stripUntrusted(input, options.allowedTokens);
  let text = stripped.text.replace(/\t/g, ' ');
  if (options.singleLine === true) text = text.replace(/\s*[\r\n]+\s*/g, ' ');
  text = text.replace(/[ \u00A0]{2,}/g, ' ').trim();
  text = text.replace(/^(?:[-*•]\s+|\d{1,2}[.)]\s+)/, '');
  const quoted = WRAPPING_QUOTES.exec(text);
  if (quoted?.[2] !== undefined && !/["“”]/.test(quoted[2])) text = quoted[2].trim();
  return { text, removed: stripped.removed };
}

/** Applies `fn` to the text between tokens only. */
function protectTokens(text: string, fn: (plain: string) => string): string {
  let out = '';
  let at = 0;
  for (const token of findTokens(text)) {
    out += fn(text.slice(at, token.start)) + token.text;
    at = token.end;
  }
  return out + fn(text.slice(at));
}

/** The tokens in `text`, as typed. */
export function tokensIn(text: string): string[] {
  return findTokens(text).map((t) => t.text);
}
