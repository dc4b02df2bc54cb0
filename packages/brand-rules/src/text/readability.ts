/** Readability formulas that give a school grade. */
export type ReadabilityMetric =
  'flesch-kincaid' | 'gunning-fog' | 'coleman-liau' | 'smog' | 'automated-readability' | 'wiener-sachtextformel';

export interface TextStats {
  readonly words: number;
  readonly sentences: number;
  readonly syllables: number;
  readonly polysyllables: number;
  readonly letters: number;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Syllables by vowel groups, with the usual English corrections (silent final e, -le, -ed). */
export function countSyllables(word: string, language: string): number {
  const w = word.toLowerCase().replace(/[^\p{L}]/gu, '');
  if (w.length === 0) return 0;
  if (language === 'de') return Math.max(1, (w.match(/(?:ie|ei|eu|äu|au|[aeiouyäöü])/g) ?? []).length);
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, (trimmed.match(/[aeiouy]{1,2}/g) ?? []).length);
}

export function textStats(text: string, language: string): TextStats {
  const words = text.match(WORD) ?? [];
  const sentences = Math.max(1, (text.match(/[.!?]+(?=\s|$)/g) ?? []).length);
  let syllables = 0;
  let polysyllables = 0;
  let letters = 0;
  for (const word of words) {
    const s = countSyllables(word, language);
    syllables += s;
    if (s >= 3) polysyllables++;
    letters += word.replace(/[^\p{L}\p{N}]/gu, '').length;
  }
  return { words: words.length, sentences, syllables, polysyllables, letters };
}

/** The grade of one formula; `undefined` for an empty text. */
export function grade(metric: ReadabilityMetric, s: TextStats): number | undefined {
  if (s.words === 0) return undefined;
  const wordsPerSentence = s.words / s.sentences;
  switch (metric) {
    case 'flesch-kincaid':
      return 0.39 * wordsPerSentence + 11.8 * (s.syllables / s.words) - 15.59;
    case 'gunning-fog':
      return 0.4 * (wordsPerSentence + 100 * (s.polysyllables / s.words));
    case 'coleman-liau':
      return 0.0588 * ((s.letters / s.words) * 100) - 0.296 * ((s.sentences / s.words) * 100) - 15.8;
    case 'smog':
      return 1.043 * Math.sqrt(s.polysyllables * (30 / s.sentences)) + 3.1291;
    case 'automated-readability':
      return 4.71 * (s.letters / s.words) + 0.5 * wordsPerSentence - 21.43;
    case 'wiener-sachtextformel':
      return 0.2656 * wordsPerSentence + 0.2744 * ((s.polysyllables / s.words) * 100) - 1.693;
  }
}

/** The formulas calibrated for a language; empty when none is. */
export function metricsFor(locale: string): ReadabilityMetric[] {
  const language = locale.split('-')[0] ?? locale;
  if (language === 'en') return ['flesch-kincaid'];
  if (language === 'de') return ['wiener-sachtextformel'];
  return [];
}

/** Mean grade over `metrics`, rounded to one decimal. */
export function readingGrade(
  text: string,
  locale: string,
  metrics: readonly ReadabilityMetric[],
): { grade: number; words: number } | undefined {
  const language = locale.split('-')[0] ?? locale;
  const stats = textStats(text, language);
  const grades = metrics.map((m) => grade(m, stats)).filter((g): g is number => g !== undefined);
  if (grades.length === 0) return undefined;
  return { grade: Math.round((grades.reduce((a, b) => a + b, 0) / grades.length) * 10) / 10, words: stats.words };
}
