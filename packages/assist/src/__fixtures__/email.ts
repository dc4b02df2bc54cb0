import {
  parse,
  DraftSchema,
  TemplateSchema,
  type Diagnostic,
  type Draft,
  type DraftInput,
  type Template,
} from '@hubspoke/core';
import type { BrandCandidate } from '../tasks/brand-check.js';

export const template: Template = parse(TemplateSchema, {
  id: 'newsletter',
  version: 1,
  name: 'Newsletter',
  subject: { maxLength: 60 },
  preheader: { maxLength: 110, required: false },
  modules: [
    {
      id: 'hero',
      name: 'Hero',
      mjml: '<mj-section><mj-column><mj-text>hero</mj-text></mj-column></mj-section>',
      slots: [
        { id: 'headline', kind: 'text', label: 'Headline', maxLength: 60 },
        { id: 'image', kind: 'image' },
        { id: 'body', kind: 'richText', maxLength: 400 },
      ],
    },
    {
      id: 'cta',
      name: 'Call to action',
      mjml: '<mj-section><mj-column><mj-button>cta</mj-button></mj-column></mj-section>',
      slots: [{ id: 'button', kind: 'link', maxTextLength: 25 }],
    },
    {
      id: 'footer',
      name: 'Footer',
      lock: 'locked',
      mjml: '<mj-section><mj-column><mj-text>footer</mj-text></mj-column></mj-section>',
      slots: [
        { id: 'legal', kind: 'text', translatable: false },
        { id: 'theme', kind: 'list', options: ['light', 'dark'] },
      ],
    },
  ],
});

export const draftInput: DraftInput = {
  id: 'spring-sale',
  name: 'Spring sale',
  template: { id: 'newsletter', version: 1 },
  author: 'lena@example.com',
  defaultLocale: 'en',
  modules: [
    { instanceId: 'hero-1', moduleId: 'hero' },
    { instanceId: 'cta-1', moduleId: 'cta' },
    { instanceId: 'footer-1', moduleId: 'footer' },
  ],
  content: {
    en: {
      subject: 'Our spring sale starts today',
      preheader: 'Fresh tulips and garden tools for less.',
      slots: {
        'hero-1': {
          headline: 'Hello {{ contact.firstName | default: "there" }}, spring is here',
          image: { src: 'https://cdn.example.com/img/spring-sale_tulips@2x.jpg?w=600' },
          body: '<p>Save on <b>tulips</b> &amp; tools.{% if contact.vip %} VIPs get early access.{% endif %}</p>',
        },
        'cta-1': { button: { href: 'https://shop.example.com/spring', text: 'Shop the sale' } },
        'footer-1': { legal: 'Example Ltd, 1 Main St', theme: 'light' },
      },
    },
  },
};

export const draft: Draft = parse(DraftSchema, draftInput);

/** A stand-in for brand rules: no "free", no shouting, at most one "!". */
export function brandCheck(candidate: BrandCandidate): Diagnostic[] {
  const found: Diagnostic[] = [];
  if (/\bfree\b/i.test(candidate.text))
    found.push({ ruleId: 'brand/banned-term', severity: 'error', message: 'Do not promise "free"', location: {} });
  if (/[A-Z]{5,}/.test(candidate.text))
    found.push({ ruleId: 'brand/all-caps', severity: 'error', message: 'No shouting', location: {} });
  if ((candidate.text.match(/!/g) ?? []).length > 1)
    found.push({ ruleId: 'brand/exclamations', severity: 'warning', message: 'At most one "!"', location: {} });
  return found;
}
