import {
  BrandKitSchema,
  DraftSchema,
  TemplateSchema,
  type DraftInput,
  type LockLevel,
  type SlotValue,
  type TemplateInput,
} from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lockVerdicts } from './agreement.js';

const kit = BrandKitSchema.parse({ id: 'acme', name: 'Acme', palette: [{ name: 'Ink', hex: '#112233' }] });

/** One slot of every kind, with the MJML element each binds to and a default and a changed value per property. */
const SLOTS = [
  { id: 't', kind: 'text', mjml: '<mj-text hs-slot="t">Hello</mj-text>', default: 'Hello', other: 'Hi there' },
  {
    id: 'r',
    kind: 'richText',
    mjml: '<mj-text hs-slot="r"><p>Rich</p></mj-text>',
    default: '<p>Rich</p>',
    other: '<p>Poor</p>',
  },
  {
    id: 'i',
    kind: 'image',
    mjml: '<mj-image hs-slot="i" src="https://cdn.example.com/a.png" />',
    default: { src: 'https://cdn.example.com/a.png', alt: 'A', width: 600, height: 300 },
    other: { src: 'https://cdn.example.com/b.png', alt: 'B', width: 300, height: 150 },
  },
  {
    id: 'l',
    kind: 'link',
    mjml: '<mj-button hs-slot="l" href="https://example.com">Go</mj-button>',
    default: { href: 'https://example.com', text: 'Go' },
    other: { href: 'https://example.com/other', text: 'Leave' },
  },
  {
    id: 'c',
    kind: 'color',
    mjml: '<mj-text hs-slot="c" hs-attr="color">x</mj-text>',
    default: '#112233',
    other: '#112234',
  },
  { id: 'b', kind: 'boolean', mjml: '<mj-text hs-slot="b">flag</mj-text>', default: true, other: false },
  {
    id: 's',
    kind: 'list',
    mjml: '<mj-text hs-slot="s" hs-attr="align">list</mj-text>',
    default: 'left',
    other: 'right',
    options: ['left', 'right'],
  },
] as const;

const PROPERTIES = ['text', 'src', 'alt', 'width', 'height', 'href', 'color', 'visible', 'value', 'constructor'];

const lock: fc.Arbitrary<LockLevel> = fc.oneof(
  fc.constantFrom<LockLevel>('locked', 'editable', 'textOnly'),
  fc
    .dictionary(
      fc.constantFrom(...PROPERTIES),
      fc.constantFrom('enabled' as const, 'locked' as const, 'hidden' as const),
    )
    .map((custom) => ({ custom })),
);

type Choice = 'omit' | 'default' | 'other' | 'wrong';
const choice = fc.constantFrom<Choice>('omit', 'default', 'other', 'other', 'wrong');

/** A slot value built property by property from the choices: omitted, the default, another value. */
function valueOf(slot: (typeof SLOTS)[number], picks: Choice[]): SlotValue | undefined {
  const [first = 'omit'] = picks;
  if (first === 'wrong')
    return slot.kind === 'boolean' ? 'yes' : slot.kind === 'image' || slot.kind === 'link' ? 'x' : true;
  if (typeof slot.default !== 'object')
    return first === 'omit' ? undefined : first === 'default' ? slot.default : slot.other;
  if (first === 'omit') return undefined;
  const out: Record<string, unknown> = {};
  Object.keys(slot.default).forEach((p, i) => {
    const pick = picks[i + 1] ?? 'default';
    // An image needs its src and a link its href and text for the value to have its kind.
    const required = p === 'src' || (slot.kind === 'link' && (p === 'href' || p === 'text'));
    if (pick === 'omit' && !required) return;
    out[p] =
      pick === 'other' ? (slot.other as Record<string, unknown>)[p] : (slot.default as Record<string, unknown>)[p];
  });
  return out as SlotValue;
}

/** Written apart from core: did the spoke change this property away from the default? */
function differs(slot: (typeof SLOTS)[number], value: SlotValue | undefined, property: string): boolean {
  if (value === undefined) return false;
  if (typeof slot.default !== 'object') return typeof value === typeof slot.default && value !== slot.default;
  if (typeof value !== 'object') return false;
  const given = (value as Record<string, unknown>)[property];
  return given !== undefined && given !== (slot.default as Record<string, unknown>)[property];
}

function hasWords(slot: (typeof SLOTS)[number], value: SlotValue | undefined, property: string): boolean {
  if (typeof value === 'string') return (slot.kind === 'text' || slot.kind === 'richText') && value.trim() !== '';
  if (typeof value !== 'object') return false;
  const words = (value as Record<string, unknown>)[property];
  return typeof words === 'string' && words.trim() !== '';
}

const moduleArb = fc.record({
  lock,
  slotLocks: fc.array(fc.option(lock, { nil: undefined }), { minLength: SLOTS.length, maxLength: SLOTS.length }),
});

const scenario = fc.record({
  modules: fc.array(moduleArb, { minLength: 1, maxLength: 3 }),
  picks: fc.array(
    fc.array(fc.array(choice, { minLength: 5, maxLength: 5 }), { minLength: SLOTS.length, maxLength: SLOTS.length }),
    {
      minLength: 6,
      maxLength: 6,
    },
  ),
  second: fc.boolean(),
});

describe('one lock table, three libraries', () => {
  it('template engine, brand linter and assist agree on every slot property (property)', () => {
    const seen = { flagged: 0, offered: 0, withheld: 0 };
    fc.assert(
      fc.property(scenario, ({ modules, picks, second }) => {
        const templateInput: TemplateInput = {
          id: 'tpl',
          version: 1,
          name: 'Generated',
          modules: modules.map((m, mi) => ({
            id: `m${mi}`,
            name: `Module ${mi}`,
            lock: m.lock,
            occurs: { min: 0, max: 2 },
            mjml: `<mj-section><mj-column>${SLOTS.map((s) => s.mjml).join('')}</mj-column></mj-section>`,
            slots: SLOTS.map((s, si) => ({
              id: s.id,
              kind: s.kind,
              default: s.default,
              ...('options' in s ? { options: [...s.options] } : {}),
              ...(m.slotLocks[si] === undefined ? {} : { lock: m.slotLocks[si] }),
            })),
          })) as TemplateInput['modules'],
        };
        const template = TemplateSchema.parse(templateInput);
        const instances = template.modules.map((m, mi) => ({ instanceId: `i${mi}`, moduleId: m.id }));
        const locales = second ? ['en', 'de'] : ['en'];
        const content: DraftInput['content'] = {};
        locales.forEach((locale, li) => {
          const slots: Record<string, Record<string, SlotValue>> = {};
          instances.forEach((instance, mi) => {
            const values: Record<string, SlotValue> = {};
            SLOTS.forEach((slot, si) => {
              const value = valueOf(slot, picks[(mi * 2 + li) % picks.length]?.[si] ?? []);
              if (value !== undefined) values[slot.id] = value;
            });
            slots[instance.instanceId] = values;
          });
          content[locale] = { slots };
        });
        const draft = DraftSchema.parse({
          id: 'd',
          name: 'Draft',
          template: { id: 'tpl', version: 1 },
          author: 'lena@example.com',
          defaultLocale: 'en',
          modules: instances,
          content,
        });

        for (const v of lockVerdicts(template, draft, kit)) {
          const [locale = '', instanceId = '', slotId = '', property = ''] = v.key.split('/');
          const slot = SLOTS.find((s) => s.id === slotId);
          if (slot === undefined) throw new Error(`no slot ${slotId}`);
          const value = draft.content[locale]?.slots[instanceId]?.[slotId];
          expect(v.linter, `${v.key}: linter vs engine`).toBe(v.engine);
          if (v.engine) seen.flagged++;
          if (v.assist === true) seen.offered++;
          if (v.assist === false && hasWords(slot, value, property)) seen.withheld++;
          expect(v.engine, `${v.key}: engine`).toBe(differs(slot, value, property) && !v.editable);
          if (v.assist !== undefined) {
            const words = hasWords(slot, value, property);
            expect(v.assist, `${v.key}: assist`).toBe(words && v.editable);
          }
        }
      }),
      { numRuns: 150 },
    );
    // The generator reaches every outcome: locked changes, offered words and words held back.
    expect(seen.flagged).toBeGreaterThan(100);
    expect(seen.offered).toBeGreaterThan(100);
    expect(seen.withheld).toBeGreaterThan(100);
  });
});
