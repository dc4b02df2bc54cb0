/** A neutral personalization token, `{{ contact.firstName | default: "there" }}`. */
export interface TokenUse {
  readonly start: number;
  readonly end: number;
  readonly field: string;
  /** The fallback text, or `undefined` when the token has none. */
  readonly fallback: string | undefined;
  /** Where a `| default: "…"` filter would go (before the closing braces). */
  readonly insertAt: number;
}

const TOKEN = /\{\{\s*([A-Za-z][\w.]*)\s*((?:\|[^}]*)?)\}\}/g;
const DEFAULT = /\|\s*default\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/;
const IF_OPEN = /\{%-?\s*(?:if|elsif|unless)\s+([A-Za-z][\w.]*)[^%]*%\}/g;
const IF_CLOSE = /\{%-?\s*(?:endif|endunless)\s*-?%\}/g;

/** Every `{{ … }}` token in `text`, with its fallback. */
export function findTokens(text: string): TokenUse[] {
  const out: TokenUse[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const filters = m[2] ?? '';
    const d = DEFAULT.exec(filters);
    const closing = m.index + m[0].length - 2;
    let insertAt = closing;
    while (insertAt > m.index && /\s/.test(text.charAt(insertAt - 1))) insertAt--;
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      field: m[1] ?? '',
      fallback: d ? (d[1] ?? d[2] ?? '') : undefined,
      insertAt,
    });
  }
  return out;
}

/** Ranges guarded by `{% if field %} … {% endif %}`, by field. A token inside its own guard needs no fallback. */
export function guardedRanges(text: string): { field: string; start: number; end: number }[] {
  const opens: { field: string; start: number }[] = [];
  const events: { at: number; open?: string }[] = [];
  IF_OPEN.lastIndex = 0;
  for (let m = IF_OPEN.exec(text); m !== null; m = IF_OPEN.exec(text)) events.push({ at: m.index, open: m[1] ?? '' });
  IF_CLOSE.lastIndex = 0;
  for (let m = IF_CLOSE.exec(text); m !== null; m = IF_CLOSE.exec(text)) events.push({ at: m.index });
  events.sort((a, b) => a.at - b.at);
  const ranges: { field: string; start: number; end: number }[] = [];
  for (const e of events) {
    if (e.open !== undefined) opens.push({ field: e.open, start: e.at });
    else {
      const open = opens.pop();
      if (open) ranges.push({ field: open.field, start: open.start, end: e.at });
    }
  }
  for (const open of opens) ranges.push({ field: open.field, start: open.start, end: text.length });
  return ranges;
}

/** The text as a recipient without data would see it: tokens replaced by their fallbacks. */
export function withFallbacks(text: string): string {
  const tokens = findTokens(text);
  let out = '';
  let at = 0;
  for (const t of tokens) {
    out += text.slice(at, t.start) + (t.fallback ?? '');
    at = t.end;
  }
  return out + text.slice(at);
}
