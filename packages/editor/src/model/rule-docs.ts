/**
 * Short explanations of the template engine's own rules (brand rules explain themselves in their
 * metadata, which reaches the page through the linter: see `LinterInfo`). Kept apart from `lint.ts`
 * so the page does not load the brand rules to explain a finding.
 */
export const ENGINE_RULES: Readonly<Record<string, string>> = {
  'template/too-long': 'The template limits how long this text may be, so it fits its place in every client.',
  'template/too-short': 'The template asks for at least this much text here.',
  'template/required-slot': 'The hub marked this content as required: the email is incomplete without it.',
  'template/required-field': 'Every email needs this in every locale it is sent in.',
  'template/missing-alt': 'Screen readers read alt text aloud, and clients show it when images are blocked.',
  'template/off-palette': 'Colours come from the brand palette so every email looks like the brand.',
  'template/link-domain': 'Links may only point to the domains the hub approved for this place.',
  'template/link-scheme': 'Only https, mailto and tel links are safe in every client.',
  'template/image-library': 'Images come from the brand’s asset library, which tracks licences and expiry.',
  'template/image-domain': 'Images may only come from the hosts the hub approved.',
  'template/empty-link-text': 'A link without text cannot be read or clicked by everyone.',
  'template/locked-slot': 'The hub locked this content; the server refuses changes to it.',
  'template/module-count': 'The template sets how many times a module may appear.',
  'template/pinned-module': 'Pinned modules (header, footer) belong in every email.',
  'personalization/syntax': 'Personalization must be complete so every platform can read it.',
  'personalization/unmapped-field': 'The platform this email goes to does not know this contact field.',
  'template/rich-text-sanitized': 'Formatting outside the allowed list is removed when the email is rendered.',
  'size/gmail-clipping': 'Gmail cuts emails larger than about 102 KB behind a “View entire message” link.',
};
