import type { Draft, ImageValue, LinkValue, Location, RenderedEmail, SlotDef, SlotSpan } from '@hubspoke/core';
import type { ImageRef, LinkRef, LintDocument, StyleDeclaration, TextUnit } from '../types.js';
import { walkHtml, type HtmlComment, type HtmlModel, type Spanned, type SyntaxIssue } from './html-walker.js';
import { locationKey, OffsetMap } from './source-text.js';
import type { TemplateInfo } from './template-info.js';

/** A comment found in some located text, for inline suppressions. */
export interface LocatedComment extends HtmlComment {
  readonly location: Location;
}

export interface BuiltDocument {
  readonly document: LintDocument;
  /** Every located text by `locationKey`, for line/column and for applying fixes. */
  readonly sources: Map<string, string>;
  readonly comments: LocatedComment[];
}

export interface BuildInput {
  readonly locale: string;
  readonly region: string | undefined;
  readonly draft: Draft | undefined;
  readonly rendered: RenderedEmail | undefined;
  readonly template: TemplateInfo | undefined;
  readonly file: string | undefined;
}

const HTML_LIKE = /<[a-z!/][^>]*>|&[#a-z0-9]+;/i;

function isImage(value: unknown): value is ImageValue {
  return typeof value === 'object' && value !== null && 'src' in value;
}
function isLink(value: unknown): value is LinkValue {
  return typeof value === 'object' && value !== null && 'href' in value;
}

function plainUnit(text: string, scopes: ReadonlySet<string>, location: Location): TextUnit {
  return { text, scopes, location, map: OffsetMap.identity(text.length), escape: 'none' };
}

function withFile(location: Location, file: string | undefined): Location {
  return file === undefined ? location : { ...location, file };
}

/** Builds what the rules see for one locale: extracted once, shared by every rule. */
export function buildDocument(input: BuildInput): BuiltDocument {
  const { locale, draft, rendered, template, file } = input;
  const units: TextUnit[] = [];
  const visual: TextUnit[] = [];
  const images: ImageRef[] = [];
  const links: LinkRef[] = [];
  const styles: StyleDeclaration[] = [];
  const hubText: TextUnit[] = [];
  const sources = new Map<string, string>();
  const comments: LocatedComment[] = [];
  const syntaxIssues: (SyntaxIssue & { location: Location })[] = [];
  const addSource = (location: Location, text: string) => sources.set(locationKey(location), text);
  const takeHtml = (model: HtmlModel, location: Location) => {
    for (const c of model.comments) comments.push({ ...c, location });
    for (const i of model.issues) syntaxIssues.push({ ...i, location });
  };

  const content = draft?.content[locale];
  const moduleOf = new Map(draft?.modules.map((m) => [m.instanceId, m.moduleId]) ?? []);
  const hidden = new Set(draft?.modules.filter((m) => m.hidden).map((m) => m.instanceId) ?? []);

  const slotScopes = (instanceId: string, slotId: string): Set<string> => {
    const scopes = new Set<string>([`slot:${slotId}`]);
    const moduleId = moduleOf.get(instanceId);
    if (moduleId !== undefined) {
      scopes.add(`module:${moduleId}`);
      const role = template?.role(moduleId, slotId);
      if (role !== undefined && role !== 'body') scopes.add(role);
    }
    return scopes;
  };

  if (draft !== undefined && content !== undefined) {
    for (const field of ['subject', 'preheader'] as const) {
      const value = content[field];
      if (value === undefined || value === '') continue;
      const location = withFile({ source: 'draft', locale, field }, file);
      addSource(location, value);
      units.push(plainUnit(value, new Set([field]), location));
    }
    for (const [instanceId, slots] of Object.entries(content.slots)) {
      if (hidden.has(instanceId)) continue;
      const moduleId = moduleOf.get(instanceId);
      for (const [slotId, value] of Object.entries(slots)) {
        const base: Location = withFile(
          { source: 'draft', locale, instanceId, slotId, ...(moduleId === undefined ? {} : { moduleId }) },
          file,
        );
        const scopes = slotScopes(instanceId, slotId);
        const def = moduleId === undefined ? undefined : template?.slot(moduleId, slotId);
        if (typeof value === 'string') {
          const kind = def?.kind ?? (HTML_LIKE.test(value) ? 'richText' : 'text');
          if (kind === 'color') {
            addSource(base, value);
            styles.push({
              property: 'color',
              value,
              scopes,
              ref: { location: base, start: 0, end: value.length, value, property: 'color' },
            });
          } else if (kind === 'richText') {
            addSource(base, value);
            const model = walkHtml(value, { location: base, scopes });
            takeHtml(model, base);
            if (rendered === undefined)
              visual.push(...model.units.map((u) => u.item).filter((u) => u.scopes.has('body')));
            units.push(...model.units.map((u) => u.item));
            images.push(...model.images.map((i) => i.item));
            links.push(...model.links.map((l) => l.item));
            styles.push(...model.styles.map((s) => s.item));
          } else if (kind === 'text') {
            addSource(base, value);
            scopes.add('body');
            units.push(plainUnit(value, scopes, base));
          }
        } else if (isImage(value)) {
          const altLocation: Location = { ...base, property: 'alt' };
          const alt = value.alt;
          addSource(altLocation, alt ?? '');
          addSource({ ...base, property: 'src' }, value.src);
          images.push({
            src: value.src,
            alt,
            width: value.width,
            height: value.height,
            assetId: value.assetId,
            linked: false,
            location: { ...base, property: 'src' },
            altTarget: { location: altLocation, start: 0, end: alt?.length ?? 0, escape: 'none' },
            srcTarget: { location: { ...base, property: 'src' }, start: 0, end: value.src.length, escape: 'none' },
          });
          if (alt !== undefined && alt.trim() !== '')
            units.push(plainUnit(alt, new Set([...scopes, 'alt']), altLocation));
        } else if (isLink(value)) {
          const textLocation: Location = { ...base, property: 'text' };
          const hrefLocation: Location = { ...base, property: 'href' };
          addSource(textLocation, value.text);
          addSource(hrefLocation, value.href);
          if (value.text.trim() !== '') units.push(plainUnit(value.text, new Set([...scopes, 'body']), textLocation));
          if (value.href.trim() !== '')
            units.push(plainUnit(value.href, new Set([...scopes, 'link.href']), hrefLocation));
          links.push({
            href: value.href,
            text: value.text,
            location: hrefLocation,
            hrefTarget: { location: hrefLocation, start: 0, end: value.href.length, escape: 'none' },
            scopes,
          });
        }
      }
    }
    if (template !== undefined) {
      for (const instance of draft.modules) {
        if (instance.hidden) continue;
        const role = template.role(instance.moduleId, undefined);
        const scopes = new Set(['body', `module:${instance.moduleId}`, ...(role === 'body' ? [] : [role])]);
        for (const text of template.hubText(instance.moduleId)) {
          hubText.push(
            plainUnit(text, scopes, {
              source: 'template',
              moduleId: instance.moduleId,
              instanceId: instance.instanceId,
            }),
          );
        }
        // A slot the draft leaves empty renders the hub's default: that text is hub-owned too.
        const filled = content.slots[instance.instanceId] ?? {};
        for (const slot of template.module(instance.moduleId)?.slots ?? []) {
          if (Object.hasOwn(filled, slot.id)) continue;
          const text = defaultText(slot);
          if (text === undefined) continue;
          const slotScopes = new Set([...scopes, `slot:${slot.id}`]);
          hubText.push(
            plainUnit(text, slotScopes, {
              source: 'template',
              moduleId: instance.moduleId,
              instanceId: instance.instanceId,
              slotId: slot.id,
            }),
          );
        }
      }
    }
  }

  const haveDraft = content !== undefined;
  let plainText: string | undefined;
  if (rendered?.locale === locale) {
    plainText = rendered.text;
    const location = withFile({ source: 'html', locale }, file);
    addSource(location, rendered.html);
    const spans = rendered.slotSpans ?? [];
    const spanContext = (span: SlotSpan) => {
      const scopes = slotScopes(span.instanceId, span.slotId);
      const moduleId = moduleOf.get(span.instanceId);
      return {
        scopes: [...scopes],
        location: {
          instanceId: span.instanceId,
          slotId: span.slotId,
          ...(moduleId === undefined ? {} : { moduleId }),
          ...(span.property === undefined ? {} : { property: span.property }),
        },
      };
    };
    const model = walkHtml(rendered.html, { location, scopes: new Set(), spans, spanContext });
    takeHtml(model, location);
    const keep = <T>(items: Spanned<T>[]): T[] => {
      if (!haveDraft) return items.map((i) => i.item);
      if (spans.length === 0) return [];
      return items.filter((i) => i.span === undefined).map((i) => i.item);
    };
    for (const u of model.units) if (u.item.segments !== undefined) visual.push(u.item);
    if (!haveDraft) {
      units.push(...model.units.map((u) => u.item));
      for (const field of ['subject', 'preheader'] as const) {
        const value = rendered[field];
        if (value === '') continue;
        const fieldLocation = withFile({ source: 'html', locale, field }, file);
        addSource(fieldLocation, value);
        units.push(plainUnit(value, new Set([field]), fieldLocation));
      }
    } else if (spans.length > 0) {
      hubText.push(...model.units.filter((u) => u.span === undefined && u.item.scopes.has('body')).map((u) => u.item));
    }
    images.push(...keep(model.images));
    links.push(...keep(model.links));
    styles.push(...(haveDraft && spans.length === 0 ? model.styles.map((s) => s.item) : keep(model.styles)));
  }

  return {
    document: {
      locale,
      region: input.region,
      units,
      visual,
      images,
      links,
      styles,
      hubText,
      plainText,
      syntaxIssues: syntaxIssues.map((i) => ({
        message: i.message,
        location: { ...i.location, start: i.start, end: i.end },
      })),
    },
    sources,
    comments,
  };
}

/** The visible text of a slot's default value (tags of rich text removed). */
function defaultText(slot: SlotDef): string | undefined {
  switch (slot.kind) {
    case 'text':
      return slot.default;
    case 'richText':
      return slot.default
        ?.replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    case 'link':
      return slot.default?.text;
    case 'image':
    case 'color':
    case 'boolean':
    case 'list':
      return undefined;
  }
}
