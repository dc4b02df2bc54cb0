const ACCENTED: Record<string, string> = {
  a: 'á',
  e: 'é',
  i: 'í',
  o: 'ó',
  u: 'ú',
  c: 'ç',
  n: 'ñ',
  y: 'ý',
  A: 'Á',
  E: 'É',
  I: 'Í',
  O: 'Ó',
  U: 'Ú',
  C: 'Ç',
  N: 'Ñ',
  Y: 'Ý',
};

/**
 * A pseudo-translation of an XLIFF-like segment: accented vowels inside brackets, so a
 * layout shows which strings went through translation and where text is cut. Placeholder
 * elements and XML entities are left exactly as they are.
 */
export function pseudoLocalize(source: string): string {
  const accented = source.replace(
    /(<x\b[^>]*\/>|<x\b[^>]*>\s*<\/x\s*>|&[#A-Za-z0-9]+;)|[aeioucnyAEIOUCNY]/g,
    (match, kept: string | undefined) => kept ?? ACCENTED[match] ?? match,
  );
  if (accented.trim() === '') return accented;
  const lead = /^\s*/.exec(accented)?.[0] ?? '';
  const trail = /\s*$/.exec(accented)?.[0] ?? '';
  return `${lead}[${accented.trim()}]${trail}`;
}
