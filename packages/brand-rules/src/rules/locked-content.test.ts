import { describe, expect, it } from 'vitest';
import { cleanDraft, draftWith, kit, only, renderedEmail, template } from '../__fixtures__/email.js';
import type { LintConfig } from '../config/define-config.js';
import { lint } from '../engine/linter.js';

const NOW = '2026-06-01';
const config = only('brand/locked-content') as LintConfig;
const run = (draft: unknown, extra: { rendered?: unknown; template?: unknown; fix?: boolean } = {}) =>
  lint({
    brandKit: kit,
    template: extra.template ?? template,
    draft,
    config,
    now: NOW,
    ...(extra.rendered === undefined ? {} : { rendered: extra.rendered }),
    ...(extra.fix === undefined ? {} : { fix: extra.fix }),
  });

describe('brand/locked-content', () => {
  it('passes a draft that keeps every locked value', () => {
    expect(run(cleanDraft).diagnostics).toEqual([]);
    expect(
      run(
        draftWith((en) => {
          (en.slots['hero-1'] as Record<string, unknown>).legalNote = 'Offer valid while stocks last.';
        }),
      ).diagnostics,
    ).toEqual([]);
  });

  it('flags a changed locked slot and restores the template value as a fix', () => {
    const draft = draftWith((en) => {
      (en.slots['hero-1'] as Record<string, unknown>).legalNote = 'Offer valid forever.';
    });
    const result = run(draft, { fix: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.fixed?.draft?.content.en?.slots['hero-1']?.legalNote).toBe('Offer valid while stocks last.');
    const [d] = run(draft).diagnostics;
    expect(d?.message).toBe('Slot "legalNote" of "hero-1" is locked (text) but differs from the template');
  });

  it('textOnly lets the link text change but not its href', () => {
    expect(
      run(
        draftWith((en) => {
          en.slots['hero-1'].cta = {
            href: 'https://acme.example/shop?utm_source=email&utm_medium=newsletter',
            text: 'Buy tulips',
          };
        }),
      ).diagnostics,
    ).toEqual([]);
    const [d] = run(
      draftWith((en) => {
        en.slots['hero-1'].cta = { href: 'https://acme.example/other', text: 'Shop now' };
      }),
    ).diagnostics;
    expect(d?.location).toMatchObject({ instanceId: 'hero-1', slotId: 'cta', property: 'href' });
  });

  it('custom locks check only their locked properties', () => {
    const lockedSrc = {
      ...template,
      modules: template.modules.map((m) =>
        m.id === 'hero'
          ? {
              ...m,
              slots: (m.slots ?? []).map((s) =>
                s.id === 'pic'
                  ? {
                      ...s,
                      lock: { custom: { src: 'locked' as const, alt: 'enabled' as const } },
                      default: { src: 'https://cdn.acme.example/hero.jpg', alt: 'x' },
                    }
                  : s,
              ),
            }
          : m,
      ),
    };
    expect(run(cleanDraft, { template: lockedSrc }).diagnostics).toEqual([]);
    const swapped = draftWith((en) => {
      en.slots['hero-1'].pic = { src: 'https://cdn.acme.example/us.jpg', alt: 'Tulips', assetId: 'hero-spring' };
    });
    expect(run(swapped, { template: lockedSrc }).diagnostics.map((d) => d.location.property)).toEqual(['src']);
  });

  it('reports a draft or rendered email pinned to another template version', () => {
    const draft = { ...structuredClone(cleanDraft), template: { id: 'newsletter', version: 2 } };
    expect(run(draft).diagnostics.map((d) => d.message)).toEqual([
      'The draft pins template newsletter@2 but the template given is newsletter@3',
    ]);
  });

  it('reports modules the template does not have', () => {
    const draft = {
      ...structuredClone(cleanDraft),
      modules: [...cleanDraft.modules, { instanceId: 'promo-1', moduleId: 'promo' }],
    };
    expect(run(draft).diagnostics.map((d) => d.message)).toEqual([
      'Module "promo" of instance "promo-1" is not in template newsletter@3',
    ]);
  });

  it('checks that hub-owned template text is unchanged in the rendered HTML', () => {
    expect(run(cleanDraft, { rendered: renderedEmail() }).diagnostics).toEqual([]);
    const edited = renderedEmail({
      footer: 'Acme GmbH, Hauptstraße 9, 10115 Berlin<br>You can unsubscribe at any time.',
    });
    expect(run(cleanDraft, { rendered: edited }).diagnostics.map((d) => d.message)).toEqual([
      'Template text "Acme GmbH, Hauptstraße 1, 10115 Berlin" of module "footer" is missing or altered in the rendered HTML',
    ]);
  });
});
