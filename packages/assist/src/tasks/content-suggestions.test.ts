import { DiagnosticSchema, DraftSchema, isHubspokeError, parse } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { brandCheck, draft, draftInput, template } from '../__fixtures__/email.js';
import { chatReply, dataOf, useFakeServer } from '../__fixtures__/fake-server.js';
import { suggestContent } from './content-suggestions.js';
import { createOfflineProvider } from '../providers/offline/offline-provider.js';
import { createOpenAiCompatibleProvider } from '../providers/openai-compatible.js';

const server = useFakeServer();

const LONG =
  'This sentence keeps going and going with many words because the writer wanted to say everything at once about the sale, the tulips, the tools and the weather today.';
const wordy = parse(DraftSchema, {
  ...draftInput,
  content: {
    en: {
      ...draftInput.content.en,
      slots: {
        ...draftInput.content.en?.slots,
        'hero-1': { headline: `Spring. ${LONG}`, body: `<p>${LONG}</p>` },
        'cta-1': { button: { href: 'https://shop.example.com', text: 'Click here' } },
      },
    },
  },
});

describe('suggestContent', () => {
  it('flags long sentences (with offsets in plain text) and generic calls to action as core diagnostics', async () => {
    const result = await suggestContent({ draft: wordy, template });
    expect(result.diagnostics.map((d) => [d.ruleId, d.severity, d.location.slotId])).toEqual([
      ['assist/long-sentence', 'suggestion', 'headline'],
      ['assist/long-sentence', 'suggestion', 'body'],
      ['assist/cta-generic', 'warning', 'button'],
    ]);
    const [headline] = result.diagnostics;
    const text = wordy.content.en?.slots['hero-1']?.headline as string;
    expect(text.slice(headline?.location.start, headline?.location.end)).toBe(LONG);
    expect(result.diagnostics[2]?.location).toMatchObject({ instanceId: 'cta-1', property: 'text', locale: 'en' });
    for (const d of result.diagnostics) expect(DiagnosticSchema.safeParse(d).success).toBe(true);
    expect(result.calls).toEqual([]);
  });

  it('has nothing to say about a clear draft', async () => {
    expect((await suggestContent({ draft, template })).diagnostics).toEqual([]);
  });

  it('flags long calls to action in other languages too', async () => {
    const de = parse(DraftSchema, {
      ...draftInput,
      defaultLocale: 'de',
      content: { de: { slots: { 'cta-1': { button: { href: 'https://x.de', text: 'Hier klicken' } } } } },
    });
    expect((await suggestContent({ draft: de, template })).diagnostics[0]?.ruleId).toBe('assist/cta-generic');
    const long = parse(DraftSchema, {
      ...draftInput,
      content: {
        en: {
          slots: { 'cta-1': { button: { href: 'https://x.com', text: 'Go and have a look at our new spring range' } } },
        },
      },
    });
    expect((await suggestContent({ draft: long, template })).diagnostics[0]).toMatchObject({
      ruleId: 'assist/cta-length',
      data: { words: 10 },
    });
  });

  it('adds a model’s suggestions with safe rewrites, cleaned and brand-checked', async () => {
    server.reply(
      chatReply(
        JSON.stringify({
          suggestions: [
            {
              id: 'item-3',
              kind: 'cta-clarity',
              message: 'Say where the link goes',
              replacement: 'Shop spring <b>tulips</b>',
            },
            {
              id: 'item-1',
              kind: 'readability',
              message: 'Split this sentence',
              replacement: 'FREE tulips for everyone',
            },
            {
              id: 'item-2',
              kind: 'readability',
              message: 'Shorter paragraphs <script>x</script>',
              replacement: 'Rich text is not rewritten',
            },
            { id: 'item-99', kind: 'readability', message: 'Unknown item' },
          ],
        }),
      ),
    );
    const provider = createOpenAiCompatibleProvider({ baseUrl: server.url, model: 'editor', retryBaseDelayMs: 1 });
    const result = await suggestContent({ draft: wordy, template, provider, brandCheck });
    const model = result.diagnostics.filter((d) => d.ruleId.startsWith('assist/model-'));
    expect(model.map((d) => [d.ruleId, d.location.slotId, d.message, d.suggestions?.[0]?.edits[0]?.text])).toEqual([
      ['assist/model-cta-clarity', 'button', 'Say where the link goes', 'Shop spring tulips'],
      ['assist/model-readability', 'headline', 'Split this sentence', undefined],
      ['assist/model-readability', 'body', 'Shorter paragraphs', undefined],
    ]);
    expect(model[0]?.suggestions?.[0]?.edits[0]).toEqual({
      start: 0,
      end: 'Click here'.length,
      text: 'Shop spring tulips',
    });
    expect(dataOf(server.requests[0]!).items.map((i: { role: string }) => i.role)).toEqual(['heading', 'body', 'cta']);
    expect(result.calls).toHaveLength(1);
  });

  it('does not ask the offline provider, whose rules add nothing here', async () => {
    const result = await suggestContent({ draft: wordy, template, provider: createOfflineProvider() });
    expect(result.calls).toEqual([]);
    expect(result.diagnostics).toHaveLength(3);
  });

  it('validates its options', async () => {
    const error = await suggestContent({ draft, template, maxSentenceWords: 1 }).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect((error as Error).message).toContain('options.maxSentenceWords');
  });
});
