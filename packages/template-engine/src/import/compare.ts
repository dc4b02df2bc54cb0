import type { Template } from '@hubspoke/core';
import { createDraft } from '../draft/create-draft.js';
import { loadMjml } from '../mjml/load.js';
import { htmlToPlainText } from '../render/plain-text.js';
import { render } from '../render/render.js';
import { directionOf } from '../render/structure.js';
import { expandIncludes, type IncludeReader } from '../template/includes.js';

export interface ImportComparison {
  /** The same HTML, byte for byte (mjml's random carousel/navbar ids aside). */
  identical: boolean;
  /** The same HTML once whitespace is normalized (runs collapsed, none between tags). */
  equal: boolean;
  /** The same visible text (html-to-text of both). */
  sameText: boolean;
  /** Where the normalized HTML first differs. */
  firstDifference?: number;
  /** Both HTML documents, for a diff. */
  imported: string;
  original: string;
}

const stableIds = (html: string) => html.replace(/\b[0-9a-f]{16}\b/g, 'id');
const collapse = (html: string) => html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim();

/**
 * Checks the import invariant for one email: the template's default draft, rendered for its
 * default locale in the preview dialect, against `mjml2html` of the original email. The only
 * change made to the original first is `lang`/`dir` on `<mjml>`, which a render sets from the
 * locale. Costs two mjml compiles.
 */
export async function compareImport(
  original: string,
  template: Template,
  options: { file?: string; includes?: IncludeReader } = {},
): Promise<ImportComparison> {
  const draft = createDraft(template, { id: 'import-check', name: 'Import check', author: 'hubspoke' });
  const imported = (await render(template, draft)).html;
  const expanded =
    options.includes && original.includes('<mj-include')
      ? expandIncludes(original, options.file, options.includes).source
      : original;
  const locale = template.defaultLocale;
  const root = expanded.replace(/<mjml\b([^>]*)>/i, (_, attrs: string) => {
    const rest = attrs.replace(/\s+(?:lang|dir)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, '');
    return `<mjml lang="${locale}" dir="${directionOf(locale)}"${rest}>`;
  });
  const { mjml2html } = loadMjml();
  const reference = (await mjml2html(root, { validationLevel: 'skip', keepComments: true, minify: false })).html;
  const a = stableIds(imported);
  const b = stableIds(reference);
  const ca = collapse(a);
  const cb = collapse(b);
  let firstDifference: number | undefined;
  if (ca !== cb) {
    firstDifference = 0;
    while (ca[firstDifference] === cb[firstDifference]) firstDifference += 1;
  }
  return {
    identical: a === b,
    equal: ca === cb,
    sameText: htmlToPlainText(a) === htmlToPlainText(b),
    ...(firstDifference !== undefined && { firstDifference }),
    imported,
    original: reference,
  };
}
