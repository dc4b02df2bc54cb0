import type { BrandKitInput, DraftInput, RenderedEmail, SlotSpan, TemplateInput } from '@hubspoke/core';

/** A realistic brand kit: every policy the rules read is set. */
export const kit = {
  id: 'acme',
  name: 'Acme Corp',
  palette: [
    { name: 'Acme Blue', hex: '#0B5FFF', role: 'primary' },
    { name: 'Ink', hex: '#1A1A1A', role: 'text' },
    { name: 'Paper', hex: '#FFFFFF', role: 'background' },
    { name: 'Mist', hex: '#F4F6FA', role: 'neutral' },
  ],
  fonts: [{ family: 'Inter', fallbacks: ['Arial', 'Helvetica'], role: 'any' }],
  typography: { minFontSizePx: 14 },
  logos: [{ id: 'main', url: 'https://cdn.acme.example/logo.png', alt: 'Acme', minWidth: 80, maxWidth: 200 }],
  voice: {
    bannedTerms: [
      { term: 'cheap', caseSensitive: false, reason: 'we are affordable, not cheap' },
      { term: 'ACME Inc', caseSensitive: true },
      { term: 'günstig', caseSensitive: false, locales: ['de'] },
    ],
    preferredTerms: [
      { use: 'sign in', insteadOf: ['log in', 'login'], caseSensitive: false },
      { use: 'email', insteadOf: ['e-mail'], caseSensitive: false },
      { use: 'AcmeCloud', insteadOf: ['Acme cloud'], caseSensitive: true },
    ],
    maxReadingGrade: { en: 9, de: 10 },
  },
  legal: [
    { id: 'imprint-eu', text: 'Acme GmbH, Hauptstraße 1, 10115 Berlin', regions: ['EMEA'], placement: 'footer' },
    { id: 'unsubscribe-en', text: 'You can unsubscribe at any time.', locales: ['en'], placement: 'anywhere' },
  ],
  links: { requireHttps: true, allowedDomains: ['acme.example', '*.acme.example'], requiredUtm: { utm_source: 'email', utm_medium: 'newsletter' } },
  images: { requireAlt: true, libraryOnly: true, genericAltTerms: ['image', 'picture', 'photo', 'banner', 'logo'] },
  subjectLine: { maxLength: 50, maxEmoji: 1, maxExclamations: 1, allowAllCaps: false, spamTerms: ['free money', '100% free'] },
  assets: [
    { id: 'hero-spring', url: 'https://cdn.acme.example/hero.jpg', kind: 'image', altText: { en: 'Tulips in a Berlin park', '*': 'Tulpen' }, licensedRegions: ['EMEA', 'NA'], expiresOn: '2027-06-30' },
    { id: 'old-promo', url: 'https://cdn.acme.example/old.jpg', kind: 'image', licensedRegions: ['*'], expiresOn: '2025-12-31' },
    { id: 'us-only', url: 'https://cdn.acme.example/us.jpg', kind: 'image', licensedRegions: ['NA'] },
  ],
} satisfies BrandKitInput;

export const template = {
  id: 'newsletter',
  version: 3,
  name: 'Newsletter',
  modules: [
    {
      id: 'header',
      name: 'Header',
      pinned: true,
      lock: 'locked',
      position: 'start',
      occurs: { min: 1, max: 1 },
      mjml: '<mj-section><mj-column><mj-image src="https://cdn.acme.example/logo.png" alt="Acme" width="120px"></mj-image></mj-column></mj-section>',
    },
    {
      id: 'hero',
      name: 'Hero',
      occurs: { min: 1, max: 3 },
      mjml:
        '<mj-section><mj-column><mj-text hs-slot="headline" hs-kind="text"><h1>Hello</h1></mj-text><mj-text hs-slot="copy" hs-kind="richText"></mj-text><mj-image hs-slot="pic" hs-kind="image"></mj-image><mj-button hs-slot="cta" hs-kind="link" href="https://acme.example/shop">Shop</mj-button><mj-text hs-slot="legalNote" hs-kind="text"></mj-text></mj-column></mj-section>',
      slots: [
        { id: 'headline', kind: 'text', maxLength: 80 },
        { id: 'copy', kind: 'richText' },
        { id: 'pic', kind: 'image', lock: { custom: { src: 'enabled', alt: 'enabled' } } },
        { id: 'cta', kind: 'link', lock: 'textOnly', default: { href: 'https://acme.example/shop?utm_source=email&utm_medium=newsletter', text: 'Shop now' } },
        { id: 'accent', kind: 'color' },
        { id: 'legalNote', kind: 'text', lock: 'locked', default: 'Offer valid while stocks last.' },
      ],
    },
    {
      id: 'footer',
      name: 'Footer',
      pinned: true,
      lock: 'locked',
      position: 'end',
      occurs: { min: 1, max: 1 },
      mjml: '<mj-section><mj-column><mj-text>Acme GmbH, Hauptstraße 1, 10115 Berlin</mj-text><mj-text>You can unsubscribe at any time.</mj-text></mj-column></mj-section>',
    },
  ],
} satisfies TemplateInput;

/** A clean English draft: lints with no findings against `kit`. */
export const cleanDraft = {
  id: 'spring-sale',
  name: 'Spring sale',
  template: { id: 'newsletter', version: 3 },
  author: 'lena',
  region: 'EMEA',
  defaultLocale: 'en',
  modules: [
    { instanceId: 'header-1', moduleId: 'header' },
    { instanceId: 'hero-1', moduleId: 'hero' },
    { instanceId: 'footer-1', moduleId: 'footer' },
  ],
  content: {
    en: {
      subject: 'Spring is here, {{ contact.firstName | default: "friend" }}',
      preheader: 'Fresh picks for your weekend',
      slots: {
        'hero-1': {
          headline: 'Fresh flowers for spring',
          copy: '<p>Pick a bunch you like. We bring it to your door.</p>',
          pic: { src: 'https://cdn.acme.example/hero.jpg', alt: 'Tulips in a Berlin park', assetId: 'hero-spring' },
          cta: { href: 'https://acme.example/shop?utm_source=email&utm_medium=newsletter', text: 'Shop now' },
          accent: '#0B5FFF',
        },
      },
    },
  },
} satisfies DraftInput;

/** Deep copy of the clean draft with `en` content changed by `edit`. */
export function draftWith(edit: (en: (typeof cleanDraft)['content']['en'] & Record<string, unknown>) => void): DraftInput {
  const draft = structuredClone<typeof cleanDraft>(cleanDraft);
  edit(draft.content.en);
  return draft;
}

/** The clean draft plus content for other locales (and `edit` applied to `en`). */
export function withLocales(others: Record<string, { subject?: string; slots: Record<string, Record<string, string>> }>, edit: Parameters<typeof draftWith>[0] = () => undefined): DraftInput {
  const draft = draftWith(edit);
  return { ...draft, content: { ...draft.content, ...others } };
}

export interface SlotHtml {
  readonly instanceId: string;
  readonly slotId: string;
  readonly html: string;
}

/**
 * Builds MJML-5-like output (layout tables, inline styles, an MSO conditional comment, a
 * hidden preheader) around slot fragments, recording slot spans like a renderer would.
 */
export function renderedEmail(options: { slots?: readonly SlotHtml[]; footer?: string; subject?: string; preheader?: string; locale?: string; head?: string; spans?: boolean; text?: string } = {}): RenderedEmail {
  const spans: SlotSpan[] = [];
  let html = `<!doctype html><html lang="${options.locale ?? 'en'}"><head><title></title><!--[if mso]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]--><style type="text/css">${options.head ?? 'body { margin:0; } .link { color:#0B5FFF; }'}</style></head><body style="word-spacing:normal;background-color:#F4F6FA;"><div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">${options.preheader ?? 'Fresh picks'}</div><div style="background-color:#F4F6FA;" lang="en" dir="auto">`;
  html += '<table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="width:100%;"><tbody><tr><td style="direction:ltr;font-size:0px;padding:20px 0;text-align:center;"><img alt="Acme" src="https://cdn.acme.example/logo.png" width="120" style="border:0;display:block;"></td></tr></tbody></table>';
  for (const slot of options.slots ?? []) {
    html += '<table align="center" border="0" cellpadding="0" cellspacing="0" role="presentation" style="background:#FFFFFF;background-color:#FFFFFF;width:100%;"><tbody><tr><td align="left" style="font-size:0px;padding:10px 25px;word-break:break-word;"><div style="font-family:Inter, Arial, sans-serif;font-size:16px;line-height:1.5;text-align:left;color:#1A1A1A;">';
    const start = html.length;
    html += slot.html;
    if (options.spans !== false) spans.push({ instanceId: slot.instanceId, slotId: slot.slotId, start, end: html.length });
    html += '</div></td></tr></tbody></table>';
  }
  html += `<table role="presentation" style="width:100%;"><tbody><tr><td style="padding:20px;"><div style="font-family:Inter, Arial, sans-serif;font-size:14px;color:#1A1A1A;">${options.footer ?? 'Acme GmbH, Hauptstraße 1, 10115 Berlin<br>You can unsubscribe at any time.'}</div></td></tr></tbody></table>`;
  html += '</div></body></html>';
  return {
    draftId: 'spring-sale',
    draftVersion: 1,
    template: { id: 'newsletter', version: 3 },
    locale: options.locale ?? 'en',
    dialect: 'preview',
    subject: options.subject ?? 'Spring is here, friend',
    preheader: options.preheader ?? 'Fresh picks',
    html,
    text: options.text ?? 'Fresh flowers\n\nAcme GmbH, Hauptstraße 1, 10115 Berlin\nYou can unsubscribe at any time.',
    bytes: Buffer.byteLength(html),
    contentHash: 'a'.repeat(64),
    diagnostics: [],
    ...(spans.length > 0 ? { slotSpans: spans } : {}),
  };
}

/** A config with only the given rules on (at `error` unless a setting is given). */
export function only(...rules: (string | [string, unknown])[]): { rules: Record<string, unknown> } {
  return { rules: Object.fromEntries(rules.map((r) => (typeof r === 'string' ? [r, 'error'] : r))) };
}
