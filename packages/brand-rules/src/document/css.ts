import { formatHex, parse as parseCulori } from 'culori';
import { memoize } from '../memoize.js';

/** One `property: value` with the value's [start, end) offsets in the text it came from. */
export interface CssDeclaration {
  readonly property: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly important?: boolean;
}

/** `parseDeclarations(css, 0)`, memoized by text. The result is shared; do not mutate it. */
export const cachedDeclarations: (css: string) => readonly CssDeclaration[] = memoize((css) => parseDeclarations(css));

/** Splits `a: b; c: d` into declarations, keeping offsets (relative to `base`). Tolerates junk. */
export function parseDeclarations(css: string, base = 0): CssDeclaration[] {
  const out: CssDeclaration[] = [];
  let from = 0;
  while (from < css.length) {
    let semi = css.indexOf(';', from);
    if (semi === -1) semi = css.length;
    const colon = css.indexOf(':', from);
    if (colon !== -1 && colon < semi) {
      const property = css.slice(from, colon).trim().toLowerCase();
      let start = colon + 1;
      let end = semi;
      while (start < end && isSpace(css.charCodeAt(start))) start++;
      while (end > start && isSpace(css.charCodeAt(end - 1))) end--;
      let value = css.slice(start, end);
      const important = /\s*!important$/i.exec(value);
      if (important) {
        value = value.slice(0, important.index);
        end = start + value.length;
      }
      if (property !== '' && value !== '')
        out.push(
          important
            ? { property, value, start: base + start, end: base + end, important: true }
            : { property, value, start: base + start, end: base + end },
        );
    }
    from = semi + 1;
  }
  return out;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}

const blankComments = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, (c) => ' '.repeat(c.length));

/** Every declaration inside `<style>` rule blocks, `@media` ones included. Comments are skipped. */
export function parseStylesheet(css: string, base = 0): CssDeclaration[] {
  const out: CssDeclaration[] = [];
  const clean = blankComments(css);
  const block = /\{([^{}]*)\}/g;
  for (let m = block.exec(clean); m !== null; m = block.exec(clean)) {
    const body = m[1] ?? '';
    out.push(...parseDeclarations(body, base + m.index + 1));
  }
  return out;
}

/** `p`, `.note`, `td.footer`, `#legal`, `*`: one element, matched by tag, id and classes. */
export interface SimpleSelector {
  readonly tag: string | undefined;
  readonly id: string | undefined;
  readonly classes: readonly string[];
  /** CSS specificity as one number: ids, then classes, then tags. */
  readonly specificity: number;
}

/** A top-level `<style>` rule with one simple selector (a selector list gives one rule each). */
export interface StyleRule {
  readonly selector: SimpleSelector;
  readonly declarations: readonly CssDeclaration[];
}

const SIMPLE_SELECTOR = /^(\*|[a-z][a-z0-9-]*)?((?:[.#]-?[_a-z][-_a-z0-9]*)*)$/i;

/** A selector without combinators, pseudo-classes or attributes; `undefined` for anything else. */
export function parseSimpleSelector(text: string): SimpleSelector | undefined {
  const m = SIMPLE_SELECTOR.exec(text.trim());
  if (!m || m[0] === '') return undefined;
  const parts = (m[2] ?? '').match(/[.#][^.#]+/g) ?? [];
  const ids = parts.filter((p) => p.startsWith('#')).map((p) => p.slice(1));
  if (new Set(ids).size > 1) return undefined; // `#a#b` matches nothing
  const classes = parts.filter((p) => p.startsWith('.')).map((p) => p.slice(1));
  const tag = m[1] === undefined || m[1] === '*' ? undefined : m[1].toLowerCase();
  return {
    tag,
    id: ids[0],
    classes,
    specificity: ids.length * 10_000 + classes.length * 100 + (tag === undefined ? 0 : 1),
  };
}

/**
 * The top-level rules of a `<style>` block whose selectors are simple, in source order, with
 * declaration offsets relative to `base`. At-rules (`@media`, `@font-face`, …) are left out: a
 * linter cannot know the viewport or client, so only the default view is computed.
 */
export function parseStyleRules(css: string, base = 0): StyleRule[] {
  const clean = blankComments(css);
  const rules: StyleRule[] = [];
  let i = 0;
  while (i < clean.length) {
    const open = clean.indexOf('{', i);
    const semi = clean.indexOf(';', i);
    if (open === -1) break;
    const prelude = clean.slice(i, open).trim();
    if (prelude.startsWith('@') && semi !== -1 && semi < open) {
      i = semi + 1; // `@import …;`, `@charset …;`
      continue;
    }
    const close = matchingBrace(clean, open);
    if (!prelude.startsWith('@')) {
      const declarations = parseDeclarations(clean.slice(open + 1, close), base + open + 1);
      for (const part of prelude.split(',')) {
        const selector = parseSimpleSelector(part);
        if (selector !== undefined) rules.push({ selector, declarations });
      }
    }
    i = close + 1;
  }
  return rules;
}

function matchingBrace(css: string, open: number): number {
  let depth = 0;
  for (let k = open; k < css.length; k++) {
    const c = css.charCodeAt(k);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return k;
  }
  return css.length;
}

const NOT_A_COLOUR = new Set(['transparent', 'inherit', 'initial', 'unset', 'currentcolor', 'none', 'auto', 'revert']);

/** A colour value as lower-case `#rrggbb`, or `undefined` for keywords like `transparent` and non-colours. */
export const normalizeColor: (value: string) => string | undefined = memoize((value) => {
  const key = value.trim().toLowerCase();
  if (NOT_A_COLOUR.has(key) || key === '') return undefined;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(key);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(key)) return key;
  const parsed = parseCulori(key);
  return parsed !== undefined && (parsed.alpha === undefined || parsed.alpha > 0) ? formatHex(parsed) : undefined;
});

const COLOUR_TOKEN = /#[0-9a-fA-F]{3,8}\b|(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\([^)]*\)|\b[a-zA-Z]{3,20}\b/g;

export interface ColorToken {
  readonly value: string;
  readonly hex: string;
  readonly start: number;
  readonly end: number;
}

/** Colour tokens inside a shorthand such as `background: #fff url(x.png)` or `border: 1px solid red` (memoized; do not mutate). */
export const colorTokens: (value: string) => readonly ColorToken[] = memoize((value) => findColorTokens(value));

function findColorTokens(value: string): ColorToken[] {
  const out: ColorToken[] = [];
  const withoutUrls = value.replace(/url\([^)]*\)/gi, (u) => ' '.repeat(u.length));
  COLOUR_TOKEN.lastIndex = 0;
  for (let m = COLOUR_TOKEN.exec(withoutUrls); m !== null; m = COLOUR_TOKEN.exec(withoutUrls)) {
    const hex = normalizeColor(m[0]);
    if (hex !== undefined) out.push({ value: m[0], hex, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Properties whose value is (or contains) a colour. */
export function isColorProperty(property: string): boolean {
  return (
    property === 'color' ||
    property === 'background' ||
    property === 'background-color' ||
    property.startsWith('border') ||
    property === 'outline' ||
    property === 'outline-color'
  );
}

/** A font size in px, relative to the parent's for `em`/`%`; `undefined` when it cannot be known. */
export function fontSizePx(value: string, parentPx: number | undefined): number | undefined {
  const m = /^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?$/i.exec(value.trim());
  if (!m) {
    const keywords: Record<string, number> = {
      'xx-small': 9,
      'x-small': 10,
      small: 13,
      medium: 16,
      large: 18,
      'x-large': 24,
      'xx-large': 32,
    };
    return keywords[value.trim().toLowerCase()];
  }
  const n = Number(m[1]);
  switch ((m[2] ?? 'px').toLowerCase()) {
    case 'px':
      return n;
    case 'pt':
      return (n * 4) / 3;
    case 'rem':
      return n * 16;
    case 'em':
      return parentPx === undefined ? undefined : n * parentPx;
    default:
      return parentPx === undefined ? undefined : (n / 100) * parentPx;
  }
}

/** `"Inter", Arial, sans-serif` → `['Inter', 'Arial', 'sans-serif']`. */
export function fontFamilies(value: string): string[] {
  return value
    .split(',')
    .map((f) =>
      f
        .trim()
        .replace(/^["']|["']$/g, '')
        .trim(),
    )
    .filter((f) => f !== '');
}

export const GENERIC_FAMILIES = new Set([
  'serif',
  'sans-serif',
  'monospace',
  'cursive',
  'fantasy',
  'system-ui',
  'ui-serif',
  'ui-sans-serif',
  'ui-monospace',
  'ui-rounded',
  'emoji',
  'math',
  'fangsong',
  '-apple-system',
  'blinkmacsystemfont',
]);
