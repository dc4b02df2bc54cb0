import type { LockLevel, ModuleDef, PropertyAccess, SlotDef, SlotKind, SlotValue } from '../schemas/template.js';

/** The properties a lock governs, per slot kind: what `custom(…)` may name and what a spoke may change. */
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

/** Whether a property holds words (`text`, `alt`) rather than an address, a source or design. */
export function isTextProperty(property: string): boolean {
  return TEXT_PROPERTIES.has(property);
}

/** How a lock level treats one property. `custom` leaves unlisted properties locked. */
export function accessOf(lock: LockLevel, property: string): PropertyAccess {
  if (lock === 'locked') return 'locked';
  if (lock === 'editable') return 'enabled';
  if (lock === 'textOnly') return TEXT_PROPERTIES.has(property) ? 'enabled' : 'locked';
  return Object.hasOwn(lock.custom, property) ? (lock.custom[property] ?? 'locked') : 'locked';
}

/** The lock that applies to a slot: its own, else its module's. */
export function effectiveLock(slot: Pick<SlotDef, 'lock'>, module: Pick<ModuleDef, 'lock'>): LockLevel {
  return slot.lock ?? module.lock;
}

/** Whether a spoke may change `property` of `slot` in `module`. */
export function canEdit(slot: Pick<SlotDef, 'lock'>, module: Pick<ModuleDef, 'lock'>, property: string): boolean {
  return accessOf(effectiveLock(slot, module), property) === 'enabled';
}

/** A value of the right shape for a slot kind. */
export function matchesKind(def: Pick<SlotDef, 'kind'>, value: SlotValue): boolean {
  switch (def.kind) {
    case 'text':
    case 'richText':
    case 'color':
    case 'list':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'image':
      return typeof value === 'object' && 'src' in value;
    case 'link':
      return typeof value === 'object' && 'href' in value;
  }
}

/** One property of a slot value: an image's or link's field, else the value itself. */
export function slotProperty(def: Pick<SlotDef, 'kind'>, value: SlotValue | undefined, property: string): unknown {
  if (value === undefined) return undefined;
  if (def.kind === 'image' || def.kind === 'link') {
    return typeof value === 'object' && Object.hasOwn(value, property)
      ? (value as Record<string, unknown>)[property]
      : undefined;
  }
  return value;
}

/**
 * The properties of `value` a spoke changed although `lock` does not let them: those that differ
 * from the slot's default. Leaving a property out is not a change (the default fills it), and a
 * value of the wrong shape changes nothing (it is ignored where it is used).
 */
export function lockedChanges(def: SlotDef, lock: LockLevel, value: SlotValue | undefined): SlotProperty[] {
  if (value === undefined || !matchesKind(def, value)) return [];
  const fallback = def.default;
  return SLOT_PROPERTIES[def.kind].filter((p) => {
    if (accessOf(lock, p) === 'enabled') return false;
    const given = slotProperty(def, value, p);
    return given !== undefined && given !== slotProperty(def, fallback, p);
  });
}

/** The properties of a slot a spoke may change under `lock`. */
export function editableProperties(def: Pick<SlotDef, 'kind'>, lock: LockLevel): SlotProperty[] {
  return SLOT_PROPERTIES[def.kind].filter((p) => accessOf(lock, p) === 'enabled');
}
