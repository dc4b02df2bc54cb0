// The feature data and title matchers of caniemail 2.0.2 (https://github.com/shellscape/caniemail,
// MIT, © Andrew Powell), ported so that the compatibility check keeps caniemail's data and results
// without installing caniemail at run time (its dependencies pull prettier and babel in). The data is
// data.json, generated from caniemail's by scripts/caniemail-data.mjs; caniemail.test.ts checks both
// the data and the results against caniemail itself. The matching rules are kept as caniemail has
// them, including that an element title matches a tag name containing it (`<p>` matches `span`).
import data from './data.json';

export type Category = 'css' | 'html' | 'image' | 'others';

export interface Feature {
  title: string;
  category: Category;
  /** The latest support entry per client (`data.clients` order): `y`, `n`, `a`, `u`, with `#n` notes. */
  support: (string | null)[];
  notes: Record<string, string>;
}

interface Data {
  source: string;
  updated: string;
  clients: string[];
  features: Feature[];
}

const DATA = data as unknown as Data;

/** The 48 clients caniemail knows, as `family.platform`. */
export const CLIENTS: readonly string[] = DATA.clients;
const clientIndex = new Map(CLIENTS.map((c, i) => [c, i]));

function byCategory(): Record<Category | 'all', Map<string, Feature>> {
  const maps = {
    all: new Map<string, Feature>(),
    css: new Map<string, Feature>(),
    html: new Map<string, Feature>(),
    image: new Map<string, Feature>(),
    others: new Map<string, Feature>(),
  };
  for (const feature of DATA.features) {
    maps.all.set(feature.title, feature);
    maps[feature.category].set(feature.title, feature);
  }
  return maps;
}

export const FEATURES = byCategory();

export interface Support {
  type: 'full' | 'partial' | 'none';
  notes: string[];
}

/** A feature's support in one client, or undefined when caniemail has no entry for that client. */
export function supportOf(feature: Feature, client: string): Support | undefined {
  const at = clientIndex.get(client);
  const entry = at === undefined ? null : (feature.support[at] ?? null);
  if (entry === null) return undefined;
  const notes = [...entry.matchAll(/#(\d+)/g)]
    .map((m) => feature.notes[String(Number(m[1]))])
    .filter((n): n is string => n !== undefined);
  const type = entry.startsWith('y') ? 'full' : entry.startsWith('n') ? 'none' : 'partial';
  return { type, notes };
}

type Titled<V> = Record<string, V>;

function titled<V>(titles: string[], valueOf: (title: string) => V | undefined): Titled<V> {
  const out: Titled<V> = {};
  for (const title of titles) {
    const value = valueOf(title);
    if (value !== undefined) out[title] = value;
  }
  return out;
}

function matches<V>(pairs: Titled<V>, test: (value: V) => boolean): string[] {
  return Object.entries(pairs)
    .filter(([, value]) => test(value))
    .map(([title]) => title);
}

/** caniemail's default comparison: `target.includes(value)` (a substring test when the target is a string). */
function includes(target: string | readonly string[], value: unknown): boolean {
  return typeof target === 'string' ? target.includes(String(value)) : target.includes(value as string);
}

// ---- CSS -------------------------------------------------------------------------------------------

const cssTitles = [...FEATURES.css.keys()];

const PROPERTY_TITLE_VALUES: Record<string, string[]> = {
  'block-size & inline-size': ['block-size', 'inline-size'],
  'border-inline & border-block': ['border-inline', 'border-block'],
  'border-inline & border-block individual logical properties': [
    'border-block-end',
    'border-block-start',
    'border-inline-end',
    'border-inline-start',
  ],
  'border-inline & border-block longhand properties': [
    'border-block-color',
    'border-block-style',
    'border-block-width',
    'border-inline-color',
    'border-inline-style',
    'border-inline-width',
  ],
  'border-radius logical properties': [
    'border-end-end-radius',
    'border-end-start-radius',
    'border-start-end-radius',
    'border-start-start-radius',
  ],
  'color-scheme CSS property': ['color-scheme'],
  'css column properties': [
    'column-count',
    'column-fill',
    'column-gap',
    'column-rule',
    'column-rule-color',
    'column-rule-style',
    'column-rule-width',
    'column-span',
    'column-width',
    'columns',
  ],
  'gap, column-gap, row-gap': ['column-gap', 'gap', 'row-gap'],
  'grid-template-* properties': ['grid-template', 'grid-template-areas', 'grid-template-columns', 'grid-template-rows'],
  'margin-block-start & margin-block-end': ['margin-block-end', 'margin-block-start'],
  'margin-inline & margin-block': ['margin-block', 'margin-inline'],
  'margin-inline-start & margin-inline-end': ['margin-inline-end', 'margin-inline-start'],
  'padding-block-start & padding-block-end': ['padding-block-end', 'padding-block-start'],
  'padding-inline & padding-block': ['padding-block', 'padding-inline'],
  'padding-inline-start & padding-inline-end': ['padding-inline-end', 'padding-inline-start'],
};

const PROPERTY_VALUE_TITLE_VALUES: Record<string, string[]> = {
  'fit-content, min-content, max-content': ['fit-content', 'max-content', 'min-content'],
  'system-ui, ui-serif, ui-sans-serif, ui-rounded, ui-monospace': [
    'system-ui',
    'ui-monospace',
    'ui-rounded',
    'ui-sans-serif',
    'ui-serif',
  ],
};

const atRuleTitles = titled(cssTitles, (t) => (t.startsWith('@') ? t.replace(/^@/, '') : undefined));

const functionTitles = titled(cssTitles, (t) => {
  if (t.startsWith(':')) return undefined;
  if (t === 'CSS Variables (Custom Properties)') return 'var';
  if (!t.includes('()')) return undefined;
  return /([a-z-]+)\(\)/.exec(t)?.[1];
});

const keywordTitles = titled(cssTitles, (t) => (t.includes(' keyword') ? t.replace(/ keyword$/, '') : undefined));

const propertyValuePairTitles = titled(cssTitles, (t) => {
  const m = /([a-z-]+):\s*([a-z-]+)/.exec(t);
  return m ? ([m[1] ?? '', m[2] ?? ''] as const) : undefined;
});

const propertyTitles = titled(cssTitles, (t) => {
  const listed = PROPERTY_TITLE_VALUES[t];
  if (listed) return listed;
  if (t === 'left, right, top, bottom') return ['left', 'right', 'top', 'bottom'];
  const trimmed = t
    .trim()
    .replace(/ shorthand$/, '')
    .replace(/ property$/, '');
  return /^[a-z-]+$/.test(trimmed) ? [trimmed] : undefined;
});

const unitTitles = titled(cssTitles, (t) => (t.endsWith(' unit') ? t.replace(/ unit$/, '') : undefined));

export const matchPropertyValuePair = (name: string, value: string): string[] =>
  matches(propertyValuePairTitles, (pair) => pair[0] === name && pair[1] === value);

export const matchAtRules = (atRules: string[]): string[] => matches(atRuleTitles, (v) => includes(atRules, v));

/**
 * Function features such as `calc()`. caniemail 2.0.2 looks the value's function names up among the
 * feature *titles* (`calc() function`), not among the names, so none ever matches; kept as it is so
 * that the results stay caniemail's (caniemail.test.ts compares them).
 */
export function matchFunctions(value: string): string[] {
  const found: string[] = [];
  const names = new Set([...value.matchAll(/([a-z-]+)\(/g)].map((m) => m[1]));
  for (const title of Object.keys(functionTitles)) {
    if (names.has(title)) found.push(title);
    names.delete(title);
  }
  return found;
}

export const matchKeywords = (value: string): string[] => matches(keywordTitles, (v) => includes(value, v));

export const matchProperties = (name: string): string[] =>
  matches(propertyTitles, (values) => values.some((v) => v === name || name.startsWith(`${v}-`)));

export const matchPropertyValues = (value: string): string[] =>
  matches(PROPERTY_VALUE_TITLE_VALUES, (values) =>
    values.some((v) => new RegExp(`(^|[\\s,])${v}([\\s,]|$)`).test(value)),
  );

export const matchUnits = (value: string): string[] =>
  matches(unitTitles, (unit) =>
    unit === 'initial' ? /\binitial\b/.test(value) : new RegExp(`\\d${unit}`).test(value),
  );

// ---- selectors ---------------------------------------------------------------------------------------

export interface SelectorToken {
  type: string;
  name?: string;
}

const some = (selectors: SelectorToken[][], test: (s: SelectorToken) => boolean): boolean =>
  selectors.some((selector) => selector.some(test));

const SELECTOR_DETECTORS: Record<string, (selectors: SelectorToken[][]) => boolean> = {
  'Adjacent sibling combinator': (s) => some(s, (t) => t.type === 'adjacent'),
  'Attribute selector': (s) => some(s, (t) => t.type === 'attribute' && t.name !== 'id' && t.name !== 'class'),
  'Chaining selectors': (s) =>
    s.some((selector) => selector.filter((t) => t.type === 'attribute' && t.name === 'class').length >= 2),
  'Child combinator': (s) => some(s, (t) => t.type === 'child'),
  'Class selector': (s) => some(s, (t) => t.type === 'attribute' && t.name === 'class'),
  'Descendant combinator': (s) => some(s, (t) => t.type === 'descendant'),
  'General sibling combinator': (s) => some(s, (t) => t.type === 'sibling'),
  'Grouping selectors': (s) => s.length >= 2,
  'ID selector': (s) => some(s, (t) => t.type === 'attribute' && t.name === 'id'),
  'Type selector': (s) => some(s, (t) => t.type === 'tag'),
  'Universal selector *': (s) => some(s, (t) => t.type === 'universal'),
};

const pseudoSelectorTitles = titled(cssTitles, (t) => (t.startsWith(':') ? t : undefined));
const selectorTitles = titled(cssTitles, (t) => SELECTOR_DETECTORS[t]);

export const matchSelectors = (parsed: SelectorToken[][]): string[] =>
  matches(selectorTitles, (detect) => detect(parsed));

export const matchPseudoSelectors = (selector: string): string[] =>
  matches(pseudoSelectorTitles, (v) => includes(selector, v));

// ---- HTML --------------------------------------------------------------------------------------------

const htmlTitles = [...FEATURES.html.keys(), ...['AMP for Email'].filter((t) => FEATURES.others.has(t))];

const attributeTitles = titled(htmlTitles, (t) => {
  if (t === 'srcset and sizes attributes') return ['srcset', 'sizes'];
  return t.endsWith('attribute') ? [t.replace(/ attribute$/, '')] : undefined;
});

type AttributeMatcher = string | readonly [name: string, value: string | RegExp];

const elementAttributePairTitles = titled(
  htmlTitles,
  (t): { element: string; attributes: AttributeMatcher[] } | undefined => {
    if (t === 'Local anchors') return { element: 'a', attributes: [['href', /^#/], 'name'] };
    if (t === 'mailto: links') return { element: 'a', attributes: [['href', /^mailto:/]] };
    if (t === 'color-scheme meta tag') return { element: 'meta', attributes: [['name', 'color-scheme']] };
    if (t === 'AMP for Email') return { element: 'html', attributes: ['⚡4email', 'amp4email'] };
    const m = /<(\w+) (\w+)="(\w+)"> element/.exec(t);
    return m ? { element: m[1] ?? '', attributes: [[m[2] ?? '', m[3] ?? '']] } : undefined;
  },
);

const HTML5_SEMANTICS = [
  'article',
  'aside',
  'details',
  'figcaption',
  'figure',
  'footer',
  'header',
  'main',
  'mark',
  'nav',
  'section',
  'summary',
  'time',
];

const elementTitles = titled(htmlTitles, (t) => {
  if (t === 'address') return ['address'];
  if (t === 'HTML5 doctype') return ['!doctype html'];
  if (t === 'HTML5 semantics') return HTML5_SEMANTICS;
  if (t === 'Image maps') return ['map'];
  if (t === 'Embedded <svg> image') return ['image'];
  const m = /<(\w+)>/.exec(t);
  return m ? [m[1] ?? ''] : undefined;
});

export const matchElements = (tagName: string): string[] => matches(elementTitles, (v) => includes(tagName, v));

export const matchAttributes = (names: string[]): string[] =>
  matches(attributeTitles, (values) => values.some((a) => names.includes(a)));

export function matchElementAttributePairs(tagName: string, attributes: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [title, pair] of Object.entries(elementAttributePairTitles)) {
    if (pair.element !== tagName) continue;
    for (const matcher of pair.attributes) {
      if (typeof matcher === 'string') {
        if (Object.keys(attributes).includes(matcher)) found.push(title);
        continue;
      }
      const [name, expected] = matcher;
      const actual = attributes[name];
      if (actual === undefined) continue;
      if (typeof expected === 'string' ? actual === expected : expected.test(actual)) found.push(title);
    }
  }
  return found;
}

// ---- images ------------------------------------------------------------------------------------------

const FORMAT_TITLES: Record<string, string> = {
  apng: 'Animated PNG image format',
  avif: 'AVIF image format',
  bmp: 'BMP image format',
  gif: 'GIF image format',
  heic: 'HEIF image format',
  heif: 'HEIF image format',
  ico: 'ICO image format',
  jpeg: 'JPG image format',
  jpg: 'JPG image format',
  png: 'PNG image format',
  svg: 'SVG image format',
  tif: 'TIFF image format',
  tiff: 'TIFF image format',
  webp: 'webP image format',
};

const MIME_TITLES: Record<string, string> = {
  'image/apng': 'Animated PNG image format',
  'image/avif': 'AVIF image format',
  'image/bmp': 'BMP image format',
  'image/gif': 'GIF image format',
  'image/heic': 'HEIF image format',
  'image/heif': 'HEIF image format',
  'image/jpeg': 'JPG image format',
  'image/jpg': 'JPG image format',
  'image/png': 'PNG image format',
  'image/svg+xml': 'SVG image format',
  'image/tiff': 'TIFF image format',
  'image/vnd.microsoft.icon': 'ICO image format',
  'image/webp': 'webP image format',
};

function formatTitle(url: string): string | undefined {
  const mime = /^data:([^;,]+)/i.exec(url.trim())?.[1]?.toLowerCase();
  if (mime) return MIME_TITLES[mime];
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension ? FORMAT_TITLES[extension] : undefined;
}

export function matchImages(urls: string[]): string[] {
  const titles = new Set<string>();
  for (const url of urls) {
    const title = formatTitle(url);
    if (title && FEATURES.image.has(title)) titles.add(title);
  }
  return [...titles];
}

export const urlsInSrcset = (srcset: string): string[] =>
  srcset
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/, 1)[0])
    .filter((url): url is string => url !== undefined && url !== '');

export const urlsInCssValue = (value: string): string[] =>
  [...value.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/gi)]
    .map((m) => m[2]?.trim())
    .filter((url): url is string => url !== undefined && url !== '');
