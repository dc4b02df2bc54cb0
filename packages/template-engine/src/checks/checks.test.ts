import type { Diagnostic } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, newsletter, newsletterDraft, template } from '../__fixtures__/fixtures.js';
import { render } from '../render/render.js';
import { checkAccessibility } from './accessibility.js';
import { checkCompatibility } from './compatibility.js';
import { checkSize } from './size.js';

const T = newsletter();
const rules = (ds: Diagnostic[]) => ds.map((d) => d.ruleId);

describe('checkSize', () => {
  it('warns from 90 KB and errors from 102 KB (Gmail clipping)', () => {
    expect(checkSize(89 * 1024)).toEqual([]);
    expect(checkSize(95 * 1024)[0]).toMatchObject({ ruleId: 'size/gmail-clipping', severity: 'warning' });
    expect(checkSize(102 * 1024)[0]).toMatchObject({ ruleId: 'size/gmail-clipping', severity: 'error' });
    expect(checkSize(10, { warnBytes: 5, errorBytes: 20 })[0]?.severity).toBe('warning');
  });
});

describe('checkAccessibility', () => {
  it('passes what MJML and the newsletter get right, and finds icon links without alt text', async () => {
    const draft = newsletterDraft(T);
    const ds = checkAccessibility(T, draft, await render(T, draft));
    expect(rules(ds)).toEqual(['a11y/link-text', 'a11y/link-text', 'a11y/link-text']);
    expect(ds[0]?.message).toContain('linkedin');
    expect(ds[0]?.location).toMatchObject({ source: 'html', line: expect.any(Number), column: expect.any(Number) });
  });

  it('checks alt text on the source: slot values and static images', async () => {
    const t = template(
      mjml(`<mj-section hs-module="m"><mj-column>
  <mj-text><h1>Hello</h1></mj-text>
  <mj-image hs-slot="photo" hs-kind="image" src="https://x.example/a.png" alt="A" />
  <mj-image src="https://x.example/deco.png" />
  <mj-image src="https://x.example/spacer.png" alt="" />
</mj-column></mj-section>`),
    );
    const draft = draftOf(t, ['m'], { en: { slots: { m: { photo: { src: 'https://x.example/b.png', alt: '  ' } } } } });
    const email = await render(t, draft);
    expect(email.html).toContain('alt=""');
    const ds = checkAccessibility(t, draft, email).filter((d) => d.ruleId === 'a11y/image-alt');
    expect(ds.map((d) => d.location)).toEqual([
      { source: 'draft', locale: 'en', instanceId: 'm', moduleId: 'm', slotId: 'photo', property: 'alt' },
      { source: 'template', moduleId: 'm', line: 7, column: 3 },
    ]);
    expect(ds.every((d) => d.severity === 'error')).toBe(true);
  });

  it('finds layout tables without a role, a missing h1 and vague link text', async () => {
    const t = template(
      mjml(`<mj-section hs-module="m"><mj-column>
  <mj-raw><table><tr><td>Layout</td></tr></table></mj-raw>
  <mj-table><tr><th>Head</th></tr><tr><td>Data</td></tr></mj-table>
  <mj-button hs-slot="cta" hs-kind="link" href="https://x.example">Read the report</mj-button>
</mj-column></mj-section>`),
    );
    const draft = draftOf(t, ['m'], {
      en: { slots: { m: { cta: { href: 'https://x.example', text: 'Click here!' } } } },
    });
    const ds = checkAccessibility(t, draft, await render(t, draft));
    expect(rules(ds).sort()).toEqual(['a11y/heading', 'a11y/layout-table', 'a11y/link-purpose']);
    expect(ds.find((d) => d.ruleId === 'a11y/link-purpose')).toMatchObject({
      severity: 'warning',
      location: { instanceId: 'm', slotId: 'cta' },
    });
    expect(ds.find((d) => d.ruleId === 'a11y/heading')?.severity).toBe('suggestion');
  });

  it('measures contrast with inherited colours and maps it to the slot; large text needs 3:1', async () => {
    const t = template(
      mjml(`<mj-section hs-module="m" background-color="#ffffff"><mj-column>
  <mj-text><h1 style="font-size:28px;color:#949494">Large grey heading</h1></mj-text>
  <mj-text color="#949494" hs-slot="note" hs-kind="text">Small grey text</mj-text>
  <mj-text color="#ffffff" css-class="on-dark" container-background-color="#0b5cad" hs-slot="ok" hs-kind="text">White on blue</mj-text>
</mj-column></mj-section>
<mj-hero hs-module="hero" background-url="https://x.example/bg.jpg" background-color="#ffffff"><mj-text color="#eeeeee">On a photo</mj-text></mj-hero>`),
    );
    const draft = draftOf(t, ['m', 'hero']);
    const contrast = checkAccessibility(t, draft, await render(t, draft)).filter((d) => d.ruleId === 'a11y/contrast');
    expect(contrast).toHaveLength(1);
    expect(contrast[0]).toMatchObject({
      severity: 'warning',
      location: { instanceId: 'm', slotId: 'note' },
      data: { needed: 4.5, large: false },
    });
    expect(contrast[0]?.data?.ratio).toBeCloseTo(3.03, 1);
    const strict = checkAccessibility(t, draft, await render(t, draft), { minContrast: 7 }).filter(
      (d) => d.ruleId === 'a11y/contrast',
    );
    expect(strict.map((d) => d.location.slotId)).toContain('ok');
  });

  it('checks lang, dir and title on the HTML it is given', async () => {
    const draft = newsletterDraft(T);
    const email = await render(T, draft);
    const stripped = {
      ...email,
      contentHash: email.contentHash,
      html: email.html.replace(/ lang="en"/g, '').replace(/<title>[^<]*<\/title>/, '<title></title>'),
    };
    expect(rules(checkAccessibility(T, draft, stripped))).toEqual(
      expect.arrayContaining(['a11y/html-lang', 'a11y/lang-dir', 'a11y/title']),
    );
  });

  it('rejects inputs that are not a rendered email', () => {
    expect(() => checkAccessibility(T, newsletterDraft(T), { html: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION' }),
    );
  });
});

describe('checkCompatibility', () => {
  it('reports per client only what the template or the spoke caused, not MJML scaffolding', async () => {
    const draft = newsletterDraft(T);
    draft.content.en!.slots.intro!.body =
      '<p>Read <a href="https://northwind.example/story" target="_blank">our story</a>.</p>';
    const email = await render(T, draft);
    const report = await checkCompatibility(T, draft, email);
    expect(report.baselineRemoved).toBeGreaterThan(100);
    const gmail = report.clients.find((c) => c.client === 'gmail.desktop-webmail');
    expect(gmail?.unsupported).toEqual([
      expect.objectContaining({
        feature: 'target attribute',
        support: 'none',
        count: 1,
        location: expect.objectContaining({ instanceId: 'intro', slotId: 'body' }),
      }),
    ]);
    expect(report.diagnostics.find((d) => d.ruleId === 'compat/unsupported')).toMatchObject({
      severity: 'warning',
      data: {
        feature: 'target attribute',
        clients: expect.arrayContaining(['gmail.desktop-webmail', 'gmail.android']),
      },
    });
    expect(
      report.clients.every(
        (c) =>
          c.client.split('.')[0] !== undefined &&
          ['gmail', 'outlook', 'apple-mail', 'yahoo'].includes(c.client.split('.')[0] ?? ''),
      ),
    ).toBe(true);
  });

  it('reports CSS the template adds that MJML would not emit', async () => {
    const t = template(
      mjml(
        '<mj-section hs-module="m"><mj-column><mj-raw><div style="box-shadow:0 1px 3px #000000;position:absolute">Card</div></mj-raw></mj-column></mj-section>',
      ),
    );
    const draft = draftOf(t, ['m']);
    const report = await checkCompatibility(t, draft, await render(t, draft), { clients: ['outlook.windows'] });
    const features = report.clients[0]?.unsupported.map((i) => i.feature) ?? [];
    expect(features).toEqual(expect.arrayContaining(['box-shadow']));
    expect(report.clients.map((c) => c.client)).toEqual(['outlook.windows']);
  });

  it('rejects unknown client globs with E_VALIDATION', async () => {
    const draft = newsletterDraft(T);
    const email = await render(T, draft);
    await expect(checkCompatibility(T, draft, email, { clients: ['nope.nothing'] })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'options.clients',
    });
  });
});
