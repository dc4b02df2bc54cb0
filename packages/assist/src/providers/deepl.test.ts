import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { type Recorded, rejectionOf, type Reply, useFakeServer } from '../__fixtures__/fake-server.js';
import { createDeeplTranslator, type DeeplConfig } from './deepl.js';

const KEY = 'deepl-SECRET-key-0001:fx';
const server = useFakeServer();

function translator(extra: Partial<DeeplConfig> = {}) {
  return createDeeplTranslator({ apiKey: KEY, baseUrl: server.url, retryBaseDelayMs: 1, timeoutMs: 2000, ...extra });
}

/** A DeepL-compatible echo: upper-cases text outside tags, keeps tags, bills characters. */
function echo(request: Recorded): Reply {
  const texts = request.body.text as string[];
  return {
    json: {
      translations: texts.map((t) => ({
        detected_source_language: 'EN',
        text: t.replace(/(<[^>]+>)|[^<]+/g, (m, tag: string | undefined) => tag ?? m.toUpperCase()),
        billed_characters: t.length,
      })),
    },
  };
}

const units = [
  { id: 'a', source: 'Hello <x id="1"/>, spring is here' },
  { id: 'b', source: 'Fish &amp; chips' },
];

describe('createDeeplTranslator', () => {
  it('posts to /v2/translate with the DeepL key header and XML tag handling that keeps placeholders', async () => {
    server.handle = echo;
    const result = await translator({ pricing: { perMillionCharacters: 25 } }).translate({
      sourceLocale: 'en',
      targetLocale: 'de-AT',
      units,
    });
    expect(result.units).toEqual([
      { id: 'a', target: 'HELLO <x id="1"/>, SPRING IS HERE' },
      { id: 'b', target: 'FISH &AMP; CHIPS' },
    ]);
    const [request] = server.requests;
    expect(request?.path).toBe('/v2/translate');
    expect(request?.headers.authorization).toBe(`DeepL-Auth-Key ${KEY}`);
    expect(request?.body).toMatchObject({
      source_lang: 'EN',
      target_lang: 'DE',
      tag_handling: 'xml',
      ignore_tags: ['x'],
      show_billed_characters: true,
      text: units.map((u) => u.source),
    });
    expect(result.usage.characters).toBe(units[0]!.source.length + units[1]!.source.length);
    expect(result.cost?.amount).toBeCloseTo((result.usage.characters * 25) / 1e6);
  });

  it('maps locales to DeepL target codes, with overrides', async () => {
    server.handle = echo;
    const t = translator({ languageCodes: { 'en-AU': 'EN-GB' } });
    const codes: string[] = [];
    for (const targetLocale of ['en', 'en-GB', 'en-AU', 'pt-BR', 'pt', 'zh-Hant-TW', 'zh', 'fr-CA']) {
      await t.translate({ sourceLocale: 'de-DE', targetLocale, units: [units[1]!] });
      codes.push(server.requests.at(-1)?.body.target_lang as string);
    }
    expect(codes).toEqual(['EN-US', 'EN-GB', 'EN-GB', 'PT-BR', 'PT-PT', 'ZH-HANT', 'ZH-HANS', 'FR']);
    expect(server.requests[0]?.body.source_lang).toBe('DE');
  });

  it('sends at most 50 texts per request', async () => {
    server.handle = echo;
    const many = Array.from({ length: 120 }, (_, i) => ({ id: `u${i}`, source: `Text ${i}` }));
    const result = await translator().translate({ sourceLocale: 'en', targetLocale: 'fr', units: many });
    expect(server.requests.map((r) => (r.body.text as string[]).length)).toEqual([50, 50, 20]);
    expect(result.units.map((u) => u.id)).toEqual(many.map((u) => u.id));
    expect(result.attempts).toBe(3);
  });

  it('retries 429 and 5xx, honouring Retry-After', async () => {
    server.reply(
      { status: 429, headers: { 'retry-after': '0' }, json: { message: 'Too many requests' } },
      { status: 503, json: {} },
    );
    server.handle = echo;
    const result = await translator().translate({ sourceLocale: 'en', targetLocale: 'fr', units });
    expect(result.attempts).toBe(3);
  });

  it('reports a used-up quota (456) as E_RATE_LIMITED without retrying', async () => {
    server.reply({ status: 456, json: { message: 'Quota exceeded' } });
    const error = await rejectionOf(translator().translate({ sourceLocale: 'en', targetLocale: 'fr', units }));
    expect(isHubspokeError(error, 'E_RATE_LIMITED')).toBe(true);
    expect((error as { details: Record<string, unknown> }).details.reason).toBe('quota');
    expect(server.requests).toHaveLength(1);
  });

  it('maps 403 to E_AUTH and keeps the key out of the error', async () => {
    server.reply({ status: 403, text: `Wrong key DeepL-Auth-Key ${KEY}` });
    const error = await rejectionOf(translator().translate({ sourceLocale: 'en', targetLocale: 'fr', units }));
    expect(isHubspokeError(error, 'E_AUTH')).toBe(true);
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('SECRET');
  });

  it('rejects an answer with the wrong number of translations or the wrong shape', async () => {
    server.reply({ json: { translations: [{ text: 'only one' }] } }, { json: { translations: 'nope' } });
    expect(
      isHubspokeError(
        await rejectionOf(translator().translate({ sourceLocale: 'en', targetLocale: 'fr', units })),
        'E_UPSTREAM',
      ),
    ).toBe(true);
    expect(
      isHubspokeError(
        await rejectionOf(translator().translate({ sourceLocale: 'en', targetLocale: 'fr', units })),
        'E_UPSTREAM',
      ),
    ).toBe(true);
  });

  it('times out with E_TIMEOUT', async () => {
    server.reply({ hang: true });
    const error = await rejectionOf(
      translator({ timeoutMs: 100, maxRetries: 0 }).translate({ sourceLocale: 'en', targetLocale: 'fr', units }),
    );
    expect(isHubspokeError(error, 'E_TIMEOUT')).toBe(true);
  });

  it('picks the Free API for ":fx" keys and the Pro API otherwise, without calling the network until asked', async () => {
    const urls: string[] = [];
    const fetch = (url: string | URL | Request) => {
      urls.push(url instanceof Request ? url.url : url.toString());
      return Promise.resolve(new Response(JSON.stringify({ translations: [{ text: 'x' }] }), { status: 200 }));
    };
    const free = createDeeplTranslator({ apiKey: 'k:fx', fetch });
    const pro = createDeeplTranslator({ apiKey: 'k', fetch });
    expect(urls).toEqual([]);
    await free.translate({ sourceLocale: 'en', targetLocale: 'de', units: [units[1]!] });
    await pro.translate({ sourceLocale: 'en', targetLocale: 'de', units: [units[1]!] });
    expect(urls).toEqual(['https://api-free.deepl.com/v2/translate', 'https://api.deepl.com/v2/translate']);
  });

  it('validates its config', () => {
    expect(() => createDeeplTranslator({ apiKey: '' })).toThrow(/config\.apiKey/);
    expect(() => createDeeplTranslator({ apiKey: 'k', languageCodes: { en: 'english' } })).toThrow(
      /config\.languageCodes/,
    );
  });
});
