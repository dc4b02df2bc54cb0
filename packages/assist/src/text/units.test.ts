import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexTokens, type Template } from '@hubspoke/core';
import { draft, template } from '../__fixtures__/email.js';
import { extractUnits, hasWords, restore, segment, type TranslationUnit } from './units.js';
import { stripUntrusted } from '../tasks/untrusted-output.js';

function unit(value: string, format: 'text' | 'html' = 'text', maxLength?: number): TranslationUnit {
  return {
    id: 'u',
    location: { slotId: 's' },
    format,
    ...segment(value, format),
    ...(maxLength === undefined ? {} : { maxLength }),
  };
}

describe('segment', () => {
  it('protects tokens and control tags as placeholders and escapes text', () => {
    const u = unit('Hi {{ contact.firstName | default: "there" }} & <you>{% if a %}!{% endif %}');
    expect(u.source).toBe('Hi <x id="1"/> &amp; &lt;you&gt;<x id="2"/>!<x id="3"/>');
    expect(u.placeholders).toEqual([
      { id: '1', kind: 'token', original: '{{ contact.firstName | default: "there" }}' },
      { id: '2', kind: 'control', original: '{% if a %}' },
      { id: '3', kind: 'control', original: '{% endif %}' },
    ]);
  });

  it('protects HTML markup in rich text, decoding entities in the text between', () => {
    const u = unit(
      '<p>Save on <a href="https://x.com/?id={{ contact.id }}">tulips</a> &amp; tools&nbsp;{{ name }}</p>',
      'html',
    );
    expect(u.source).toBe('<x id="1"/>Save on <x id="2"/>tulips<x id="3"/> &amp; tools\u00a0<x id="4"/><x id="5"/>');
    expect(u.placeholders.map((p) => [p.kind, p.original])).toEqual([
      ['markup', '<p>'],
      ['markup', '<a href="https://x.com/?id={{ contact.id }}">'],
      ['markup', '</a>'],
      ['token', '{{ name }}'],
      ['markup', '</p>'],
    ]);
  });

  it('keeps a token whole even when its default contains markup-like text', () => {
    const u = unit('<p>Hi {{ contact.firstName | default: "<b>" }}!</p>', 'html');
    expect(u.placeholders.map((p) => p.original)).toContain('{{ contact.firstName | default: "<b>" }}');
  });

  it('knows when a segment has no words to translate', () => {
    expect(hasWords(unit('{{ a }} 42 !'))).toBe(false);
    expect(hasWords(unit('Hi {{ a }}'))).toBe(true);
  });
});

describe('restore', () => {
  it('puts originals back in a translation that moved a token', () => {
    const u = unit('Hello {{ contact.firstName }}, welcome');
    expect(restore(u, 'Willkommen, <x id="1"/>').value).toBe('Willkommen, {{ contact.firstName }}');
  });

  it('accepts the paired form <x id="1"></x> services sometimes return', () => {
    expect(restore(unit('Hi {{ a }}'), 'Salut <x id="1"></x>').value).toBe('Salut {{ a }}');
  });

  it('re-escapes rich text and decodes escaped text in plain text', () => {
    expect(
      restore(unit('<b>Fish</b> &amp; chips', 'html'), '<x id="1"/>Fisch<x id="2"/> &amp; Pommes &lt;3').value,
    ).toBe('<b>Fisch</b> &amp; Pommes &lt;3');
    expect(restore(unit('Fish & chips'), 'Fisch &amp; Pommes').value).toBe('Fisch & Pommes');
  });

  it('refuses a translation that lost or repeated a placeholder', () => {
    const u = unit('Hi {{ contact.firstName }}');
    const lost = restore(u, 'Hallo');
    expect(lost.value).toBeUndefined();
    expect(lost.diagnostics[0]).toMatchObject({
      ruleId: 'assist/placeholder-mismatch',
      severity: 'error',
      data: { missing: ['{{ contact.firstName }}'] },
    });
    expect(restore(u, 'Hallo <x id="1"/> <x id="1"/>').diagnostics[0]?.data).toMatchObject({
      repeated: ['{{ contact.firstName }}'],
    });
  });

  it('refuses a translation that reordered control tags or markup, but lets tokens move', () => {
    const u = unit('{% if a %}A{% else %}B{% endif %} {{ x }} {{ y }}');
    expect(restore(u, '<x id="2"/>B<x id="1"/>A<x id="3"/> <x id="4"/> <x id="5"/>').diagnostics[0]?.ruleId).toBe(
      'assist/placeholder-order',
    );
    expect(restore(u, '<x id="1"/>A<x id="2"/>B<x id="3"/> <x id="5"/> <x id="4"/>').value).toBe(
      '{% if a %}A{% else %}B{% endif %} {{ y }} {{ x }}',
    );
    expect(restore(unit('<b>a</b>', 'html'), '<x id="2"/>a<x id="1"/>').diagnostics[0]?.ruleId).toBe(
      'assist/placeholder-order',
    );
  });

  it('removes markup and tokens the translation invented, including entity-encoded ones', () => {
    const u = unit('Spring sale');
    const restored = restore(
      u,
      'Frühling<script>alert(1)</script> <x id="9"/>{{ contact.password }} &#123;&#123; contact.ssn &#125;&#125; <img src=x onerror=alert(1)>Sale',
    );
    expect(restored.value).toBe('Frühling   Sale');
    expect(restored.diagnostics[0]).toMatchObject({ ruleId: 'assist/output-cleaned', severity: 'warning' });
  });

  it('keeps literal angle brackets the source had as text', () => {
    const u = unit('Use the <b> tag');
    expect(u.source).toBe('Use the &lt;b&gt; tag');
    expect(restore(u, 'Nutze das &lt;b&gt;-Tag').value).toBe('Nutze das <b>-Tag');
  });

  it('checks length limits on the visible text', () => {
    const over = restore(unit('Short', 'text', 5), 'Much longer');
    expect(over.value).toBe('Much longer');
    expect(over.diagnostics[0]).toMatchObject({ ruleId: 'assist/too-long', data: { length: 11, maxLength: 5 } });
    expect(restore(unit('<b>Short</b>', 'html', 5), '<x id="1"/>Kurz<x id="2"/>').diagnostics).toEqual([]);
    // A token renders differently per recipient, so only the visible text counts.
    expect(
      restore(unit('Hi {{ contact.firstName | default: "there" }}', 'text', 5), 'Hallo <x id="1"/>').diagnostics,
    ).toEqual([]);
    expect(restore(unit('Hi {{ contact.firstName }}', 'text', 4), 'Hallo <x id="1"/>').diagnostics[0]?.ruleId).toBe(
      'assist/too-long',
    );
  });

  it('restores the original exactly when the translation is the source (property)', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('{{ a }}', '{% if b %}', '{% endif %}', '&', '<', '>', '"', '{{', '%}'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 15 }), (pieces) => {
        // Text as it survives cleaning: no invisible characters, tokens or stray delimiters.
        const value = stripUntrusted(pieces.join(''), [], { markup: false }).text;
        const withTokens = `${value}{{ a }}${value}{% if b %}x{% endif %}`;
        // Only text the template engine reads without syntax errors (core's lexer) has a defined round trip.
        fc.pre(lexTokens(withTokens).errors.length === 0);
        const u = unit(withTokens);
        const restored = restore(u, u.source);
        expect(restored.diagnostics.filter((d) => d.ruleId !== 'assist/output-cleaned')).toEqual([]);
        expect(restored.value?.trim()).toBe(withTokens.trim());
      }),
    );
  });

  it('round-trips rich text markup and tokens (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z ]{1,8}$/);
    const tag = fc.constantFrom(
      ['<b>', '</b>'],
      ['<a href="https://x.com/?a=1&amp;b={{ id }}">', '</a>'],
      ['<em class="x">', '</em>'],
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(word, tag, word), { minLength: 1, maxLength: 5 }), (parts) => {
        const html = `<p>${parts.map(([a, [open, close], b]) => `${a}${open}${b}${close}`).join(' {{ contact.firstName }} ')}</p>`;
        const u = unit(html, 'html');
        expect(restore(u, u.source).value).toBe(html);
      }),
    );
  });
});

describe('extractUnits', () => {
  it('takes subject, preheader and translatable slot text, with limits and locations', () => {
    const units = extractUnits(draft, template, 'en');
    expect(units.map((u) => u.id)).toEqual([
      'subject',
      'preheader',
      'slots/hero-1/headline',
      'slots/hero-1/body',
      'slots/cta-1/button/text',
    ]);
    const byId = Object.fromEntries(units.map((u) => [u.id, u]));
    expect(byId.subject).toMatchObject({ maxLength: 60, location: { field: 'subject', locale: 'en' } });
    expect(byId['slots/hero-1/headline']).toMatchObject({
      maxLength: 60,
      note: 'Headline',
      location: { instanceId: 'hero-1', slotId: 'headline' },
    });
    expect(byId['slots/hero-1/body']?.format).toBe('html');
    expect(byId['slots/cta-1/button/text']).toMatchObject({ maxLength: 25, location: { property: 'text' } });
    expect(extractUnits(draft, template, 'fr')).toEqual([]);
  });

  it('offers only the words a spoke may change (core lock table)', () => {
    const locked: Template = {
      ...template,
      subject: { ...template.subject, lock: 'locked' },
      modules: template.modules.map((m) =>
        m.id === 'hero'
          ? { ...m, lock: 'textOnly', slots: m.slots.map((s) => (s.id === 'body' ? { ...s, lock: 'locked' } : s)) }
          : m.id === 'cta'
            ? { ...m, lock: { custom: { href: 'enabled' } } }
            : m,
      ),
    };
    const withAlt = structuredClone(draft);
    const hero = withAlt.content.en?.slots['hero-1'];
    if (hero) hero.image = { src: 'https://cdn.example.com/a.jpg', alt: 'Tulips' };
    expect(extractUnits(withAlt, locked, 'en').map((u) => u.id)).toEqual([
      'preheader',
      'slots/hero-1/headline',
      'slots/hero-1/image/alt',
    ]);
  });
});
