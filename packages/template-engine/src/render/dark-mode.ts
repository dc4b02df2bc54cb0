import { Parser } from 'htmlparser2';
import { normalizeHexColor, type DarkColorPair } from '@hubspoke/core';

/**
 * Dark-mode output for a rendered email (no mjml release has dark-mode attributes yet, so this
 * follows the pattern of mjml#2010 and PR #3068):
 *
 * - `<meta name="color-scheme">` and `<meta name="supported-color-schemes">` plus
 *   `:root{color-scheme:light dark}` so clients that honour them (Apple Mail, iOS Mail, Outlook
 *   apps, Samsung, Thunderbird) know the email has its own dark scheme;
 * - every element whose inline `color`, `background(-color)`, `bgcolor` or border colour is a
 *   light-scheme colour of the scheme gets a class named after that colour (`hs-dc-<hex>` text,
 *   `hs-db-<hex>` background, `hs-dr-<hex>` border);
 * - one `@media (prefers-color-scheme: dark)` block switches those classes to the dark colours
 *   (`!important`, since inline styles win otherwise), and `[data-ogsc]`/`[data-ogsb]` rules do
 *   the same in Outlook.com, which marks the elements it recolours with those attributes.
 *
 * Colours written by a spoke into a colour slot, and markup inside MSO conditional comments
 * (Outlook for Windows has no dark-mode CSS), are left alone.
 */
export interface DarkScheme {
  /** light `#rrggbb` → dark `#rrggbb` */
  readonly map: ReadonlyMap<string, string>;
  /** Identifies the scheme (cache key). */
  readonly key: string;
  /** What goes before `</head>`. */
  readonly head: string;
}

const schemes = new Map<string, DarkScheme>();

/** The scheme of some light → dark pairs (hex colours normalized; later pairs for the same colour lose), or undefined when there are none. */
export function darkSchemeOf(pairs: readonly DarkColorPair[] | undefined): DarkScheme | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const light = normalizeHexColor(pair.light);
    const dark = normalizeHexColor(pair.dark);
    if (light !== undefined && dark !== undefined && !map.has(light)) map.set(light, dark);
  }
  if (map.size === 0) return undefined;
  const key = [...map].map(([l, d]) => `${l}${d}`).join('');
  let scheme = schemes.get(key);
  if (!scheme) {
    scheme = { map, key, head: darkHead(map) };
    if (schemes.size >= 64) schemes.delete(schemes.keys().next().value ?? key);
    schemes.set(key, scheme);
  }
  return scheme;
}

const hex = (color: string) => color.slice(1);

/** The class that switches an element's text colour `light` in dark mode. */
export const textClass = (light: string) => `hs-dc-${hex(light)}`;
/** The class that switches an element's background colour `light` in dark mode. */
export const backgroundClass = (light: string) => `hs-db-${hex(light)}`;
/** The class that switches an element's border colour `light` in dark mode. */
export const borderClass = (light: string) => `hs-dr-${hex(light)}`;

function darkHead(map: ReadonlyMap<string, string>): string {
  const media: string[] = [];
  const outlook: string[] = [];
  for (const [light, dark] of map) {
    media.push(
      `.${textClass(light)}{color:${dark}!important}`,
      `.${backgroundClass(light)}{background-color:${dark}!important}`,
      `.${borderClass(light)}{border-color:${dark}!important}`,
    );
    outlook.push(
      `[data-ogsc] .${textClass(light)}{color:${dark}!important}`,
      `[data-ogsb] .${backgroundClass(light)}{background-color:${dark}!important}`,
    );
  }
  return (
    '<meta name="color-scheme" content="light dark">' +
    '<meta name="supported-color-schemes" content="light dark">' +
    '<style type="text/css">:root{color-scheme:light dark;supported-color-schemes:light dark;}' +
    `@media (prefers-color-scheme: dark){${media.join('')}}` +
    `${outlook.join('')}</style>`
  );
}

const BORDER = /^border(?:-(?:top|right|bottom|left))?(?:-color)?$/;
const HEX_IN_VALUE = /#[0-9a-f]{3}(?:[0-9a-f]{3})?\b/gi;

/** The dark-mode classes an element with these attributes needs. */
function classesFor(
  attribs: Record<string, string>,
  map: ReadonlyMap<string, string>,
  valueOf: ((value: string) => string) | undefined,
): string[] {
  const classes = new Set<string>();
  const add = (written: string, cls: (light: string) => string) => {
    const value = valueOf ? valueOf(written) : written;
    const color = normalizeHexColor(value.replace(/!\s*important\s*$/i, '').trim());
    if (color !== undefined && map.has(color)) classes.add(cls(color));
  };
  const { style, bgcolor } = attribs;
  if (bgcolor !== undefined) add(bgcolor, backgroundClass);
  if (style !== undefined) {
    for (const declaration of style.split(';')) {
      const colon = declaration.indexOf(':');
      if (colon < 0) continue;
      const property = declaration.slice(0, colon).trim().toLowerCase();
      const value = declaration.slice(colon + 1);
      if (property === 'color') add(value, textClass);
      else if (property === 'background-color' || property === 'background') add(value, backgroundClass);
      else if (BORDER.test(property))
        for (const m of (valueOf ? valueOf(value) : value).matchAll(HEX_IN_VALUE)) {
          const color = normalizeHexColor(m[0]);
          if (color !== undefined && map.has(color)) classes.add(borderClass(color));
        }
    }
  }
  return [...classes];
}

const ATTRIBUTE = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;

/** Adds classes to one start tag as written (`<td style="…">`), keeping the rest of it byte for byte. */
function withClasses(tag: string, name: string, classes: readonly string[]): string {
  const added = classes.join(' ');
  ATTRIBUTE.lastIndex = 1 + name.length;
  for (;;) {
    const at = ATTRIBUTE.lastIndex;
    const m = ATTRIBUTE.exec(tag);
    if (m === null || m[0].length === 0) break;
    if (m[1]?.toLowerCase() !== 'class') continue;
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    const quote = m[3] === undefined ? '"' : "'";
    const sep = value.trim() === '' ? '' : ' ';
    return `${tag.slice(0, at)} class=${quote}${value}${sep}${added}${quote}${tag.slice(ATTRIBUTE.lastIndex)}`;
  }
  const cut = 1 + name.length;
  return `${tag.slice(0, cut)} class="${added}"${tag.slice(cut)}`;
}

/**
 * Marks every element of `html` that uses a light colour of the scheme with its dark-mode class.
 * Only complete start tags are touched, so a fragment of markup (a default cut by a token) is safe.
 * `valueOf` reads a colour written as a placeholder (a skeleton's colour-slot hole).
 */
export function addDarkClasses(html: string, scheme: DarkScheme, valueOf?: (value: string) => string): string {
  if (!/(?:color|background|border)/i.test(html)) return html;
  const edits: { start: number; end: number; text: string }[] = [];
  const parser: Parser = new Parser(
    {
      onopentag(name, attribs) {
        const classes = classesFor(attribs, scheme.map, valueOf);
        if (classes.length === 0) return;
        const start = parser.startIndex;
        const end = parser.endIndex + 1;
        const tag = html.slice(start, end);
        if (!tag.startsWith('<') || !tag.endsWith('>') || tag.slice(1, 1 + name.length).toLowerCase() !== name) return;
        edits.push({ start, end, text: withClasses(tag, name, classes) });
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.end(html);
  if (edits.length === 0) return html;
  let out = '';
  let last = 0;
  for (const edit of edits) {
    out += html.slice(last, edit.start) + edit.text;
    last = edit.end;
  }
  return out + html.slice(last);
}

/** The whole email in its dark-mode form: classes on coloured elements, metas and rules in the head. */
export function applyDarkScheme(html: string, scheme: DarkScheme, valueOf?: (value: string) => string): string {
  const marked = addDarkClasses(html, scheme, valueOf);
  const head = marked.search(/<\/head\s*>/i);
  return head < 0 ? scheme.head + marked : marked.slice(0, head) + scheme.head + marked.slice(head);
}

const DARK_MEDIA = /@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi;

/**
 * The email's `<style>` elements. Only their text is CSS: the same characters in body text are
 * what a spoke wrote (a literal `<style` in text is always escaped), and must stay as written.
 */
const STYLE_ELEMENT = /(<style\b[^>]*>)([\s\S]*?)(<\/style\s*>)/gi;

/** Whether an email carries its own dark-mode CSS (a `prefers-color-scheme: dark` media query in a style sheet). */
export function hasDarkScheme(html: string): boolean {
  for (const [, , css] of html.matchAll(STYLE_ELEMENT)) {
    DARK_MEDIA.lastIndex = 0;
    if (DARK_MEDIA.test(css ?? '')) return true;
  }
  return false;
}

/**
 * The email as a client that prefers dark shows it, for a preview page whose own scheme is light
 * (an `<iframe>` does not follow its element's `color-scheme` in Chromium): the email's
 * `prefers-color-scheme: dark` rules apply unconditionally (as Fastmail rewrites them, `@media
 * all`) and its declared scheme becomes dark, so the canvas and form controls are dark too. The
 * email's own CSS, nothing simulated; undefined when the email has no dark-mode CSS.
 */
export function darkPreview(html: string): string | undefined {
  if (!hasDarkScheme(html)) return undefined;
  return html
    .replace(
      STYLE_ELEMENT,
      (_, open: string, css: string, close: string) =>
        open +
        css.replace(DARK_MEDIA, '@media all').replace(/:root\{color-scheme:light dark;/g, ':root{color-scheme:dark;') +
        close,
    )
    .replace(/<meta name="color-scheme" content="light dark">/g, '<meta name="color-scheme" content="dark">');
}
