import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDraft } from '../draft/create-draft.js';
import { loadMjml } from '../mjml/load.js';
import { render } from '../render/render.js';
import { folderIncludes } from './folder-includes.js';
import { resolveIncludePath } from './includes.js';
import { parseTemplate } from './parse-template.js';

const outside = mkdtempSync(join(tmpdir(), 'hs-outside-'));
const hub = mkdtempSync(join(tmpdir(), 'hs-hub-'));
afterAll(() => {
  rmSync(hub, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(join(hub, path, '..'), { recursive: true });
  writeFileSync(join(hub, path), text);
}

write(
  'templates/partials/header.mjml',
  `<!-- header partial -->
<mj-section hs-module="header" hs-lock="locked">
  <mj-column><mj-text hs-slot="brand" hs-kind="text">Northwind &amp; Co</mj-text></mj-column>
</mj-section>`,
);
write(
  'templates/partials/footer.mjml',
  `<mjml>
  <mj-head><mj-attributes><mj-class name="small" font-size="11px" /></mj-attributes></mj-head>
  <mj-body>
    <mj-section hs-module="footer"><mj-column><mj-text mj-class="small">Unsubscribe</mj-text></mj-column></mj-section>
  </mj-body>
</mjml>`,
);
write('templates/partials/head.mjml', '<mj-attributes><mj-all font-family="Georgia" /></mj-attributes>');
write('shared/brand.css', '.hl { color: #0b5cad; }');
write('shared/banner.html', '<div style="font-size:0">&nbsp;</div>');
write(
  'templates/news.mjml',
  `<mjml hs-id="news">
  <mj-head>
    <mj-title>News</mj-title>
    <mj-include path="partials/head.mjml" />
    <mj-include path="../shared/brand.css" type="css" css-inline="inline" />
  </mj-head>
  <mj-body>
    <mj-include path="./partials/header.mjml" />
    <mj-section hs-module="body"><mj-column>
      <mj-text css-class="hl" hs-slot="intro" hs-kind="richText"><p class="hl">Hello</p></mj-text>
      <mj-include path="../shared/banner.html" type="html" />
    </mj-column></mj-section>
    <mj-include path="partials/footer.mjml" />
  </mj-body>
</mjml>`,
);
writeFileSync(join(outside, 'secret.mjml'), '<mj-section hs-module="leak"><mj-column /></mj-section>');
symlinkSync(join(outside, 'secret.mjml'), join(hub, 'templates', 'link.mjml'));

const includes = folderIncludes(hub);

function parseIn(file: string, source: string) {
  return parseTemplate(source, { file, includes });
}

describe('mj-include', () => {
  it('expands inside the hub folder as mjml does: fragments, whole MJML files (head merged), CSS and HTML', async () => {
    const file = 'templates/news.mjml';
    const source = includes.read(file) ?? '';
    const parsed = parseIn(file, source);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!parsed.ok) return;
    const t = parsed.template;
    expect(t.modules.map((m) => m.id)).toEqual(['header', 'body', 'footer']);
    expect(t.modules[0]?.mjml).toContain('<!-- header partial -->');
    expect(t.head).toContain('font-family="Georgia"');
    expect(t.head).toContain('<mj-style inline="inline">.hl { color: #0b5cad; }</mj-style>');
    expect(t.source).not.toContain('mj-include');

    const draft = createDraft(t, { id: 'd', name: 'd', author: 'hub@example.com' });
    const ours = await render(t, draft);
    const stripped = source.replace(/ hs-[a-z-]+="[^"]*"/g, '').replace('<mjml', '<mjml lang="en" dir="ltr"');
    writeFileSync(join(hub, 'templates', 'stripped.mjml'), stripped);
    const theirs = await loadMjml().mjml2html(stripped, {
      ignoreIncludes: false,
      filePath: join(hub, 'templates', 'stripped.mjml'),
      includePath: hub,
      // The partials carry hs-*, which mjml's validator does not know; rendering ignores them.
      validationLevel: 'skip',
    });
    expect(ours.html.replace(/ hs-[a-z-]+="[^"]*"/g, '')).toBe(theirs.html.replace(/ hs-[a-z-]+="[^"]*"/g, ''));
  });

  it('locates problems inside an included file at that file, line and column', () => {
    write(
      'templates/partials/bad.mjml',
      '<mj-section hs-module="bad">\n  <mj-column>\n    <mj-text hs-slot="x" hs-kind="prose">x</mj-text>\n  </mj-column>\n</mj-section>',
    );
    const parsed = parseIn(
      'templates/b.mjml',
      '<mjml hs-id="b">\n<mj-body>\n<mj-include path="partials/bad.mjml" />\n</mj-body>\n</mjml>',
    );
    const kind = parsed.diagnostics.find((d) => d.ruleId === 'template/unknown-kind');
    expect(kind?.location).toMatchObject({ file: 'templates/partials/bad.mjml', line: 3, column: 5 });
  });

  it('refuses every way out of the hub folder, with the including file, line and column', () => {
    for (const path of [
      '../../etc/passwd',
      '%2e%2e/%2e%2e/etc/passwd',
      '%252e%252e%252f%252e%252e%252fetc',
      '/etc/passwd',
      'C:/Windows/win.ini',
      '..\\..\\secret',
      'partials/../../../x',
      'x%00.mjml',
    ]) {
      const parsed = parseIn(
        'templates/t.mjml',
        `<mjml hs-id="t">\n<mj-body>\n  <mj-include path="${path}" />\n</mj-body>\n</mjml>`,
      );
      expect(parsed.ok, path).toBe(false);
      const denied = parsed.diagnostics.find((d) => d.ruleId === 'template/include-denied');
      expect(denied?.location, path).toMatchObject({ file: 'templates/t.mjml', line: 3, column: 3 });
    }
    // A symbolic link inside the folder that points outside it is refused when read.
    const linked = parseIn(
      'templates/t.mjml',
      '<mjml hs-id="t"><mj-body><mj-include path="link.mjml" /></mj-body></mjml>',
    );
    expect(linked.diagnostics.find((d) => d.ruleId === 'template/include')?.message).toContain(
      'links outside the hub folder',
    );
    expect(resolveIncludePath('templates/t.mjml', 'a/./b/../c.mjml')).toEqual({ path: 'templates/a/c.mjml' });
  });

  it('reports missing files and includes that include themselves', () => {
    write('templates/loop.mjml', '<mj-include path="loop.mjml" />');
    const missing = parseIn(
      'templates/t.mjml',
      '<mjml hs-id="t"><mj-body><mj-include path="nope.mjml" /></mj-body></mjml>',
    );
    expect(missing.diagnostics.map((d) => d.message).join('\n')).toContain('there is no file templates/nope.mjml');
    const loop = parseIn(
      'templates/t.mjml',
      '<mjml hs-id="t"><mj-body><mj-include path="loop.mjml" /></mj-body></mjml>',
    );
    expect(loop.diagnostics.map((d) => d.message).join('\n')).toContain('includes itself');
  });

  it('is an error without a hub folder to read from (content would be lost)', () => {
    const parsed = parseTemplate('<mjml hs-id="t"><mj-body><mj-include path="x.mjml" /></mj-body></mjml>');
    expect(parsed.diagnostics[0]).toMatchObject({ ruleId: 'template/include' });
    expect(() => folderIncludes(join(hub, 'nope'))).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND' }));
  });
});
