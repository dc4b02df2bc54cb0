import { createHash } from 'node:crypto';
import { RenderedEmailSchema, canonicalJson, type Dialect, type Draft, type RenderedEmail } from '@hubspoke/core';
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import {
  draftOf,
  fixture,
  mjml,
  newsletter,
  newsletterDraft,
  NEWSLETTER_MODULES,
  template,
} from '../__fixtures__/fixtures.js';
import { createRenderSession, preparePreview, render, verifySkeleton } from './render.js';
import { SkeletonCache } from './skeleton.js';

const T = newsletter();
const DIALECTS: Dialect[] = ['preview', 'marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'];
const FIELD_MAP = {
  eloqua: { 'contact.firstName': 'FirstName1', 'contact.tier': 'Tier1' },
  hubspot: { 'contact.tier': 'contact.tier' },
  sfmc: { 'contact.tier': 'Tier' },
  braze: { 'contact.tier': 'custom_attribute.${tier}' },
};

function span(email: RenderedEmail, instanceId: string, slotId: string, property = 'text'): string | undefined {
  const s = email.slotSpans?.find(
    (x) => x.instanceId === instanceId && x.slotId === slotId && (x.property ?? 'text') === property,
  );
  return s && email.html.slice(s.start, s.end);
}

describe('render', () => {
  it('renders html, plain text, subject, preheader, size, hash and slot spans', async () => {
    const draft = newsletterDraft(T);
    const email = await render(T, draft, {
      sampleContact: { id: 'c1', fields: { 'contact.firstName': 'Ana', 'contact.tier': 'gold' } },
    });
    expect(RenderedEmailSchema.parse(email)).toMatchObject({
      draftId: 'draft-1',
      locale: 'en',
      dialect: 'preview',
      template: { id: 'newsletter', version: 3 },
    });
    expect(email.subject).toBe('Your Ana update');
    expect(email.preheader).toBe('Three ideas for the quarter');
    expect(email.html).toContain('<title>Your Ana update</title>');
    expect(email.html).toContain('lang="en"');
    expect(email.bytes).toBe(Buffer.byteLength(email.html));
    expect(email.contentHash).toBe(
      createHash('sha256')
        .update(
          canonicalJson({ subject: email.subject, preheader: email.preheader, html: email.html, text: email.text }),
        )
        .digest('hex'),
    );
    expect(JSON.parse(JSON.stringify(email)).contentHash).toBe(email.contentHash);
    expect(span(email, 'hero', 'headline')).toBe('Plan the quarter in a day');
    expect(span(email, 'promo', 'offer')).toBe('30&#37; off for gold members');
    expect(span(email, 'quote', 'quote')).toBe('Planning used to take a week.<br />Now it takes a day.');
    expect(span(email, 'article', 'photo', 'src')).toBe('https://cdn.northwind.example/a/contoso.jpg');
    expect(span(email, 'quote', 'bg', 'color')).toBe('#ffffff');
    expect(email.text).toContain(
      'Hi Ana,\nWe rebuilt planning from scratch. Here is why [https://northwind.example/why].',
    );
    expect(email.text).toContain('Read the Contoso story [https://northwind.example/contoso]');
    expect(email.text).toContain('Contoso team');
    expect(email.text).not.toContain('Three ideas for the quarter');
    expect(email.diagnostics).toEqual([]);
  });

  it('gives identical input the identical hash, and a different edit a different one', async () => {
    const a = await render(T, newsletterDraft(T));
    const b = await render(T, newsletterDraft(T));
    expect(a.contentHash).toBe(b.contentHash);
    const edited = newsletterDraft(T);
    edited.content.en!.slots.hero!.headline = 'Another headline';
    expect((await render(T, edited)).contentHash).not.toBe(a.contentHash);
  });

  it('never renders a locked change, and says so', async () => {
    const draft = draftOf(T, NEWSLETTER_MODULES, {
      en: {
        slots: {
          promo: { terms: 'No terms apply' },
          features: { icon1: { src: 'https://evil.example/x.png', alt: 'New alt' } },
          header: { logo: { src: 'https://cdn.northwind.example/logo.png', alt: 'Changed' } },
        },
      },
    });
    const email = await render(T, draft);
    expect(span(email, 'promo', 'terms')).toBe('Offer valid until 30 June for new annual subscriptions.');
    expect(span(email, 'features', 'icon1', 'src')).toBe('https://cdn.northwind.example/i/plan.png');
    expect(span(email, 'features', 'icon1', 'alt')).toBe('New alt');
    expect(span(email, 'header', 'logo', 'alt')).toBe('Northwind');
    expect(
      email.diagnostics
        .filter((d) => d.ruleId === 'template/locked-slot')
        .map((d) => [d.location.slotId, d.data?.properties]),
    ).toEqual([
      ['logo', ['alt']],
      ['icon1', ['src']],
      ['terms', ['text']],
    ]);
  });

  it('falls back along the locale chain and reports every fallback', async () => {
    const draft = newsletterDraft(T);
    const email = await render(T, draft, { locale: 'de-AT' });
    expect(email.locale).toBe('de-AT');
    expect(email.html).toContain('lang="de-AT"');
    expect(span(email, 'hero', 'headline')).toBe('Das Quartal an einem Tag planen');
    expect(email.subject).toBe('Neues für Sie');
    const fallbacks = email.diagnostics.filter((d) => d.ruleId === 'l10n/fallback');
    expect(fallbacks.find((d) => d.location.slotId === 'headline')).toMatchObject({
      severity: 'warning',
      location: { locale: 'de-AT', instanceId: 'hero' },
      data: { from: 'de' },
    });
    expect(fallbacks.find((d) => d.location.slotId === 'subline')?.data?.from).toBe('en');
    expect(fallbacks.find((d) => d.location.field === 'subject')?.data?.from).toBe('de');
    expect(email.diagnostics.find((d) => d.ruleId === 'l10n/missing-locale')?.data?.chain).toEqual([
      'de-AT',
      'de',
      'en',
    ]);
    expect(fallbacks.some((d) => d.location.slotId === 'bg')).toBe(false);
  });

  it('sets dir="rtl" for right-to-left locales', async () => {
    const email = await render(T, newsletterDraft(T), { locale: 'ar' });
    expect(email.html).toMatch(/<html[^>]*lang="ar"[^>]*dir="rtl"|<html[^>]*dir="rtl"[^>]*lang="ar"/);
  });

  it('skips hidden instances and reports content it cannot place', async () => {
    const draft = draftOf(
      T,
      ['header', 'hero', ['x', 'quote'], 'footer'],
      { en: { slots: { ghost: { a: 'b' }, hero: { nope: 'x' } } } },
      {},
    );
    draft.modules[2]!.hidden = true;
    const email = await render(T, draft);
    expect(email.html).not.toContain('We shipped twice as fast');
    expect(email.diagnostics.map((d) => d.ruleId)).toEqual(['template/unknown-instance', 'template/unknown-slot']);
  });

  it('reports constructs a dialect cannot express at the construct', async () => {
    // Eloqua: a condition in HTML is a dynamic content; in the plain-text part it is refused at the construct.
    const email = await render(T, newsletterDraft(T), { dialect: 'eloqua', fieldMap: FIELD_MAP });
    const unsupported = email.diagnostics.filter(
      (d) => d.ruleId === 'personalization/unsupported' && d.data?.construct === 'condition',
    );
    expect(unsupported).toEqual([
      expect.objectContaining({
        severity: 'error',
        location: expect.objectContaining({ instanceId: 'promo', slotId: 'offer', locale: 'en', start: 0 }),
        data: { code: 'E_UNSUPPORTED', dialect: 'eloqua', construct: 'condition' },
      }),
    ]);
    expect(unsupported[0]?.message).toMatch(/plain text/);
    const [dc] = email.dynamicContents ?? [];
    expect(span(email, 'promo', 'offer')).toBe(`<span elqid="${dc?.name ?? ''}" elqtype="DynamicContent"></span>`);
    expect(dc).toMatchObject({
      rules: [
        { criteria: [{ field: 'Tier1', operator: 'equal', value: 'gold' }], html: '30&#37; off for gold members' },
      ],
      defaultHtml: '20&#37; off annual plans',
    });
    expect(email.text).toContain('20% off annual plans');
    // Without an Eloqua field for the condition: an error at the construct, and the else-branch shows.
    const unmapped = await render(T, newsletterDraft(T), { dialect: 'eloqua' });
    const unmappedIssue = unmapped.diagnostics.find(
      (d) => d.ruleId === 'personalization/unmapped-field' && d.location.slotId === 'offer',
    );
    expect(unmappedIssue).toMatchObject({
      severity: 'error',
      location: { instanceId: 'promo', slotId: 'offer', locale: 'en', start: 0 },
      data: { code: 'E_UNSUPPORTED', dialect: 'eloqua' },
    });
    expect(span(unmapped, 'promo', 'offer')).toBe('20&#37; off annual plans');
    expect(unmapped.dynamicContents).toBeUndefined();
    // Marketo: a condition on a field with no Velocity name is an error at the construct, and the else-branch shows.
    const marketo = await render(T, newsletterDraft(T), {
      dialect: 'marketo',
      fieldMap: { marketo: { 'contact.tier': 'lead.Customer Tier' } },
    });
    expect(marketo.diagnostics.find((d) => d.ruleId === 'personalization/unsupported')).toMatchObject({
      severity: 'error',
      location: { instanceId: 'promo', slotId: 'offer', locale: 'en', start: 0 },
      data: { code: 'E_UNSUPPORTED', dialect: 'marketo', construct: 'condition' },
    });
    expect(span(marketo, 'promo', 'offer')).toBe('20&#37; off annual plans');
    expect(marketo.scriptTokens).toBeUndefined();
  });

  it('compiles a Marketo condition to an email script token the email carries, and keeps it current in a session', async () => {
    const fieldMap = { marketo: { 'contact.tier': 'lead.Tier__c' } };
    const email = await render(T, newsletterDraft(T), { dialect: 'marketo', fieldMap });
    // One token for the HTML (entities) and one for the plain-text part.
    expect(RenderedEmailSchema.parse(email).scriptTokens?.map((t) => t.context)).toEqual(['html', 'text']);
    const [token, textToken] = email.scriptTokens ?? [];
    expect(span(email, 'promo', 'offer')).toBe(`{{my.${token?.name ?? ''}}}`);
    expect(email.text).toContain(`{{my.${textToken?.name ?? ''}}}`);
    expect(token).toMatchObject({ fields: ['lead.Tier__c'], context: 'html' });
    expect(
      email.diagnostics.filter((d) => d.ruleId.startsWith('personalization/') && d.location.slotId === 'offer'),
    ).toEqual([]);
    const session = await createRenderSession(T, newsletterDraft(T), { dialect: 'marketo', fieldMap });
    const edited = await session.setSlot(
      'promo',
      'offer',
      '{% if contact.tier == "gold" %}40% off{% else %}{{ contact.firstName | default: "Friend" }}, 20% off{% endif %}',
    );
    const [next] = edited.scriptTokens ?? [];
    expect(edited.scriptTokens).toHaveLength(2);
    expect(next?.name).not.toBe(token?.name);
    expect(span(edited, 'promo', 'offer')).toBe(`{{my.${next?.name ?? ''}}}`);
    expect(edited.contentHash).not.toBe(email.contentHash);
    expect(next?.fields).toEqual(['lead.Tier__c', 'lead.FirstName']);
    const cleared = await session.setSlot('promo', 'offer', 'No offer');
    expect(cleared.scriptTokens).toBeUndefined();
  });

  it('compiles a neutral token that looks like platform syntax through the field map only', async () => {
    const draft = draftOf(T, NEWSLETTER_MODULES, { en: { slots: { hero: { headline: 'Hi {{company.Name}}' } } } });
    const email = await render(T, draft, { dialect: 'marketo' });
    expect(span(email, 'hero', 'headline')).toBe('Hi ');
    expect(email.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'personalization/unmapped-field',
        location: expect.objectContaining({ slotId: 'headline' }),
      }),
    );
  });

  it('marks slot elements with data-hs-slot only when asked', async () => {
    const annotated = await render(T, newsletterDraft(T), { annotate: true });
    expect(annotated.html).toContain('data-hs-slot="hero/headline"');
    expect(annotated.html).toContain('data-hs-slot="hero/cta"');
    expect(annotated.html).toContain('data-hs-slot="article-2/title"');
    const production = await render(T, newsletterDraft(T));
    expect(production.html).not.toContain('data-hs-slot');
    expect(production.html).not.toContain('hs-slot');
  });

  it('strips every hs-* attribute from the output', async () => {
    const email = await render(T, newsletterDraft(T));
    expect(email.html).not.toMatch(/\shs-[a-z-]+=/);
  });

  it('warns about a pinned version mismatch and refuses a draft for another template', async () => {
    const draft = draftOf(T, NEWSLETTER_MODULES, { en: {} }, { template: { id: 'newsletter', version: 2 } });
    expect((await render(T, draft)).diagnostics[0]).toMatchObject({
      ruleId: 'template/version-mismatch',
      severity: 'warning',
    });
    const other = draftOf(T, NEWSLETTER_MODULES, { en: {} }, { template: { id: 'other', version: 3 } });
    await expect(render(T, other)).rejects.toMatchObject({ code: 'E_CONFLICT', path: 'draft.template.id' });
  });

  it.each([
    [{ locale: 'english' }, 'options.locale'],
    [{ dialect: 'mailchimp' }, 'options.dialect'],
    [{ sampleContact: { id: 'c', fields: { firstName: 'x' } } }, 'options.sampleContact'],
    [{ fieldMap: { braze: { 'contact.a': '{{evil}}' } } }, 'fieldMap.braze'],
  ])('rejects bad options %j with E_VALIDATION naming the path', async (options, path) => {
    await expect(render(T, newsletterDraft(T), options as never)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: expect.stringContaining(path),
    });
  });

  it('rejects malformed drafts and templates with E_VALIDATION, never a TypeError', async () => {
    await expect(render(T, { ...newsletterDraft(T), modules: 'nope' } as never)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'draft.modules',
    });
    await expect(render(T, null as never)).rejects.toMatchObject({ code: 'E_VALIDATION' });
    await expect(render({ ...T, modules: [] }, newsletterDraft(T))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'template.modules',
    });
    const broken = {
      ...T,
      modules: T.modules.map((m, i) =>
        i === 1 ? { ...m, mjml: m.mjml.replace('hs-slot="headline"', 'hs-slot="other"') } : m,
      ),
    };
    await expect(render(broken, newsletterDraft(T))).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'template.modules[1].mjml',
    });
  });

  it('warns near the Gmail clipping limit and errors past it', async () => {
    const big = '<p>' + 'Long article text that keeps going. '.repeat(700) + '</p>';
    const articles: [string, string][] = [
      ['a1', 'article'],
      ['a2', 'article'],
      ['a3', 'article'],
      ['a4', 'article'],
    ];
    const draft = draftOf(T, ['header', 'hero', ...articles, 'footer'], {
      en: { slots: Object.fromEntries(articles.map(([id]) => [id, { summary: big }])) },
    });
    const email = await render(T, draft);
    expect(email.bytes).toBeGreaterThan(102 * 1024);
    expect(email.diagnostics.find((d) => d.ruleId === 'size/gmail-clipping')).toMatchObject({
      severity: 'error',
      data: { bytes: email.bytes },
    });
  });
});

describe('skeletons', () => {
  it('compiles once per structure: text edits reuse the skeleton, structural edits recompile', async () => {
    const cache = new SkeletonCache();
    const draft = newsletterDraft(T);
    await render(T, draft, { cache });
    const textEdit = newsletterDraft(T);
    textEdit.content.en!.slots.hero!.headline = 'Edited';
    textEdit.content.en!.slots.quote!.bg = '#000000';
    textEdit.content.en!.slots.intro!.body = '<p>New <em>rich</em> text</p>';
    await render(T, textEdit, { cache, dialect: 'braze' });
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    const resized = newsletterDraft(T);
    (resized.content.en!.slots.article!.photo as { width?: number }).width = 180;
    await render(T, resized, { cache });
    const reordered = { ...draft, modules: [...draft.modules].reverse() };
    await render(T, reordered, { cache });
    expect(cache.misses).toBe(3);
    await render(T, draft, { cache, locale: 'fr' });
    expect(cache.misses).toBe(4);
  });

  it('drops the least recently used skeleton when full', async () => {
    const cache = new SkeletonCache(2);
    const d = newsletterDraft(T);
    await render(T, d, { cache, locale: 'en' });
    await render(T, d, { cache, locale: 'de' });
    await render(T, d, { cache, locale: 'en' });
    await render(T, d, { cache, locale: 'fr' });
    expect(cache.size).toBe(2);
    await render(T, d, { cache, locale: 'en' });
    expect(cache.misses).toBe(3);
  });

  it('differs from a full compile only in the documented way: edge whitespace of a whole ending-tag value', async () => {
    const t = template(
      mjml(
        '<mj-section hs-module="m"><mj-column><mj-text hs-slot="t" hs-kind="text">Hi</mj-text></mj-column></mj-section>',
      ),
    );
    const padded = await verifySkeleton(t, draftOf(t, ['m'], { en: { slots: { m: { t: '  Hi  ' } } } }));
    expect(padded.html.equal).toBe(false);
    expect(padded.html.skeleton.replace('>  Hi  <', '>Hi<')).toBe(padded.html.full);
    expect((await verifySkeleton(t, draftOf(t, ['m'], { en: { slots: { m: { t: 'Hi  there' } } } }))).equal).toBe(true);
  });

  it.each(DIALECTS)(
    'a filled skeleton equals a full mjml compile of the same document (newsletter, %s)',
    async (dialect) => {
      const result = await verifySkeleton(T, newsletterDraft(T), {
        dialect,
        fieldMap: FIELD_MAP,
        sampleContact: { id: 'c', fields: { 'contact.firstName': 'Jo' } },
      });
      expect(result.html.firstDifference).toBeUndefined();
      expect(result.text.firstDifference).toBeUndefined();
      expect(result.equal).toBe(true);
    },
  );

  it('holds for every slot kind, inline CSS and mj-html-attributes (every mj-* component)', async () => {
    const e = template(fixture('event-invite.mjml'));
    const draft = draftOf(
      e,
      [
        'preheader-bar',
        'nav',
        'hero',
        'details',
        'agenda',
        'gallery',
        ['gallery-2', 'gallery'],
        'faq',
        'contact',
        'footer',
      ],
      {
        en: {
          subject: 'Join {{ contact.firstName | default: "us" }}',
          slots: {
            nav: { venueLink: { href: 'https://events.example/venue?x=1&y=2', text: 'Venue & map' } },
            hero: {
              heroImage: { src: 'https://cdn.events.example/other stage.jpg' },
              title: 'Summit: {% if contact.tier == "gold" %}VIP{% else %}2026{% endif %}',
            },
            details: {
              speaker: { src: 'https://cdn.events.example/s2.jpg', alt: 'Dr. Lee', width: 200 },
              about:
                '<p>Hi {{ contact.firstName | default: "you" }}, <em>welcome</em> &amp; enjoy</p><script>x()</script><p onclick="x">two</p>',
              showDisclaimer: false,
              ctaColor: '#ABC',
            },
            agenda: { agendaAlign: 'center', showSecond: false, session1: 'Opening <keynote> & "Q&A"' },
            'gallery-2': { photo1: { src: 'https://cdn.events.example/g9.jpg', alt: 'Crowd' } },
            faq: {
              showQ2: true,
              q1: 'Parking?',
              a1: 'Yes, <a href="javascript:alert(1)">here</a><br>and <strong>there</strong>',
            },
            contact: {
              mail: { href: 'mailto:help@northwind.example', text: 'Mail us' },
              badge: { src: 'https://cdn.events.example/b.png', alt: 'Badge', width: 60, height: 20 },
            },
          },
        },
      },
    );
    for (const dialect of DIALECTS) {
      for (const annotate of [false, true]) {
        const result = await verifySkeleton(e, draft, { dialect, annotate, fieldMap: FIELD_MAP });
        expect({ dialect, annotate, html: result.html.firstDifference, text: result.text.firstDifference }).toEqual({
          dialect,
          annotate,
          html: undefined,
          text: undefined,
        });
      }
    }
  });
});

describe('kept hole outputs (a render of a cached skeleton re-writes only the holes whose inputs changed)', () => {
  const fields = (e: RenderedEmail) => ({
    html: e.html,
    text: e.text,
    subject: e.subject,
    preheader: e.preheader,
    diagnostics: e.diagnostics,
    slotSpans: e.slotSpans,
  });

  it('serves no stale output for a draft object changed in place, nor for a session draft changed in place', async () => {
    const cache = new SkeletonCache();
    const draft = newsletterDraft(T);
    const slots = draft.content.en!.slots;
    await render(T, draft, { dialect: 'hubspot', cache });
    slots.hero!.headline = 'Changed in place';
    (slots.features!.icon1 as { alt: string }).alt = 'Changed alt';
    (slots.hero!.cta as { text: string }).text = 'Changed link';
    const email = await render(T, draft, { dialect: 'hubspot', cache });
    expect(span(email, 'hero', 'headline')).toBe('Changed in place');
    expect(email.html).toContain('alt="Changed alt"');
    expect(email.html).toContain('Changed link');
    expect(fields(email)).toEqual(fields(await render(T, draft, { dialect: 'hubspot', cache: new SkeletonCache() })));

    // A session's draft holds the values it validated and rendered: changed in place, a render of it shows the change.
    const own = new SkeletonCache();
    const session = await createRenderSession(T, newsletterDraft(T), { dialect: 'hubspot', cache: own });
    const photo = session.draft.content.en!.slots.article!.photo as { alt: string };
    photo.alt = 'Session alt changed in place';
    const again = await render(T, session.draft, { dialect: 'hubspot', cache: own });
    expect(again.html).toContain('alt="Session alt changed in place"');
  });

  it('keeps no output across templates: a copy of the template with another default renders that default', async () => {
    const cache = new SkeletonCache();
    const draft = newsletterDraft(T);
    delete draft.content.en!.slots.hero!.headline;
    const other = structuredClone(T);
    const headline = other.modules.find((m) => m.id === 'hero')!.slots.find((s) => s.id === 'headline')!;
    (headline as { default: string }).default = 'Another default';
    expect(span(await render(T, draft, { dialect: 'hubspot', cache }), 'hero', 'headline')).toBe('Spring is here');
    expect(span(await render(other, draft, { dialect: 'hubspot', cache }), 'hero', 'headline')).toBe('Another default');
    expect(span(await render(T, draft, { dialect: 'hubspot', cache }), 'hero', 'headline')).toBe('Spring is here');
  });

  it('renders each of many edits, dialects, locales, field maps and dark schemes as a fresh render would', async () => {
    const cache = new SkeletonCache();
    const dark = [{ light: '#ffffff', dark: '#161616' }];
    const edits: ((d: Draft) => void)[] = [
      (d) => (d.content.en!.slots.hero!.headline = 'Hello {{ contact.firstName }} & <friends>'),
      (d) => (d.content.en!.slots.intro!.body = '<p>Rich <b>edit</b> {{ contact.tier }}</p>'),
      (d) => (d.content.en!.slots.hero!.cta = { href: 'https://northwind.example/new', text: 'New' }),
      (d) => (d.content.en!.slots.features!.icon1 = { src: 'https://cdn.northwind.example/i/x.png', alt: 'X' }),
      (d) => (d.content.en!.subject = 'A {{ contact.firstName | default: "new" }} subject'),
      (d) => delete d.content.en!.slots.hero!.headline,
      (d) => (d.content.en!.slots.quote!.bg = '#fafafa'),
      () => undefined,
    ];
    const options = [
      { dialect: 'hubspot' as const },
      { dialect: 'marketo' as const },
      { dialect: 'eloqua' as const, fieldMap: FIELD_MAP },
      { dialect: 'braze' as const, fieldMap: FIELD_MAP },
      { dialect: 'sfmc' as const, locale: 'de' },
      { dialect: 'preview' as const },
      { dialect: 'hubspot' as const, darkMode: dark },
    ];
    for (const [i, edit] of edits.entries()) {
      for (const option of options) {
        const draft = newsletterDraft(T);
        edit(draft);
        if (i % 2 === 1) edits[i - 1]?.(draft);
        const kept = await render(T, draft, { ...option, cache });
        const fresh = await render(T, draft, { ...option, cache: new SkeletonCache() });
        expect(fields(kept)).toEqual(fields(fresh));
      }
    }
  });
});

describe('render sessions', () => {
  async function same(sessionEmail: RenderedEmail, draft: Draft, options = {}) {
    const fresh = await render(T, draft, options);
    expect(sessionEmail.html).toBe(fresh.html);
    expect(sessionEmail.text).toBe(fresh.text);
    expect(sessionEmail.subject).toBe(fresh.subject);
    expect(sessionEmail.diagnostics).toEqual(fresh.diagnostics);
  }

  it('re-renders a text edit exactly as a fresh render would', async () => {
    const cache = new SkeletonCache();
    const session = await createRenderSession(T, newsletterDraft(T), { dialect: 'hubspot', cache });
    const email = await session.setSlot('hero', 'headline', 'Hello {{ contact.firstName }} & <friends>');
    expect(span(email, 'hero', 'headline')).toBe('Hello {{ contact.firstname|escape }} &amp; &lt;friends&gt;');
    await same(email, session.draft, { dialect: 'hubspot' });
    await same(await session.setSlot('intro', 'body', '<p>Rich <b>edit</b></p>'), session.draft, {
      dialect: 'hubspot',
    });
    await same(
      await session.setSlot('hero', 'cta', { href: 'https://northwind.example/new', text: 'New' }),
      session.draft,
      { dialect: 'hubspot' },
    );
    await same(await session.setField('subject', 'A {{ contact.firstName | default: "new" }} subject'), session.draft, {
      dialect: 'hubspot',
    });
    await same(await session.setSlot('hero', 'headline', undefined), session.draft, { dialect: 'hubspot' });
    expect(span(session.email, 'hero', 'headline')).toBe('Spring is here');
    expect(cache.misses).toBe(1);
  });

  it('recompiles for structural edits and locale changes that matter', async () => {
    const cache = new SkeletonCache();
    const session = await createRenderSession(T, newsletterDraft(T), { cache });
    await same(
      await session.setSlot('article', 'photo', { src: 'https://cdn.northwind.example/a/x.jpg', alt: 'x', width: 150 }),
      session.draft,
    );
    expect(cache.misses).toBe(2);
    await same(await session.setField('preheader', ''), session.draft);
    expect(cache.misses).toBe(3);
    const before = session.email;
    expect((await session.setSlot('hero', 'headline', 'Seulement en français', 'fr')).html).toBe(before.html);
    expect(session.draft.content.fr?.slots.hero?.headline).toBe('Seulement en français');
    const reordered = { ...session.draft, modules: session.draft.modules.filter((m) => m.instanceId !== 'quote') };
    await same(await session.setDraft(reordered), reordered);
  });

  it('validates each edit', async () => {
    const session = await createRenderSession(T, newsletterDraft(T));
    await expect(session.setSlot('nope', 'headline', 'x')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(session.setSlot('hero', 'nope', 'x')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(session.setSlot('hero', 'headline', { bad: true } as never)).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: expect.stringContaining('hero.headline'),
    });
    await expect(session.setSlot('hero', 'headline', 'x', 'not a locale')).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'locale',
    });
    await expect(session.setField('title' as never, 'x')).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'field',
    });
    await expect(session.setField('subject', 'x'.repeat(1001))).rejects.toMatchObject({ code: 'E_VALIDATION' });
    const email = await session.setSlot('hero', 'headline', { src: 'https://x.example/a.png' });
    expect(email.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'template/wrong-kind',
        location: expect.objectContaining({ slotId: 'headline' }),
      }),
    );
  });
});

describe('preparePreview', () => {
  it('personalizes many recipients from one compiled draft, equal to a preview render each', async () => {
    const draft = newsletterDraft(T);
    const prepared = await preparePreview(T, draft);
    const contacts = [
      { id: 'a', fields: { 'contact.firstName': 'Ana', 'contact.tier': 'gold' } },
      { id: 'b', fields: { 'contact.firstName': '<b>Bo</b>' } },
      { id: 'c', fields: {} },
    ];
    for (const contact of contacts) {
      const one = prepared.personalize(contact);
      const rendered = await render(T, draft, { sampleContact: contact });
      expect(one).toEqual({
        subject: rendered.subject,
        preheader: rendered.preheader,
        html: rendered.html,
        text: rendered.text,
      });
    }
    expect(prepared.personalize({ 'contact.firstName': 'Raw' }).subject).toBe('Your Raw update');
    expect(decodeHTML(prepared.personalize(contacts[1]).html)).toContain('Hi <b>Bo</b>,');
    expect(prepared.personalize().subject).toBe('Your spring update');
    expect(() => prepared.personalize({ 'contact.firstName': { nested: true } } as never)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION' }),
    );
  });
});

describe('templates written by hand', () => {
  it('quotes body attributes that hold both quote characters', async () => {
    const t = template(mjml('<mj-section hs-module="m"><mj-column><mj-text>x</mj-text></mj-column></mj-section>'));
    const email = await render({ ...t, bodyAttributes: { 'css-class': `a"b'c` } }, draftOf(t, ['m']));
    expect(email.html).toContain(`class="a&quot;b'c"`);
  });

  it('renders a minimal template with no head fields', async () => {
    const t = template(
      mjml(
        '<mj-section hs-module="m"><mj-column><mj-text hs-slot="t" hs-kind="text">Hi</mj-text></mj-column></mj-section>',
        '',
      ),
    );
    const email = await render(t, draftOf(t, ['m']));
    expect(email.subject).toBe('');
    expect(span(email, 'm', 't')).toBe('Hi');
    expect(email.html).toContain('<title></title>');
  });
});
