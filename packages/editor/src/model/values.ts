import type { Draft, Fix, ImageValue, LinkValue, Location, SlotDef, SlotValue, Template } from '@hubspoke/core';
import { localeChain } from '@hubspoke/template-engine/fill';

/** A slot's value as the editor shows it in one locale: its own, inherited through the fallback chain, or the template's default. */
export interface ShownValue {
  value: SlotValue | undefined;
  /** The locale the value comes from; `undefined` for the template's default. */
  from: string | undefined;
  /** True when the locale has a value of its own. */
  own: boolean;
}

export function slotValueIn(
  template: Template,
  draft: Draft,
  locale: string,
  instanceId: string,
  slot: SlotDef,
): ShownValue {
  const translatable = !('translatable' in slot) || slot.translatable;
  const chain = translatable ? localeChain(template, draft, locale) : [draft.defaultLocale];
  for (const l of chain) {
    const value = draft.content[l]?.slots[instanceId]?.[slot.id];
    if (value !== undefined) return { value, from: l, own: l === locale };
  }
  return { value: slot.default, from: undefined, own: false };
}

export function fieldValueIn(
  template: Template,
  draft: Draft,
  locale: string,
  field: 'subject' | 'preheader',
): { value: string; from: string | undefined; own: boolean } {
  for (const l of localeChain(template, draft, locale)) {
    const value = draft.content[l]?.[field];
    if (value !== undefined) return { value, from: l, own: l === locale };
  }
  return { value: template[field].default ?? '', from: undefined, own: false };
}

/** The draft with one slot value set (or cleared with `undefined`) in one locale. */
export function withSlot(
  draft: Draft,
  locale: string,
  instanceId: string,
  slotId: string,
  value: SlotValue | undefined,
): Draft {
  const content = draft.content[locale] ?? { slots: {} };
  const { [slotId]: _previous, ...values } = content.slots[instanceId] ?? {};
  if (value !== undefined) values[slotId] = value;
  const { [instanceId]: _instance, ...others } = content.slots;
  const slots = Object.keys(values).length === 0 ? others : { ...others, [instanceId]: values };
  return { ...draft, content: { ...draft.content, [locale]: { ...content, slots } } };
}

export function withField(
  draft: Draft,
  locale: string,
  field: 'subject' | 'preheader',
  value: string | undefined,
): Draft {
  const { [field]: _previous, ...rest } = draft.content[locale] ?? { slots: {} };
  return {
    ...draft,
    content: { ...draft.content, [locale]: value === undefined ? rest : { ...rest, [field]: value } },
  };
}

/** Applies text edits (`start`/`end` into the original) from the last to the first. */
export function applyEdits(text: string, edits: Fix['edits']): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The text a fix edits, read from the draft as it stands (undefined: not something the editor can change). */
export function fixTarget(
  template: Template,
  draft: Draft,
  location: Location,
): { read: string; write: (text: string) => Draft } | undefined {
  const locale = location.locale ?? draft.defaultLocale;
  if (location.field === 'subject' || location.field === 'preheader') {
    const field = location.field;
    const read = fieldValueIn(template, draft, locale, field).value;
    return { read, write: (text) => withField(draft, locale, field, text) };
  }
  const { instanceId, slotId } = location;
  if (instanceId === undefined || slotId === undefined || location.source === 'html') return undefined;
  const moduleId = draft.modules.find((m) => m.instanceId === instanceId)?.moduleId;
  const slot = template.modules.find((m) => m.id === moduleId)?.slots.find((s) => s.id === slotId);
  if (!slot) return undefined;
  const { value } = slotValueIn(template, draft, locale, instanceId, slot);
  const set = (v: SlotValue) => withSlot(draft, locale, instanceId, slotId, v);
  if (typeof value === 'string') return { read: value, write: set };
  if (slot.kind === 'link') {
    const link: LinkValue = (value as LinkValue | undefined) ?? { href: '', text: '' };
    const property = location.property === 'href' ? 'href' : 'text';
    return { read: link[property], write: (text) => set({ ...link, [property]: text }) };
  }
  if (slot.kind === 'image' && value !== undefined && typeof value === 'object' && 'src' in value) {
    const image: ImageValue = value;
    const property = location.property === 'src' ? 'src' : 'alt';
    return { read: image[property] ?? '', write: (text) => set({ ...image, [property]: text }) };
  }
  return undefined;
}

/** The draft with a diagnostic's fix applied, or undefined when the fix edits something outside the draft. */
export function applyFix(template: Template, draft: Draft, fallback: Location, fix: Fix): Draft | undefined {
  const target = fixTarget(template, draft, fix.location ?? fallback);
  if (!target) return undefined;
  return target.write(applyEdits(target.read, fix.edits));
}
