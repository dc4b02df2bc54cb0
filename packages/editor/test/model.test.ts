import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Draft } from '@hubspoke/core';
import { diffDrafts, wordDiff } from '../src/model/diff.js';
import { assetChoices, domainAllowed, linkPolicy } from '../src/model/policy.js';
import { chipLabel, conditionToken, fieldToken, formOf, pieces, visibleLength } from '../src/model/tokens.js';
import { brandKit, hubInfo, newsletter } from './fixtures/demo.js';

const template = newsletter();
const linkSlot = template.modules.find((m) => m.id === 'hero')?.slots.find((s) => s.id === 'cta');
const photoSlot = template.modules.find((m) => m.id === 'article')?.slots.find((s) => s.id === 'photo');

describe('tokens as chips', () => {
  it('splits text into text and tokens, keeping every character', () => {
    const text =
      'Hi {{ contact.firstName | default: "there" }}, {% if contact.tier == "gold" %}Gold{% endif %} {{ broken';
    expect(pieces(text)).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'token', source: '{{ contact.firstName | default: "there" }}' },
      { kind: 'text', text: ', ' },
      { kind: 'token', source: '{% if contact.tier == "gold" %}Gold{% endif %}' },
      { kind: 'text', text: ' {{ broken' },
    ]);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(
          pieces(s)
            .map((p) => (p.kind === 'text' ? p.text : p.source))
            .join(''),
        ).toBe(s);
      }),
    );
  });

  it('builds tokens from the forms, reads them back, and labels them', () => {
    const field = fieldToken('contact.firstName', 'friend');
    expect(field).toBe('{{ contact.firstName | default: "friend" }}');
    expect(fieldToken('contact.firstName', 'say "hi"')).toBe(`{{ contact.firstName | default: 'say "hi"' }}`);
    expect(formOf(field)).toEqual({ field: { path: 'contact.firstName', fallback: 'friend' } });
    expect(chipLabel(field, hubInfo.fields)).toBe('First name · or “friend”');
    const cond = conditionToken({ path: 'contact.tier', op: 'is', value: 'gold', then: 'Gold', otherwise: 'Guest' });
    expect(formOf(cond)).toEqual({
      condition: { path: 'contact.tier', op: 'is', value: 'gold', then: 'Gold', otherwise: 'Guest' },
    });
    expect(chipLabel(cond, hubInfo.fields)).toBe('If Loyalty tier is gold: “Gold” else “Guest”');
    expect(visibleLength(`Hi ${field}`)).toBe('Hi friend'.length);
  });
});

describe('policies shown while editing', () => {
  it('says what the link policy thinks as the spoke types', () => {
    if (linkSlot?.kind !== 'link') throw new Error('fixture');
    expect(linkPolicy('https://northwind.example/a', linkSlot, brandKit)).toMatchObject({ ok: true });
    expect(linkPolicy('https://evil.example/a', linkSlot, brandKit).message).toContain('not an approved domain');
    expect(linkPolicy('javascript:alert(1)', linkSlot, brandKit)).toMatchObject({ ok: false });
    expect(linkPolicy('https://northwind', linkSlot, brandKit)).toMatchObject({ ok: false });
    expect(domainAllowed('a.northwind.example', ['*.northwind.example'])).toBe(true);
    expect(domainAllowed('northwind.example.evil.example', ['*.northwind.example'])).toBe(false);
  });

  it('offers only images the region may use today, and says why the others are left out', () => {
    if (photoSlot?.kind !== 'image') throw new Error('fixture');
    const choices = assetChoices(brandKit, photoSlot, 'DACH', new Date('2026-05-01'));
    expect(choices.filter((c) => c.usable).map((c) => c.asset.id)).toEqual(['team-whiteboard', 'trail-spring']);
    expect(choices.find((c) => c.asset.id === 'us-canyon')?.reason).toContain('NA only');
    expect(choices.find((c) => c.asset.id === 'old-promo')?.reason).toContain('expired');
  });
});

describe('round diff', () => {
  it('lists changed slots per locale with readable tokens, and word changes that rebuild both texts', () => {
    const base = {
      id: 'd',
      name: 'D',
      template: { id: template.id, version: template.version },
      author: 'a',
      defaultLocale: 'en',
      fallbacks: {},
      tags: [],
      version: 1,
      schemaVersion: 1,
      modules: [{ instanceId: 'hero', moduleId: 'hero', hidden: false }],
    } as unknown as Draft;
    const a: Draft = {
      ...base,
      content: { en: { slots: { hero: { headline: 'Spring is here, {{ contact.firstName }}' } } } },
    };
    const b: Draft = { ...base, content: { en: { slots: { hero: { headline: 'Spring, {{ contact.firstName }}' } } } } };
    const rows = diffDrafts(template, a, b, (s) => chipLabel(s, hubInfo.fields));
    expect(rows).toEqual([
      {
        where: 'Hero › headline',
        locale: 'en',
        instanceId: 'hero',
        slotId: 'headline',
        before: 'Spring is here, [First name]',
        after: 'Spring, [First name]',
      },
    ]);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (x, y) => {
        const parts = wordDiff(x, y);
        expect(
          parts
            .filter((p) => p.op !== '+')
            .map((p) => p.text)
            .join(''),
        ).toBe(x);
        expect(
          parts
            .filter((p) => p.op !== '-')
            .map((p) => p.text)
            .join(''),
        ).toBe(y);
      }),
    );
  });
});
