const EQUIVALENTS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201B': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u00A0': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
  '\t': ' ',
  '\n': ' ',
  '\r': ' ',
  '\u2010': '-',
  '\u2011': '-',
};
const NEEDS_EQUIVALENTS = /[\u2018\u2019\u201B\u201C\u201D\u00A0\u2009\u202F\t\n\r\u2010\u2011]/g;

/**
 * Lower-cases and evens out typographic quotes, non-breaking spaces and hyphens, keeping every
 * offset where it was (a character whose lower case is longer, like `İ`, is left as it is).
 */
export function foldCase(text: string): string {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    lower = '';
    for (const ch of text) {
      const l = ch.toLowerCase();
      lower += l.length === ch.length ? l : ch;
    }
  }
  return foldEquivalents(lower);
}

/** Same-length normalization of quotes, spaces and hyphens, without changing case. */
export function foldEquivalents(text: string): string {
  return text.replace(NEEDS_EQUIVALENTS, (ch) => EQUIVALENTS[ch] ?? ch);
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** Whether the UTF-16 unit at `index` belongs to a word (letters, digits, marks, `_`). */
export function isWordCharAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  if (code < 128)
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  // Astral letters: look at the whole code point.
  if (code >= 0xdc00 && code <= 0xdfff && index > 0)
    return WORD.test(String.fromCodePoint(text.codePointAt(index - 1) ?? code));
  return WORD.test(String.fromCodePoint(text.codePointAt(index) ?? code));
}
