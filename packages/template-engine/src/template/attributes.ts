import { decodeHTML } from 'entities';

/** Attribute values arrive raw (entities kept, as mjml reads them); these read them as data. */

export function decodeValue(raw: string): string {
  return decodeHTML(raw);
}

/** Text content as a value: entities decoded, whitespace runs collapsed, edges trimmed. */
export function normalizeText(raw: string): string {
  return decodeHTML(raw).replace(/\s+/g, ' ').trim();
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseBoolean(raw: string): Parsed<boolean> {
  const v = raw.trim();
  if (v === 'true' || v === '') return { ok: true, value: true };
  if (v === 'false') return { ok: true, value: false };
  return { ok: false, error: `expected true or false, got "${raw}"` };
}

export function parseCount(raw: string, min = 1): Parsed<number> {
  const v = raw.trim().replace(/px$/, '');
  if (!/^\d+$/.test(v) || Number(v) < min)
    return { ok: false, error: `expected a whole number of at least ${min}, got "${raw}"` };
  return { ok: true, value: Number(v) };
}

export function parseList(raw: string): string[] {
  return decodeHTML(raw)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `1..4`, `0..1` or a single number (exactly that many). */
export function parseOccurs(raw: string): Parsed<{ min: number; max: number }> {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(raw);
  if (!m) return { ok: false, error: `expected a count range like "1..4", got "${raw}"` };
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < 1 || max < min) return { ok: false, error: `expected min ≤ max and max ≥ 1, got "${raw}"` };
  return { ok: true, value: { min, max } };
}

/** `de-AT: de, en; fr-CA: fr, en` → `{ "de-AT": ["de", "en"], "fr-CA": ["fr", "en"] }`. */
export function parseFallbacks(raw: string): Parsed<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const entry of raw.split(';')) {
    if (entry.trim() === '') continue;
    const [locale, chain] = entry.split(':');
    if (locale === undefined || chain === undefined || locale.trim() === '')
      return {
        ok: false,
        error: `expected "locale: fallback, fallback" entries separated by ";", got "${entry.trim()}"`,
      };
    out[locale.trim()] = parseList(chain);
  }
  return { ok: true, value: out };
}
