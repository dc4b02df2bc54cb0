import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotDefSchema, type LockLevel } from '../schemas/template.js';
import {
  SLOT_PROPERTIES,
  accessOf,
  canEdit,
  editableProperties,
  effectiveLock,
  lockedChanges,
  matchesKind,
  slotProperty,
} from './locks.js';

const image = SlotDefSchema.parse({
  id: 'pic',
  kind: 'image',
  default: { src: 'https://cdn.example.com/a.png', alt: 'A', width: 600 },
});
const link = SlotDefSchema.parse({ id: 'cta', kind: 'link', default: { href: 'https://example.com', text: 'Go' } });

describe('accessOf', () => {
  it('reads each lock level, and custom leaves unlisted properties locked', () => {
    expect(accessOf('locked', 'text')).toBe('locked');
    expect(accessOf('editable', 'href')).toBe('enabled');
    expect(['text', 'alt', 'src', 'href', 'color'].map((p) => accessOf('textOnly', p))).toEqual([
      'enabled',
      'enabled',
      'locked',
      'locked',
      'locked',
    ]);
    expect(accessOf({ custom: { href: 'hidden', text: 'enabled' } }, 'href')).toBe('hidden');
    expect(accessOf({ custom: { text: 'enabled' } }, 'href')).toBe('locked');
    expect(accessOf({ custom: {} }, 'constructor')).toBe('locked');
  });

  it('takes the slot lock over the module lock', () => {
    expect(effectiveLock({ lock: 'textOnly' }, { lock: 'locked' })).toBe('textOnly');
    expect(effectiveLock({}, { lock: 'locked' })).toBe('locked');
    expect(canEdit({}, { lock: 'textOnly' }, 'alt')).toBe(true);
    expect(canEdit({ lock: { custom: { src: 'enabled' } } }, { lock: 'editable' }, 'alt')).toBe(false);
  });
});

describe('lockedChanges', () => {
  it('names changed properties the lock keeps, ignoring omitted ones and unchanged ones', () => {
    expect(lockedChanges(image, 'textOnly', { src: 'https://cdn.example.com/b.png', alt: 'B' })).toEqual(['src']);
    expect(lockedChanges(image, 'textOnly', { src: 'https://cdn.example.com/a.png' })).toEqual([]);
    expect(lockedChanges(image, 'locked', { src: 'https://cdn.example.com/a.png', width: 300 })).toEqual(['width']);
    expect(lockedChanges(link, { custom: { text: 'enabled' } }, { href: 'https://evil.example', text: 'x' })).toEqual([
      'href',
    ]);
    expect(lockedChanges(link, 'locked', 'not a link')).toEqual([]);
  });

  it('treats a scalar slot as its one property', () => {
    const flag = SlotDefSchema.parse({ id: 'show', kind: 'boolean', default: true });
    expect(lockedChanges(flag, 'textOnly', false)).toEqual(['visible']);
    expect(lockedChanges(flag, 'textOnly', true)).toEqual([]);
    expect(slotProperty(flag, false, 'visible')).toBe(false);
  });

  it('never reports an editable property, and reports every locked one that differs (property)', () => {
    const lock: fc.Arbitrary<LockLevel> = fc.oneof(
      fc.constantFrom<LockLevel>('locked', 'editable', 'textOnly'),
      fc
        .dictionary(
          fc.constantFrom('src', 'alt', 'width', 'height', 'href', 'text'),
          fc.constantFrom('enabled', 'locked', 'hidden' as const),
        )
        .map((custom) => ({ custom })),
    );
    const value = fc.record({
      src: fc.constantFrom('https://cdn.example.com/a.png', 'https://cdn.example.com/b.png'),
      alt: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
      width: fc.option(fc.constantFrom(600, 300), { nil: undefined }),
    });
    fc.assert(
      fc.property(lock, value, (l, raw) => {
        const v = Object.fromEntries(Object.entries(raw).filter(([, x]) => x !== undefined)) as { src: string };
        const changes: string[] = lockedChanges(image, l, v);
        for (const p of SLOT_PROPERTIES.image) {
          const differs =
            slotProperty(image, v, p) !== undefined &&
            slotProperty(image, v, p) !== slotProperty(image, image.default, p);
          expect(changes.includes(p)).toBe(differs && accessOf(l, p) !== 'enabled');
        }
        const editable: string[] = editableProperties(image, l);
        expect(changes.some((p) => editable.includes(p))).toBe(false);
      }),
    );
  });

  it('checks value shapes per kind', () => {
    expect(matchesKind(image, { src: 'x' })).toBe(true);
    expect(matchesKind(image, { href: 'x', text: 'y' })).toBe(false);
    expect(matchesKind(link, 'x')).toBe(false);
  });
});
