import {
  SLOT_PROPERTIES,
  accessOf,
  lockedChanges,
  slotProperty,
  type LockLevel,
  type SlotDef,
  type SlotValue,
} from '@hubspoke/core';

export function expectedShape(def: SlotDef): string {
  switch (def.kind) {
    case 'image':
      return 'an image { src, alt }';
    case 'link':
      return 'a link { href, text }';
    case 'boolean':
      return 'true or false';
    case 'text':
    case 'richText':
    case 'color':
    case 'list':
      return 'a string';
  }
}

export interface MergedValue {
  value: SlotValue | undefined;
  /** Properties the spoke changed although the lock does not allow it (their default was kept). */
  lockedChanges: string[];
  /** Properties whose value is the template's default (hub-authored, rendered as written). */
  fromDefault: readonly string[];
}

const lockedByName: Record<SlotDef['kind'], Map<string, readonly string[]>> = {
  text: new Map(),
  richText: new Map(),
  image: new Map(),
  link: new Map(),
  color: new Map(),
  boolean: new Map(),
  list: new Map(),
};

/** The properties of a slot kind that `lock` does not leave editable (memoized for the named locks: every render asks per slot). */
function lockedProperties(kind: SlotDef['kind'], lock: LockLevel): readonly string[] {
  const byKind = typeof lock === 'string' ? lockedByName[kind] : undefined;
  let locked = byKind?.get(lock as string);
  if (!locked) {
    locked = Object.freeze(SLOT_PROPERTIES[kind].filter((p) => accessOf(lock, p) !== 'enabled'));
    byKind?.set(lock as string, locked);
  }
  return locked;
}

/**
 * The value a slot renders with: the spoke's value for properties the lock leaves editable and
 * the template default for the rest. A locked change is never rendered, whatever validation said.
 */
export function mergeWithLocks(def: SlotDef, lock: LockLevel, spoke: SlotValue | undefined): MergedValue {
  const fallback = def.default as SlotValue | undefined;
  const properties = SLOT_PROPERTIES[def.kind];
  if (spoke === undefined) return { value: fallback, lockedChanges: [], fromDefault: properties };
  const locked = lockedProperties(def.kind, lock);
  // With nothing locked there is no locked change to find.
  const changes = locked.length === 0 ? [] : lockedChanges(def, lock, spoke);
  if (locked.length === 0) return { value: spoke, lockedChanges: changes, fromDefault: [] };
  if (locked.length === properties.length) return { value: fallback, lockedChanges: changes, fromDefault: properties };
  // Image or link with some properties locked: take those from the default.
  const merged = Object.entries(spoke as object).filter(([p]) => !locked.includes(p));
  for (const p of locked) {
    const d = slotProperty(def, fallback, p);
    if (d !== undefined) merged.push([p, d]);
  }
  return { value: Object.fromEntries(merged) as SlotValue, lockedChanges: changes, fromDefault: locked };
}

/** Length in Unicode code points (what a person counts), not UTF-16 units. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n += 1;
  }
  return n;
}
