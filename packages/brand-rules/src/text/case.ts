const LETTER = /\p{L}/u;

function hasLetters(text: string): boolean {
  return LETTER.test(text);
}

function isUpper(text: string): boolean {
  return text === text.toUpperCase() && text !== text.toLowerCase();
}

function capitalize(word: string): string {
  const first = word.codePointAt(0);
  if (first === undefined) return word;
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + word.slice(head.length);
}

/**
 * Writes `replacement` in the case of `original`: `LOGIN` → `SIGN IN`, `Login` → `Sign in`,
 * `Log In` → `Sign In`. Lower-case originals keep the replacement as written (so `iPhone`
 * stays `iPhone`).
 */
export function matchCase(original: string, replacement: string): string {
  if (!hasLetters(original)) return replacement;
  const letters = original.replace(/[^\p{L}]/gu, '');
  if (letters.length > 1 && isUpper(letters)) return replacement.toUpperCase();
  const words = original.split(/\s+/).filter((w) => hasLetters(w));
  if (words.length > 1 && words.every((w) => isUpper(String.fromCodePoint(w.codePointAt(0) ?? 0)))) {
    return replacement
      .split(/(\s+)/)
      .map((part) => (/\s/.test(part) ? part : capitalize(part)))
      .join('');
  }
  if (isUpper(String.fromCodePoint(original.codePointAt(0) ?? 0))) return capitalize(replacement);
  return replacement;
}

const MINOR_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'but',
  'or',
  'nor',
  'for',
  'so',
  'yet',
  'as',
  'at',
  'by',
  'in',
  'of',
  'off',
  'on',
  'per',
  'to',
  'up',
  'via',
  'with',
  'from',
  'into',
  'over',
]);

/** Title Case, keeping minor words lower-case except first and last, and acronyms as written. */
export function toTitleCase(text: string, exceptions: ReadonlySet<string>): string {
  const parts = text.split(/(\s+)/);
  const wordIndexes = parts.map((p, i) => (/\S/.test(p) ? i : -1)).filter((i) => i >= 0);
  const first = wordIndexes[0];
  const last = wordIndexes[wordIndexes.length - 1];
  return parts
    .map((part, i) => {
      if (!/\S/.test(part) || exceptions.has(part) || (part.length > 1 && isUpper(part.replace(/[^\p{L}]/gu, ''))))
        return part;
      if (i !== first && i !== last && MINOR_WORDS.has(part.toLowerCase())) return part.toLowerCase();
      return capitalize(part);
    })
    .join('');
}

/** Sentence case: first word capitalized, later words lower-case unless exceptions or acronyms. */
export function toSentenceCase(text: string, exceptions: ReadonlySet<string>): string {
  let seenWord = false;
  return text
    .split(/(\s+)/)
    .map((part) => {
      if (!/\S/.test(part)) return part;
      const keep = exceptions.has(part) || (part.length > 1 && isUpper(part.replace(/[^\p{L}]/gu, '')));
      const out = keep ? part : seenWord ? part.toLowerCase() : capitalize(part.toLowerCase());
      seenWord = true;
      return out;
    })
    .join('');
}
