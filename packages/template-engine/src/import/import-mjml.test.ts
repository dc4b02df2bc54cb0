import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryEmail } from '../__fixtures__/mjml-arbitrary.js';
import { createDraft } from '../draft/create-draft.js';
import { validateDraft } from '../draft/validate-draft.js';
import { render } from '../render/render.js';
import { compareImport } from './compare.js';
import { importMjml } from './import-mjml.js';

describe('importMjml', () => {
  it('imports any generated email, and its default draft renders what mjml renders (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEmail(), async (email) => {
        const result = importMjml(email.source);
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.ok).toBe(true);
        if (!result.template) return;
        const comparison = await compareImport(email.source, result.template);
        expect(comparison.firstDifference).toBeUndefined();
        expect(comparison.identical).toBe(true);
        expect(comparison.sameText).toBe(true);
      }),
      { numRuns: Number(process.env.HUBSPOKE_PARITY_RUNS ?? 40) },
    );
  }, 300_000);

  it('keeps links without a scheme allowed for their slot, and spokes may then use #/relative links there only', async () => {
    const result = importMjml(
      '<mjml><mj-head><mj-title>Help</mj-title></mj-head><mj-body><mj-section><mj-column><mj-button href="#top">Top</mj-button><mj-text><a href="/faq">FAQ</a></mj-text><mj-button href="https://x.example/">Go</mj-button></mj-column></mj-section></mj-body></mjml>',
    );
    const slots = result.template?.modules[0]?.slots ?? [];
    expect(slots.map((s) => [s.id, s.kind === 'link' ? s.allowRelative : undefined])).toEqual([
      ['cta', 'fragment'],
      ['link', 'path'],
      ['cta-2', undefined],
    ]);
    const template = result.template;
    if (!template) return;
    const draft = createDraft(template, { id: 'd', name: 'd', author: 'spoke@example.com' });
    const moduleId = template.modules[0]?.id ?? '';
    const withLinks = (cta: string, link: string, cta2: string) => ({
      ...draft,
      content: {
        en: {
          slots: {
            [moduleId]: {
              cta: { href: cta, text: 'Top' },
              link: { href: link, text: 'FAQ' },
              'cta-2': { href: cta2, text: 'Go' },
            },
          },
        },
      },
    });
    const ok = withLinks('#pricing', '../help?q=1', 'https://x.example/next');
    expect(validateDraft(template, ok).filter((d) => d.severity === 'error')).toEqual([]);
    expect((await render(template, ok)).html).toContain('href="../help?q=1"');
    const bad = withLinks('/page', '//evil.example/x', '#nope');
    expect(
      validateDraft(template, bad)
        .filter((d) => d.ruleId === 'template/link-scheme')
        .map((d) => d.location.slotId)
        .sort(),
    ).toEqual(['cta', 'cta-2', 'link']);
    expect((await render(template, bad)).html).not.toMatch(/evil\.example|#nope|"\/page"/);
  });

  it('reports platform merge syntax it keeps, and how to send it to its platform', () => {
    const result = importMjml(
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{lead.First Name}}, %%Points%% points</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    const kept = result.decisions.filter((d) => d.subject === 'kept').map((d) => d.message);
    expect(kept).toEqual([
      expect.stringContaining('{{lead.First Name}} is Marketo merge syntax: kept as written'),
      expect.stringContaining('%%Points%% is SFMC merge syntax'),
    ]);
    expect(kept[0]).toContain('{% platform marketo %}');
  });

  it('refuses a source that is already a hub template and bad options', () => {
    const result = importMjml('<mjml hs-id="t"><mj-body><mj-section hs-module="a" /></mj-body></mjml>');
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]?.message).toContain('already declares hs-id');
    expect(() => importMjml(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'E_VALIDATION' }));
    expect(() => importMjml('<mjml/>', { locale: 'not a locale' })).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'options.locale' }),
    );
    expect(importMjml('<p>not mjml</p>').diagnostics[0]?.ruleId).toBe('template/malformed');
  });
});
