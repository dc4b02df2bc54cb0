import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import js2xliff from 'xliff/js2xliff';
import xliff2js from 'xliff/xliff2js';
import { newsletter, newsletterDraft } from '../__fixtures__/fixtures.js';
import { validateDraft } from '../draft/validate-draft.js';
import { render } from '../render/render.js';
import { exportXliff, importXliff } from './xliff.js';

const T = newsletter();

interface Js {
  sourceLanguage: string;
  targetLanguage: string;
  resources: Record<string, Record<string, { source: unknown; target: unknown; note?: unknown }>>;
}

/** A translator: rewrites the text parts of every target, leaving placeholders and markup alone. */
function translate(parts: unknown, word: (s: string) => string): unknown {
  if (typeof parts === 'string') return word(parts);
  if (!Array.isArray(parts)) return typeof parts === 'object' && parts !== null ? translate([parts], word) : parts;
  return parts.map((p: unknown) => {
    if (typeof p === 'string') return word(p);
    const obj = p as Record<string, { contents?: unknown }>;
    const key = Object.keys(obj)[0] ?? '';
    const data = obj[key];
    return data?.contents === undefined ? p : { [key]: { ...data, contents: translate(data.contents, word) } };
  });
}

async function roundTrip(edit: (js: Js) => void): Promise<string> {
  const { xliff } = await exportXliff(T, newsletterDraft(T), { targetLocale: 'fr' });
  const js = (await xliff2js(xliff)) as Js;
  edit(js);
  return js2xliff(js, { indent: 0 });
}

const units = (js: Js) => js.resources['draft-1']!;

describe('XLIFF', () => {
  it('exports editable texts with notes, tokens as protected placeholders and markup as spans', async () => {
    const { xliff, units: count, diagnostics } = await exportXliff(T, newsletterDraft(T), { targetLocale: 'de' });
    expect(diagnostics).toEqual([]);
    expect(xliff).toMatch(
      /^<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">/,
    );
    expect(xliff).toContain(
      '<unit id="hero.headline"><notes><note>slot: headline (hero/headline) in "Hero"</note><note>kind: text</note><note>max length: 60</note></notes><segment><source>Plan the quarter in a day</source><target>Das Quartal an einem Tag planen</target>',
    );
    expect(xliff).toContain(
      'Hi <ph id="p1" disp="{{ contact.firstName | default: &quot;there&quot; }}" canCopy="no" canDelete="no" subFlows="intro.greeting.p1"/>,',
    );
    expect(xliff).toContain(
      '<unit id="intro.greeting.p1"><notes><note>fallback shown when contact.firstName is empty, in "intro.greeting"</note></notes><segment><source>there</source>',
    );
    expect(xliff).toContain('<pc id="e2" dispStart="[strong]" dispEnd="[/strong]">planning</pc>');
    expect(xliff).toContain(
      '<ph id="p1" disp="{% if contact.tier == &quot;gold&quot; %}" canCopy="no" canDelete="no"/>30% off for gold members<ph id="p2"',
    );
    expect(xliff).toContain('<unit id="hero.cta.text">');
    expect(xliff).toContain('<unit id="article.photo.alt">');
    // Locked texts are the hub's: not offered for translation.
    expect(xliff).not.toContain('promo.terms');
    expect(xliff).not.toContain('footer.address');
    expect(xliff).not.toContain('header.logo');
    expect(count).toBeGreaterThan(25);
  });

  it('round-trips: translations come back with every token and tag intact', async () => {
    const xliff = await roundTrip((js) => {
      js.targetLanguage = 'fr';
      for (const unit of Object.values(units(js)))
        unit.target = translate(unit.source, (s) => (s.trim() === '' ? s : `FR ${s}`));
    });
    const { draft, applied, diagnostics, locale } = await importXliff(T, newsletterDraft(T), xliff);
    expect(diagnostics).toEqual([]);
    expect(locale).toBe('fr');
    expect(applied).toBeGreaterThan(25);
    const fr = draft.content.fr!;
    expect(fr.subject).toBe('FR Your {{ contact.firstName | default: "FR spring" }}FR  update');
    expect(fr.slots.intro?.greeting).toBe('FR Hi {{ contact.firstName | default: "FR there" }}FR ,');
    expect(fr.slots.promo?.offer).toBe(
      '{% if contact.tier == "gold" %}FR 30% off for gold members{% else %}FR 20% off annual plans{% endif %}',
    );
    expect(fr.slots.intro?.body).toBe(
      '<p>FR We rebuilt <strong>FR planning</strong>FR  from scratch. <a href="https://northwind.example/why">FR Here is why</a>FR .</p>',
    );
    expect(fr.slots.hero?.cta).toEqual({ href: 'https://northwind.example/workshop', text: 'FR Book a seat' });
    expect(fr.slots.article?.photo).toEqual({
      src: 'https://cdn.northwind.example/a/contoso.jpg',
      alt: 'FR Contoso team',
      width: 220,
    });
    expect(
      validateDraft(T, draft).filter(
        (d) => d.severity === 'error' && d.location.locale === 'fr' && d.ruleId !== 'template/too-long',
      ),
    ).toEqual([]);
    const email = await render(T, draft, {
      locale: 'fr',
      dialect: 'hubspot',
      fieldMap: { hubspot: { 'contact.tier': 'contact.tier' } },
    });
    expect(email.html).toContain("{% if contact.tier == 'gold' %}FR 30&#37; off for gold members{% else %}");
  });

  it('re-exports existing translations with the source placeholders and translated fallbacks', async () => {
    const { xliff } = await exportXliff(T, newsletterDraft(T), { targetLocale: 'de' });
    const js = (await xliff2js(xliff)) as Js;
    expect(units(js)['subject.p1']?.target).toBe('Sie');
    const { draft, diagnostics } = await importXliff(T, newsletterDraft(T), xliff);
    expect(diagnostics.filter((d) => d.severity !== 'suggestion')).toEqual([]);
    expect(draft.content.de?.subject).toBe('Neues für {{ contact.firstName | default: "Sie" }}');
    expect(draft.content.de?.slots.hero?.headline).toBe('Das Quartal an einem Tag planen');
  });

  it.each([
    [
      'a dropped token',
      (js: Js) => (units(js)['intro.greeting']!.target = ['Salut,']),
      'placeholder p1 ({{ contact.firstName | default: "there" }}) is missing',
    ],
    [
      'a copied token',
      (js: Js) =>
        (units(js)['intro.greeting']!.target = ['Salut ', { Standalone: { id: 'p1' } }, { Standalone: { id: 'p1' } }]),
      'appears more than once',
    ],
    [
      'an invented placeholder',
      (js: Js) => (units(js)['intro.greeting']!.target = ['Salut ', { Standalone: { id: 'p9' } }]),
      'placeholder "p9" is not in the source',
    ],
    [
      'reordered condition tags',
      (js: Js) =>
        (units(js)['promo.offer']!.target = [
          { Standalone: { id: 'p2' } },
          'a',
          { Standalone: { id: 'p1' } },
          'b',
          { Standalone: { id: 'p3' } },
        ]),
      'condition placeholders',
    ],
    [
      'invented markup',
      (js: Js) => (units(js)['intro.body']!.target = [{ GenericSpan: { id: 'e9', contents: ['x'] } }]),
      'markup "e9" is not in the source',
    ],
  ])('refuses a unit with %s and imports the rest', async (_name, edit, message) => {
    const xliff = await roundTrip((js) => {
      units(js)['hero.headline']!.target = 'Planifier le trimestre';
      edit(js);
    });
    const { draft, diagnostics } = await importXliff(T, newsletterDraft(T), xliff);
    const refused = diagnostics.find((d) => d.ruleId === 'l10n/placeholder-mismatch');
    expect(refused?.message).toContain(message);
    expect(refused?.severity).toBe('error');
    expect(draft.content.fr?.slots.hero?.headline).toBe('Planifier le trimestre');
  });

  it('cannot smuggle markup or code through text', async () => {
    const xliff = await roundTrip((js) => {
      units(js)['hero.headline']!.target = '<script>alert(1)</script> {{ 7*7 }}';
      units(js)['intro.body']!.target = [{ GenericSpan: { id: 'e1', contents: ['<img src=x onerror=alert(1)>'] } }];
    });
    const { draft, diagnostics } = await importXliff(T, newsletterDraft(T), xliff);
    expect(diagnostics.find((d) => d.ruleId === 'l10n/placeholder-mismatch')?.message).toContain('no longer parses');
    expect(draft.content.fr?.slots.intro?.body).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    const email = await render(T, draft, { locale: 'fr' });
    expect(email.html).not.toContain('<script>alert');
    expect(email.html).not.toContain('<img src=x');
    expect(draft.content.fr?.slots.hero?.headline).toBeUndefined();
  });

  it('reports untranslated units, unknown units and source drift', async () => {
    const xliff = await roundTrip((js) => {
      units(js)['ghost.unit'] = { source: 'x', target: 'y' };
      units(js)['hero.subline']!.target = 'Un format qui marche';
    });
    const changed = newsletterDraft(T);
    changed.content.en!.slots.hero!.subline = 'A different source now';
    const { diagnostics, applied } = await importXliff(T, changed, xliff);
    expect(diagnostics.find((d) => d.ruleId === 'l10n/unknown-unit')?.data?.unit).toBe('ghost.unit');
    expect(diagnostics.find((d) => d.ruleId === 'l10n/source-changed')?.location).toMatchObject({
      slotId: 'subline',
      locale: 'fr',
    });
    expect(diagnostics.filter((d) => d.ruleId === 'l10n/untranslated').length).toBeGreaterThan(20);
    expect(applied).toBe(1);
  });

  it('rejects input that is not XLIFF for this draft', async () => {
    await expect(importXliff(T, newsletterDraft(T), '<xliff><file>')).rejects.toMatchObject({ code: 'E_VALIDATION' });
    await expect(
      importXliff(
        T,
        newsletterDraft(T),
        '<xliff version="2.0"><file id="x"><unit id="a"><segment><source>x</segment></unit></file></xliff>',
      ),
    ).rejects.toMatchObject({ code: 'E_VALIDATION', path: 'xliff' });
    await expect(
      importXliff(
        T,
        newsletterDraft(T),
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"><file id="draft-1"><unit id="hero.headline"><segment><source>&e;</source><target>&e;</target></segment></unit></file></xliff>',
      ),
    ).rejects.toMatchObject({ code: 'E_VALIDATION' });
    const other = await roundTrip((js) => {
      js.resources = { 'other-draft': units(js) };
    });
    await expect(importXliff(T, newsletterDraft(T), other)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'xliff.file',
    });
    const badLang = await roundTrip((js) => {
      js.targetLanguage = 'not a locale';
    });
    await expect(importXliff(T, newsletterDraft(T), badLang)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'xliff.trgLang',
    });
    await expect(exportXliff(T, newsletterDraft(T), { targetLocale: 'x y' })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'options.targetLocale',
    });
  });

  it('answers mangled files with E_VALIDATION or diagnostics, never another error (property)', async () => {
    const { xliff } = await exportXliff(T, newsletterDraft(T), { targetLocale: 'de' });
    await fc.assert(
      fc.asyncProperty(fc.nat(xliff.length), fc.nat(xliff.length), fc.string(), async (a, b, junk) => {
        const mangled = xliff.slice(0, Math.min(a, b)) + junk + xliff.slice(Math.max(a, b));
        try {
          const result = await importXliff(T, newsletterDraft(T), mangled);
          for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(0);
        } catch (error) {
          expect(isHubspokeError(error)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
