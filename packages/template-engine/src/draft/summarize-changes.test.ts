import { ChangeSummarySchema } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { draftOf, newsletter, newsletterDraft } from '../__fixtures__/fixtures.js';
import { summarizeChanges } from './summarize-changes.js';

const T = newsletter();
// A fresh draft is the template as written: every module once.
const FRESH = T.modules.map((m) => m.id);

describe('summarizeChanges', () => {
  it('reports nothing for a fresh draft of the template', () => {
    const summary = summarizeChanges(T, draftOf(T, FRESH));
    expect(summary).toEqual({
      structural: false,
      touchedLockLevels: [],
      changedSlots: [],
      newLocales: [],
      textOnly: true,
      changedFields: [],
    });
    expect(ChangeSummarySchema.parse(summary)).toEqual(summary);
  });

  it('against the template: slots that differ from their defaults, structure, new locales', () => {
    const summary = summarizeChanges(T, newsletterDraft(T));
    expect(summary.structural).toBe(true);
    expect(summary.textOnly).toBe(false);
    expect(summary.newLocales).toEqual(['de']);
    expect(summary.touchedLockLevels).toEqual(['editable', 'textOnly']);
    expect(summary.changedSlots).toContainEqual({
      instanceId: 'hero',
      slotId: 'headline',
      locale: 'de',
      lock: 'editable',
      kind: 'text',
    });
    expect(summary.changedSlots).toContainEqual({
      instanceId: 'features',
      slotId: 'icon1',
      locale: 'en',
      lock: 'textOnly',
      kind: 'image',
    });
    expect(summary.changedFields).toContainEqual({ field: 'subject', locale: 'en', lock: 'editable' });
  });

  it('against the previous version: a text edit in editable slots is the fast path', () => {
    const before = newsletterDraft(T);
    const after = newsletterDraft(T);
    after.content.en!.slots.hero!.headline = 'New headline';
    after.content.en!.slots.features!.icon1 = {
      src: 'https://cdn.northwind.example/i/plan.png',
      alt: 'Planning calendar',
    };
    expect(summarizeChanges(T, after, before)).toEqual({
      structural: false,
      touchedLockLevels: ['editable', 'textOnly'],
      changedSlots: [
        { instanceId: 'hero', slotId: 'headline', locale: 'en', lock: 'editable', kind: 'text' },
        { instanceId: 'features', slotId: 'icon1', locale: 'en', lock: 'textOnly', kind: 'image' },
      ],
      newLocales: [],
      textOnly: true,
      changedFields: [],
    });
  });

  it('marks design, address and structure changes as not text-only', () => {
    const before = newsletterDraft(T);
    const link = newsletterDraft(T);
    link.content.en!.slots.hero!.cta = { href: 'https://northwind.example/other', text: 'Book a seat' };
    expect(summarizeChanges(T, link, before).textOnly).toBe(false);
    const color = newsletterDraft(T);
    color.content.en!.slots.quote!.bg = '#000000';
    expect(summarizeChanges(T, color, before).textOnly).toBe(false);
    const swapped = {
      ...before,
      modules: before.modules.map((m) =>
        m.instanceId === 'article'
          ? { ...m, instanceId: 'article-2' }
          : m.instanceId === 'article-2'
            ? { ...m, instanceId: 'article' }
            : m,
      ),
    };
    expect(summarizeChanges(T, swapped, before).structural).toBe(true);
    const hidden = {
      ...before,
      modules: before.modules.map((m) => (m.instanceId === 'quote' ? { ...m, hidden: true } : m)),
    };
    expect(summarizeChanges(T, hidden, before)).toMatchObject({ structural: true, textOnly: false });
    const locked = newsletterDraft(T);
    locked.content.en!.slots.promo!.terms = 'Changed terms';
    expect(summarizeChanges(T, locked, before).touchedLockLevels).toEqual(['locked']);
    const french = newsletterDraft(T);
    french.content.fr = { subject: 'Bonjour', slots: {} };
    expect(summarizeChanges(T, french, before)).toMatchObject({
      newLocales: ['fr'],
      changedFields: [{ field: 'subject', locale: 'fr', lock: 'editable' }],
      textOnly: true,
    });
  });

  it('validates its inputs', () => {
    expect(() => summarizeChanges(T, { nope: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: expect.stringContaining('draft') }),
    );
    expect(() => summarizeChanges(T, newsletterDraft(T), { nope: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: expect.stringContaining('previous') }),
    );
  });
});
