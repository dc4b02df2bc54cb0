import { SLOT_PROPERTIES, accessOf, type LockLevel, type PropertyAccess, type SlotDef } from '@hubspoke/core';
import type { Parsed } from './attributes.js';

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
