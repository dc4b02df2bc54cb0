import {
  accessOf,
  effectiveLock,
  parseTokens,
  type Draft,
  type LockLevel,
  type SlotDef,
  type SlotValue,
  type Template,
  type TokenNode,
} from '@hubspoke/core';
import { Parser } from 'htmlparser2';
import type { DraftContext } from '../tasks/tasks.js';

/** One slot of one module instance, with its definition and its value in a locale. */
export interface SlotEntry {
  instanceId: string;
  moduleId: string;
  slotId: string;
  def: SlotDef;
  value: SlotValue | undefined;
  /** The lock that applies (the slot's, else its module's): core's `accessOf` says what a spoke may change. */
  lock: LockLevel;
}

/** Whether a spoke may change this property of the slot (core's lock table). */
export function canEditEntry(entry: SlotEntry, property: 'text' | 'alt'): boolean {
  return accessOf(entry.lock, property) === 'enabled';
}

/** Every declared slot of the draft's module instances, in module order, with its value in `locale`. */
export function slotEntries(draft: Draft, template: Template, locale: string): SlotEntry[] {
  const modules = new Map(template.modules.map((m) => [m.id, m]));
  const values = draft.content[locale]?.slots ?? {};
  return draft.modules.flatMap((instance) => {
    const def = modules.get(instance.moduleId);
    if (def === undefined) return [];
    return def.slots.map((slot) => ({
      instanceId: instance.instanceId,
      moduleId: instance.moduleId,
      slotId: slot.id,
      def: slot,
      value: values[instance.instanceId]?.[slot.id],
      lock: effectiveLock(slot, def),
    }));
  });
}

/** The visible text of an HTML fragment (entities decoded, script and style left out). */
export function htmlText(html: string): string {
  let text = '';
  let skip = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'script' || name === 'style') skip++;
        if (name === 'br' || name === 'p' || name === 'li') text += ' ';
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style') skip = Math.max(0, skip - 1);
      },
      ontext(data) {
        if (skip === 0) text += data;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return text.replace(/\s+/g, ' ').trim();
}

/** The readable text of a slot value: text as is, rich text without tags, a link's text. */
export function entryText(entry: SlotEntry): string | undefined {
  const { def, value } = entry;
  if (def.kind === 'text' && typeof value === 'string') return value;
  if (def.kind === 'richText' && typeof value === 'string') return htmlText(value);
  if (def.kind === 'link' && typeof value === 'object') return 'text' in value ? value.text : undefined;
  return undefined;
}

/** What a slot is for, guessed from its kind, id and label. */
export function slotRole(entry: SlotEntry): 'heading' | 'body' | 'cta' {
  if (entry.def.kind === 'link') return 'cta';
  const name = `${entry.slotId} ${entry.def.label ?? ''}`.toLowerCase();
  if (/cta|button|action/.test(name)) return 'cta';
  if (/head|title|hero/.test(name) && entry.def.kind === 'text') return 'heading';
  return 'body';
}

const MAX_CONTEXT = 2000;

/** Text every recipient sees: conditional blocks are left out, field tokens stay as written. */
export function unconditionalText(text: string): string {
  const visit = (nodes: readonly TokenNode[]): string =>
    nodes
      .map((node) =>
        node.type === 'text' ? node.value : node.type === 'field' ? text.slice(node.start, node.end) : '',
      )
      .join('');
  return visit(parseTokens(text).nodes).replace(/\s+/g, ' ').trim();
}

/** The draft's text in `locale` as task context: its first heading, body text, subject and preheader. */
export function draftContext(draft: Draft, template: Template, locale: string): DraftContext {
  const entries = slotEntries(draft, template, locale);
  const context: DraftContext = {};
  const headline = entries.find(
    (e) => slotRole(e) === 'heading' && typeof e.value === 'string' && e.value.trim() !== '',
  );
  if (typeof headline?.value === 'string') context.headline = unconditionalText(headline.value);
  const body = entries
    .filter(
      (e) =>
        e !== headline &&
        slotRole(e) === 'body' &&
        (e.def.kind === 'text' || e.def.kind === 'richText') &&
        e.def.translatable,
    )
    .map((e) => unconditionalText(entryText(e) ?? ''))
    .filter((t) => t !== '')
    .join(' \n')
    .slice(0, MAX_CONTEXT);
  if (body !== '') context.body = body;
  const content = draft.content[locale];
  if (content?.subject !== undefined && content.subject.trim() !== '') context.subject = content.subject;
  if (content?.preheader !== undefined && content.preheader.trim() !== '') context.preheader = content.preheader;
  return context;
}
