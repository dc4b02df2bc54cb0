import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { parseTokens, type TokenNode } from '@hubspoke/core';
import { htmlToPlainText } from './plain-text.js';
import {
  MARKER_CLOSE,
  MARKER_OPEN,
  mergeStrings,
  processText,
  splitMarkers,
  type Part,
  type ProcessedValue,
  type TokenPart,
} from './values.js';

/**
 * Hub-authored content: a slot's default as written in the template, rendered as written (markup,
 * styles, entities, whitespace) so an untouched draft renders what mjml renders for the template.
 * Neutral tokens in its text stay live; in HTML, strings are trusted markup and only the sequences
 * a platform would execute are made inert, per dialect, when filled (`neutralizeLive`).
 */
export interface TrustedValue extends ProcessedValue {
  trusted: true;
}

const memo = new Map<string, TrustedValue>();

/** Raw default content of a slot (an ending tag's or an HTML element's content, or an attribute value). */
export function processTrusted(raw: string, markup: boolean): TrustedValue {
  const key = `${markup ? 'm' : 't'}${raw}`;
  let hit = memo.get(key);
  if (!hit) {
    hit = markup ? trustedMarkup(raw) : trustedAttribute(raw);
    if (memo.size >= 5_000) memo.delete(memo.keys().next().value ?? key);
    memo.set(key, hit);
  }
  return hit;
}

/** Tokens parsed from raw HTML text: entities in their fallbacks and literals are decoded first. */
function decodedTokens(raw: string): Part[] {
  // Hub text: `{% platform … %}` blocks are the hub's own platform code.
  const parsed = parseTokens(raw, { hubOwned: true });
  const parts: Part[] = [];
  if (!parsed.live) return [raw];
  for (const node of parsed.nodes) {
    if (node.type === 'text') {
      parts.push(node.value);
      continue;
    }
    const source = raw.slice(node.start, node.end);
    const decoded =
      source.includes('&') && node.type !== 'platform'
        ? parseTokens(decodeHTML(source), { hubOwned: true }).nodes[0]
        : node;
    parts.push({ token: (decoded ?? node) as Exclude<TokenNode, { type: 'text' }> });
  }
  return parts;
}

function trustedMarkup(raw: string): TrustedValue {
  const html: Part[] = [];
  const tokens: TokenPart[] = [];
  let markerHtml = '';
  let cursor = 0;
  const flush = (end: number) => {
    if (end <= cursor) return;
    const slice = raw.slice(cursor, end);
    html.push(slice);
    markerHtml += slice.replace(/[\ue000\ue001]/g, '\ufffd');
    cursor = end;
  };
  // Text nodes may hold tokens; everything else (tags, comments, CSS) is copied as written.
  const parser = new Parser(
    {
      ontext() {
        const start = Math.max(parser.startIndex, cursor);
        const end = parser.endIndex + 1;
        const text = raw.slice(start, end);
        if (!text.includes('{')) return;
        flush(start);
        for (const part of decodedTokens(text)) {
          if (typeof part === 'string') {
            html.push(part);
            markerHtml += part.replace(/[\ue000\ue001]/g, '\ufffd');
          } else {
            html.push(part);
            markerHtml += `${MARKER_OPEN}${tokens.length}${MARKER_CLOSE}`;
            tokens.push(part);
          }
        }
        cursor = end;
      },
    },
    { recognizeCDATA: true, decodeEntities: false, recognizeSelfClosing: true, lowerCaseAttributeNames: false },
  );
  parser.write(raw);
  parser.end();
  flush(raw.length);
  return {
    html: mergeStrings(html),
    text: splitMarkers(htmlToPlainText(markerHtml), tokens),
    issues: [],
    trusted: true,
  };
}

/** An attribute value or a text slot's content: no markup, entities as written. */
function trustedAttribute(raw: string): TrustedValue {
  const parts = raw.includes('{') ? decodedTokens(raw) : [raw];
  const text: Part[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') text.push(part);
    else text.push(...processText(decodeHTML(part), false, true).text);
  }
  return { html: mergeStrings(parts), text: mergeStrings(text), issues: [], trusted: true };
}

/**
 * Makes the sequences a platform would execute inert in trusted HTML, leaving everything else as
 * the hub wrote it: `{{ {% {#` (Marketo tokens, HubL, Liquid, GTL), `%%` (AMPscript), `${`
 * (Velocity), `~~` and `eloquaemail` spans (Eloqua), `<script` (SFMC server-side script). An
 * entity decodes to the same character for the reader.
 */
export function neutralizeLive(html: string): string {
  return html
    .replace(/\{(?=[{%#])|%(?=%)|\$(?=\{)|~(?=~)/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/<(?=script\b)/gi, '&lt;')
    .replace(/(<span\b[^>]*)eloquaemail/gi, '$1eloqua_email');
}
