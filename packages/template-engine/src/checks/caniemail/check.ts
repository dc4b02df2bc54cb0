// The checker of caniemail 2.0.2 (https://github.com/shellscape/caniemail, MIT, © Andrew Powell), ported
// onto data.json (see features.ts). One deliberate difference: a feature caniemail has no entry for in
// a client is not reported for that client (caniemail throws a RangeError, which made `['*']` fail on
// any email using such a feature).
import { CssTypes, parse as parseCss, type CssCommonPositionAST, type CssStylesheetAST } from '@adobe/css-tools';
import { parse as parseSelector } from 'css-what';
import type { ChildNode, Document, Element } from 'domhandler';
import { ElementType, parseDocument } from 'htmlparser2';
import micromatch from 'micromatch';
import styleToObject from 'style-to-object';
import {
  CLIENTS,
  FEATURES,
  matchAtRules,
  matchAttributes,
  matchElementAttributePairs,
  matchElements,
  matchFunctions,
  matchImages,
  matchKeywords,
  matchProperties,
  matchPropertyValuePair,
  matchPropertyValues,
  matchPseudoSelectors,
  matchSelectors,
  matchUnits,
  supportOf,
  urlsInCssValue,
  urlsInSrcset,
  type SelectorToken,
} from './features.js';

export interface Position {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface Issue {
  title: string;
  notes: string[];
  support: 'none' | 'partial';
  position: Position | undefined;
}

export interface Issues {
  /** Per client, the features it does not support. */
  errors: Map<string, Issue[]>;
  /** Per client, the features it supports partly. */
  warnings: Map<string, Issue[]>;
}

interface Context {
  clients: string[];
  issues: Issues;
}

function add(map: Map<string, Issue[]>, client: string, issue: Issue): void {
  const list = map.get(client);
  if (list) list.push(issue);
  else map.set(client, [issue]);
}

function report(ctx: Context, titles: string[], position: Position | undefined): void {
  for (const title of titles) {
    const feature = FEATURES.all.get(title);
    if (feature === undefined) continue;
    for (const client of ctx.clients) {
      const support = supportOf(feature, client);
      if (support === undefined || support.type === 'full') continue;
      const issue: Issue = { notes: support.notes, title, position, support: support.type };
      add(support.type === 'none' ? ctx.issues.errors : ctx.issues.warnings, client, issue);
    }
  }
}

function toPosition(p: CssCommonPositionAST['position'] | undefined): Position | undefined {
  if (p === undefined) return undefined;
  return { start: { line: p.start.line, column: p.start.column }, end: { line: p.end.line, column: p.end.column } };
}

interface Declaration {
  property: string | undefined;
  value: string | undefined;
  position: Position | undefined;
}

function checkDeclarations(ctx: Context, declarations: Declaration[]): void {
  for (const { property, value, position } of declarations) {
    if (property !== undefined) report(ctx, matchProperties(property), position);
    if (value !== undefined) {
      report(ctx, matchFunctions(value), position);
      report(ctx, matchKeywords(value), position);
      report(ctx, matchPropertyValues(value), position);
      report(ctx, matchUnits(value), position);
      report(ctx, matchImages(urlsInCssValue(value)), position);
    }
    if (property !== undefined && value !== undefined) {
      report(ctx, matchPropertyValuePair(property, value), position);
    }
  }
}

function parsedSelectors(selector: string): SelectorToken[][] | undefined {
  try {
    return parseSelector(selector);
  } catch {
    return undefined;
  }
}

const AT_RULES = new Set([
  'charset',
  'custom-media',
  'document',
  'font-face',
  'host',
  'import',
  'keyframes',
  'keyframe',
  'media',
  'namespace',
  'page',
  'supports',
]);

function checkStylesheet(ctx: Context, stylesheet: CssStylesheetAST): void {
  const atRules: string[] = [];
  for (const rule of stylesheet.stylesheet.rules) {
    if (rule.type === CssTypes.rule) {
      const all = rule.declarations;
      // Nested at-rules count as declarations without a property or value (nothing to check).
      const declarations = all.flatMap((d) =>
        d.type === CssTypes.declaration && 'property' in d
          ? [{ property: d.property, value: d.value, position: toPosition(d.position) }]
          : [],
      );
      checkDeclarations(ctx, declarations);
      for (const d of all) {
        const position = d.type === CssTypes.comment ? toPosition(d.position) : undefined;
        if (position) report(ctx, ['CSS comments'], position);
      }
      const position = toPosition(rule.position);
      for (const selector of rule.selectors) {
        if (selector.includes('&')) report(ctx, ['CSS Nesting'], position);
        report(ctx, matchPseudoSelectors(selector), position);
        const parsed = parsedSelectors(selector);
        report(ctx, parsed ? matchSelectors(parsed) : [], position);
      }
    }
    if (rule.type === CssTypes.comment) report(ctx, ['CSS comments'], toPosition(rule.position));
    if (AT_RULES.has(rule.type)) atRules.push(rule.type);
  }
  report(ctx, matchAtRules(atRules), undefined);
}

/** caniemail's line index: 1-based line and column of a string offset. */
class LineIndex {
  private readonly starts: number[] = [];
  private readonly length: number;

  constructor(source: string) {
    const text = source.endsWith('\n') ? source : `${source}\n`;
    this.length = text.length;
    const lineBreak = /\r?\n/g;
    let at = 0;
    for (let m = lineBreak.exec(text); m !== null; m = lineBreak.exec(text)) {
      this.starts.push(at);
      at = m.index + m[0].length;
    }
    if (at < text.length) this.starts.push(at);
  }

  private locate(offset: number): { line: number; column: number } | undefined {
    if (offset < 0 || offset >= this.length) return undefined;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }

  positionOf(start: number | null, end: number | null): Position | undefined {
    if (start === null || end === null) return undefined;
    const from = this.locate(start);
    const to = this.locate(end);
    return from && to ? { start: from, end: to } : undefined;
  }
}

function checkElement(ctx: Context, node: Element, lines: LineIndex): void {
  const position = lines.positionOf(node.startIndex, node.endIndex);
  report(ctx, matchElements(node.tagName), position);
  const attributes = node.attributes;
  const map = Object.fromEntries(attributes.map((a) => [a.name, a.value]));
  report(ctx, matchAttributes(attributes.map((a) => a.name)), position);
  report(ctx, matchElementAttributePairs(node.tagName, map), position);
  const urls: string[] = [];
  if (node.tagName === 'img' && map.src) urls.push(map.src);
  if (node.tagName === 'source' && map.srcset) urls.push(...urlsInSrcset(map.srcset));
  if (map.srcset) urls.push(...urlsInSrcset(map.srcset));
  report(ctx, matchImages(urls), position);
  const style = attributes.find((a) => a.name === 'style');
  if (style !== undefined) {
    const declarations = styleToObject(style.value);
    if (declarations !== null) {
      checkDeclarations(
        ctx,
        Object.entries(declarations).map(([property, value]) => ({ property, value, position })),
      );
    }
  }
  checkChildren(ctx, node.childNodes, lines, true);
}

/** Elements and comments; at the top level caniemail skips `<style>` elements (their CSS is still checked). */
function checkChildren(ctx: Context, children: ChildNode[], lines: LineIndex, nested: boolean): void {
  for (const child of children) {
    if (child.type === ElementType.Tag || (nested && child.type === ElementType.Style)) checkElement(ctx, child, lines);
    else if (child.type === ElementType.Comment)
      report(ctx, ['HTML comments'], lines.positionOf(child.startIndex, child.endIndex));
  }
}

function styleSheets(node: Document | ChildNode, out: CssStylesheetAST[]): CssStylesheetAST[] {
  if (node.type === ElementType.Style) {
    const text = node.childNodes[0];
    if (text !== undefined && 'data' in text) out.push(parseCss(text.data, { silent: true }));
    return out;
  }
  if ('childNodes' in node) for (const child of node.childNodes) styleSheets(child, out);
  return out;
}

/** The clients a list of caniemail globs (micromatch syntax) names. */
export function clientsMatching(globs: string[]): string[] {
  return [...new Set(micromatch([...CLIENTS], globs))];
}

/**
 * caniemail's check of an HTML email: per client, the features it does not support (errors) and
 * supports partly (warnings). Throws a RangeError when the globs match no client.
 */
export function caniemail({ clients: globs, html }: { clients: string[]; html: string }): Issues {
  const clients = clientsMatching(globs);
  if (clients.length === 0) throw new RangeError(`The specified email client(s) (${globs.join(', ')}) were not found`);
  const ctx: Context = { clients, issues: { errors: new Map(), warnings: new Map() } };
  const document = parseDocument(html, { withStartIndices: true, withEndIndices: true });
  const sheets: CssStylesheetAST[] = [];
  for (const child of document.childNodes) styleSheets(child, sheets);
  for (const sheet of sheets) checkStylesheet(ctx, sheet);
  checkChildren(ctx, document.childNodes, new LineIndex(html), false);
  return ctx.issues;
}
