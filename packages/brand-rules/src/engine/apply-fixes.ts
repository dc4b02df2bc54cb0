import {
  emailContentHash,
  type Diagnostic,
  type Draft,
  type Location,
  type RenderedEmail,
  type TextEdit,
} from '@hubspoke/core';
import { locationKey } from '../document/source-text.js';

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Touching is fine, except two insertions at one point (their order would be arbitrary).
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/**
 * Applies fixes (each a list of edits, applied all or none) to `text`, in order of position;
 * a fix overlapping one already taken waits for the next pass.
 */
export function applyEdits(
  text: string,
  fixes: readonly (readonly TextEdit[])[],
): { text: string; applied: TextEdit[] } {
  const sorted = [...fixes].sort((a, b) => (a[0]?.start ?? 0) - (b[0]?.start ?? 0));
  const applied: TextEdit[] = [];
  for (const fix of sorted) {
    const valid = fix.every((e) => e.start <= e.end && e.end <= text.length);
    if (!valid || fix.some((e) => applied.some((taken) => overlaps(e, taken)))) continue;
    applied.push(...fix);
  }
  applied.sort((a, b) => a.start - b.start);
  let out = text;
  for (let i = applied.length - 1; i >= 0; i--) {
    const e = applied[i];
    if (e === undefined) continue;
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return { text: out, applied };
}

export interface Fixable {
  draft: Draft | undefined;
  rendered: RenderedEmail[];
}

function readText(target: Fixable, location: Location): string | undefined {
  if (location.source === 'draft') {
    const content = target.draft?.content[location.locale ?? ''];
    if (content === undefined) return undefined;
    if (location.field === 'subject' || location.field === 'preheader') return content[location.field];
    const value = content.slots[location.instanceId ?? '']?.[location.slotId ?? ''];
    if (typeof value === 'string') return location.property === undefined ? value : undefined;
    if (typeof value !== 'object') return undefined;
    if ('href' in value)
      return location.property === 'href' ? value.href : location.property === 'text' ? value.text : undefined;
    return location.property === 'alt' ? (value.alt ?? '') : location.property === 'src' ? value.src : undefined;
  }
  const email = target.rendered.find((r) => r.locale === location.locale);
  if (email === undefined) return undefined;
  if (location.field === 'subject' || location.field === 'preheader') return email[location.field];
  return location.source === 'html' ? email.html : undefined;
}

function writeText(target: Fixable, location: Location, text: string, edits: readonly TextEdit[]): void {
  if (location.source === 'draft') {
    const content = target.draft?.content[location.locale ?? ''];
    if (content === undefined) return;
    if (location.field === 'subject' || location.field === 'preheader') {
      content[location.field] = text;
      return;
    }
    const slots = content.slots[location.instanceId ?? ''];
    const slotId = location.slotId ?? '';
    const value = slots?.[slotId];
    if (slots === undefined || value === undefined) return;
    if (typeof value === 'string') slots[slotId] = text;
    else if (typeof value === 'object' && 'href' in value)
      slots[slotId] = location.property === 'href' ? { ...value, href: text } : { ...value, text };
    else if (typeof value === 'object')
      slots[slotId] = location.property === 'alt' ? { ...value, alt: text } : { ...value, src: text };
    return;
  }
  const index = target.rendered.findIndex((r) => r.locale === location.locale);
  const email = target.rendered[index];
  if (email === undefined) return;
  if (location.field === 'subject' || location.field === 'preheader') {
    target.rendered[index] = rehash({ ...email, [location.field]: text });
    return;
  }
  target.rendered[index] = rehash({
    ...email,
    html: text,
    ...(email.slotSpans === undefined ? {} : { slotSpans: shiftSpans(email.slotSpans, edits) }),
  });
}

/** Keeps slot spans on the same content after edits before or inside them. */
function shiftSpans(
  spans: NonNullable<RenderedEmail['slotSpans']>,
  edits: readonly TextEdit[],
): NonNullable<RenderedEmail['slotSpans']> {
  const moved = (offset: number, isEnd: boolean): number => {
    let delta = 0;
    for (const e of edits) {
      const grow = e.text.length - (e.end - e.start);
      if (e.end < offset || (e.end === offset && (isEnd || e.start < offset))) delta += grow;
    }
    return offset + delta;
  };
  return spans.map((s) => ({ ...s, start: moved(s.start, false), end: moved(s.end, true) }));
}

const utf8 = new TextEncoder();

function rehash(email: RenderedEmail): RenderedEmail {
  return { ...email, bytes: utf8.encode(email.html).length, contentHash: emailContentHash(email) };
}

/** Applies every diagnostic's safe `fix` to a copy of the inputs; returns how many edits went in. */
export function applyFixes(diagnostics: readonly Diagnostic[], target: Fixable): { fixed: Fixable; applied: number } {
  const groups = new Map<string, { location: Location; edits: TextEdit[][] }>();
  for (const d of diagnostics) {
    if (d.fix === undefined) continue;
    const location = d.fix.location ?? d.location;
    const key = locationKey(location);
    const group = groups.get(key) ?? { location, edits: [] };
    group.edits.push(d.fix.edits);
    groups.set(key, group);
  }
  if (groups.size === 0) return { fixed: target, applied: 0 };
  const fixed: Fixable = {
    draft: target.draft === undefined ? undefined : structuredClone(target.draft),
    rendered: target.rendered.map((r) => structuredClone(r)),
  };
  let applied = 0;
  for (const { location, edits } of groups.values()) {
    const text = readText(fixed, location);
    if (text === undefined) continue;
    const result = applyEdits(text, edits);
    if (result.applied.length === 0) continue;
    writeText(fixed, location, result.text, result.applied);
    applied += result.applied.length;
  }
  return { fixed, applied };
}
