import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { valid } from '../__fixtures__/samples.js';
import { DraftSchema } from '../schemas/draft.js';
import { RenderedEmailSchema } from '../schemas/rendered-email.js';
import { TemplateSchema } from '../schemas/template.js';
import { draftContentHash, emailContentHash } from './content-hash.js';

const nodeHash = (text: string) => createHash('sha256').update(text).digest('hex');

describe('emailContentHash', () => {
  it('is SHA-256 over the canonical JSON of subject, preheader, html and text only', () => {
    const email = RenderedEmailSchema.parse(valid.renderedEmail);
    const { subject, preheader, html, text } = email;
    expect(emailContentHash(email)).toBe(nodeHash(canonicalJson({ subject, preheader, html, text })));
    const other: typeof email = { ...email, draftVersion: 9 };
    expect(emailContentHash(other)).toBe(emailContentHash(email));
    expect(emailContentHash({ ...email, text: `${text} ` })).not.toBe(emailContentHash(email));
  });
});

describe('draftContentHash', () => {
  it('pins the draft content and the template without its MJML source', () => {
    const template = TemplateSchema.parse(valid.template);
    const draft = DraftSchema.parse(valid.draft);
    const { source: _source, ...templateContent } = template;
    const expected = nodeHash(
      canonicalJson({
        template: templateContent,
        modules: draft.modules,
        content: draft.content,
        defaultLocale: draft.defaultLocale,
      }),
    );
    expect(draftContentHash(draft, template)).toBe(`sha256:${expected}`);
    expect(draftContentHash(draft, { ...template, source: '<mjml></mjml>' })).toBe(`sha256:${expected}`);
    expect(draftContentHash({ ...draft, modules: [] }, template)).not.toBe(`sha256:${expected}`);
    expect(draftContentHash(draft, { ...template, name: 'Renamed' })).not.toBe(`sha256:${expected}`);
  });
});
