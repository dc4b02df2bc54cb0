import { canonicalJson } from '../canonical-json.js';
import type { Draft } from '../schemas/draft.js';
import type { RenderedEmail } from '../schemas/rendered-email.js';
import type { Template } from '../schemas/template.js';
import { sha256Hex } from './sha256.js';

/** `RenderedEmail.contentHash`: SHA-256 (hex) over the canonical JSON of {subject, preheader, html, text}. */
export function emailContentHash(email: Pick<RenderedEmail, 'subject' | 'preheader' | 'html' | 'text'>): string {
  const { subject, preheader, html, text } = email;
  return sha256Hex(canonicalJson({ subject, preheader, html, text }));
}

/**
 * What an approval pins, as `sha256:<hex>`: the draft's arrangement and content and the content of
 * the template version it pins (a template edited in place must be reviewed again before a push).
 * The template's MJML `source` is left out: the parsed modules already hold what renders.
 */
export function draftContentHash(
  draft: Pick<Draft, 'modules' | 'content' | 'defaultLocale'>,
  template: Template,
): string {
  const { modules, content, defaultLocale } = draft;
  const { source: _source, ...templateContent } = template;
  return `sha256:${sha256Hex(canonicalJson({ template: templateContent, modules, content, defaultLocale }))}`;
}
