import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { checkUrl, escapeHtml, normalizeUrl } from '../personalization/escape.js';
import { parseTokens, type FieldNode, type IfNode, type PlatformNode } from '@hubspoke/core';
import { htmlToPlainText } from './plain-text.js';

/** A live personalization token inside a value; compiled per dialect at fill time. */
export interface TokenPart {
  token: FieldNode | IfNode | PlatformNode;
}

/** HTML parts: strings are final HTML. Text parts: strings are spoke text, escaped per dialect later. */
export type Part = string | TokenPart;

export interface ValueIssue {
  ruleId: string;
  severity: 'error' | 'warning';
  message: string;
  /** Offsets into the value, when they are known. */
  start?: number;
  end?: number;
}

export interface ProcessedValue {
  html: Part[];
  text: Part[];
  issues: ValueIssue[];
}

/**
 * Bounded memo keyed by the value string itself (V8 keeps a string's hash, so the draft's own
 * strings hit without rehashing); values repeat across renders, so each is processed once.
 */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.map.size >= this.limit) {
      const oldest = this.map.keys().next();
      if (oldest.done !== true) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
    return value;
  }
}

/** One memo per variant (an options array or flag), each keyed by the raw value. */
class VariantMemo<V> {
  private readonly byObject = new WeakMap<object, Memo<V>>();
  private readonly byName = new Map<string, Memo<V>>();
  constructor(private readonly limit: number) {}
  for(variant: object | string): Memo<V> {
    if (typeof variant === 'string') {
      let memo = this.byName.get(variant);
      if (!memo) this.byName.set(variant, (memo = new Memo<V>(this.limit)));
      return memo;
    }
    let memo = this.byObject.get(variant);
    if (!memo) this.byObject.set(variant, (memo = new Memo<V>(this.limit)));
    return memo;
  }
}

const textMemo = new VariantMemo<ProcessedValue>(20_000);
const richMemo = new VariantMemo<ProcessedValue>(5_000);

function syntaxIssues(errors: { message: string; start: number; end: number }[], offset?: number): ValueIssue[] {
  return errors.map((e) => {
    const issue: ValueIssue = {
      ruleId: 'personalization/syntax',
      severity: 'error',
      message: `Personalization: ${e.message}`,
    };
    if (offset !== undefined) {
      issue.start = e.start + offset;
      issue.end = e.end + offset;
    }
    return issue;
  });
}

/**
 * Plain text with neutral tokens. `multiline` turns line breaks into `<br />` in HTML. The
 * plain-text part collapses whitespace the way a browser (and html-to-text) would show it.
 */
export function processText(value: string, multiline = false, hubOwned = false): ProcessedValue {
  return textMemo.for(`${multiline ? 'multiline' : 'line'}${hubOwned ? '-hub' : ''}`).get(value, () => {
    const parsed = parseTokens(value, { hubOwned });
    const html: Part[] = [];
    const text: Part[] = [];
    for (const node of parsed.nodes) {
      if (node.type === 'text') {
        const escaped = escapeHtml(node.value);
        html.push(multiline ? escaped.replace(/\r?\n/g, '<br />') : escaped);
        text.push(
          multiline
            ? node.value.replace(/[^\S\n]+/g, ' ').replace(/ ?\r?\n ?/g, '\n')
            : node.value.replace(/\s+/g, ' '),
        );
      } else {
        html.push({ token: node });
        text.push({ token: node });
      }
    }
    return { html, text, issues: syntaxIssues(parsed.errors, 0) };
  });
}

/** Text shown literally (alt text): no tokens. */
export function processLiteral(value: string): ProcessedValue {
  return { html: [escapeHtml(value)], text: [value], issues: [] };
}

/** Tags a rich-text slot may ever keep; a slot's `allowedTags` can only narrow this. */
export const RICH_TEXT_TAGS = [
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'a',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'blockquote',
  'span',
  'sup',
  'sub',
  'small',
] as const;
const RICH_ATTRIBUTES: Record<string, string[]> = { a: ['href', 'title', 'target'] };
const RICH_SCHEMES = ['https', 'http', 'mailto', 'tel'];
const VOID = new Set(['br']);
/** Private-use characters that mark where a token sits while HTML goes through html-to-text. */
export const MARKER_OPEN = '\ue000';
export const MARKER_CLOSE = '\ue001';

export function allowedRichTags(allowed: readonly string[] | undefined): string[] {
  const safe: readonly string[] = RICH_TEXT_TAGS;
  return allowed === undefined ? [...RICH_TEXT_TAGS] : allowed.filter((t) => safe.includes(t));
}

/**
 * Rich text: sanitized to an allowlist (sanitize-html), then rebuilt with every text node
 * escaped like plain text and its tokens kept live. Reports what the sanitizer removed.
 */
export function processRichText(value: string, allowedTags?: readonly string[], hubOwned = false): ProcessedValue {
  const variant = hubOwned ? `hub:${allowedTags?.join(',') ?? '*'}` : (allowedTags ?? 'default');
  return richMemo.for(variant).get(value, () => {
    const tags = allowedRichTags(allowedTags);
    const issues: ValueIssue[] = removedMarkup(value, tags).map((what) => ({
      ruleId: 'template/rich-text-sanitized',
      severity: 'warning',
      message: `Rich text: ${what} is not allowed and was removed`,
    }));
    const clean = sanitizeHtml(value, {
      allowedTags: tags,
      allowedAttributes: RICH_ATTRIBUTES,
      allowedSchemes: RICH_SCHEMES,
      allowedSchemesAppliedToAttributes: ['href'],
      allowProtocolRelative: false,
      disallowedTagsMode: 'discard',
    });
    const html: Part[] = [];
    const tokens: TokenPart[] = [];
    let markerHtml = '';
    const found = { privateUse: false };
    const emit = (piece: string) => {
      html.push(piece);
      markerHtml += piece;
    };
    const walk = (nodes: ChildNode[]) => {
      for (const node of nodes) {
        if (isText(node)) {
          const parsed = parseTokens(node.data, { hubOwned });
          issues.push(...syntaxIssues(parsed.errors));
          for (const t of parsed.nodes) {
            if (t.type === 'text') {
              const escaped = escapeHtml(t.value);
              html.push(escaped);
              if (/[\ue000\ue001]/.test(t.value)) found.privateUse = true;
              markerHtml += escapeHtml(t.value.replace(/[\ue000\ue001]/g, '\ufffd'));
            } else {
              const part = { token: t };
              html.push(part);
              markerHtml += `${MARKER_OPEN}${tokens.length}${MARKER_CLOSE}`;
              tokens.push(part);
            }
          }
        } else if (isTag(node)) {
          emit(openTag(node));
          if (!VOID.has(node.name)) {
            walk(node.children);
            emit(`</${node.name}>`);
          }
        }
      }
    };
    walk(parseDocument(clean).children);
    if (found.privateUse)
      issues.push({
        ruleId: 'template/reserved-character',
        severity: 'warning',
        message: 'Rich text: private-use characters U+E000/U+E001 show as � in the plain-text part',
      });
    return { html: mergeStrings(html), text: splitMarkers(htmlToPlainText(markerHtml), tokens), issues };
  });
}

function openTag(node: Element): string {
  let out = `<${node.name}`;
  for (const [name, raw] of Object.entries(node.attribs)) {
    const value = name === 'href' ? normalizeUrl(raw).replace(/&/g, '&amp;') : escapeHtml(raw);
    out += ` ${name}="${value}"`;
  }
  return VOID.has(node.name) ? `${out} />` : `${out}>`;
}

/** Puts the tokens back where html-to-text left their markers. */
export function splitMarkers(text: string, tokens: TokenPart[]): Part[] {
  const parts: Part[] = [];
  const re = new RegExp(`${MARKER_OPEN}(\\d+)${MARKER_CLOSE}`, 'g');
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const token = tokens[Number(m[1])];
    if (token) parts.push(token);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Joins adjacent strings so filling walks fewer parts. */
export function mergeStrings(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

/** Names the markup sanitize-html will drop, so the spoke hears about it. */
function removedMarkup(value: string, tags: readonly string[]): string[] {
  const removed = new Set<string>();
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      if (!tags.includes(node.name)) removed.add(`<${node.name}>`);
      for (const [name, raw] of Object.entries(node.attribs)) {
        if (!(RICH_ATTRIBUTES[node.name] ?? []).includes(name)) removed.add(`the ${name} attribute`);
        else if (name === 'href' && !checkUrl(raw, RICH_SCHEMES).ok) removed.add(`the link "${raw.slice(0, 60)}"`);
      }
      visit(node.children);
    }
  };
  visit(parseDocument(value).children);
  return [...removed];
}

export interface ProcessedUrl {
  /** HTML: percent-normalized with `&` escaped for an attribute; text: for the plain-text part. */
  value: ProcessedValue;
  ok: boolean;
  reason?: string;
}

const urlMemo = new VariantMemo<ProcessedUrl>(20_000);

/** A spoke URL: rejected (empty) unless its scheme is allowed; otherwise normalized so no platform sees syntax in it. */
export function processUrl(raw: string, schemes: readonly string[], relative?: 'fragment' | 'path'): ProcessedUrl {
  return urlMemo.for(relative === undefined ? schemes : `${schemes.join(',')}|${relative}`).get(raw, () => {
    const checked = checkUrl(raw, schemes, relative);
    if (!checked.ok)
      return { value: { html: [''], text: [''], issues: [] }, ok: false, reason: checked.reason ?? 'not allowed' };
    const url = normalizeUrl(raw);
    return { value: { html: [url.replace(/&/g, '&amp;')], text: [url.replace(/^mailto:/, '')], issues: [] }, ok: true };
  });
}
