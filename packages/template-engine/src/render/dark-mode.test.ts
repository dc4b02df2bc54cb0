import fc from 'fast-check';
import { chromium, type Browser } from 'playwright-core';
import postcss, { type AtRule, type Rule } from 'postcss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftOf, mjml, newsletter, newsletterDraft, template } from '../__fixtures__/fixtures.js';
import { addDarkClasses, applyDarkScheme, darkPreview, darkSchemeOf } from './dark-mode.js';
import { createRenderSession, render, verifySkeleton } from './render.js';

const PAIRS = [
  { light: '#ffffff', dark: '#121417' },
  { light: '#F4F6F8', dark: '#1b1f24' },
  { light: '#52606d', dark: '#c3ccd6' },
  { light: '#0b5cad', dark: '#7db4f0' },
  { light: '#1f2933', dark: '#e4e7eb' },
  { light: '#333', dark: '#dddddd' },
];

const T = template(
  mjml(
    `<mj-section hs-module="m" background-color="#f4f6f8"><mj-column background-color="#ffffff">
  <mj-text hs-slot="body" hs-kind="richText" color="#1f2933">
    <p>Hello <span style="color:#333333">there</span>, <a href="https://x.example/" style="color:#0b5cad">read on</a>.</p>
  </mj-text>
  <mj-button hs-slot="cta" hs-kind="link" background-color="#0b5cad" color="#ffffff" href="https://x.example/">Go</mj-button>
  <mj-divider border-color="#52606d" border-width="2px" />
</mj-column></mj-section>`,
  ),
);
const DRAFT = draftOf(T, ['m']);

/** The CSS of every `<style>` element, parsed by postcss. */
function styleSheets(html: string) {
  return [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => postcss.parse(m[1] ?? ''));
}

describe('dark scheme output', () => {
  it('declares both schemes and switches the mapped colours under prefers-color-scheme and in Outlook.com', async () => {
    const { html } = await render(T, DRAFT, { darkMode: PAIRS });
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
    const rules: { media?: string; selector: string; prop: string; value: string; important: boolean | undefined }[] =
      [];
    for (const sheet of styleSheets(html))
      sheet.walkDecls((decl) => {
        const rule = decl.parent as Rule;
        const media = rule.parent?.type === 'atrule' ? (rule.parent as AtRule).params : undefined;
        rules.push({
          ...(media === undefined ? {} : { media }),
          selector: rule.selector,
          prop: decl.prop,
          value: decl.value,
          important: decl.important,
        });
      });
    const root = rules.find((r) => r.selector === ':root' && r.prop === 'color-scheme');
    expect(root?.value).toBe('light dark');
    const inDark = (selector: string) =>
      rules.find((r) => r.media === '(prefers-color-scheme: dark)' && r.selector === selector);
    expect(inDark('.hs-db-f4f6f8')).toMatchObject({ prop: 'background-color', value: '#1b1f24', important: true });
    expect(inDark('.hs-dc-1f2933')).toMatchObject({ prop: 'color', value: '#e4e7eb', important: true });
    expect(inDark('.hs-dr-52606d')).toMatchObject({ prop: 'border-color', value: '#c3ccd6', important: true });
    const outlook = rules.filter((r) => r.media === undefined && r.selector.startsWith('[data-og'));
    expect(outlook).toContainEqual({
      selector: '[data-ogsb] .hs-db-0b5cad',
      prop: 'background-color',
      value: '#7db4f0',
      important: true,
    });
    expect(outlook).toContainEqual({
      selector: '[data-ogsc] .hs-dc-ffffff',
      prop: 'color',
      value: '#121417',
      important: true,
    });
    // Elements carry the classes: the section background, the column, the text, the button and its link, the divider.
    expect(html).toMatch(/<div class="hs-db-f4f6f8"\s+style="background:#f4f6f8;background-color:#f4f6f8;/);
    expect(html).toMatch(/<td class="hs-db-0b5cad"[^>]*bgcolor="#0b5cad"/);
    expect(html).toMatch(/<a class="hs-db-0b5cad hs-dc-ffffff"/);
    expect(html).toMatch(/<p class="hs-dr-52606d"\s+style="border-top:solid 2px #52606d/);
    // The hub's own markup in a default keeps its inline colours, so it switches too (#333 → #333333).
    expect(html).toContain('<span class="hs-dc-333333" style="color:#333333">there</span>');
    expect(html).toContain('<a class="hs-dc-0b5cad" href="https://x.example/" style="color:#0b5cad">read on</a>');
  });

  it('darkPreview and the dark-scheme check read only style sheets: CSS-like text a spoke wrote stays as written', async () => {
    const text = 'Try @media (prefers-color-scheme: dark) and :root{color-scheme:light dark; here';
    const spoke = draftOf(T, ['m'], { en: { slots: { m: { body: `<p>${text}</p>` } } } });
    const { html } = await render(T, spoke, { darkMode: PAIRS });
    const preview = darkPreview(html) ?? '';
    expect(preview).toContain('@media all{');
    const written = /Try[^<]*/.exec(html)?.[0] ?? '';
    expect(written).toContain('@media (prefers-color-scheme: dark)');
    expect(preview).toContain(written);
    // Without dark styles of its own the email has no dark preview, whatever its text says.
    expect(darkPreview((await render(T, spoke)).html)).toBeUndefined();
  });

  it('changes nothing without a scheme, and nothing but classes and the head with one', async () => {
    const light = (await render(T, DRAFT)).html;
    expect(light).not.toContain('color-scheme');
    expect(light).not.toContain('hs-d');
    const dark = (await render(T, DRAFT, { darkMode: PAIRS })).html;
    const scheme = darkSchemeOf(PAIRS);
    const stripped = dark
      .replace(scheme?.head ?? '', '')
      .replace(/ class="hs-d[cbr]-[0-9a-f]{6}(?: hs-d[cbr]-[0-9a-f]{6})*"/g, '');
    expect(stripped).toBe(light);
  });

  it('renders the same through the skeleton as through a whole mjml compile, and after edits', async () => {
    const t = newsletter();
    const draft = newsletterDraft(t);
    const check = await verifySkeleton(t, draft, { darkMode: PAIRS });
    expect(check.html.firstDifference).toBeUndefined();
    expect(check.equal).toBe(true);
    // A colour slot decides its element's class: an edit re-derives the dark skeleton.
    const news = await createRenderSession(t, draft, { darkMode: PAIRS });
    const count = (html: string) => html.match(/class="hs-db-0b5cad"/g)?.length ?? 0;
    const recoloured = await news.setSlot('quote', 'bg', '#0B5CAD');
    expect(count(recoloured.html)).toBeGreaterThan(count((await render(t, draft, { darkMode: PAIRS })).html));
    expect((await verifySkeleton(t, news.draft, { darkMode: PAIRS })).equal).toBe(true);
    const session = await createRenderSession(T, DRAFT, { darkMode: PAIRS });
    const edited = await session.setSlot('m', 'body', '<p>Changed by a spoke</p>');
    expect(edited.html).toContain('Changed by a spoke');
    expect(edited.html).toContain('class="hs-db-f4f6f8"');
    expect(edited.html).not.toContain('<span class="hs-dc-333333"');
    // Slot spans still point at the slot's text.
    const span = edited.slotSpans?.find((s) => s.slotId === 'body');
    expect(span && edited.html.slice(span.start, span.end)).toContain('Changed by a spoke');
  });

  it('rejects a scheme that is not hex pairs with a path', async () => {
    await expect(render(T, DRAFT, { darkMode: [{ light: 'white', dark: '#000' }] })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: 'options.darkMode[0].light',
    });
  });

  it('adds classes to any markup without changing anything else (property)', () => {
    const scheme = darkSchemeOf(PAIRS);
    if (!scheme) throw new Error('no scheme');
    const color = fc.constantFrom('#ffffff', '#FFF', '#52606d', '#abcdef', 'red', '#0b5cad !important');
    const attr = fc.oneof(
      color.map((c) => ` style="color:${c}"`),
      color.map((c) => ` style='background: ${c}; padding:0'`),
      color.map((c) => ` bgcolor="${c}"`),
      color.map((c) => ` style="border-bottom:1px solid ${c}"`),
      fc.constantFrom(' class="a"', " class='b c'", ' class=d', ' class=""', ' data-x="1>2"', ''),
    );
    const tag = fc
      .tuple(fc.constantFrom('td', 'div', 'A', 'img', 'p'), fc.array(attr, { maxLength: 3 }))
      .map(([name, attrs]) => `<${name}${attrs.join('')}>`);
    const piece = fc.oneof(
      tag,
      fc.constantFrom('text', '</td>', '<!--[if mso]><td style="color:#fff"><![endif]-->', ' & '),
    );
    // A default cut by a token may end inside a tag.
    const tail = fc.constantFrom('', '<p style="color:#fff', '<td bgcolor="#ffffff"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), tail, (pieces, end) => {
        const html = pieces.join('') + end;
        const out = addDarkClasses(html, scheme);
        // Removing what was added gives back the input.
        const added =
          /(?: class="(hs-d[cbr]-[0-9a-f]{6}(?: hs-d[cbr]-[0-9a-f]{6})*)"| (hs-d[cbr]-[0-9a-f]{6}(?: hs-d[cbr]-[0-9a-f]{6})*)(?=["']))/g;
        const restored = out.replace(added, '');
        const normalize = (s: string) => s.replace(/ class=d(?=[ >])/g, ' class="d"').replace(/ class=""/g, '');
        expect(normalize(restored)).toBe(normalize(html));
        // Nothing inside a conditional comment is touched.
        expect(out.match(/<!--[\s\S]*?-->/g) ?? []).toEqual(html.match(/<!--[\s\S]*?-->/g) ?? []);
      }),
    );
  });

  it('puts the head before </head>, or first when the document has none', () => {
    const scheme = darkSchemeOf([{ light: '#fff', dark: '#000' }]);
    if (!scheme) throw new Error('no scheme');
    expect(applyDarkScheme('<html><head></head><body></body></html>', scheme)).toBe(
      `<html><head>${scheme.head}</head><body></body></html>`,
    );
    expect(applyDarkScheme('<p>x</p>', scheme)).toBe(`${scheme.head}<p>x</p>`);
    expect(darkSchemeOf([])).toBeUndefined();
  });
});

const browserPath = process.env.HUBSPOKE_TEST_CHROMIUM;

describe.skipIf(browserPath === undefined)('dark scheme in Chromium (needs HUBSPOKE_TEST_CHROMIUM)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: browserPath ?? '', args: ['--headless', '--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser.close();
  });

  async function colours(html: string, scheme: 'light' | 'dark', outlook = false) {
    const page = await browser.newPage();
    try {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setContent(html);
      // Outlook.com marks what it recolours; the rules key on an ancestor carrying the marks.
      if (outlook)
        await page.evaluate("document.body.setAttribute('data-ogsc', ''); document.body.setAttribute('data-ogsb', '')");
      // The page has no DOM types here (the package targets Node), so the probe is a string.
      return await page.evaluate<Record<string, string | undefined>>(`(() => {
        const style = (selector) => {
          const el = document.querySelector(selector);
          return el ? getComputedStyle(el) : undefined;
        };
        return {
          section: style('.hs-db-f4f6f8')?.backgroundColor,
          text: style('.hs-dc-1f2933')?.color,
          button: style('a.hs-db-0b5cad')?.backgroundColor,
          buttonText: style('a.hs-db-0b5cad')?.color,
          span: style('span.hs-dc-333333')?.color,
        };
      })()`);
    } finally {
      await page.close();
    }
  }

  it('switches the colours when the reader prefers dark, and in Outlook.com’s dark mode', async () => {
    const { html } = await render(T, DRAFT, { darkMode: PAIRS });
    expect(await colours(html, 'light')).toEqual({
      section: 'rgb(244, 246, 248)',
      text: 'rgb(31, 41, 51)',
      button: 'rgb(11, 92, 173)',
      buttonText: 'rgb(255, 255, 255)',
      span: 'rgb(51, 51, 51)',
    });
    expect(await colours(html, 'dark')).toEqual({
      section: 'rgb(27, 31, 36)',
      text: 'rgb(228, 231, 235)',
      button: 'rgb(125, 180, 240)',
      buttonText: 'rgb(18, 20, 23)',
      span: 'rgb(221, 221, 221)',
    });
    // Outlook.com in dark mode: the reader's system is light, Outlook marks the body.
    expect(await colours(html, 'light', true)).toMatchObject({
      text: 'rgb(228, 231, 235)',
      section: 'rgb(27, 31, 36)',
    });
  }, 60_000);

  it('darkPreview shows the email’s own dark scheme in a page that prefers light (a preview studio)', async () => {
    const { html } = await render(T, DRAFT, { darkMode: PAIRS });
    const preview = darkPreview(html);
    expect(preview).toContain('@media all{');
    expect(await colours(preview ?? '', 'light')).toEqual({
      section: 'rgb(27, 31, 36)',
      text: 'rgb(228, 231, 235)',
      button: 'rgb(125, 180, 240)',
      buttonText: 'rgb(18, 20, 23)',
      span: 'rgb(221, 221, 221)',
    });
    expect(darkPreview((await render(T, DRAFT)).html)).toBeUndefined();
  }, 60_000);
});
