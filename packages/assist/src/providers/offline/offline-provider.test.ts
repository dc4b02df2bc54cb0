import { isHubspokeError } from '@hubspoke/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { SubjectVariantsTask } from '../../tasks/tasks.js';
import { createOfflineProvider, OFFLINE_NOTICE, PSEUDO_TRANSLATION_NOTICE } from './offline-provider.js';
import { pseudoLocalize } from './pseudo-localize.js';
import { fit, ruleVariants } from './subject-rules.js';
import { ruleAltTexts } from './alt-text-rules.js';
import { controlsBalanced, findTokens } from '../../text/tokens.js';
import { suggestSubjectLines } from '../../tasks/subject-variants.js';

const base: SubjectVariantsTask = {
  kind: 'subject-variants',
  field: 'subject',
  locale: 'en',
  count: 5,
  tone: 'neutral',
  maxLength: 60,
  current: 'Our spring sale starts today',
  context: {},
  avoid: [],
};

/** A task with overrides; `current: undefined` removes the current text. */
function task(
  extra: { [K in keyof SubjectVariantsTask]?: SubjectVariantsTask[K] | undefined } = {},
): SubjectVariantsTask {
  const { current, ...rest } = { ...base, ...extra };
  return { ...(rest as Omit<SubjectVariantsTask, 'current'>), ...(current === undefined ? {} : { current }) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('offline provider', () => {
  it('answers subject-variant tasks deterministically, saying it is rule-based, without the network', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const provider = createOfflineProvider();
    const schema = z.object({ variants: z.array(z.object({ text: z.string(), rationale: z.string() })) });
    const a = await provider.complete({
      system: 's',
      messages: [{ role: 'user', content: 'x' }],
      schema,
      task: task(),
    });
    const b = await provider.complete({
      system: 's',
      messages: [{ role: 'user', content: 'x' }],
      schema,
      task: task(),
    });
    expect(a.value).toEqual(b.value);
    expect(a.notice).toBe(OFFLINE_NOTICE);
    expect(a.value.variants.every((v) => v.rationale.startsWith('Rule-based (offline, no AI)'))).toBe(true);
    expect(a.usage).toEqual({ inputTokens: 0, outputTokens: 0, characters: 0 });
    expect(a.cost).toEqual({ amount: 0, currency: 'USD' });
    expect(provider.info).toMatchObject({ offline: true, id: 'offline' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses free-form prompts and tasks it cannot do with E_UNSUPPORTED', async () => {
    const provider = createOfflineProvider();
    const free = await provider
      .complete({ system: 's', messages: [{ role: 'user', content: 'Write a poem' }] })
      .catch((e: unknown) => e);
    expect(isHubspokeError(free, 'E_UNSUPPORTED')).toBe(true);
    const review = await provider
      .complete({
        system: 's',
        messages: [{ role: 'user', content: 'x' }],
        task: { kind: 'content-suggestions', locale: 'en', items: [] },
      })
      .catch((e: unknown) => e);
    expect(isHubspokeError(review, 'E_UNSUPPORTED')).toBe(true);
  });

  it('pseudo-translates, keeping placeholders and entities, and says so', async () => {
    const provider = createOfflineProvider();
    const result = await provider.translate({
      sourceLocale: 'en',
      targetLocale: 'de',
      units: [{ id: 'a', source: 'Hi <x id="1"/> &amp; <x id="2"></x> you' }],
    });
    expect(result.units).toEqual([{ id: 'a', target: '[Hí <x id="1"/> &amp; <x id="2"></x> ýóú]' }]);
    expect(result.notice).toBe(PSEUDO_TRANSLATION_NOTICE);
    expect(pseudoLocalize('  ')).toBe('  ');
  });
});

describe('rule-based subject lines', () => {
  it('puts the requested tone first and never repeats the current text or avoided ones', () => {
    const urgent = ruleVariants(task({ tone: 'urgent' }));
    expect(urgent[0]?.text).toBe("Don't miss: Our spring sale starts today");
    const avoided = ruleVariants(task({ avoid: urgent.map((v) => v.text), tone: 'urgent' }));
    expect(avoided.map((v) => v.text)).not.toEqual(expect.arrayContaining([urgent[0]?.text]));
    expect(avoided.map((v) => v.text)).not.toContain('Our spring sale starts today');
  });

  it('respects the length limit and count', () => {
    const short = ruleVariants(task({ maxLength: 35, count: 3 }));
    expect(short.length).toBeLessThanOrEqual(3);
    expect(short.every((v) => v.text.length <= 35)).toBe(true);
  });

  it('offers a shortened and a personalized form', () => {
    const texts = ruleVariants(
      task({ current: 'Our spring sale is really here — 20% off, {{ contact.firstName }}', maxLength: 100, count: 10 }),
    ).map((v) => v.text);
    expect(texts).toContain('Our spring sale is here');
    expect(texts).toContain('{{ contact.firstName }}, our spring sale is really here — 20% off');
  });

  it('uses German, French and Spanish patterns, and only structural forms elsewhere', () => {
    expect(ruleVariants(task({ locale: 'de-DE', current: 'Frühling ist da' }))[0]?.text).toBe('Neu: Frühling ist da');
    expect(ruleVariants(task({ locale: 'fr', current: 'Le printemps' }))[0]?.text).toBe('Nouveau : Le printemps');
    expect(ruleVariants(task({ locale: 'es', current: 'Primavera' }))[0]?.text).toBe('Novedad: Primavera');
    expect(ruleVariants(task({ locale: 'ja', current: '春のセール (本日)' })).map((v) => v.text)).toEqual([
      '春のセール',
    ]);
  });

  it('falls back to the headline, and builds preheaders from the body', () => {
    expect(ruleVariants(task({ current: undefined, context: { headline: 'Tulips are back' } }))[0]?.text).toBe(
      'New: Tulips are back',
    );
    const pre = ruleVariants(
      task({
        field: 'preheader',
        current: undefined,
        maxLength: 40,
        context: { headline: 'Tulips', body: 'Fresh from Holland. Order by Friday for delivery next week.' },
      }),
    );
    expect(pre.map((v) => v.text)).toEqual([
      'Tulips · Fresh from Holland.',
      'Fresh from Holland.',
      'Order by Friday for delivery next week.',
    ]);
    expect(ruleVariants(task({ current: undefined }))).toEqual([]);
  });

  it('cuts at a word boundary with an ellipsis', () => {
    expect(fit('Save on tulips and garden tools this week', 20)).toBe('Save on tulips and…');
    expect(fit('short', 20)).toBe('short');
  });

  it('never lets a topic with $ patterns change the phrase', () => {
    expect(ruleVariants(task({ current: "$& $' $1 deal" }))[0]?.text).toBe("New: $& $' $1 deal");
  });
});

describe('rule-based alt text', () => {
  const image = (fileNameWords: string, nearbyText?: string) => ({
    id: 'img-1',
    src: 'x',
    fileNameWords,
    ...(nearbyText === undefined ? {} : { nearbyText }),
  });
  it('uses descriptive file names in English and the heading elsewhere', () => {
    expect(
      ruleAltTexts({ kind: 'alt-text', locale: 'en', maxLength: 125, images: [image('spring tulips', 'Frühling')] })[0]
        ?.alt,
    ).toBe('Spring tulips');
    expect(
      ruleAltTexts({
        kind: 'alt-text',
        locale: 'de',
        maxLength: 125,
        images: [image('spring tulips', 'Frühling ist da. Mehr Text')],
      })[0]?.alt,
    ).toBe('Frühling ist da.');
    expect(
      ruleAltTexts({ kind: 'alt-text', locale: 'en', maxLength: 125, images: [image('ab', 'Our heading')] })[0]?.alt,
    ).toBe('Our heading');
    expect(ruleAltTexts({ kind: 'alt-text', locale: 'en', maxLength: 125, images: [image('')] })).toEqual([]);
  });

  it('keeps a token in the heading whole (a default may hold a full stop)', () => {
    const heading = 'Welcome back, {{ contact.firstName | default: "dear customer. Really" }}! More below.';
    expect(
      ruleAltTexts({ kind: 'alt-text', locale: 'de', maxLength: 125, images: [image('x', heading)] })[0]?.alt,
    ).toBe('Welcome back, {{ contact.firstName | default: "dear customer. Really" }}!');
  });
});

describe('personalization tokens in offline suggestions', () => {
  const tokens = [
    '{{ contact.firstName | default: "friend" }}',
    "{{ contact.city | default: 'your city' | upcase }}",
    '{{ contact.firstName }}',
    '{{ offer.code | default: "SPRING: 20% off (today)" }}',
  ];
  const words = ['Spring sale', 'is here', 'really', '—', '20% off', 'now:', '(today)', 'Hi', ','];

  /** What is left of a suggestion without its tokens: no piece of a token may remain. */
  const outsideTokens = (text: string) => {
    let rest = text;
    for (const t of findTokens(text)) rest = rest.replace(t.text, ' ');
    return rest;
  };

  it('keeps a default with a colon and quotes whole (the filter is not cut at its colon)', async () => {
    const result = await suggestSubjectLines({
      locale: 'en',
      current: 'Spring sale, {{ contact.firstName | default: "friend" }}',
      count: 10,
      maxLength: 120,
      provider: createOfflineProvider(),
      brandCheck: () => [],
    });
    const texts = result.variants.map((v) => v.text);
    expect(texts).toContain('{{ contact.firstName | default: "friend" }}, Spring sale');
    for (const text of texts) expect(outsideTokens(text)).not.toMatch(/contact|default|friend|[{}]/);
    expect(result.rejected.every((r) => r.reason === 'surplus')).toBe(true);
  });

  it('never cuts into a token or leaves a block open, whatever the subject (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(...words),
      fc.constantFrom(...tokens),
      fc.constant('{% if contact.vip %}VIP: {% endif %}'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 10, max: 80 }),
        fc.constantFrom('subject', 'preheader'),
        (pieces, maxLength, field) => {
          const text = pieces.join(' ');
          const given = new Set(findTokens(text).map((t) => t.text));
          const variants = ruleVariants(
            task({
              field,
              current: text,
              maxLength,
              count: 10,
              context: { body: `${text}. ${text}!` },
            }),
          );
          for (const { text: out } of variants) {
            for (const t of findTokens(out)) expect(given.has(t.text), `${t.text} in ${out}`).toBe(true);
            expect(outsideTokens(out), out).not.toMatch(/[{}]|contact\.|default:/);
            expect(controlsBalanced(out), out).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
