import { readFileSync } from 'node:fs';
import type { Draft, DraftInput, Template } from '@hubspoke/core';
import { DraftSchema } from '@hubspoke/core';
import { parseTemplate } from '../template/parse-template.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

/** A minimal template source around some body modules. */
export function mjml(body: string, head = '<mj-title>Subject</mj-title>', root = 'hs-id="t" hs-version="1"'): string {
  return `<mjml ${root}>\n<mj-head>${head}</mj-head>\n<mj-body>\n${body}\n</mj-body>\n</mjml>`;
}

export function template(source: string): Template {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(`fixture template does not parse: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.template;
}

export const newsletter = (): Template => template(fixture('newsletter.mjml'));

/** A draft of `t` with the given modules (instance id = module id unless given) and English content. */
export function draftOf(t: Template, modules: (string | [string, string])[], content: DraftInput['content'] = { en: {} }, extra: Partial<DraftInput> = {}): Draft {
  return DraftSchema.parse({
    id: 'draft-1',
    name: 'Draft',
    template: { id: t.id, version: t.version },
    author: 'spoke@example.com',
    defaultLocale: 'en',
    modules: modules.map((m) => (typeof m === 'string' ? { instanceId: m, moduleId: m } : { instanceId: m[0], moduleId: m[1] })),
    content,
    ...extra,
  });
}

export const NEWSLETTER_MODULES = ['header', 'hero', 'intro', 'features', 'article', ['article-2', 'article'], 'quote', 'events', 'promo', 'social', 'footer'] as (string | [string, string])[];

/** A fully written newsletter draft: every editable kind filled, two locales. */
export function newsletterDraft(t: Template = newsletter()): Draft {
  return draftOf(t, NEWSLETTER_MODULES, {
    en: {
      subject: 'Your {{ contact.firstName | default: "spring" }} update',
      preheader: 'Three ideas for the quarter',
      slots: {
        hero: { headline: 'Plan the quarter in a day', subline: 'A workshop format that works', cta: { href: 'https://northwind.example/workshop', text: 'Book a seat' } },
        intro: { greeting: 'Hi {{ contact.firstName | default: "there" }},', body: '<p>We rebuilt <strong>planning</strong> from scratch. <a href="https://northwind.example/why">Here is why</a>.</p>' },
        features: { title1: 'Decide', icon1: { src: 'https://cdn.northwind.example/i/plan.png', alt: 'A calendar' } },
        article: { title: 'How Contoso ships weekly', summary: '<p>Small batches, <em>fast</em> feedback.</p>', photo: { src: 'https://cdn.northwind.example/a/contoso.jpg', alt: 'Contoso team', width: 220 }, link: { href: 'https://northwind.example/contoso', text: 'Read the Contoso story' } },
        'article-2': { title: 'Five planning mistakes', summary: '<p>And how to avoid them.</p>', link: { href: 'https://northwind.example/mistakes', text: 'See the five mistakes' } },
        quote: { bg: '#ffffff', quote: 'Planning used to take a week.\nNow it takes a day.', author: 'Sam Lee, Fabrikam' },
        events: { event1: 'Quarter planning workshop', city1: 'Munich' },
        promo: { offer: '{% if contact.tier == "gold" %}30% off for gold members{% else %}20% off annual plans{% endif %}', promoBg: '#0b5cad' },
      },
    },
    de: {
      subject: 'Neues für {{ contact.firstName | default: "Sie" }}',
      slots: { hero: { headline: 'Das Quartal an einem Tag planen' } },
    },
  });
}
