import { accessOf, type Diagnostic, type Draft, type Location, type Template } from '@hubspoke/core';
import { decodeHTML, decodeXML, escapeText } from 'entities';
import { Parser } from 'htmlparser2';
import { assistDiagnostic } from '../tasks/brand-check.js';
import { canEditEntry, slotEntries } from './draft-text.js';
import { findTokens, type TokenSpan } from './tokens.js';
import { textLength } from './text-length.js';
import { stripUntrusted } from '../tasks/untrusted-output.js';

/** Something in a segment that must come back unchanged: a token, a control tag, or HTML markup. */
export interface Placeholder {
  id: string;
  /** `token`: `{{ … }}` (may move); `control`: `{% … %}` and `markup`: HTML (keep their order). */
  kind: 'token' | 'control' | 'markup';
  original: string;
}

/**
 * An XLIFF-like translation unit: `source` is XML-escaped text with `<x id="…"/>` where a
 * placeholder stands; `placeholders` holds what each one stands for.
 */
export interface TranslationUnit {
  /** `subject`, `preheader`, `slots/<instanceId>/<slotId>`, with `/alt` or `/text` for image and link slots. */
  id: string;
  location: Location;
  /** `html` for rich text: text is HTML-escaped again when restored. */
  format: 'text' | 'html';
  source: string;
  placeholders: Placeholder[];
  maxLength?: number;
  /** The slot's label and help, for the translator. */
  note?: string;
}

const PLACEHOLDER_ELEMENT = /<x\s+id\s*=\s*["']([^"'<>]*)["']\s*(?:\/>|>\s*<\/x\s*>)/g;
const MASK = '\uE000';

export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Splits a value into escaped text and placeholders. */
export function segment(value: string, format: 'text' | 'html'): { source: string; placeholders: Placeholder[] } {
  const placeholders: Placeholder[] = [];
  let source = '';
  const hold = (kind: Placeholder['kind'], original: string) => {
    const id = String(placeholders.length + 1);
    placeholders.push({ id, kind, original });
    source += `<x id="${id}"/>`;
  };
  const tokens = findTokens(value);
  const addText = (from: number, to: number, decode: (s: string) => string) => {
    let at = from;
    for (const token of tokens) {
      if (token.start < at || token.end > to) continue;
      source += escapeXml(decode(value.slice(at, token.start)));
      hold(token.kind === 'output' ? 'token' : 'control', token.text);
      at = token.end;
    }
    source += escapeXml(decode(value.slice(at, to)));
  };
  if (format === 'text') {
    addText(0, value.length, (s) => s);
    return { source, placeholders };
  }
  let at = 0;
  for (const [start, end] of textRanges(value, tokens)) {
    if (start > at) hold('markup', value.slice(at, start));
    addText(start, end, decodeHTML);
    at = end;
  }
  if (at < value.length) hold('markup', value.slice(at));
  return { source, placeholders };
}

/** Raw ranges of text in an HTML fragment; tokens are masked first so their quotes and brackets stay text. */
function textRanges(html: string, tokens: readonly TokenSpan[]): [number, number][] {
  let masked = html;
  for (const t of tokens) masked = masked.slice(0, t.start) + MASK.repeat(t.end - t.start) + masked.slice(t.end);
  const ranges: [number, number][] = [];
  const parser = new Parser(
    {
      ontext() {
        const last = ranges.at(-1);
        if (last?.[1] === parser.startIndex) last[1] = parser.endIndex + 1;
        else ranges.push([parser.startIndex, parser.endIndex + 1]);
      },
    },
    { decodeEntities: true },
  );
  parser.end(masked);
  return ranges;
}

export interface RestoredUnit {
  value?: string;
  diagnostics: Diagnostic[];
}

/**
 * Turns a translated segment back into a slot value. The target is untrusted: markup and
 * tokens it invented are removed (and reported), every placeholder must come back exactly
 * once, control tags and markup in their original order, then originals are put back.
 */
export function restore(unit: TranslationUnit, target: string): RestoredUnit {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(unit.placeholders.map((p) => [p.id, p]));
  const pieces: (string | Placeholder)[] = [];
  const seen: Placeholder[] = [];
  const removed: string[] = [];
  let at = 0;
  const addText = (raw: string) => {
    // Tags in the raw target were invented; entities are text. Tokens are checked after decoding.
    const tagless = stripUntrusted(raw);
    const decoded = stripUntrusted(decodeXML(tagless.text), [], { markup: false });
    removed.push(...tagless.removed, ...decoded.removed);
    pieces.push(decoded.text);
  };
  for (const match of target.matchAll(PLACEHOLDER_ELEMENT)) {
    addText(target.slice(at, match.index));
    const placeholder = byId.get(match[1] ?? '');
    if (placeholder === undefined) removed.push(match[0]);
    else {
      pieces.push(placeholder);
      seen.push(placeholder);
    }
    at = match.index + match[0].length;
  }
  addText(target.slice(at));

  if (removed.length > 0) {
    diagnostics.push(
      assistDiagnostic(
        'output-cleaned',
        'warning',
        `Removed ${removed.length} piece(s) of markup or unknown tokens from the translation`,
        unit.location,
        { removed: removed.slice(0, 5) },
      ),
    );
  }
  const counts = new Map<string, number>();
  for (const p of seen) counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
  const missing = unit.placeholders.filter((p) => !counts.has(p.id)).map((p) => p.original);
  const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => byId.get(id)?.original ?? id);
  if (missing.length > 0 || repeated.length > 0) {
    diagnostics.push(
      assistDiagnostic(
        'placeholder-mismatch',
        'error',
        `The translation ${missing.length > 0 ? `lost ${missing.join(', ')}` : `repeated ${repeated.join(', ')}`}; it was not applied`,
        unit.location,
        { missing, repeated },
      ),
    );
    return { diagnostics };
  }
  const ordered = (kind: Placeholder['kind']) =>
    seen
      .filter((p) => p.kind === kind)
      .map((p) => p.id)
      .join(',') ===
    unit.placeholders
      .filter((p) => p.kind === kind)
      .map((p) => p.id)
      .join(',');
  if (!ordered('control') || !ordered('markup')) {
    diagnostics.push(
      assistDiagnostic(
        'placeholder-order',
        'error',
        'The translation moved conditions or markup out of their order; it was not applied',
        unit.location,
      ),
    );
    return { diagnostics };
  }

  const [lead = '', trail = ''] = [/^\s*/.exec(decodeXML(unit.source))?.[0], /\s*$/.exec(decodeXML(unit.source))?.[0]];
  const body = pieces
    .map((p) => (typeof p === 'string' ? (unit.format === 'html' ? escapeText(p) : p) : p.original))
    .join('')
    .trim();
  const value = lead + body + trail;
  if (unit.maxLength !== undefined) {
    // Visible text only: what a token renders depends on the recipient, so it does not count.
    const length = textLength(
      pieces
        .filter((p) => typeof p === 'string')
        .join('')
        .trim(),
    );
    if (length > unit.maxLength) {
      diagnostics.push(
        assistDiagnostic(
          'too-long',
          'error',
          `The translation has ${length} characters, more than the ${unit.maxLength} allowed`,
          unit.location,
          { length, maxLength: unit.maxLength },
        ),
      );
    }
  }
  return { value, diagnostics };
}

/** True when a segment has words to translate (not only placeholders, digits and punctuation). */
export function hasWords(unit: TranslationUnit): boolean {
  return /\p{L}/u.test(decodeXML(unit.source.replace(PLACEHOLDER_ELEMENT, '')));
}

/** The XLIFF-like units of a draft's locale: subject, preheader and every translatable slot text. */
export function extractUnits(draft: Draft, template: Template, locale: string): TranslationUnit[] {
  const content = draft.content[locale];
  if (content === undefined) return [];
  const units: TranslationUnit[] = [];
  const add = (
    id: string,
    value: string | undefined,
    format: 'text' | 'html',
    location: Location,
    maxLength: number | undefined,
    note?: string,
  ) => {
    if (value === undefined || value.trim() === '') return;
    units.push({
      id,
      location: { ...location, locale },
      format,
      ...segment(value, format),
      ...(maxLength === undefined ? {} : { maxLength }),
      ...(note === undefined || note === '' ? {} : { note }),
    });
  };
  for (const field of ['subject', 'preheader'] as const)
    if (accessOf(template[field].lock, 'text') === 'enabled')
      add(field, content[field], 'text', { field }, template[field].maxLength);
  for (const entry of slotEntries(draft, template, locale)) {
    const { def, value, instanceId, slotId } = entry;
    // Only words the spoke may change are offered: a locked text stays the hub's in every locale.
    const text = canEditEntry(entry, 'text');
    const at = { instanceId, slotId };
    const note = [def.label, def.help].filter(Boolean).join(' — ');
    const id = `slots/${instanceId}/${slotId}`;
    if (def.kind === 'text' && text && def.translatable && typeof value === 'string')
      add(id, value, 'text', at, def.maxLength, note);
    if (def.kind === 'richText' && text && def.translatable && typeof value === 'string')
      add(id, value, 'html', at, def.maxLength, note);
    if (
      def.kind === 'image' &&
      canEditEntry(entry, 'alt') &&
      def.translatable &&
      typeof value === 'object' &&
      'src' in value
    )
      add(`${id}/alt`, value.alt, 'text', { ...at, property: 'alt' }, undefined, note);
    if (def.kind === 'link' && text && def.translatable && typeof value === 'object' && 'href' in value)
      add(`${id}/text`, value.text, 'text', { ...at, property: 'text' }, def.maxTextLength, note);
  }
  return units;
}
