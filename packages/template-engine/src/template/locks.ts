import type { LockLevel, ModuleDef, PropertyAccess, SlotDef, SlotKind } from '@hubspoke/core';
import type { Parsed } from './attributes.js';

/** The properties a spoke may be allowed to change, per slot kind. */
export const SLOT_PROPERTIES = {
  text: ['text'],
  richText: ['text'],
  image: ['src', 'alt', 'width', 'height'],
  link: ['href', 'text'],
  color: ['color'],
  boolean: ['visible'],
  list: ['value'],
} as const satisfies Record<SlotKind, readonly string[]>;

export type SlotProperty = (typeof SLOT_PROPERTIES)[SlotKind][number];

/** Properties `textOnly` leaves editable: the words, never the addresses, sources or design. */
const TEXT_PROPERTIES: ReadonlySet<string> = new Set(['text', 'alt']);

/** How a lock level treats one property. `custom` leaves unlisted properties locked. */
export function accessOf(lock: LockLevel, property: string): PropertyAccess {
  if (lock === 'locked') return 'locked';
  if (lock === 'editable') return 'enabled';
  if (lock === 'textOnly') return TEXT_PROPERTIES.has(property) ? 'enabled' : 'locked';
  return lock.custom[property] ?? 'locked';
}

/** The lock that applies to a slot: its own, else its module's. */
export function effectiveLock(slot: SlotDef, module: ModuleDef): LockLevel {
  return slot.lock ?? module.lock;
}

export function canEdit(slot: SlotDef, module: ModuleDef, property: string): boolean {
  return accessOf(effectiveLock(slot, module), property) === 'enabled';
}

/** Properties a slot's own lock enables but its module's lock does not. */
export function morePermissiveThanModule(slot: SlotDef, moduleLock: LockLevel): string[] {
  if (slot.lock === undefined) return [];
  const own = slot.lock;
  return SLOT_PROPERTIES[slot.kind].filter(
    (p) => accessOf(own, p) === 'enabled' && accessOf(moduleLock, p) !== 'enabled',
  );
}

/** Parses the `hs-lock` attribute: `locked`, `editable`, `textOnly` or `custom(href: locked, text: enabled)`. */
export function parseLockAttribute(value: string): Parsed<LockLevel> {
  const trimmed = value.trim();
  if (trimmed === 'locked' || trimmed === 'editable' || trimmed === 'textOnly') return { ok: true, value: trimmed };
  const custom = /^custom\s*\((.*)\)$/s.exec(trimmed);
  if (!custom)
    return {
      ok: false,
      error: `expected locked, editable, textOnly or custom(property: enabled|locked|hidden, …), got "${value}"`,
    };
  const entries: Record<string, PropertyAccess> = {};
  for (const part of (custom[1] ?? '').split(',')) {
    if (part.trim() === '') continue;
    const m = /^\s*([a-z][a-zA-Z]*)\s*:\s*(enabled|locked|hidden)\s*$/.exec(part);
    if (!m?.[1] || !m[2])
      return { ok: false, error: `expected "property: enabled|locked|hidden" in custom(…), got "${part.trim()}"` };
    entries[m[1]] = m[2] as PropertyAccess;
  }
  return { ok: true, value: { custom: entries } };
}
