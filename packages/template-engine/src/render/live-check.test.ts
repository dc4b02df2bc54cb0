import { isHubspokeError, quoteLiteral, type Dialect, type RenderedEmail } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftOf, mjml, template } from '../__fixtures__/fixtures.js';
import { foreignConstructs, type Piece } from './live-check.js';
import { createRenderSession, render } from './render.js';
import { SkeletonCache, type SkeletonSource } from './skeleton.js';
import { CONTROL } from '../personalization/escape.js';

const T = template(
  mjml(
    `<mj-section hs-module="m"><mj-column>
  <mj-text><h1 hs-slot="headline" hs-kind="text">Headline</h1></mj-text>
  <mj-button hs-slot="cta" hs-kind="link" href="https://ok.example/">Go</mj-button>
</mj-column></mj-section>`,
    '<mj-title>Subject</mj-title><mj-preview>Preheader</mj-preview>',
  ),
);

const piece = (offset: number, length: number, data: number[], code: number[]): Piece<string> => ({
  offset,
  length,
  data,
  code,
  hole: `at ${String(offset)}`,
});

describe('the whole-output check', () => {
  it('accepts constructs the compiler wrote and the template’s own, and nothing else', () => {
    // template "A " | code {{ x }} | data " b" | template " {{ hub }}"
    const text = 'A {{ x }} b {{ hub }}';
    const pieces = [piece(2, 10, [7, 9], [0, 7])];
    expect(foreignConstructs('hubspot', text, pieces)).toEqual([]);
    // Spoke text that opens a construct completed by the code beside it.
    const joined = '{{{ x }}';
    expect(foreignConstructs('hubspot', joined, [piece(0, 8, [0, 1], [1, 8])])).toMatchObject([
      { construct: { kind: 'hubl-expression', start: 0, end: 8 }, hole: 'at 0' },
    ]);
    // A construct inside spoke text.
    expect(foreignConstructs('braze', 'x {% if a %}', [piece(0, 12, [0, 12], [])])).toHaveLength(1);
    // Template text and code joined into one construct.
    expect(foreignConstructs('hubspot', '{{ x }}', [piece(1, 6, [], [0, 6])])).toHaveLength(1);
    // Two pieces of code joined where neither was whole.
    expect(foreignConstructs('sfmc', '%%=v(@a)=%%', [piece(0, 3, [], [0, 3]), piece(3, 8, [], [0, 8])])).toEqual([]);
    expect(foreignConstructs('sfmc', '%%=v(@a)=%%', [piece(0, 3, [], [0, 3]), piece(4, 7, [], [0, 7])])).toHaveLength(
      1,
    );
    expect(foreignConstructs('preview', '{{ x }}', [piece(0, 7, [0, 7], [])])).toEqual([]);
  });

  it('refuses a render whose output holds a construct nobody emitted, naming the slot (Velocity in a Marketo link)', async () => {
    const draft = draftOf(T, ['m'], {
      en: { slots: { m: { cta: { href: 'https://ok.example/page#end', text: 'Go' } } } },
    });
    const error: unknown = await render(T, draft, { dialect: 'marketo' }).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect(error).toMatchObject({
      path: 'draft.content["en"].slots.m.cta',
      details: {
        rule: 'render/live-construct',
        dialect: 'marketo',
        output: 'html',
        construct: 'velocity-directive',
        slotId: 'cta',
        property: 'href',
      },
    });
    // The same link is fine where `#end` means nothing.
    await expect(render(T, draft, { dialect: 'hubspot' })).resolves.toBeDefined();
  });

  it('percent-encodes ( ) and every # after the fragment’s in link URLs, so Velocity never sees #name(', async () => {
    const draft = draftOf(T, ['m'], {
      en: { slots: { m: { cta: { href: 'https://ok.example/a(b)?q=#set($x)#if(1)', text: 'Go' } } } },
    });
    const email = await render(T, draft, { dialect: 'marketo' });
    expect(email.html).toContain('href="https://ok.example/a%28b%29?q=#set%28%24x%29%23if%281%29"');
  });

  it.each<Dialect>(['preview', 'marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'])(
    '%s: a line break or another control character in a fallback never reaches the subject or preheader',
    async (dialect) => {
      const subject =
        '{{ contact.tier | default: "a\r\nBcc: x@evil.example\u0000" }} {{ contact.firstName | default: "b\nc\t" }}';
      const draft = draftOf(T, ['m'], { en: { subject, preheader: 'x\r\ny' } });
      const email = await render(T, draft, { dialect, fieldMap: { eloqua: { 'contact.firstName': 'FirstName1' } } });
      expect(email.subject).not.toMatch(CONTROL);
      expect(email.preheader).not.toMatch(CONTROL);
      if (dialect === 'preview') expect(email.subject).toBe('a  Bcc: x@evil.example  b c ');
    },
  );

  it('escapes at the boundaries between pieces in plain text (the adjacency class, per dialect)', async () => {
    const cases: [Dialect, string, RegExp][] = [
      ['marketo', '{{ contact.tier | default: "{" }}{lead.Email Address}}', /^\{\u200b\{lead\.Email Address\}\}$/],
      ['eloqua', '~{{ contact.firstName | default: "~eloqua..x~" }}~', /^~\u200b~eloqua\.\.x~\u200b~$/],
      ['hubspot', '{% raw %}{{% endraw %}{{ contact.firstName }}', /^\{\{ "\{" \}\}\{\{ contact\.firstname \}\}$/],
      [
        'braze',
        '{{ contact.firstName | default: "a{" }}%}',
        /^\{% if \$\{first_name\} == blank %\}a\{\{ "\{" \}\}\{% else %\}/,
      ],
      ['sfmc', '5%{{ contact.firstName }}', /^5%%=Char\(37\)=%%%%=AttributeValue\('FirstName'\)=%%$/],
    ];
    for (const [dialect, subject, expected] of cases) {
      const email = await render(T, draftOf(T, ['m'], { en: { subject } }), {
        dialect,
        fieldMap: { eloqua: { 'contact.firstName': 'FirstName1' } },
      });
      expect(email.subject, dialect).toMatch(expected);
    }
  });
});

/** The hostile alphabet of every dialect: pieces that open, close or complete constructs. */
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
  '$!{',
  '#',
  '##',
  '#*',
  '*#',
  '#set(',
  '#end',
  '#[[',
  '~',
  '~~',
  '<script runat=server>',
  '<span class="eloquaemail">',
  '{lead.Email Address}}',
  'elqTrack=',
  '<',
  '>',
  'x',
  '\n',
  ' ',
  '"',
  '(',
  ')',
];

describe('the whole-output check in a render session', () => {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.constant('{{ contact.firstName }}') },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.constantFrom(...HOSTILE, 'there'), { maxLength: 4 })
        .map((f) => `{{ contact.firstName | default: ${quoteLiteral(f.join(''))} }}`),
    },
  );
  const spokeText = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
  const step = fc.oneof(
    fc.record({ kind: fc.constant('headline' as const), text: spokeText }),
    fc.record({ kind: fc.constant('subject' as const), text: spokeText }),
    fc.record({
      kind: fc.constant('cta' as const),
      text: spokeText,
      href: fc.constantFrom('https://ok.example/', 'https://ok.example/page#end', 'https://ok.example/#set($x)'),
    }),
  );
  const outcome = async (p: Promise<RenderedEmail>) => {
    try {
      const email = await p;
      return { ok: { html: email.html, text: email.text, subject: email.subject, preheader: email.preheader } };
    } catch (error) {
      if (!isHubspokeError(error)) throw error;
      return { error: { code: error.code, path: error.path, message: error.message, details: error.details } };
    }
  };

  /**
   * Skeletons from a cache, each time a copy: a render checks its outputs whole when no rendering
   * of the same skeleton was verified before it (the check remembers the last one per skeleton).
   */
  const skeletons = new SkeletonCache();
  const whole: SkeletonSource = {
    get: async (structure) => {
      const s = await skeletons.get(structure);
      return { ...s, html: { ...s.html }, text: { ...s.text } };
    },
  };

  it.each<Dialect>(['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze'])(
    '%s: after every edit of a random sequence, the incremental check (a session, and render() after the last verified render) decides what a whole check decides (property)',
    async (dialect) => {
      const options = { dialect, fieldMap: { eloqua: { 'contact.firstName': 'FirstName1' } } };
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
          const session = await createRenderSession(T, draftOf(T, ['m']), options);
          for (const s of steps) {
            const edited = await outcome(
              s.kind === 'subject'
                ? session.setField('subject', s.text)
                : s.kind === 'headline'
                  ? session.setSlot('m', 'headline', s.text)
                  : session.setSlot('m', 'cta', { href: s.href, text: s.text }),
            );
            const reference = await outcome(render(T, session.draft, { ...options, cache: whole }));
            expect(edited).toEqual(reference);
            expect(await outcome(render(T, session.draft, options))).toEqual(reference);
          }
        }),
        { numRuns: 40 },
      );
    },
  );

  it('refuses an edit that puts live code in the output and accepts the next edit that takes it out', async () => {
    const session = await createRenderSession(T, draftOf(T, ['m']), { dialect: 'marketo' });
    const bad = session.setSlot('m', 'cta', { href: 'https://ok.example/page#end', text: 'Go' });
    await expect(bad).rejects.toMatchObject({
      code: 'E_VALIDATION',
      details: { rule: 'render/live-construct', construct: 'velocity-directive', slotId: 'cta', property: 'href' },
    });
    // An unrelated edit does not hide the refused link: the check starts from the last rendering that passed.
    await expect(session.setSlot('m', 'headline', 'Hello')).rejects.toMatchObject({ code: 'E_VALIDATION' });
    const good = await session.setSlot('m', 'cta', { href: 'https://ok.example/page', text: 'Go' });
    expect(good.html).toContain('https://ok.example/page');
  });
});

describe('the incremental check of a session edit', () => {
  // Two slots side by side: in the plain text nothing stands between them, so spoke text in one
  // completes a construct that the other opens. Each escapes its own text; neither alone is live.
  // The third slot is far from them (more than a re-lex around one edit reads), in both outputs.
  const far = 'The hub wrote this paragraph. '.repeat(20);
  const adjacent = template(
    mjml(`<mj-section hs-module="m"><mj-column>
  <mj-text><p>${far}</p><p>Price <span hs-slot="a" hs-kind="text">A</span><span hs-slot="b" hs-kind="text">B</span></p></mj-text>
  <mj-text><p>${far}</p><p hs-slot="c" hs-kind="text">C</p></mj-text>
</mj-column></mj-section>`),
  );
  const cases: [Exclude<Dialect, 'preview'>, string, string, string][] = [
    ['hubspot', 'x {', '{ contact.email }}', 'hubl-expression'],
    ['braze', 'x {', '% if a %}', 'liquid-tag'],
    ['marketo', 'x {', '{lead.Email Address}}', 'marketo-token'],
    ['sfmc', 'x {', '{ x }}', 'gtl'],
    ['eloqua', 'x ~', '~x', 'eloqua-marker'],
  ];

  it.each(cases)(
    '%s: an edit that completes a construct with an unchanged slot beside it is refused, also after unrelated edits',
    async (dialect, a, b, construct) => {
      const session = await createRenderSession(adjacent, draftOf(adjacent, ['m']), { dialect });
      // Verified renderings the edits start from: slot a ends in an opener's first half, harmlessly.
      await session.setSlot('m', 'a', a);
      await session.setSlot('m', 'c', 'unrelated');
      // Only the edited slot's holes changed, and only the plain text holds the joined construct:
      // a re-lex that skipped the changed output, or did not read across the hole's edge, passes it.
      const refused = { code: 'E_VALIDATION', details: { rule: 'render/live-construct', output: 'text', construct } };
      await expect(session.setSlot('m', 'b', b)).rejects.toMatchObject(refused);
      // The whole check of the same draft (no verified rendering to start from) decides the same.
      await expect(render(adjacent, session.draft, { dialect, cache: new SkeletonCache() })).rejects.toMatchObject(
        refused,
      );
      // An edit elsewhere does not hide it: the refused slot is still among the holes changed since
      // the last verified rendering, before the one edited now.
      await expect(session.setSlot('m', 'c', 'other')).rejects.toMatchObject(refused);
      await expect(session.setSlot('m', 'b', 'fine')).resolves.toMatchObject({ text: expect.stringContaining('fine') });
      // And the other way round: the unchanged slot is b, the edit makes a complete the construct.
      await session.setSlot('m', 'a', 'x');
      await session.setSlot('m', 'b', b);
      await expect(session.setSlot('m', 'a', a)).rejects.toMatchObject(refused);
    },
  );
});
