import { describe, expect, it } from 'vitest';
import { cleanDraft, draftWith, kit, only, renderedEmail, template, withLocales } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';

const NOW = '2026-06-01';
const subject = (text: string, config: LintConfig = only('brand/subject-line') as LintConfig) =>
  lint({
    brandKit: kit,
    template,
    draft: draftWith((en) => {
      en.subject = text;
    }),
    config,
    now: NOW,
  }).diagnostics.map((d) => d.message);

describe('brand/subject-line', () => {
  it('passes a good subject', () => {
    expect(subject('Spring is here, {{ contact.firstName | default: "friend" }}')).toEqual([]);
  });
  it('counts characters as seen, with tokens as their fallback', () => {
    expect(subject('A'.repeat(51).toLowerCase())).toEqual(['Subject is 51 characters; at most 50']);
    expect(subject(`${'a'.repeat(40)} {{ contact.firstName | default: "x" }}`)).toEqual([]);
    // Emoji with modifiers and ZWJ sequences count as one character each.
    expect(subject(`${'a'.repeat(49)}👩‍👩‍👧`)).toEqual([]);
  });
  it('limits emoji and exclamation marks, and rejects all caps', () => {
    expect(subject('Sale 🌷🌷')).toEqual(['Subject has 2 emoji; at most 1']);
    expect(subject('Sale!! now')).toEqual(['Subject has 2 exclamation marks; at most 1']);
    expect(subject('BIG SPRING SALE')).toEqual(['Subject is written in capitals']);
    expect(subject('NEW: tulips')).toEqual([]);
  });
  it('finds spam-trigger terms from the kit and options, case-insensitively', () => {
    expect(subject('Get FREE money today')).toEqual(['Subject contains the spam-trigger term "FREE money"']);
    expect(subject('Act now', { rules: { 'brand/subject-line': ['error', { spamTerms: ['act now'] }] } })).toEqual([
      'Subject contains the spam-trigger term "Act now"',
    ]);
    // The spam list is for subjects only.
    const body = lint({
      brandKit: kit,
      template,
      draft: draftWith((en) => {
        en.slots['hero-1'].headline = 'free money';
      }),
      config: only('brand/subject-line') as LintConfig,
      now: NOW,
    });
    expect(body.diagnostics).toHaveLength(0);
  });
  it('options override the kit policy', () => {
    expect(subject('Sale 🌷🌷', { rules: { 'brand/subject-line': ['error', { maxEmoji: 2 }] } })).toEqual([]);
  });
  it('checks the rendered subject when there is no draft', () => {
    const rendered = renderedEmail({ subject: 'FREE MONEY!!!' });
    const messages = lint({
      brandKit: kit,
      template,
      rendered,
      config: only('brand/subject-line') as LintConfig,
      now: NOW,
    }).diagnostics.map((d) => d.message);
    expect(messages.sort()).toEqual([
      'Subject contains the spam-trigger term "FREE MONEY"',
      'Subject has 3 exclamation marks; at most 1',
      'Subject is written in capitals',
    ]);
  });
});

describe('brand/legal-text', () => {
  const config = only('brand/legal-text') as LintConfig;
  it('finds required texts in the template footer of a draft', () => {
    expect(lint({ brandKit: kit, template, draft: cleanDraft, config, now: NOW }).diagnostics).toEqual([]);
  });
  it('counts the default text of a footer slot the draft leaves empty, and not once the draft overrides it', () => {
    const slotFooter = {
      ...template,
      modules: template.modules.map((m) =>
        m.id === 'footer'
          ? {
              ...m,
              lock: 'textOnly' as const,
              mjml: '<mj-section><mj-column><mj-text hs-slot="address" hs-kind="text">x</mj-text><mj-text>You can unsubscribe at any time.</mj-text></mj-column></mj-section>',
              slots: [{ id: 'address', kind: 'text' as const, default: 'Acme GmbH, Hauptstraße 1, 10115 Berlin' }],
            }
          : m,
      ),
    };
    expect(lint({ brandKit: kit, template: slotFooter, draft: cleanDraft, config, now: NOW }).diagnostics).toEqual([]);
    const overridden = {
      ...structuredClone(cleanDraft),
      content: {
        en: {
          ...cleanDraft.content.en,
          slots: { ...cleanDraft.content.en.slots, 'footer-1': { address: 'Somewhere else' } },
        },
      },
    };
    expect(
      lint({ brandKit: kit, template: slotFooter, draft: overridden, config, now: NOW }).diagnostics.map(
        (d) => d.data?.legalId,
      ),
    ).toEqual(['imprint-eu']);
  });
  it('requires region texts only in their region and locale texts only in their locale', () => {
    const noFooter = { ...template, modules: template.modules.filter((m) => m.id !== 'footer') };
    const draft = {
      ...structuredClone(cleanDraft),
      modules: cleanDraft.modules.filter((m) => m.moduleId !== 'footer'),
    };
    const emea = lint({ brandKit: kit, template: noFooter, draft, config, now: NOW }).diagnostics.map(
      (d) => d.data?.legalId,
    );
    expect(emea.sort()).toEqual(['imprint-eu', 'unsubscribe-en']);
    const na = lint({
      brandKit: kit,
      template: noFooter,
      draft: { ...draft, region: 'NA' },
      config,
      now: NOW,
    }).diagnostics.map((d) => d.data?.legalId);
    expect(na).toEqual(['unsubscribe-en']);
  });
  it('checks rendered HTML and the plain-text part, and tells an altered text from a missing one', () => {
    const ok = renderedEmail();
    expect(lint({ brandKit: kit, rendered: ok, region: 'EMEA', config, now: NOW }).diagnostics).toEqual([]);
    const altered = renderedEmail({
      footer: 'ACME GmbH, Hauptstraße 1, 10115 Berlin. You can unsubscribe at any time.',
    });
    expect(
      lint({ brandKit: kit, rendered: altered, region: 'EMEA', config, now: NOW }).diagnostics.map((d) => d.message),
    ).toEqual([
      'Required legal text "imprint-eu" is present but altered: it must read exactly "Acme GmbH, Hauptstraße 1, 10115 Berlin"',
    ]);
    const noText = renderedEmail({ text: 'Fresh flowers' });
    expect(
      lint({ brandKit: kit, rendered: noText, region: 'EMEA', config, now: NOW })
        .diagnostics.map((d) => d.message)
        .sort(),
    ).toEqual([
      'Required legal text "imprint-eu" is missing from the plain-text part',
      'Required legal text "unsubscribe-en" is missing from the plain-text part',
    ]);
  });
  it('with placement footer, text elsewhere does not count', () => {
    const moved = renderedEmail({
      slots: [{ instanceId: 'hero-1', slotId: 'copy', html: '<p>Acme GmbH, Hauptstraße 1, 10115 Berlin</p>' }],
      footer: 'You can unsubscribe at any time.',
    });
    const withRoles = {
      ...template,
      modules: template.modules.map((m) =>
        m.id === 'hero' ? { ...m, slots: [...(m.slots ?? []), { id: 'legal', kind: 'text' as const }] } : m,
      ),
    };
    const draft = {
      ...structuredClone(cleanDraft),
      content: {
        en: {
          ...cleanDraft.content.en,
          slots: {
            'hero-1': { ...cleanDraft.content.en.slots['hero-1'], legal: 'Acme GmbH, Hauptstraße 1, 10115 Berlin' },
          },
        },
      },
      modules: cleanDraft.modules.filter((m) => m.moduleId !== 'footer'),
    };
    const result = lint({
      brandKit: kit,
      template: withRoles,
      draft,
      config: { ...config, roles: { 'hero.legal': 'body', 'hero.copy': 'footer' } },
      now: NOW,
    });
    expect(result.diagnostics.map((d) => d.message)).toContain(
      'Required legal text "imprint-eu" is missing from the footer',
    );
    expect(moved.html).toContain('Acme GmbH');
  });
});

describe('brand/readability', () => {
  const config = only('brand/readability') as LintConfig;
  const hard =
    'Notwithstanding the aforementioned considerations, organizational transformation initiatives necessitate comprehensive stakeholder communication strategies, particularly regarding implementation methodologies, infrastructural dependencies, and interdepartmental accountability frameworks.';
  const easy =
    'We have new flowers. They are fresh and bright. You can pick a bunch you like. We bring it to your door. It is that easy. Come and see them at the shop this week.';
  const withCopy = (copy: string, locale = 'en') => {
    const draft =
      locale === 'en'
        ? draftWith((en) => {
            en.slots['hero-1'].copy = copy;
          })
        : withLocales({ [locale]: { slots: { 'hero-1': { copy } } } });
    return lint({ brandKit: kit, template, draft, config, now: NOW, locales: [locale] }).diagnostics;
  };
  it('flags body text above the locale grade, not easy text', () => {
    const [d] = withCopy(`<p>${hard} ${hard}</p>`);
    expect(d?.message).toMatch(/^Reading grade [\d.]+ is above 9 for en \(flesch-kincaid\)$/);
    expect(withCopy(`<p>${easy}</p>`)).toEqual([]);
  });
  it('uses the Wiener Sachtextformel for German and skips languages without a formula', () => {
    const german =
      'Die Implementierungsverantwortlichkeiten der Organisationseinheiten erfordern umfassende Kommunikationsmaßnahmen hinsichtlich interdisziplinärer Abstimmungsprozesse und Qualitätssicherungsverfahren innerhalb sämtlicher Unternehmensbereiche, insbesondere bezüglich Digitalisierungsstrategien.';
    expect(withCopy(`<p>${german} ${german}</p>`, 'de-DE')[0]?.message).toMatch(/for de-DE \(wiener-sachtextformel\)/);
    expect(withCopy(`<p>${hard} ${hard}</p>`, 'ja')).toEqual([]);
    expect(withCopy(`<p>${hard}</p>`)).toEqual([]);
  });
  it('skips short texts and honours options.max', () => {
    expect(withCopy('<p>Notwithstanding organizational considerations.</p>')).toEqual([]);
    const relaxed = lint({
      brandKit: kit,
      template,
      draft: draftWith((en) => {
        en.slots['hero-1'].copy = `<p>${hard} ${hard}</p>`;
      }),
      config: { rules: { 'brand/readability': ['error', { max: 50 }] } },
      now: NOW,
    });
    expect(relaxed.diagnostics).toEqual([]);
  });
});

describe('brand/personalization-fallback', () => {
  const config = only('brand/personalization-fallback') as LintConfig;
  it('flags tokens without a fallback, suggesting an empty one', () => {
    const result = lint({
      brandKit: kit,
      template,
      draft: draftWith((en) => {
        en.subject = 'Hi {{ contact.firstName }}!';
      }),
      config,
      now: NOW,
    });
    const [d] = result.diagnostics;
    expect(d?.message).toBe(
      'Token {{ contact.firstName }} has no fallback: recipients without contact.firstName see nothing',
    );
    expect(d?.location).toMatchObject({ field: 'subject', start: 3, end: 26, line: 1, column: 4 });
    expect(d?.fix).toBeUndefined();
    expect(d?.suggestions?.[0]?.edits[0]).toEqual({ start: 23, end: 23, text: ' | default: ""' });
  });
  it('accepts fallbacks and tokens guarded by an if on the same field', () => {
    const ok = draftWith((en) => {
      en.subject = 'Hi {{ contact.firstName | default: "there" }}';
      en.slots['hero-1'].headline = '{% if contact.city %}Hello {{ contact.city }}{% else %}Hello{% endif %}';
    });
    expect(lint({ brandKit: kit, template, draft: ok, config, now: NOW }).diagnostics).toEqual([]);
    const wrongGuard = draftWith((en) => {
      en.slots['hero-1'].headline = '{% if contact.city %}Hello {{ contact.firstName }}{% endif %}';
    });
    expect(lint({ brandKit: kit, template, draft: wrongGuard, config, now: NOW }).diagnostics).toHaveLength(1);
  });
  it('fixes with the hub default from options, once', () => {
    const cfg = {
      rules: { 'brand/personalization-fallback': ['error', { defaults: { 'contact.firstName': 'there' } }] },
    } as LintConfig;
    const draft = draftWith((en) => {
      en.slots['hero-1'].headline = 'Hi {{contact.firstName}}, and {{ contact.firstName }}';
    });
    const result = lint({ brandKit: kit, template, draft, config: cfg, now: NOW, fix: true });
    expect(result.fixed?.draft?.content.en?.slots['hero-1']?.headline).toBe(
      'Hi {{contact.firstName | default: "there"}}, and {{ contact.firstName | default: "there" }}',
    );
    expect(
      lint({ brandKit: kit, template, draft: result.fixed?.draft, config: cfg, now: NOW, fix: true }).fixed?.edits,
    ).toBe(0);
  });
});
