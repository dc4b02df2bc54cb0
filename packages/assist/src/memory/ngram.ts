const PLACEHOLDER = /<x\s+id\s*=\s*["'][^"'<>]*["']\s*(?:\/>|>\s*<\/x\s*>)/g;

/** The form exact matches compare: NFC, whitespace collapsed and trimmed, case kept. */
export function exactKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * The distinct character trigrams fuzzy matching compares: lower-cased, each placeholder
 * as one private-use character, padded with a space on each side.
 */
export function fuzzyGrams(text: string): string[] {
  const padded = ` ${exactKey(text).replace(PLACEHOLDER, '\uE000').toLowerCase()} `;
  // Slicing code units is safe (and fast) unless the text has surrogate pairs.
  const chars: { length: number; slice(start: number, end: number): string | string[] } = /[\uD800-\uDFFF]/.test(padded)
    ? Array.from(padded)
    : padded;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const gram = chars.slice(i, i + 3);
    grams.add(typeof gram === 'string' ? gram : gram.join(''));
  }
  if (grams.size === 0) grams.add(padded);
  return [...grams];
}

/** Dice coefficient of two gram counts and their overlap. */
export function dice(shared: number, a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * shared) / (a + b);
}
