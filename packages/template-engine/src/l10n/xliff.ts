import {
  DraftSchema,
  HubspokeError,
  LocaleSchema,
  parse,
  type Diagnostic,
  type Draft,
  type ImageValue,
  type LinkValue,
  type Location,
  type SlotValue,
  type Template,
} from '@hubspoke/core';
import { isTag, isText, type ChildNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import js2xliff from 'xliff/js2xliff';
import xliff2js from 'xliff/xliff2js';
import { diagnostic } from '../diagnostics.js';
import { localeChain, resolveDraft } from '../draft/resolve.js';
import { compileTemplate, type CompiledSlot, type CompiledTemplate } from '../template/compiled.js';
import { accessOf, effectiveLock, parseTokens, quoteLiteral, type FieldNode } from '@hubspoke/core';

/** Inline content in the xliff package's model: text, `<ph>` (Standalone) and `<pc>` (GenericSpan/Span). */
type Inline = string | { Standalone: Record<string, string> } | { GenericSpan: PcData } | { Span: PcData };
interface PcData extends Record<string, unknown> {
  id: string;
  contents?: Inline[] | string;
}

/** What a placeholder id stands for in one unit's source. A field token with a fallback names it, so the fallback can be translated as its own sub-flow unit. */
type Code =
  | { kind: 'token'; text: string; control: boolean; path?: string; fallback?: string }
  | { kind: 'element'; open: string; close: string }
  | { kind: 'void'; html: string };

interface Segmented {
  inline: Inline[];
  codes: Map<string, Code>;
  /** Ids of live tokens, in order (each must come back exactly once). */
  tokens: string[];
  /** Ids of if/elsif/else/endif and raw tags, in order (their order must not change). */
  controls: string[];
}

interface UnitRef {
  id: string;
  /** Where the text lives: a slot property, or the subject/preheader. */
  instanceId?: string;
  slot?: CompiledSlot;
  property: 'text' | 'alt' | 'subject' | 'preheader';
  rich: boolean;
  notes: string[];
  source: string;
  target: string | undefined;
}

export interface ExportXliffOptions {
  /** The language translators translate into. */
  targetLocale: string;
  /** Defaults to the draft's default locale. */
  sourceLocale?: string;
}

export interface XliffExport {
  xliff: string;
  /** How many units (translatable texts) the file holds. */
  units: number;
  /** Texts exported without placeholders because their personalization does not parse. */
  diagnostics: Diagnostic[];
}

/**
 * Plain text around tokens becomes text; every `{{ … }}` and `{% … %}` becomes a protected `<ph>`.
 * A field's fallback (`default: "there"`) is text to translate: the `<ph>` points to it with
 * `subFlows`, and it travels as its own unit `<unit>.<ph id>`.
 */
function segmentText(
  text: string,
  codes: Map<string, Code>,
  out: Inline[],
  ids: { n: number; tokens: string[]; controls: string[] },
  unitId: string,
): boolean {
  const parsed = parseTokens(text);
  if (parsed.errors.length > 0) {
    out.push(text);
    return false;
  }
  const fields = new Map(
    parsed.nodes.flatMap(function collect(n): [number, FieldNode][] {
      if (n.type === 'field') return [[n.start, n]];
      if (n.type === 'if')
        return [...n.branches.flatMap((b) => b.body.flatMap(collect)), ...(n.otherwise ?? []).flatMap(collect)];
      return [];
    }),
  );
  let cursor = 0;
  for (const tag of parsed.tags) {
    if (tag.start > cursor) out.push(text.slice(cursor, tag.start));
    const token = text.slice(tag.start, tag.end);
    const id = `p${++ids.n}`;
    const field = fields.get(tag.start);
    const code: Code = { kind: 'token', text: token, control: tag.control };
    // `<` is not allowed in an XML attribute and the xliff package does not escape it; disp is only shown.
    const ph: Record<string, string> = {
      id,
      disp: token.replace(/</g, '‹').replace(/>/g, '›'),
      canCopy: 'no',
      canDelete: 'no',
    };
    if (field) {
      code.path = field.path;
      if (field.fallback !== undefined && field.fallback !== '') {
        code.fallback = field.fallback;
        ph.subFlows = `${unitId}.${id}`;
      }
    }
    codes.set(id, code);
    (tag.control ? ids.controls : ids.tokens).push(id);
    out.push({ Standalone: ph });
    cursor = tag.end;
  }
  if (cursor < text.length) out.push(text.slice(cursor));
  return true;
}

function segment(value: string, rich: boolean, unitId: string): Segmented & { ok: boolean } {
  const codes = new Map<string, Code>();
  const ids = { n: 0, tokens: [] as string[], controls: [] as string[] };
  let elements = 0;
  let ok = true;
  if (!rich) {
    const inline: Inline[] = [];
    ok = segmentText(value, codes, inline, ids, unitId);
    return { inline, codes, tokens: ids.tokens, controls: ids.controls, ok };
  }
  const walk = (nodes: ChildNode[]): Inline[] => {
    const out: Inline[] = [];
    for (const node of nodes) {
      if (isText(node)) ok = segmentText(node.data, codes, out, ids, unitId) && ok;
      else if (isTag(node)) {
        const attrs = Object.entries(node.attribs)
          .map(([k, v]) => ` ${k}="${escapeMarkup(v).replace(/"/g, '&quot;')}"`)
          .join('');
        const id = `e${++elements}`;
        if (node.children.length === 0 && ['br', 'img', 'hr'].includes(node.name)) {
          codes.set(id, { kind: 'void', html: `<${node.name}${attrs} />` });
          out.push({ Standalone: { id, disp: `[${node.name}]` } });
        } else {
          codes.set(id, { kind: 'element', open: `<${node.name}${attrs}>`, close: `</${node.name}>` });
          out.push({
            GenericSpan: { id, dispStart: `[${node.name}]`, dispEnd: `[/${node.name}]`, contents: walk(node.children) },
          });
        }
      }
    }
    return out;
  };
  const inline = walk(parseDocument(value).children);
  return { inline, codes, tokens: ids.tokens, controls: ids.controls, ok };
}

/** Minimal escaping for rebuilt rich text: braces stay, so tokens stay live. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The texts of a draft a translator may change, with notes. Locked text is the hub's, not translated here. */
function units(compiled: CompiledTemplate, draft: Draft, source: string, target: string): UnitRef[] {
  const { template } = compiled;
  const resolved = resolveDraft(compiled, draft, source);
  const targetChainOwn = (instanceId: string, slotId: string) => draft.content[target]?.slots[instanceId]?.[slotId];
  const out: UnitRef[] = [];
  for (const field of ['subject', 'preheader'] as const) {
    const def = template[field];
    const text = resolved[field].value;
    if (text === '' || accessOf(def.lock, 'text') !== 'enabled') continue;
    const notes = [`field: ${field}`, ...(def.maxLength === undefined ? [] : [`max length: ${def.maxLength}`])];
    out.push({ id: field, property: field, rich: false, notes, source: text, target: draft.content[target]?.[field] });
  }
  for (const { instance, module, slots } of resolved.instances) {
    for (const { slot, value } of slots.values()) {
      const def = slot.def;
      if (!('translatable' in def) || !def.translatable) continue;
      const lock = effectiveLock(def, module.def);
      const label = `slot: ${def.label ?? def.id} (${instance.instanceId}/${def.id}) in "${module.def.name}"`;
      const context = def.help === undefined ? [] : [`context: ${def.help}`];
      const own = targetChainOwn(instance.instanceId, def.id);
      const add = (
        property: 'text' | 'alt',
        text: string | undefined,
        targetText: string | undefined,
        maxLength: number | undefined,
        rich: boolean,
      ) => {
        if (text === undefined || text.trim() === '' || accessOf(lock, property) !== 'enabled') return;
        const notes = [
          label,
          `kind: ${rich ? 'rich text (keep the [tags])' : def.kind}`,
          ...(maxLength === undefined ? [] : [`max length: ${maxLength}`]),
          ...context,
        ];
        out.push({
          id: `${instance.instanceId}.${def.id}${def.kind === 'image' || def.kind === 'link' ? `.${property}` : ''}`,
          instanceId: instance.instanceId,
          slot,
          property,
          rich,
          notes,
          source: text,
          target: targetText,
        });
      };
      switch (def.kind) {
        case 'text':
          add('text', value as string | undefined, typeof own === 'string' ? own : undefined, def.maxLength, false);
          break;
        case 'richText':
          add('text', value as string | undefined, typeof own === 'string' ? own : undefined, def.maxLength, true);
          break;
        case 'link':
          add(
            'text',
            (value as LinkValue | undefined)?.text,
            (own as LinkValue | undefined)?.text,
            def.maxTextLength,
            false,
          );
          break;
        case 'image':
          add('alt', (value as ImageValue | undefined)?.alt, (own as ImageValue | undefined)?.alt, undefined, false);
          break;
      }
    }
  }
  return out;
}

/**
 * Exports a draft's translatable text as XLIFF 2.0: one unit per editable text (slot text, rich
 * text, link text, alt text, subject, preheader) with notes (slot, max length, context).
 * Personalization tokens travel as protected `<ph>` placeholders and rich-text markup as `<pc>`
 * spans, so translators cannot change them; existing translations are included as targets.
 */
export async function exportXliff(
  template: Template,
  draftInput: Draft,
  options: ExportXliffOptions,
): Promise<XliffExport> {
  const compiled = compileTemplate(template);
  const draft = parse(DraftSchema, draftInput, 'draft');
  const target = parse(LocaleSchema, options.targetLocale, 'options.targetLocale');
  const source =
    options.sourceLocale === undefined
      ? draft.defaultLocale
      : parse(LocaleSchema, options.sourceLocale, 'options.sourceLocale');
  const diagnostics: Diagnostic[] = [];
  const resources: Record<string, unknown> = {};
  const list = units(compiled, draft, source, target);
  for (const unit of list) {
    const segmented = segment(unit.source, unit.rich, unit.id);
    if (!segmented.ok) {
      diagnostics.push(
        diagnostic(
          'l10n/unprotected-tokens',
          'warning',
          `"${unit.id}" has personalization that does not parse, so it is exported as plain text without protected placeholders`,
          locationOf(unit, source),
        ),
      );
    }
    const existing =
      unit.target === undefined ? undefined : retarget(segment(unit.target, unit.rich, unit.id), segmented);
    resources[unit.id] = { source: segmented.inline, target: existing?.inline ?? '', note: unit.notes };
    for (const [id, code] of segmented.codes) {
      if (code.kind !== 'token' || code.fallback === undefined) continue;
      resources[`${unit.id}.${id}`] = {
        source: code.fallback,
        target: existing?.fallbacks.get(id) ?? '',
        note: [`fallback shown when ${code.path ?? 'the field'} is empty, in "${unit.id}"`],
      };
    }
  }
  const xliff = await js2xliff(
    { sourceLanguage: source, targetLanguage: target, resources: { [draft.id]: resources } },
    { indent: 0 },
  );
  return { xliff, units: list.length, diagnostics };
}

/**
 * An existing translation, re-segmented with the source's placeholder ids: control tags match by
 * text, field tokens by field path (their translated fallbacks go to the fallback units).
 */
function retarget(target: Segmented, source: Segmented): { inline: Inline[]; fallbacks: Map<string, string> } {
  const unused = new Set(source.codes.keys());
  const fallbacks = new Map<string, string>();
  const match = (code: Code): string | undefined => {
    if (code.kind !== 'token') return undefined;
    for (const id of unused) {
      const s = source.codes.get(id);
      if (s?.kind !== 'token') continue;
      if (code.control ? s.control && s.text === code.text : !s.control && s.path === code.path) {
        unused.delete(id);
        if (code.fallback !== undefined) fallbacks.set(id, code.fallback);
        return id;
      }
    }
    return undefined;
  };
  const map = (parts: Inline[]): Inline[] =>
    parts.map((part) => {
      if (typeof part === 'string') return part;
      if ('Standalone' in part) {
        const code = target.codes.get(part.Standalone.id ?? '');
        const id = code && match(code);
        return id === undefined
          ? part
          : { Standalone: { ...(source.inline.length > 0 ? findPh(source.inline, id) : part.Standalone), id } };
      }
      const data = 'GenericSpan' in part ? part.GenericSpan : part.Span;
      return { GenericSpan: { ...data, contents: map(contentsOf(data)) } };
    });
  return { inline: map(target.inline), fallbacks };
}

function findPh(inline: Inline[], id: string): Record<string, string> {
  for (const part of inline) {
    if (typeof part === 'string') continue;
    if ('Standalone' in part) {
      if (part.Standalone.id === id) return part.Standalone;
      continue;
    }
    const found = findPh(contentsOf('GenericSpan' in part ? part.GenericSpan : part.Span), id);
    if (found.id === id) return found;
  }
  return { id };
}

function locationOf(unit: UnitRef, locale: string): Location {
  const location: Location = { locale };
  if (unit.property === 'subject' || unit.property === 'preheader') location.field = unit.property;
  else {
    if (unit.instanceId !== undefined) location.instanceId = unit.instanceId;
    if (unit.slot) location.slotId = unit.slot.def.id;
    location.property = unit.property;
  }
  return location;
}

export interface XliffImport {
  /** The draft with every accepted translation in the target locale. */
  draft: Draft;
  /** The target locale written. */
  locale: string;
  /** How many units were applied. */
  applied: number;
  /** Units refused (placeholders changed, unknown ids) or skipped (no target), and source drift. */
  diagnostics: Diagnostic[];
}

interface ParsedXliff {
  sourceLanguage?: string;
  targetLanguage?: string;
  resources?: Record<string, Record<string, { source?: unknown; target?: unknown }>>;
}

/**
 * Imports translations from XLIFF 2.0 into the draft's target locale. Every placeholder must come
 * back unchanged: each token exactly once, control tags (`{% if %}`…) in their original order,
 * markup only with ids the source had. A unit that breaks this is refused with a diagnostic and
 * the rest are applied.
 */
/** The longest XLIFF text importXliff reads (16 Mi characters, far beyond any email's strings). */
export const MAX_XLIFF_LENGTH = 16 * 1024 * 1024;

/** An XML declaration, comments or a doctype, then the <xliff> root: in the first 4 KiB. */
const XLIFF_START =
  /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[^]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?(<!--[^]*?-->\s*)*<xliff[\s>]/;

export async function importXliff(template: Template, draftInput: Draft, xml: string): Promise<XliffImport> {
  // The text is checked first, in O(1) of its size: the XML parser spent ~8 s per MB of non-XML.
  if (typeof (xml as unknown) !== 'string')
    throw new HubspokeError('E_VALIDATION', 'xliff: expected XLIFF 2.0 text', { path: 'xliff' });
  if (xml.length > MAX_XLIFF_LENGTH)
    throw new HubspokeError(
      'E_VALIDATION',
      `xliff: expected at most ${MAX_XLIFF_LENGTH} characters (MAX_XLIFF_LENGTH), got ${xml.length}`,
      { path: 'xliff', details: { limit: MAX_XLIFF_LENGTH } },
    );
  if (!XLIFF_START.test(xml.slice(0, 4_096)))
    throw new HubspokeError(
      'E_VALIDATION',
      'xliff: not valid XLIFF 2.0: the text does not start with an <xliff> element',
      {
        path: 'xliff',
      },
    );
  const compiled = compileTemplate(template);
  const draft = parse(DraftSchema, draftInput, 'draft');
  let parsed: ParsedXliff;
  try {
    parsed = (await xliff2js(xml)) as ParsedXliff;
  } catch (cause) {
    throw new HubspokeError(
      'E_VALIDATION',
      `xliff: not valid XLIFF 2.0: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
      { path: 'xliff', cause },
    );
  }
  const target = parse(LocaleSchema, parsed.targetLanguage, 'xliff.trgLang');
  const source = parse(LocaleSchema, parsed.sourceLanguage, 'xliff.srcLang');
  const file = parsed.resources?.[draft.id];
  if (!file)
    throw new HubspokeError('E_VALIDATION', `xliff: no <file id="${draft.id}"> for this draft`, { path: 'xliff.file' });
  const known = new Map(units(compiled, draft, source, target).map((u) => [u.id, u]));
  const diagnostics: Diagnostic[] = [];
  let next = draft;
  let applied = 0;
  for (const [id, unit] of Object.entries(file)) {
    const ref = known.get(id);
    const parent = /^(.*)\.(p\d+)$/.exec(id);
    if (!ref && parent?.[1] !== undefined && known.has(parent[1])) continue;
    if (!ref) {
      diagnostics.push(
        diagnostic(
          'l10n/unknown-unit',
          'error',
          `Unit "${id}" is not a translatable text of this draft; it was not imported`,
          { locale: target },
          { unit: id },
        ),
      );
      continue;
    }
    const at = locationOf(ref, target);
    // A mangled file can name a unit without content (the xliff library then gives undefined).
    const targetInline = toInline((unit as { target?: unknown } | undefined)?.target);
    if (targetInline.length === 0 || targetInline.every((p) => typeof p === 'string' && p.trim() === '')) {
      diagnostics.push(diagnostic('l10n/untranslated', 'suggestion', `"${id}" has no translation yet`, at));
      continue;
    }
    const current = segment(ref.source, ref.rich, ref.id);
    const translatedFallbacks = new Map<string, string>();
    for (const [codeId, code] of current.codes) {
      if (code.kind !== 'token' || code.fallback === undefined) continue;
      const text = flatten(toInline(file[`${id}.${codeId}`]?.target), current.codes).trim();
      if (text !== '') translatedFallbacks.set(codeId, text);
    }
    if (flatten(toInline(unit.source), current.codes) !== flatten(current.inline, current.codes)) {
      diagnostics.push(
        diagnostic(
          'l10n/source-changed',
          'warning',
          `The source text of "${id}" changed since this file was exported; check the translation`,
          at,
        ),
      );
    }
    const rebuilt = rebuild(targetInline, current, ref.rich, translatedFallbacks);
    if ('error' in rebuilt) {
      diagnostics.push(
        diagnostic('l10n/placeholder-mismatch', 'error', `"${id}" was not imported: ${rebuilt.error}`, at, {
          unit: id,
        }),
      );
      continue;
    }
    const errors = parseTokens(rebuilt.text).errors;
    if (!ref.rich && errors.length > 0) {
      diagnostics.push(
        diagnostic(
          'l10n/placeholder-mismatch',
          'error',
          `"${id}" was not imported: its personalization no longer parses (${errors[0]?.message ?? ''})`,
          at,
          { unit: id },
        ),
      );
      continue;
    }
    next = apply(next, compiled, ref, target, rebuilt.text);
    applied += 1;
  }
  return { draft: parse(DraftSchema, next, 'draft'), locale: target, applied, diagnostics };
}

/** Reads segment content from the parsed file defensively: anything unexpected reads as empty. */
function toInline(value: unknown): Inline[] {
  const items: unknown[] = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return items.filter((item): item is Inline => {
    if (typeof item === 'string') return true;
    if (typeof item !== 'object' || item === null) return false;
    const data =
      (item as Record<string, unknown>).Standalone ??
      (item as Record<string, unknown>).GenericSpan ??
      (item as Record<string, unknown>).Span;
    return typeof data === 'object' && data !== null && typeof (data as { id?: unknown }).id === 'string';
  });
}

function contentsOf(data: PcData): Inline[] {
  return toInline(data.contents);
}

/** The text a segment stands for, with placeholders expanded from the source's codes. */
function flatten(inline: Inline[], codes: Map<string, Code>): string {
  return inline
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('Standalone' in part) {
        const code = codes.get(part.Standalone.id ?? '');
        return code?.kind === 'token' ? code.text : code?.kind === 'void' ? code.html : '';
      }
      const data = 'GenericSpan' in part ? part.GenericSpan : part.Span;
      const code = codes.get(data.id);
      return code?.kind === 'element' ? `${code.open}${flatten(contentsOf(data), codes)}${code.close}` : '';
    })
    .join('');
}

function rebuild(
  inline: Inline[],
  source: Segmented,
  rich: boolean,
  fallbacks: Map<string, string>,
): { text: string } | { error: string } {
  const seenTokens: string[] = [];
  const seenControls: string[] = [];
  const seenElements = new Set<string>();
  const walk = (parts: Inline[]): string | { error: string } => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += rich ? escapeMarkup(part) : part;
        continue;
      }
      if ('Standalone' in part) {
        const id = part.Standalone.id ?? '';
        const code = source.codes.get(id);
        if (!code || code.kind === 'element') return { error: `placeholder "${id}" is not in the source` };
        if (code.kind === 'token') {
          (code.control ? seenControls : seenTokens).push(id);
          const fallback = fallbacks.get(id);
          let text = code.text;
          if (fallback !== undefined && code.path !== undefined) {
            text = `{{ ${code.path} | default: ${quoteLiteral(fallback)} }}`;
          }
          out += rich ? escapeMarkup(text) : text;
        } else out += code.html;
        continue;
      }
      const data = 'GenericSpan' in part ? part.GenericSpan : part.Span;
      const code = source.codes.get(data.id);
      if (code?.kind !== 'element') return { error: `markup "${data.id}" is not in the source` };
      if (seenElements.has(data.id)) return { error: `markup "${data.id}" appears twice` };
      seenElements.add(data.id);
      const inner = walk(contentsOf(data));
      if (typeof inner !== 'string') return inner;
      out += `${code.open}${inner}${code.close}`;
    }
    return out;
  };
  const text = walk(inline);
  if (typeof text !== 'string') return text;
  const sorted = (ids: string[]) => [...ids].sort().join(',');
  if (sorted(seenTokens) !== sorted(source.tokens)) {
    const missing = source.tokens.filter((t) => !seenTokens.includes(t));
    const extra = seenTokens.filter((t, i) => seenTokens.indexOf(t) !== i);
    return {
      error:
        missing.length > 0
          ? `placeholder ${missing.map((m) => `${m} (${tokenText(source, m)})`).join(', ')} is missing`
          : `placeholder ${extra.join(', ')} appears more than once`,
    };
  }
  if (seenControls.join(',') !== source.controls.join(','))
    return {
      error: 'the condition placeholders ({% if %}, {% else %}, {% endif %}) are missing, repeated or reordered',
    };
  return { text };
}

function tokenText(source: Segmented, id: string): string {
  const code = source.codes.get(id);
  return code?.kind === 'token' ? code.text : id;
}

function apply(draft: Draft, compiled: CompiledTemplate, ref: UnitRef, locale: string, text: string): Draft {
  const content = draft.content[locale] ?? { slots: {} };
  if (ref.property === 'subject' || ref.property === 'preheader') {
    return { ...draft, content: { ...draft.content, [locale]: { ...content, [ref.property]: text } } };
  }
  const instanceId = ref.instanceId ?? '';
  const slot = ref.slot;
  if (!slot) return draft;
  // Links and images keep their href/src from the locale chain; only the words change.
  const chain = localeChain(compiled.template, draft, locale);
  const base =
    chain.map((l) => draft.content[l]?.slots[instanceId]?.[slot.def.id]).find((v) => v !== undefined) ??
    slot.def.default;
  let value: SlotValue;
  if (slot.def.kind === 'link') value = { href: (base as LinkValue | undefined)?.href ?? '', text };
  else if (slot.def.kind === 'image') value = { ...(base as ImageValue), alt: text };
  else value = text;
  const values = { ...(content.slots[instanceId] ?? {}), [slot.def.id]: value };
  return {
    ...draft,
    content: { ...draft.content, [locale]: { ...content, slots: { ...content.slots, [instanceId]: values } } },
  };
}
