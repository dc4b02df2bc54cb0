/**
 * Proof in the platforms' own engines (or the closest open ones): the Braze output runs through
 * liquidjs, the HubSpot output through nunjucks (Jinja, which HubL's Jinjava follows), and the
 * Marketo output through velocityjs (Velocity, which Marketo's email scripts run) with Marketo's
 * `{{lead.…:default=…}}` tokens filled in afterwards. Whatever a spoke types beside tokens comes out
 * as the literal text the preview shows; every token shows the contact's value or its fallback.
 */
import { parseTokens, quoteLiteral, type Dialect, type RenderedEmail } from '@hubspoke/core';
import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { Liquid } from 'liquidjs';
import nunjucks from 'nunjucks';
import * as velocity from 'velocityjs';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, template } from '../__fixtures__/fixtures.js';
import { lexDialect } from '../personalization/dialect-lexer.js';
import { tidyPlainText } from './plain-text.js';
import { render } from './render.js';
import { CONTROL } from '../personalization/escape.js';

const T = template(
  mjml(
    `<mj-section hs-module="m"><mj-column>
  <mj-text><h1 hs-slot="headline" hs-kind="text">Headline</h1></mj-text>
  <mj-text><p hs-slot="body" hs-kind="text" hs-multiline="true">Body</p></mj-text>
</mj-column></mj-section>`,
    '<mj-title>Subject</mj-title><mj-preview>Preheader</mj-preview>',
  ),
);

type Engine = 'braze' | 'hubspot' | 'marketo';
type Contact = Record<string, string>;

const liquid = new Liquid();
const jinja = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });

/** Braze writes attributes as `${name}` inside Liquid; plain Liquid names them `name`. Only inside constructs. */
function brazeToLiquid(text: string): string {
  let out = '';
  let at = 0;
  for (const c of lexDialect('braze', text)) {
    out += text.slice(at, c.start) + text.slice(c.start, c.end).replace(/\$\{(\w+)\}/g, '$1');
    at = c.end;
  }
  return out + text.slice(at);
}

/** Marketo's EscapeTool `$esc.html`, for the characters that matter. */
const esc = {
  /** `$esc.b`: a backslash. */
  b: '\\',
  html: (s: unknown) =>
    String(s).replace(
      /[&<>"]/g,
      (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch as '&' | '<' | '>' | '"'],
    ),
};

/** Runs one output field as the platform would for a recipient (Marketo: with the email's script tokens). */
function execute(engine: Engine, text: string, contact: Contact, scripts: RenderedEmail['scriptTokens'] = []): string {
  switch (engine) {
    case 'braze':
      return liquid.parseAndRenderSync(brazeToLiquid(text), {
        first_name: contact['contact.firstName'],
        country: contact['contact.country'],
      }) as string;
    case 'hubspot': {
      const fields = {
        firstname: contact['contact.firstName'],
        country: contact['contact.country'],
      };
      jinja.addGlobal('personalization_token', (path: string, fallback: string) => {
        const value = fields[path.replace(/^contact\./, '') as keyof typeof fields];
        return value === undefined || value === '' ? fallback : value;
      });
      return jinja.renderString(text, { contact: fields });
    }
    case 'marketo': {
      // Velocity first: nothing in spoke text may be a reference, a directive or a comment for it.
      const read = velocity.render(text, {});
      const lead: Record<string, string | undefined> = {
        'lead.First Name': contact['contact.firstName'],
        'lead.Country': contact['contact.country'],
      };
      const velocityLead = { FirstName: contact['contact.firstName'], Country: contact['contact.country'] };
      return read
        .replace(/\{\{([^{}:]+)(?::default=([^{}]*))?\}\}/g, (_, ref: string, fallback: string | undefined) => {
          // An email script token: Marketo runs its Velocity for the recipient.
          const script = scripts.find((t) => `my.${t.name}` === ref);
          if (script) return velocity.render(script.script, { lead: velocityLead, esc });
          const value = lead[ref];
          return value === undefined || value === '' ? (fallback ?? '') : value;
        })
        .replaceAll('\u200b', '');
    }
  }
}

function spanOf(email: RenderedEmail, slotId: string): string {
  const span = email.slotSpans?.find((s) => s.slotId === slotId && (s.property ?? 'text') === 'text');
  return span ? email.html.slice(span.start, span.end) : '';
}

async function both(text: string, engine: Engine, contact: Contact) {
  const draft = draftOf(T, ['m'], {
    en: { subject: text, preheader: text, slots: { m: { headline: text, body: text } } },
  });
  const email = await render(T, draft, { dialect: engine });
  const preview = await render(T, draft, {
    dialect: 'preview',
    sampleContact: { id: 'c1', fields: contact },
  });
  return { email, preview };
}

/**
 * The plain text is tidied (runs of blank lines cut to one) before the platform fills its tokens,
 * so a token that comes out empty can leave one more blank line than the preview shows.
 */
const blankLines = (text: string) => tidyPlainText(text.replace(/\r/g, '')).replace(/\n(?:[ \t]*\n)+/g, '\n\n');

/** What a platform's recipient sees, field by field, next to what the preview shows. */
async function compare(text: string, engine: Engine, contact: Contact) {
  const { email, preview } = await both(text, engine, contact);
  for (const field of ['subject', 'preheader', 'text'] as const)
    expect(blankLines(execute(engine, email[field], contact, email.scriptTokens)), field).toBe(
      blankLines(preview[field]),
    );
  expect(decodeHTML(execute(engine, spanOf(email, 'headline'), contact, email.scriptTokens)), 'headline').toBe(
    decodeHTML(spanOf(preview, 'headline')),
  );
}

/** The hostile alphabet of every dialect at once: pieces that open, close or complete constructs. */
const HOSTILE = [
  '{',
  '}',
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '%',
  '%%',
  '%%=',
  '=%%',
  '%%[',
  ']%%',
  '$',
  '${',
  '$!',
  '$!{',
  '#',
  '##',
  '#*',
  '*#',
  '#set(',
  '#if(',
  '#end',
  '#[[',
  '~',
  '~~',
  '<script runat=server>',
  '<span class="eloquaemail">',
  '{lead.Email Address}}',
  '{{my.Secret}}',
  'x',
  '\r\n',
  ' ',
  '"',
  "'",
  '(',
  ')',
];

const ADA: Contact = { 'contact.firstName': 'Ada', 'contact.country': 'DE' };
const FR: Contact = { 'contact.firstName': 'Bo', 'contact.country': 'FR' };
const NOBODY: Contact = {};

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.constant('{{ contact.firstName }}') },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(...HOSTILE, 'there'), { maxLength: 4 })
      .map((f) => `{{ contact.firstName | default: ${quoteLiteral(f.join(''))} }}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...HOSTILE), { maxLength: 3 })
      .map((f) => `{% raw %}${f.join('').replace(/\{%/g, '')}{% endraw %}`),
  },
);
const spokeText = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
/** Spoke text with segment conditions whose branches hold spoke text, tokens and fallbacks. */
const conditional = fc
  .tuple(spokeText, spokeText, spokeText, fc.boolean())
  .map(
    ([before, yes, no, nested]) =>
      `${before}{% if contact.country == "DE" %}${yes}${nested ? '{% if contact.firstName %}!{% endif %}' : ''}{% else %}${no}{% endif %}`,
  );

describe('real engines read spoke text as literal text', () => {
  it.each<[Engine, string, Contact]>([
    // The adjacency class: each piece escaped on its own used to complete a construct beside a token.
    ['hubspot', '{% raw %}{{% endraw %}{{ contact.firstName }}', ADA],
    ['braze', '{% raw %}{{% endraw %}{{ contact.firstName }}', ADA],
    ['hubspot', '{{ contact.firstName | default: "{" }}{ contact.firstName }}', NOBODY],
    ['braze', '{{ contact.firstName | default: "a{" }}{% if x %}', NOBODY],
    ['marketo', '{{ contact.firstName | default: "{" }}{lead.Email Address}}', ADA],
    ['marketo', '{{ contact.tier | default: "{" }}{lead.Email Address}} {{ contact.tier | default: "$" }}{x}', NOBODY],
    ['marketo', 'Hi {{ contact.firstName }} #set($a = "x")$a $!{b} #if(true)y#end ## c', ADA],
    // A `{` ending one piece of a condition's branch and a `{` starting the next met as `{{` in its script.
    [
      'marketo',
      '{% if contact.country == "DE" %}{% raw %}{{% endraw %}{{my.Secret}}{{{ contact.firstName | default: "" }}{% else %}{{% endif %}',
      ADA,
    ],
    ['hubspot', 'Hi {{ contact.firstName | default: "there" }}, {{ 7*7 }} {# x #}', NOBODY],
    ['braze', "Hi {{ contact.firstName | default: 'there' }} {% connected_content https://e.example %}", NOBODY],
    // Conditions: a Velocity email script token on Marketo, with hostile text in the branches.
    [
      'marketo',
      '{% if contact.country == "DE" %}Hallo {{ contact.firstName }} #set($a = 1)$a{% else %}Hi ${x}{% endif %}',
      ADA,
    ],
    [
      'marketo',
      '{% if contact.country == "DE" %}Hallo {{ contact.firstName }}{% else %}Hi \\#if(x)#end \\$y{% endif %}',
      FR,
    ],
    [
      'marketo',
      '{% if contact.country == "DE" %}A{% elsif contact.firstName %}{{ contact.firstName }}{% endif %}',
      NOBODY,
    ],
  ])('%s: %j', async (engine, text, contact) => {
    await compare(text, engine, contact);
  });

  it.each<Engine>(['braze', 'hubspot', 'marketo'])(
    '%s: any mix of hostile text, tokens, fallbacks and raw blocks renders what the preview shows (property)',
    async (engine) => {
      await fc.assert(
        fc.asyncProperty(spokeText, fc.constantFrom(ADA, NOBODY), async (text, contact) => {
          // Marketo has no inline default for most text and no inline conditions: a recipient with the field.
          await compare(text, engine, engine === 'marketo' ? ADA : contact);
        }),
        { numRuns: 120 },
      );
    },
  );

  it('marketo: conditions with hostile branches render in velocityjs as the preview shows them (property)', async () => {
    await fc.assert(
      fc.asyncProperty(conditional, fc.constantFrom(ADA, FR), async (text, contact) => {
        const { email } = await both(text, 'marketo', contact);
        // Text before the condition can make its tag literal (`{{% if …`); otherwise a script token carries it.
        if (parseTokens(text).nodes.some((n) => n.type === 'if'))
          expect(email.scriptTokens?.length ?? 0).toBeGreaterThan(0);
        await compare(text, 'marketo', contact);
      }),
      { numRuns: 100 },
    );
  });

  it.each<Dialect>(['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'])(
    '%s: every live construct in every field is one the compiler wrote (property)',
    async (dialect) => {
      const tokenCode: Record<string, RegExp> = {
        marketo: /^\{\{lead\.First Name(?::default=[^{}]*)?\}\}$/,
        eloqua: /^<span class="eloquaemail">/,
        sfmc: /^%%(?:=AttributeValue\('FirstName'\)=|\[IF Empty\(AttributeValue\('FirstName'\)\) THEN\]|\[ELSE\]|\[ENDIF\]|=Char\(\d+\)=)%%$/,
        hubspot:
          /^(?:\{\{ (?:contact\.firstname|personalization_token\('contact\.firstname', '[^']*'\)|"[{#]")(?:\|escape)? \}\}|\{% (?:if contact\.firstname|else|endif) %\})$/,
        braze:
          /^(?:\{\{ (?:\$\{first_name\}(?: \| default: '[^']*')?|"\{")(?: \| escape)? \}\}|\{% (?:if \$\{first_name\} == blank|else|endif) %\})$/,
      };
      await fc.assert(
        fc.asyncProperty(spokeText, async (text) => {
          const draft = draftOf(T, ['m'], {
            en: { subject: text, preheader: text, slots: { m: { headline: text, body: text } } },
          });
          const email = await render(T, draft, {
            dialect,
            fieldMap: { eloqua: { 'contact.firstName': 'FirstName1' } },
          });
          for (const field of ['subject', 'preheader', 'text'] as const) {
            // Header fields never carry a control character (CR, LF, tab, NUL…).
            if (field !== 'text') expect(email[field]).not.toMatch(CONTROL);
            for (const c of lexDialect(dialect, email[field]))
              expect(email[field].slice(c.start, c.end)).toMatch(tokenCode[dialect] ?? /$^/);
          }
          for (const slot of ['headline', 'body'])
            for (const c of lexDialect(dialect, spanOf(email, slot)))
              expect(spanOf(email, slot).slice(c.start, c.end)).toMatch(tokenCode[dialect] ?? /$^/);
        }),
        { numRuns: 80 },
      );
    },
  );
});
