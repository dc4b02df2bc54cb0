import { DraftSchema, isHubspokeError, parse } from '@hubspoke/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brandCheck, draft, draftInput, template } from '../__fixtures__/email.js';
import { chatReply, dataOf, useFakeServer } from '../__fixtures__/fake-server.js';
import { applyAltText, lacksAltText, suggestAltText } from './alt-text.js';
import { fileNameWords } from '../text/file-name-words.js';
import { createOfflineProvider } from '../providers/offline/offline-provider.js';
import { createOpenAiCompatibleProvider } from '../providers/openai-compatible.js';

const server = useFakeServer();

const withImage = (image: object, locales: Record<string, object> = {}) =>
  parse(DraftSchema, {
    ...draftInput,
    content: {
      en: {
        ...draftInput.content.en,
        slots: { ...draftInput.content.en?.slots, 'hero-1': { ...draftInput.content.en?.slots?.['hero-1'], image } },
      },
      ...locales,
    },
  });

describe('fileNameWords', () => {
  it('keeps the words that describe the picture', () => {
    expect(fileNameWords('https://cdn.example.com/img/Spring-Sale_tulips@2x.v3.jpg?w=600#x')).toBe(
      'spring sale tulips',
    );
    expect(fileNameWords('/a/heroBanner_redRoses-1200x600.PNG')).toBe('red roses');
    expect(fileNameWords('IMG_2041.jpg')).toBe('');
    expect(fileNameWords('3f9a7c2e9b1d4e6f.webp')).toBe('');
    expect(fileNameWords('caf%C3%A9-terrace.jpg')).toBe('café terrace');
    expect(fileNameWords('bad%E0%A4%A.jpg')).toBe('bad');
  });

  it('never throws and yields only lower-case words without digits (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const words = fileNameWords(s);
        expect(words).toBe(words.toLowerCase());
        expect(words).not.toMatch(/\d|\s{2}|^\s|\s$/);
      }),
    );
  });
});

describe('lacksAltText', () => {
  it('counts missing, blank, generic and file-name alt texts as lacking; an intentional empty alt is decorative', () => {
    expect(lacksAltText({ src: 'a' }, true)).toBe(true);
    expect(lacksAltText({ src: 'a', alt: '  ' }, false)).toBe(true);
    expect(lacksAltText({ src: 'a', alt: '' }, false)).toBe(false);
    expect(lacksAltText({ src: 'a', alt: '' }, true)).toBe(true);
    expect(lacksAltText({ src: 'a', alt: 'Image' }, true)).toBe(true);
    expect(lacksAltText({ src: 'a', alt: 'hero.jpg' }, true)).toBe(true);
    expect(lacksAltText({ src: 'a', alt: 'Red tulips in a vase' }, true)).toBe(false);
  });
});

describe('suggestAltText', () => {
  it('suggests offline alt text from the file name and applies it to the draft', async () => {
    const result = await suggestAltText({ provider: createOfflineProvider(), draft, template, brandCheck });
    expect(result.suggestions).toEqual([
      expect.objectContaining({
        instanceId: 'hero-1',
        slotId: 'image',
        locale: 'en',
        alt: 'Spring sale tulips',
        diagnostics: [],
        rationale: expect.stringMatching(/^Rule-based/),
      }),
    ]);
    const applied = applyAltText(draft, result.suggestions);
    expect(applied.content.en?.slots['hero-1']?.image).toMatchObject({ alt: 'Spring sale tulips' });
    expect(draft.content.en?.slots['hero-1']?.image).not.toHaveProperty('alt');
  });

  it('leaves images that have good alt text alone, and skips locales without images lacking it', async () => {
    const result = await suggestAltText({
      provider: createOfflineProvider(),
      draft: withImage({ src: 'https://x.com/a.jpg', alt: 'Red tulips' }),
      template,
    });
    expect(result.suggestions).toEqual([]);
    expect(result.calls).toEqual([]);
  });

  it('asks a vision model with the image, file-name words and nearby text as data', async () => {
    server.reply(
      chatReply(
        JSON.stringify({
          images: [{ id: 'img-1', alt: 'Image of red tulips in a market stall', rationale: 'visible' }],
        }),
      ),
    );
    const provider = createOpenAiCompatibleProvider({
      baseUrl: server.url,
      model: 'vision',
      images: true,
      retryBaseDelayMs: 1,
    });
    const result = await suggestAltText({ provider, draft, template });
    expect(result.suggestions[0]).toMatchObject({ alt: 'red tulips in a market stall', rationale: 'visible' });
    const content = server.requests[0]?.body.messages[1].content as { type: string; image_url?: { url: string } }[];
    expect(content.find((p) => p.type === 'image_url')?.image_url?.url).toBe(
      'https://cdn.example.com/img/spring-sale_tulips@2x.jpg?w=600',
    );
    expect(dataOf(server.requests[0]!).images[0]).toEqual({
      id: 'img-1',
      fileNameWords: 'spring sale tulips',
      nearbyText: expect.stringContaining('spring is here'),
    });
  });

  it('writes alt text per locale, in that locale', async () => {
    const de = { slots: { 'hero-1': { headline: 'Der Frühling ist da', image: { src: 'https://x.com/IMG_1.jpg' } } } };
    const result = await suggestAltText({
      provider: createOfflineProvider(),
      draft: withImage({ src: 'https://x.com/a.jpg', alt: 'Tulips' }, { de }),
      template,
    });
    expect(result.suggestions).toEqual([expect.objectContaining({ locale: 'de', alt: 'Der Frühling ist da' })]);
  });

  it('rejects generic, over-long and brand-failing alt text, and reports images with no answer', async () => {
    const two = withImage({ src: 'https://x.com/a.jpg' });
    const en = two.content.en!;
    en.slots['hero-2'] = { image: { src: 'https://x.com/b.jpg' } };
    two.modules.push({ instanceId: 'hero-2', moduleId: 'hero', hidden: false });
    const provider = createOpenAiCompatibleProvider({ baseUrl: server.url, model: 'm', retryBaseDelayMs: 1 });
    server.reply(chatReply(JSON.stringify({ images: [{ id: 'img-1', alt: 'photo' }] })));
    const generic = await suggestAltText({ provider, draft: two, template });
    expect(generic.suggestions.map((s) => [s.alt, s.diagnostics[0]?.ruleId])).toEqual([
      [undefined, 'assist/alt-text-generic'],
      [undefined, 'assist/alt-text-missing'],
    ]);
    server.reply(
      chatReply(
        JSON.stringify({
          images: [
            { id: 'img-1', alt: 'x'.repeat(200) },
            { id: 'img-2', alt: 'FREE tulips <script>x</script>' },
          ],
        }),
      ),
    );
    const rejected = await suggestAltText({ provider, draft: two, template, brandCheck, maxLength: 100 });
    expect(rejected.suggestions[0]?.diagnostics[0]?.ruleId).toBe('assist/too-long');
    expect(rejected.suggestions[1]?.alt).toBeUndefined();
    expect(rejected.suggestions[1]?.diagnostics.map((d) => d.ruleId)).toEqual([
      'assist/output-cleaned',
      'brand/banned-term',
    ]);
  });

  it('offers an empty alt for images the model judges decorative, with a warning', async () => {
    server.reply(chatReply(JSON.stringify({ images: [{ id: 'img-1', alt: '' }] })));
    const provider = createOpenAiCompatibleProvider({ baseUrl: server.url, model: 'm', retryBaseDelayMs: 1 });
    const result = await suggestAltText({ provider, draft, template });
    expect(result.suggestions[0]).toMatchObject({
      alt: '',
      diagnostics: [{ ruleId: 'assist/alt-text-decorative', severity: 'warning' }],
    });
  });

  it('validates its options', async () => {
    const error = await suggestAltText({
      provider: createOfflineProvider(),
      draft: { ...draft, defaultLocale: 'xx-yy' },
      template,
    }).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect((error as Error).message).toContain('options.draft.defaultLocale');
  });
});
