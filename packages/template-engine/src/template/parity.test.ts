import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryEmail } from '../__fixtures__/mjml-arbitrary.js';
import { createDraft } from '../draft/create-draft.js';
import { loadMjml } from '../mjml/load.js';
import { render, verifySkeleton } from '../render/render.js';
import { parseTemplate } from './parse-template.js';

/** mjml numbers carousels and navbars randomly per compile. */
const stable = (html: string) => html.replace(/\b[0-9a-f]{16}\b/g, 'id');

/** What mjml renders for the email, with the lang/dir a render sets from the template's locale. */
async function mjmlHtml(source: string): Promise<string> {
  const result = await loadMjml().mjml2html(source.replace(/^<mjml\b/, '<mjml lang="en" dir="ltr"'), {
    validationLevel: 'soft',
  });
  expect(result.errors).toEqual([]);
  return result.html;
}

describe('parser parity with mjml', () => {
  it('a declared template renders, untouched, exactly what mjml renders for the email (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryEmail(), async (email) => {
        const parsed = parseTemplate(email.template);
        expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        if (!parsed.ok) return;
        const draft = createDraft(parsed.template, { id: 'd', name: 'd', author: 'hub@example.com' });
        const rendered = await render(parsed.template, draft);
        expect(stable(rendered.html)).toBe(stable(await mjmlHtml(email.source)));
        // …and the filled skeleton equals a whole compile of the same draft.
        const skeleton = await verifySkeleton(parsed.template, draft);
        expect(skeleton.html.firstDifference).toBeUndefined();
        expect(skeleton.text.firstDifference).toBeUndefined();
      }),
      { numRuns: Number(process.env.HUBSPOKE_PARITY_RUNS ?? 60) },
    );
  }, 300_000);
});
