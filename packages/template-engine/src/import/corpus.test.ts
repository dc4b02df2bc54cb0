import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDraft } from '../draft/create-draft.js';
import { validateDraft } from '../draft/validate-draft.js';
import { render } from '../render/render.js';
import { folderIncludes } from '../template/folder-includes.js';
import { compareImport } from './compare.js';
import { importMjml, type ImportMjmlResult } from './import-mjml.js';

const ROOT = fileURLToPath(new URL('../__fixtures__/corpus/', import.meta.url));
/** The emails of the corpus: every .mjml at the top, and the main file of each folder with partials. */
const FILES = [
  ...readdirSync(ROOT).filter((f) => f.endsWith('.mjml')),
  ...readdirSync(ROOT)
    .filter((d) => statSync(join(ROOT, d)).isDirectory() && d.startsWith('with-'))
    .flatMap((d) =>
      readdirSync(join(ROOT, d))
        .filter((f) => f.endsWith('.mjml'))
        .map((f) => `${d}/${f}`),
    ),
].sort();
const includes = folderIncludes(ROOT);
const imported = new Map<string, ImportMjmlResult>();
function importOf(file: string): ImportMjmlResult {
  let result = imported.get(file);
  if (!result) imported.set(file, (result = importMjml(readFileSync(join(ROOT, file), 'utf8'), { file, includes })));
  return result;
}

describe('import corpus (real-world shapes written for this project)', () => {
  it('has newsletters, promotions, transactional mail, multi-column grids, heroes, social footers and Outlook conditionals', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(16);
    const all = FILES.map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    for (const shape of [
      '<mj-hero',
      '<mj-social',
      '<mj-group',
      '<!--[if mso',
      '<mj-table',
      '<mj-carousel',
      '<mj-accordion',
      '<mj-navbar',
      '<mj-include',
      'background-url',
      'inline="inline"',
      'lang="ar"',
      '</mj-text\n',
    ])
      expect(all, shape).toContain(shape);
  });

  it.each(FILES)('%s imports, and its default draft renders the same HTML and text as mjml2html', async (file) => {
    const result = importOf(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    const template = result.template;
    if (!template) return;
    const comparison = await compareImport(readFileSync(join(ROOT, file), 'utf8'), template, { file, includes });
    expect(comparison.firstDifference).toBeUndefined();
    expect(comparison.identical).toBe(true);
    expect(comparison.sameText).toBe(true);
    // The default draft is a valid draft of the template.
    const draft = createDraft(template, { id: 'd', name: 'd', author: 'hub@example.com' });
    expect(validateDraft(template, draft).filter((d) => d.severity === 'error')).toEqual([]);
    // Every module and slot comes with a decision the hub can review.
    for (const m of result.modules) {
      expect(result.decisions.some((d) => d.subject === 'module' && d.moduleId === m.id)).toBe(true);
      for (const s of m.slots)
        expect(result.decisions.some((d) => d.slotId === s.id && d.moduleId === m.id)).toBe(true);
    }
  });

  it('names modules from their content and proposes header and footer pinned and locked', () => {
    const { modules, template } = importOf('newsletter-monthly.mjml');
    expect(modules.map((m) => [m.id, m.role])).toEqual([
      ['header', 'header'],
      ['header-2', 'header'],
      ['hero', 'hero'],
      ['articles', 'content'],
      ['quote', 'content'],
      ['events', 'content'],
      ['social', 'footer'],
      ['footer', 'footer'],
    ]);
    expect(template?.modules.find((m) => m.id === 'hero')).toMatchObject({
      name: 'Hero: Three new routes for long summer…',
      lock: 'editable',
      pinned: false,
    });
    expect(template?.modules.find((m) => m.id === 'footer')).toMatchObject({
      lock: 'locked',
      pinned: true,
      position: 'end',
    });
    expect(template?.modules[0]).toMatchObject({ lock: 'locked', pinned: true, position: 'start' });
    const hero = template?.modules.find((m) => m.id === 'hero');
    expect(hero?.slots.map((s) => [s.id, s.kind])).toEqual([
      ['image', 'image'],
      ['headline', 'text'],
      ['text', 'text'],
      ['cta', 'link'],
    ]);
    expect(hero?.slots[1]?.default).toBe('Three new routes for long summer days');
    expect(hero?.slots[3]?.default).toEqual({
      href: 'https://northwind.example/routes?utm_source=newsletter&utm_campaign=may',
      text: 'Explore the routes',
    });
  });

  it('reports every decision: locale, glue, kept parts, inlined includes', () => {
    const de = importOf('localized-de.mjml');
    expect(de.template?.defaultLocale).toBe('de');
    expect(de.source).toMatch(/^<mjml hs-id="localized-de" hs-name="Ihre Rechnung für März" hs-locale="de">/);
    expect(de.decisions.map((d) => d.message)).toContain(
      'Removed lang="de" from <mjml>: each render sets lang and dir from its locale',
    );
    const outlook = importOf('outlook-conditionals.mjml');
    const glue = outlook.decisions.filter((d) => d.subject === 'glue');
    expect(glue.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Kept <mj-raw> with an Outlook conditional comment where it is'),
      ]),
    );
    expect(glue.every((d) => d.line !== undefined)).toBe(true);
    expect(
      importOf('order-confirmation.mjml').decisions.some(
        (d) => d.subject === 'kept' && d.message.includes('<mj-table>'),
      ),
    ).toBe(true);
    expect(
      importOf('with-includes/digest.mjml')
        .decisions.filter((d) => d.subject === 'include')
        .map((d) => d.message),
    ).toEqual([
      'Inlined with-includes/partials/head.mjml: the template is one self-contained file',
      'Inlined shared/brand.css: the template is one self-contained file',
      'Inlined with-includes/partials/header.mjml: the template is one self-contained file',
      'Inlined with-includes/partials/footer.mjml: the template is one self-contained file',
    ]);
  });

  it('keeps platform merge tags as written in the preview and inert for other platforms', async () => {
    const { template } = importOf('merge-tags.mjml');
    if (!template) throw new Error('merge-tags did not import');
    const draft = createDraft(template, { id: 'd', name: 'd', author: 'hub@example.com' });
    const preview = await render(template, draft);
    expect(preview.html).toContain('Members like {{lead.First Name:default=you}} save 10%');
    const hubspot = await render(template, draft, { dialect: 'hubspot' });
    expect(hubspot.html).toContain('Members like &#123;{lead.First Name:default=you}} save 10%');
    expect(hubspot.html).not.toMatch(/\{\{|\{%/);
  });

  it('gives spokes a working template: an edited slot renders sanitized, the rest stays as written', async () => {
    const { template } = importOf('promo-black-friday.mjml');
    if (!template) throw new Error('promo did not import');
    const draft = createDraft(template, { id: 'd', name: 'd', author: 'spoke@example.com' });
    draft.content.en = {
      slots: { hero: { cta: { href: 'https://gadgetry.example/cyber-monday', text: 'Shop <Cyber> Monday' } } },
    };
    expect(validateDraft(template, draft).filter((d) => d.severity === 'error')).toEqual([]);
    const email = await render(template, draft);
    expect(email.html).toContain('href="https://gadgetry.example/cyber-monday"');
    expect(email.html).toContain('Shop &lt;Cyber&gt; Monday');
    expect(email.html).toContain(
      '<span class="was" style="text-decoration: line-through; color: #9a9a9a;">$199.00</span>',
    );
  });
});

const external = process.env.HUBSPOKE_MJML_CORPUS;
describe.skipIf(external === undefined)('held-out MJML corpus (HUBSPOKE_MJML_CORPUS: a folder of .mjml emails)', () => {
  const files =
    external === undefined
      ? []
      : readdirSync(external)
          .filter((f) => f.endsWith('.mjml'))
          .sort();
  it.each(files)('%s imports and renders identically', async (file) => {
    const source = readFileSync(join(external ?? '', file), 'utf8');
    const result = importMjml(source, { file });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!result.template) return;
    const comparison = await compareImport(source, result.template, { file });
    expect(comparison.identical).toBe(true);
    expect(comparison.sameText).toBe(true);
  });
});
