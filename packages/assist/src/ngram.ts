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
  const chars = Array.from(` ${exactKey(text).replace(PLACEHOLDER, '\uE000').toLowerCase()} `);
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  if (grams.size === 0) grams.add(chars.join(''));
  return [...grams];
}

/** Dice coefficient of two gram counts and their overlap. */
export function dice(shared: number, a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * shared) / (a + b);
}
