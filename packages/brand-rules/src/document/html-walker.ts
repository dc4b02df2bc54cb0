import type { Location, SlotSpan } from '@hubspoke/core';
import { decodeHTMLAttribute } from 'entities';
import { Parser, type Handler } from 'htmlparser2';
import type { ImageRef, LinkRef, StyleDeclaration, TextSegment, TextUnit } from '../types.js';
import {
  cachedDeclarations,
  colorTokens,
  fontSizePx,
  isColorProperty,
  normalizeColor,
  parseDeclarations,
  parseStyleRules,
  parseStylesheet,
  type CssDeclaration,
} from './css.js';
import { OffsetMap, type Piece } from './source-text.js';
import { StyleSheetIndex } from './style-sheet.js';

/** A found thing plus the slot span it sits in, if any. */
export interface Spanned<T> {
  readonly item: T;
  readonly span: SlotSpan | undefined;
}

export interface HtmlComment {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface SyntaxIssue {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface HtmlModel {
  readonly units: Spanned<TextUnit>[];
  readonly images: Spanned<ImageRef>[];
  readonly links: Spanned<LinkRef>[];
  readonly styles: Spanned<StyleDeclaration>[];
  readonly comments: HtmlComment[];
  readonly issues: SyntaxIssue[];
}

export interface WalkOptions {
  /** The located text `html` is (rendered html, or a rich-text slot value). */
  readonly location: Location;
  /** Scopes every unit gets. */
  readonly scopes: ReadonlySet<string>;
  /** Slot spans (rendered html), used to split units and attach instance/slot. */
  readonly spans?: readonly SlotSpan[] | undefined;
  /** Extra scopes and location for a span. */
  readonly spanContext?: ((span: SlotSpan) => { scopes: readonly string[]; location: Partial<Location> }) | undefined;
}

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'button',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
const SKIP = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'xml']);
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements whose end tag HTML lets you leave out. */
const OPTIONAL_END = new Set([
  'html',
  'head',
  'body',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'tbody',
  'thead',
  'tfoot',
  'option',
  'optgroup',
  'colgroup',
  'caption',
  'rb',
  'rt',
  'rp',
]);
const HEADING_PX: Record<string, number> = { h1: 32, h2: 24, h3: 18.72, h4: 16, h5: 13.28, h6: 10.72 };
const LINK_BLUE = '#0000ee';

interface Frame {
  readonly name: string;
  readonly start: number;
  readonly color: string | undefined;
  readonly colorDeclaration: StyleDeclaration['ref'] | undefined;
  readonly background: string | undefined;
  readonly fontPx: number | undefined;
  readonly bold: boolean;
  readonly heading: boolean;
  readonly cta: boolean;
  /** Nothing inside shows (skipped tags, display:none, opacity:0), whatever the descendants say. */
  readonly hiddenTree: boolean;
  /** visibility:hidden, which descendants inherit but can override with visibility:visible. */
  readonly invisible: boolean;
  /** This element's own text, images and links are not linted. */
  readonly skip: boolean;
}

interface OpenLink {
  readonly href: string;
  readonly hrefTarget: LinkRef['hrefTarget'];
  readonly location: Location;
  readonly scopes: ReadonlySet<string>;
  readonly span: SlotSpan | undefined;
  text: string;
}

/** An element's computed text style while its open tag is read. */
interface Computed {
  color: string | undefined;
  colorDeclaration: StyleDeclaration['ref'] | undefined;
  background: string | undefined;
  ownBackground: boolean;
  fontPx: number | undefined;
  bold: boolean;
  displayNone: boolean;
  transparent: boolean;
  invisible: boolean;
  readonly parentInvisible: boolean;
}

const OPACITY = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))(%?)\s*$/;

/**
 * Applies one declaration (inline or from `<style>`) to the element's computed style. Each
 * property takes its last value in cascade order, so a later `display: block` undoes `none`.
 */
function applyDeclaration(c: Computed, decl: CssDeclaration, colorRef: StyleDeclaration['ref'] | undefined): void {
  switch (decl.property) {
    case 'color': {
      const hex = normalizeColor(decl.value);
      if (hex !== undefined) {
        c.color = hex;
        c.colorDeclaration = colorRef;
      }
      break;
    }
    case 'background':
    case 'background-color': {
      const token = colorTokens(decl.value)[0];
      if (token !== undefined) {
        c.background = token.hex;
        c.ownBackground = true;
      }
      break;
    }
    case 'font-size':
      c.fontPx = fontSizePx(decl.value, c.fontPx) ?? c.fontPx;
      break;
    case 'font-weight':
      c.bold = decl.value === 'bold' || decl.value === 'bolder' || Number(decl.value) >= 600;
      break;
    case 'display':
      c.displayNone = decl.value.trim().toLowerCase() === 'none';
      break;
    case 'visibility': {
      const value = decl.value.trim().toLowerCase();
      if (value === 'hidden' || value === 'collapse') c.invisible = true;
      else if (value === 'visible' || value === 'initial') c.invisible = false;
      else if (value === 'inherit' || value === 'unset' || value === 'revert' || value === 'revert-layer')
        c.invisible = c.parentInvisible;
      break;
    }
    case 'opacity': {
      const m = OPACITY.exec(decl.value);
      if (m) c.transparent = Number(m[1]) <= 0;
      break;
    }
    default:
      break;
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
}

function isBlank(text: string): boolean {
  return !/\S/.test(text);
}

/**
 * One htmlparser2 pass over `html` that extracts everything the rules need: text blocks with
 * their scopes and styles, images, links, colour and font declarations, comments (for
 * suppressions) and unclosed elements. No DOM is built.
 */
export function walkHtml(html: string, options: WalkOptions): HtmlModel {
  const model: HtmlModel = { units: [], images: [], links: [], styles: [], comments: [], issues: [] };
  const spans = options.spans ? [...options.spans].sort((a, b) => a.start - b.start || b.end - a.end) : [];
  const base = options.location;
  const stack: Frame[] = [];
  let atEnd = false;

  // The text block being collected.
  let text = '';
  let pieces: Piece[] = [];
  let segments: TextSegment[] = [];
  let blockSpan: SlotSpan | undefined;
  let blockHeading = false;
  let blockCta = false;
  const links: OpenLink[] = [];

  // Parse events arrive in source order, so a cursor finds the span of an offset in O(1) amortized.
  let cursor = 0;
  const spanAt = (offset: number): SlotSpan | undefined => {
    while (cursor < spans.length && (spans[cursor]?.end ?? 0) <= offset) cursor++;
    let found: SlotSpan | undefined;
    for (let k = cursor; k < spans.length; k++) {
      const s = spans[k];
      if (s === undefined || s.start > offset) break;
      if (offset < s.end) found = s;
    }
    return found;
  };

  // The innermost slot whose value holds `offset`, e.g. a colour slot's value inside a tag's
  // attributes. Spans are in document order, outer before inner; a span that starts inside
  // another lies within it. So the last span starting at or before `offset` either holds it or
  // one of the spans around it does: a binary search, then a walk out. It leaves the cursor of
  // `spanAt` alone.
  const enclosing = enclosingSpans(spans);
  const spanCovering = (offset: number): SlotSpan | undefined => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((spans[mid]?.start ?? 0) <= offset) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let k = hi; k >= 0; k = enclosing[k] ?? -1) {
      const s = spans[k];
      if (s !== undefined && offset < s.end) return s;
    }
    return undefined;
  };

  // Scope sets and locations are shared between units: built once per distinct combination.
  const scopeCache = new Map<number, ReadonlySet<string>>();
  const spanIds = new Map<SlotSpan, number>();
  const KINDS = ['body', 'alt', 'link.href'] as const;
  const scopesFor = (
    span: SlotSpan | undefined,
    heading: boolean,
    cta: boolean,
    kind: 0 | 1 | 2 = 0,
  ): ReadonlySet<string> => {
    let id = 0;
    if (span !== undefined) {
      id = spanIds.get(span) ?? spanIds.size + 1;
      spanIds.set(span, id);
    }
    const key = ((id * 3 + kind) << 2) | (heading ? 2 : 0) | (cta ? 1 : 0);
    let scopes = scopeCache.get(key);
    if (scopes === undefined) {
      const set = new Set(options.scopes);
      set.add(KINDS[kind]);
      if (heading) set.add('heading');
      if (cta) set.add('cta');
      if (span !== undefined && options.spanContext) for (const s of options.spanContext(span).scopes) set.add(s);
      scopes = set;
      scopeCache.set(key, scopes);
    }
    return scopes;
  };

  const locationCache = new Map<SlotSpan, Location>();
  const locationFor = (span: SlotSpan | undefined): Location => {
    if (span === undefined || !options.spanContext) return base;
    let location = locationCache.get(span);
    if (location === undefined) {
      location = { ...base, ...options.spanContext(span).location };
      locationCache.set(span, location);
    }
    return location;
  };

  const flush = (): void => {
    if (text !== '' && !isBlank(text)) {
      const map = new OffsetMap(pieces);
      const unit: TextUnit = {
        text,
        scopes: scopesFor(blockSpan, blockHeading, blockCta),
        location: locationFor(blockSpan),
        map,
        escape: 'html-text',
        segments,
      };
      model.units.push({ item: unit, span: blockSpan });
    }
    text = '';
    pieces = [];
    segments = [];
    blockSpan = undefined;
    blockHeading = false;
    blockCta = false;
  };

  const refFor = (
    property: string,
    start: number,
    end: number,
    value: string,
    span?: SlotSpan,
  ): StyleDeclaration['ref'] => ({ location: locationFor(span), start, end, value, property });

  // A value a slot filled belongs to that slot, wherever the tag it sits in starts.
  const valueSpan = (start: number, tagSpan: SlotSpan | undefined) =>
    spans.length === 0 ? undefined : (spanCovering(start) ?? tagSpan);

  const pushStyle = (
    decl: CssDeclaration,
    scopes: ReadonlySet<string>,
    tagSpan: SlotSpan | undefined,
  ): StyleDeclaration['ref'] | undefined => {
    let colorRef: StyleDeclaration['ref'] | undefined;
    if (isColorProperty(decl.property)) {
      for (const token of colorTokens(decl.value)) {
        const span = valueSpan(decl.start + token.start, tagSpan);
        const ref = refFor(decl.property, decl.start + token.start, decl.start + token.end, token.value, span);
        model.styles.push({ item: { property: decl.property, value: token.value, ref, scopes }, span });
        if (decl.property === 'color') colorRef = ref;
      }
    } else if (decl.property === 'font-family' || decl.property === 'font-size' || decl.property === 'font') {
      const span = valueSpan(decl.start, tagSpan);
      model.styles.push({
        item: {
          property: decl.property,
          value: decl.value,
          ref: refFor(decl.property, decl.start, decl.end, decl.value, span),
          scopes,
        },
        span,
      });
    }
    return colorRef;
  };

  // <style> text (it can arrive in pieces) and the simple-selector rules read from it so far.
  let styleText: { start: number; text: string } | undefined;
  const sheet = new StyleSheetIndex();

  // Raw value ranges of the open tag's attributes, recorded as the parser reads them.
  const attributes = new Map<string, { start: number; end: number }>();
  const handler: Partial<Handler> = {
    onopentagname() {
      attributes.clear();
    },
    onattribute(name, _value, quote) {
      if (quote === undefined) return;
      const from = parser.startIndex + name.length;
      if (quote === null) {
        let start = html.indexOf('=', from) + 1;
        while (start < parser.endIndex && isSpace(html.charCodeAt(start))) start++;
        attributes.set(name, { start, end: parser.endIndex });
      } else {
        attributes.set(name, { start: html.indexOf(quote, from) + 1, end: parser.endIndex - 1 });
      }
    },
    onopentag(name, attribs) {
      const tagStart = parser.startIndex;
      const tagEnd = parser.endIndex;
      const parent = stack[stack.length - 1];
      const inHiddenTree = parent?.hiddenTree === true || SKIP.has(name);
      if (BLOCK.has(name)) flush();
      const c: Computed = {
        color: name === 'a' ? LINK_BLUE : parent?.color,
        colorDeclaration: name === 'a' ? undefined : parent?.colorDeclaration,
        background: parent?.background,
        ownBackground: false,
        fontPx: HEADING_PX[name] ?? parent?.fontPx,
        bold: parent?.bold === true || name === 'b' || name === 'strong' || name in HEADING_PX,
        displayNone: false,
        transparent: false,
        invisible: parent?.invisible === true,
        parentInvisible: parent?.invisible === true,
      };
      const span = inHiddenTree || spans.length === 0 ? undefined : spanAt(tagStart);
      const scopes = scopesFor(span, parent?.heading === true, parent?.cta === true);
      if (!inHiddenTree) {
        // Cascade: presentational attributes, then <style> rules, then inline styles; !important last.
        if (attribs.bgcolor !== undefined) {
          const at = attributes.get('bgcolor');
          const hex = normalizeColor(attribs.bgcolor);
          if (hex !== undefined) {
            c.background = hex;
            c.ownBackground = true;
          }
          if (at) {
            const valueAt = valueSpan(at.start, span);
            model.styles.push({
              item: {
                property: 'background-color',
                value: attribs.bgcolor,
                ref: refFor('background-color', at.start, at.end, attribs.bgcolor, valueAt),
                scopes,
              },
              span: valueAt,
            });
          }
        }
        if (name === 'font' && attribs.color !== undefined) {
          const at = attributes.get('color');
          const hex = normalizeColor(attribs.color);
          if (hex !== undefined) c.color = hex;
          if (at) {
            const valueAt = valueSpan(at.start, span);
            const ref = refFor('color', at.start, at.end, attribs.color, valueAt);
            model.styles.push({ item: { property: 'color', value: attribs.color, ref, scopes }, span: valueAt });
            c.colorDeclaration = ref;
          }
        }
        const fromSheet = sheet.isEmpty ? undefined : sheet.match(name, attribs.id, attribs.class);
        if (fromSheet) for (const d of fromSheet.normal) applyDeclaration(c, d.declaration, d.ref);
        let importantInline: [CssDeclaration, StyleDeclaration['ref'] | undefined][] | undefined;
        if (attribs.style !== undefined && attribs.style !== '') {
          const at = attributes.get('style');
          const raw = at ? html.slice(at.start, at.end) : attribs.style;
          const offset = at?.start ?? 0;
          for (const decl0 of cachedDeclarations(raw)) {
            const value = decl0.value.includes('&') ? decodeHTMLAttribute(decl0.value) : decl0.value;
            const decl = { property: decl0.property, value, start: decl0.start + offset, end: decl0.end + offset };
            const colorRef = pushStyle(decl, scopes, span);
            if (decl0.important === true) (importantInline ??= []).push([decl, colorRef]);
            else applyDeclaration(c, decl, colorRef);
          }
        }
        if (fromSheet) for (const d of fromSheet.important) applyDeclaration(c, d.declaration, d.ref);
        if (importantInline) for (const [decl, colorRef] of importantInline) applyDeclaration(c, decl, colorRef);
      }
      const heading = parent?.heading === true || name in HEADING_PX || attribs.role === 'heading';
      const cta = parent?.cta === true || (name === 'a' && c.ownBackground);
      const hiddenTree = inHiddenTree || c.displayNone || c.transparent;
      const skip = hiddenTree || c.invisible;
      stack.push({
        name,
        start: tagStart,
        color: c.color,
        colorDeclaration: c.colorDeclaration,
        background: c.background,
        fontPx: c.fontPx,
        bold: c.bold,
        heading,
        cta,
        hiddenTree,
        invisible: c.invisible,
        skip,
      });
      if (skip) return;

      if (name === 'img') {
        const src = attribs.src ?? '';
        const location = locationFor(span);
        const altAt = attributes.get('alt');
        const srcAt = attributes.get('src');
        const width = dimension(attribs.width ?? styleValue(attribs.style, 'width'));
        const height = dimension(attribs.height ?? styleValue(attribs.style, 'height'));
        model.images.push({
          item: {
            src,
            alt: attribs.alt,
            width,
            height,
            linked: links.length > 0,
            background: c.background,
            location: { ...location, start: tagStart, end: tagEnd + 1 },
            altTarget: altAt
              ? { location: base, start: altAt.start, end: altAt.end, escape: 'html-attr' }
              : {
                  location: base,
                  start: tagStart + 4,
                  end: tagStart + 4,
                  escape: 'html-attr',
                  insert: { before: ' alt="', after: '"' },
                },
            srcTarget: srcAt
              ? { location: base, start: srcAt.start, end: srcAt.end, escape: 'html-attr' }
              : {
                  location: base,
                  start: tagStart + 4,
                  end: tagStart + 4,
                  escape: 'html-attr',
                  insert: { before: ' src="', after: '"' },
                },
          },
          span,
        });
        if (attribs.alt !== undefined && !isBlank(attribs.alt) && altAt) {
          const altScopes = scopesFor(span, parent?.heading === true, parent?.cta === true, 1);
          const raw = html.slice(altAt.start, altAt.end);
          model.units.push({
            item: {
              text: attribs.alt,
              scopes: altScopes,
              location: locationFor(span),
              map:
                raw === attribs.alt
                  ? OffsetMap.identity(raw.length, altAt.start)
                  : new OffsetMap([
                      { textStart: 0, textEnd: attribs.alt.length, sourceStart: altAt.start, sourceEnd: altAt.end },
                    ]),
              escape: 'html-attr',
            },
            span,
          });
        }
      }
      if (name === 'a' && attribs.href !== undefined) {
        const at = attributes.get('href');
        const location = locationFor(span);
        links.push({
          href: attribs.href,
          hrefTarget: at
            ? { location: base, start: at.start, end: at.end, escape: 'html-attr' }
            : {
                location: base,
                start: tagStart + 2,
                end: tagStart + 2,
                escape: 'html-attr',
                insert: { before: ' href="', after: '"' },
              },
          location: { ...location, start: tagStart, end: tagEnd + 1 },
          scopes: scopesFor(span, heading, cta),
          span,
          text: '',
        });
        if (at && !isBlank(attribs.href)) {
          const hrefScopes = scopesFor(span, parent?.heading === true, parent?.cta === true, 2);
          const raw = html.slice(at.start, at.end);
          model.units.push({
            item: {
              text: attribs.href,
              scopes: hrefScopes,
              location,
              map:
                raw === attribs.href
                  ? OffsetMap.identity(raw.length, at.start)
                  : new OffsetMap([
                      { textStart: 0, textEnd: attribs.href.length, sourceStart: at.start, sourceEnd: at.end },
                    ]),
              escape: 'html-attr',
            },
            span,
          });
        }
      }
    },
    ontext(data) {
      const top = stack[stack.length - 1];
      if (top?.skip === true) {
        if (top.name === 'style') {
          if (styleText === undefined) styleText = { start: parser.startIndex, text: data };
          else styleText.text += data;
        }
        return;
      }
      const sourceEnd = parser.endIndex + 1;
      let sourceStart = parser.startIndex;
      // A bogus end tag like `</>` is swallowed into the following text event's range: trim it off.
      if (
        sourceEnd - sourceStart !== data.length &&
        html.charCodeAt(sourceStart) !== 38 &&
        html.endsWith(data, sourceEnd)
      )
        sourceStart = sourceEnd - data.length;
      const span = spans.length > 0 ? spanAt(sourceStart) : undefined;
      if (text !== '' && span !== blockSpan) flush();
      if (text === '') blockSpan = span;
      if (top?.heading === true) blockHeading = true;
      if (top?.cta === true) blockCta = true;
      const textStart = text.length;
      text += data;
      const previous = pieces[pieces.length - 1];
      if (
        previous?.sourceEnd === sourceStart &&
        previous.textEnd - previous.textStart === previous.sourceEnd - previous.sourceStart &&
        data.length === sourceEnd - sourceStart
      ) {
        pieces[pieces.length - 1] = { ...previous, textEnd: text.length, sourceEnd };
      } else {
        pieces.push({ textStart, textEnd: text.length, sourceStart, sourceEnd });
      }
      const last = segments[segments.length - 1];
      const color = top?.color;
      const background = top?.background;
      const fontPx = top?.fontPx;
      const bold = top?.bold === true;
      if (
        last?.end === textStart &&
        last.color === color &&
        last.background === background &&
        last.fontSizePx === fontPx &&
        last.bold === bold
      ) {
        segments[segments.length - 1] = { ...last, end: text.length };
      } else {
        segments.push({
          start: textStart,
          end: text.length,
          color,
          background,
          fontSizePx: fontPx,
          bold,
          colorDeclaration: top?.colorDeclaration,
        });
      }
      for (const link of links) link.text += data;
    },
    onclosetag(name, isImplied) {
      const frame = stack.pop();
      if (frame === undefined) return;
      if (frame.name === 'style' && styleText !== undefined) {
        const { text: css, start } = styleText;
        for (const decl of parseStylesheet(css, start)) pushStyle(decl, scopesFor(undefined, false, false), undefined);
        sheet.add(parseStyleRules(css, start), (decl) => refFor(decl.property, decl.start, decl.end, decl.value));
        styleText = undefined;
      }
      if (isImplied && !VOID.has(name) && !OPTIONAL_END.has(name)) {
        model.issues.push({
          message: `<${name}> is never closed (implicitly closed ${atEnd ? 'at the end of the document' : 'by a later end tag'})`,
          start: frame.start,
          end: frame.start + name.length + 1,
        });
      }
      if (frame.hiddenTree) return;
      if (name === 'a' && !frame.skip) {
        const link = links.pop();
        if (link)
          model.links.push({
            item: {
              href: link.href,
              text: link.text.trim(),
              location: link.location,
              hrefTarget: link.hrefTarget,
              scopes: link.scopes,
            },
            span: link.span,
          });
      }
      if (BLOCK.has(name)) flush();
    },
    oncomment(data) {
      model.comments.push({ text: data, start: parser.startIndex, end: parser.endIndex + 1 });
    },
  };
  // The handler's callbacks only run inside `write`/`end`, after `parser` exists.
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  atEnd = true;
  parser.end();
  flush();
  return model;
}

/** For each span (sorted by start, outer first), the index of the nearest span around it, or -1. */
function enclosingSpans(spans: readonly SlotSpan[]): Int32Array {
  const parents = new Int32Array(spans.length).fill(-1);
  const open: number[] = [];
  spans.forEach((span, i) => {
    while (open.length > 0 && (spans[open[open.length - 1] ?? 0]?.end ?? 0) <= span.start) open.pop();
    parents[i] = open[open.length - 1] ?? -1;
    open.push(i);
  });
  return parents;
}

function styleValue(style: string | undefined, property: string): string | undefined {
  if (style === undefined) return undefined;
  return parseDeclarations(style).find((d) => d.property === property)?.value;
}

function dimension(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/i.exec(value);
  return m ? Number(m[1]) : undefined;
}
