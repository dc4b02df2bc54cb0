import {
  EloquaDynamicContentSchema,
  RenderedEmailSchema,
  isPresent,
  parseTokens,
  quoteLiteral,
  type EloquaDynamicContent,
  type RenderedEmail,
} from '@hubspoke/core';
import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, template } from '../__fixtures__/fixtures.js';
import { render } from '../render/render.js';
import { foreignInCompiled } from '../render/live-check.js';
import { Sink, compileInto, type CompileIssue } from './compile.js';
import { lexDialect } from './dialect-lexer.js';
import { ruleCriteria } from './dynamic-content.js';
import { resolveFieldMap } from './field-map.js';

const FIELDS = { 'contact.country': 'Country1', 'contact.firstName': 'FirstName1', 'contact.tier': 'Tier1' };
const fieldMap = resolveFieldMap({ eloqua: FIELDS });

function compile(source: string) {
  const parsed = parseTokens(source);
  expect(parsed.errors).toEqual([]);
  const issues: CompileIssue[] = [];
  const sink = new Sink();
  compileInto(sink, parsed.nodes, 'html', { dialect: 'eloqua', fieldMap }, issues);
  return { sink, issues };
}

const placeholder = (name: string | undefined) => `<span elqid="${name ?? ''}" elqtype="DynamicContent"></span>`;

describe('Eloqua conditions as dynamic content', () => {
  it('turns and/or/not into criteria and a statement over their positions', () => {
    const { sink, issues } = compile(
      '{% if contact.tier == "gold" and contact.country != "US" and not contact.firstName %}A{% elsif contact.tier == 3 or contact.tier == true %}B{% endif %}',
    );
    expect(issues).toEqual([]);
    expect(sink.dynamicContents).toHaveLength(1);
    const [dc] = sink.dynamicContents;
    expect(
      EloquaDynamicContentSchema.parse({ name: dc?.name, rules: dc?.rules, defaultHtml: dc?.defaultHtml }),
    ).toEqual({
      name: expect.stringMatching(/^hubspoke_dc_[0-9a-f]{12}$/),
      rules: [
        {
          criteria: [
            { field: 'Tier1', operator: 'equal', value: 'gold' },
            { field: 'Country1', operator: 'notEqual', value: 'US' },
            { field: 'FirstName1', operator: 'blank' },
          ],
          statement: '1 AND 2 AND 3',
          html: 'A',
        },
        {
          criteria: [
            { field: 'Tier1', operator: 'equal', value: '3' },
            { field: 'Tier1', operator: 'equal', value: 'true' },
          ],
          statement: '1 OR 2',
          html: 'B',
        },
      ],
      defaultHtml: '',
    });
    expect(sink.text).toBe(placeholder(dc?.name));
    // Nested terms (core's condition type allows them) keep their grouping.
    const nested = ruleCriteria(
      {
        type: 'all',
        terms: [
          { type: 'present', path: 'a', negated: false },
          {
            type: 'any',
            terms: [
              { type: 'compare', path: 'b', op: '==', value: 1 },
              { type: 'present', path: 'c', negated: true },
            ],
          },
        ],
      },
      (path) => path.toUpperCase(),
    );
    expect(nested?.statement).toBe('1 AND (2 OR 3)');
    expect(nested?.criteria.map((c) => c.field)).toEqual(['A', 'B', 'C']);
  });

  it('compiles branch content as Eloqua HTML: spoke text entity-encoded, fields as field merges', () => {
    const { sink, issues } = compile(
      '{% if contact.tier %}Hi {{ contact.firstName }} <b>~~x~~</b>{% else %}{{ contact.firstName | default: "you" }} ${y}{% endif %}',
    );
    const [dc] = sink.dynamicContents;
    expect(dc?.rules[0]?.html).toBe(
      'Hi <span class="eloquaemail">FirstName1</span> &lt;b&gt;&#126;&#126;x&#126;&#126;&lt;/b&gt;',
    );
    expect(dc?.defaultHtml).toBe('<span class="eloquaemail">FirstName1</span> &#36;&#123;y&#125;');
    // Eloqua keeps a merge's default on the merge asset: the same warning as outside a condition.
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'warning', data: expect.objectContaining({ construct: 'fallback' }) }),
    ]);
  });

  it('names the asset by its content: the same condition is one asset, another is another', () => {
    const a = compile('{% if contact.tier %}A{% endif %} and {% if contact.tier %}A{% endif %}');
    expect(a.sink.dynamicContents).toHaveLength(1);
    const name = a.sink.dynamicContents[0]?.name;
    expect(a.sink.text).toBe(`${placeholder(name)} and ${placeholder(name)}`);
    const b = compile('{% if contact.tier %}B{% endif %}');
    expect(b.sink.dynamicContents[0]?.name).not.toBe(name);
  });

  it('keeps a field without an Eloqua mapping an error, and emits the else content', () => {
    const { sink, issues } = compile('{% if contact.shoeSize == "9" %}A{% else %}B{% endif %}');
    expect(sink.text).toBe('B');
    expect(sink.dynamicContents).toEqual([]);
    expect(issues).toEqual([
      expect.objectContaining({
        ruleId: 'personalization/unmapped-field',
        severity: 'error',
        start: 0,
        data: expect.objectContaining({ dialect: 'eloqua', field: 'contact.shoeSize' }),
      }),
    ]);
  });

  it('refuses a condition inside a branch (dynamic content holds no dynamic content) at the inner construct', () => {
    const inner = '{% if contact.country == "DE" %}x{% else %}y{% endif %}';
    const source = `{% if contact.tier %}A ${inner}{% endif %}`;
    const { sink, issues } = compile(source);
    expect(sink.dynamicContents[0]?.rules[0]?.html).toBe('A y');
    const start = source.indexOf(inner);
    expect(issues).toEqual([
      expect.objectContaining({
        ruleId: 'personalization/unsupported',
        severity: 'error',
        start,
        end: start + inner.length,
        data: expect.objectContaining({ construct: 'nested-condition' }),
      }),
    ]);
  });

  it('refuses a rule with more comparisons than Eloqua takes', () => {
    const many = Array.from({ length: 51 }, (_, i) => `contact.tier == "${String(i)}"`).join(' or ');
    const { sink, issues } = compile(`{% if ${many} %}A{% else %}B{% endif %}`);
    expect(sink.text).toBe('B');
    expect(issues).toEqual([
      expect.objectContaining({
        ruleId: 'personalization/unsupported',
        data: expect.objectContaining({ construct: 'condition' }),
      }),
    ]);
  });

  it('the check finds a live construct in a content section that the compiler did not write', () => {
    // Spoke text (data) cannot hold Eloqua markup; code can.
    expect(foreignInCompiled('eloqua', 'a ~~eloqua..x~~', [0, 15], 'slot')).toMatchObject({
      construct: { kind: 'eloqua-marker' },
      hole: 'slot',
    });
    expect(foreignInCompiled('eloqua', 'a <span class="eloquaemail">X</span>', [0, 2], 'slot')).toBeUndefined();
    expect(foreignInCompiled('eloqua', 'a <span class="eloquaemail">X</span>', [0, 12], 'slot')).toBeDefined();
  });
});

const T = template(
  mjml(
    `<mj-section hs-module="m"><mj-column>
  <mj-text><h1 hs-slot="headline" hs-kind="text">Headline</h1></mj-text>
</mj-column></mj-section>`,
    '<mj-title>Subject</mj-title><mj-preview>Preheader</mj-preview>',
  ),
);

function spanOf(email: RenderedEmail, slotId: string): string {
  const span = email.slotSpans?.find((s) => s.slotId === slotId);
  return span ? email.html.slice(span.start, span.end) : '';
}

type Contact = Record<string, string>;
const BY_FIELD = Object.fromEntries(Object.entries(FIELDS).map(([path, field]) => [field, path]));

/** Eloqua's reading of a rule: criteria on the contact, the statement over their positions. */
function holds(rule: EloquaDynamicContent['rules'][number], contact: Contact): boolean {
  const truth = rule.criteria.map((c) => {
    const value = contact[BY_FIELD[c.field] ?? ''];
    switch (c.operator) {
      case 'blank':
        return !isPresent(value);
      case 'notBlank':
        return isPresent(value);
      case 'equal':
        return value === c.value;
      case 'notEqual':
        return value !== c.value;
    }
  });
  const tokens = rule.statement.match(/\d+|AND|OR|\(|\)/g) ?? [];
  let at = 0;
  const or = (): boolean => {
    let v = and();
    while (tokens[at] === 'OR') {
      at++;
      v = and() || v;
    }
    return v;
  };
  const and = (): boolean => {
    let v = atom();
    while (tokens[at] === 'AND') {
      at++;
      v = atom() && v;
    }
    return v;
  };
  const atom = (): boolean => {
    const t = tokens[at++];
    if (t === '(') {
      const v = or();
      at++;
      return v;
    }
    return truth[Number(t) - 1] ?? false;
  };
  return or();
}

/** What Eloqua sends a contact: each placeholder replaced with the first rule that holds (or the default), merges filled. */
function eloquaSends(html: string, email: RenderedEmail, contact: Contact): string {
  const dcs = new Map((email.dynamicContents ?? []).map((dc) => [dc.name, dc]));
  const resolved = html.replace(
    /<span elqid="(hubspoke_dc_[0-9a-f]{12})" elqtype="DynamicContent"><\/span>/g,
    (_m, name: string) => {
      const dc = dcs.get(name);
      if (dc === undefined) throw new Error(`no dynamic content ${name}`);
      return dc.rules.find((r) => holds(r, contact))?.html ?? dc.defaultHtml;
    },
  );
  return resolved.replace(/<span class="eloquaemail">(\w+)<\/span>/g, (_m, field: string) =>
    (contact[BY_FIELD[field] ?? ''] ?? '').replace(/[&<>]/g, (c) => `&#${String(c.charCodeAt(0))};`),
  );
}

/** What spokes might type, beside conditions and tokens: every dialect's openers, raw blocks and HTML. */
const HOSTILE = [
  '<span class="eloquaemail">EmailAddress</span>',
  '<span elqid="1" elqtype="DynamicContent"></span>',
  'elqid="hubspoke_dc_000000000000"',
  '~~eloqua..type--emailfield..syntax--EmailAddress..innerText--EmailAddress..encodeFor--url~~',
  '~',
  '<',
  '>',
  '"',
  "'",
  ' elqTrack=',
  '<script>alert(1)</script>',
  '%%=v(@a)=%%',
  '$x #set($a = 1)',
  'x',
  ' ',
  '&amp;',
];
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.constant('{{ contact.firstName }}') },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom('{{', '{%', '}}', '%}', '~~'), { maxLength: 3 })
      .map((f) => `{% raw %}${f.join('').replace(/\{%/g, '')}{% endraw %}`),
  },
);
const spokeText = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
const conditional = fc
  .tuple(spokeText, spokeText, spokeText, spokeText)
  .map(
    ([before, yes, maybe, no]) =>
      `${before}{% if contact.country == "DE" %}${yes}{% elsif contact.tier %}${maybe}{% else %}${no}{% endif %}`,
  );

describe('Eloqua dynamic content in a render', () => {
  const ADA: Contact = { 'contact.firstName': 'Ada', 'contact.country': 'DE', 'contact.tier': '' };
  const BO: Contact = { 'contact.firstName': 'Bo <b>', 'contact.country': 'FR', 'contact.tier': 'gold' };
  const CY: Contact = { 'contact.firstName': 'Cy', 'contact.country': 'US', 'contact.tier': '' };

  it('carries the definitions on the email, and the placeholder passes the whole-output check', async () => {
    const text = 'Hi {% if contact.country == "DE" %}Hallo {{ contact.firstName }}{% else %}there{% endif %}!';
    const draft = draftOf(T, ['m'], { en: { slots: { m: { headline: text } } } });
    const email = RenderedEmailSchema.parse(
      await render(T, draft, { dialect: 'eloqua', fieldMap: { eloqua: FIELDS } }),
    );
    const [dc] = email.dynamicContents ?? [];
    expect(spanOf(email, 'headline')).toBe(`Hi ${placeholder(dc?.name)}!`);
    expect(dc?.rules).toEqual([
      {
        criteria: [{ field: 'Country1', operator: 'equal', value: 'DE' }],
        statement: '1',
        html: 'Hallo <span class="eloquaemail">FirstName1</span>',
      },
    ]);
    expect(dc?.defaultHtml).toBe('there');
    // The plain-text part has no dynamic content in Eloqua: refused at the construct, the else content shown.
    expect(email.text).toContain('Hi there!');
    expect(email.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'personalization/unsupported',
        severity: 'error',
        data: expect.objectContaining({ dialect: 'eloqua', construct: 'condition' }),
      }),
    );
    // A subject with a condition: refused at the construct, the else content in the subject.
    const subject = await render(T, draftOf(T, ['m'], { en: { subject: text, slots: {} } }), {
      dialect: 'eloqua',
      fieldMap: { eloqua: FIELDS },
    });
    expect(subject.subject).toBe('Hi there!');
    expect(subject.dynamicContents).toBeUndefined();
    expect(subject.diagnostics).toContainEqual(
      expect.objectContaining({
        ruleId: 'personalization/unsupported',
        severity: 'error',
        location: expect.objectContaining({ field: 'subject' }),
        data: expect.objectContaining({ construct: 'condition' }),
      }),
    );
  });

  it('hostile text in every branch stays literal: Eloqua sends each contact what the preview shows (property)', async () => {
    // Text that would form live code next to a field merge (`<x` + merge + ` elqTrack=` in the plain
    // text) is refused, naming the slot: safe too, but most drafts must render for the property to say much.
    let rendered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(conditional, async (text) => {
        const draft = draftOf(T, ['m'], { en: { slots: { m: { headline: text } } } });
        let output: unknown;
        try {
          output = await render(T, draft, { dialect: 'eloqua', fieldMap: { eloqua: FIELDS } });
        } catch (error) {
          expect(error).toMatchObject({
            code: 'E_VALIDATION',
            path: 'draft.content["en"].slots.m.headline',
            details: { rule: 'render/live-construct' },
          });
          refused++;
          return;
        }
        rendered++;
        const email = RenderedEmailSchema.parse(output);
        const span = spanOf(email, 'headline');
        // Every live construct: a placeholder's elq attributes or a field merge the compiler wrote.
        for (const c of lexDialect('eloqua', span))
          expect(span.slice(c.start, c.end)).toMatch(/^(?:elqid=|elqtype=|<span class="eloquaemail">)/);
        for (const dc of email.dynamicContents ?? [])
          for (const html of [...dc.rules.map((r) => r.html), dc.defaultHtml])
            for (const c of lexDialect('eloqua', html))
              expect(html.slice(c.start, c.end)).toMatch(/^<span class="eloquaemail">/);
        for (const contact of [ADA, BO, CY]) {
          const preview = await render(T, draft, { dialect: 'preview', sampleContact: { id: 'x', fields: contact } });
          expect(decodeHTML(eloquaSends(span, email, contact))).toBe(decodeHTML(spanOf(preview, 'headline')));
        }
      }),
      { numRuns: 60 },
    );
    expect(rendered).toBeGreaterThan(refused);
  });

  it('a fallback or branch text can never forge a placeholder the connector would replace', async () => {
    const forged = `{{ contact.firstName | default: ${quoteLiteral(placeholder('hubspoke_dc_000000000000'))} }}`;
    const draft = draftOf(T, ['m'], {
      en: {
        slots: {
          m: { headline: `${forged}{% if contact.tier %}${placeholder('hubspoke_dc_000000000001')}{% endif %}` },
        },
      },
    });
    const email = await render(T, draft, { dialect: 'eloqua', fieldMap: { eloqua: FIELDS } });
    expect(email.html.match(/elqtype="DynamicContent"/g)).toHaveLength(1);
    expect(email.dynamicContents?.[0]?.rules[0]?.html).not.toContain('<span');
  });
});
