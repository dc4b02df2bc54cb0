/**
 * No credential of a provider, nor any 8 characters of one, appears in anything it throws or
 * reports, whatever the vendor echoes back: checked against a server that repeats every request
 * (path, headers, body) in its error, at every error status, and against an unreachable host.
 */
import { startEchoServer, secretLeaks, shownForms, type EchoServer } from '@hubspoke/core/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeeplTranslator } from './deepl.js';
import type { RetryInfo } from './http.js';
import { createOpenAiCompatibleProvider } from './openai-compatible.js';

const tokenChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/='.split('');
// A digit every fourth character: no 8-character run of a key can be a word the provider itself prints.
const secretArb = fc
  .string({ unit: fc.constantFrom(...tokenChars), minLength: 16, maxLength: 48 })
  .map((s) => s.replace(/(...)./g, (_, three: string, index: number) => `${three}${String((index / 4) % 10)}`));
const statusArb = fc.constantFrom(400, 401, 403, 404, 422, 429, 500, 503);
const fast = { maxRetries: 1, retryBaseDelayMs: 1, timeoutMs: 5000 };

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('providers never show a credential', () => {
  let echo: EchoServer;
  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(async () => {
    await echo.close();
  });

  it('OpenAI-compatible: key, credential headers and user info in the base URL, at every status', async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        secretArb,
        secretArb,
        statusArb,
        fc.boolean(),
        async (key, header, password, status, stream) => {
          echo.status = status;
          const retries: RetryInfo[] = [];
          const provider = createOpenAiCompatibleProvider({
            baseUrl: `${echo.url}/v1`,
            apiKey: key,
            headers: { 'x-api-key': header },
            model: 'm',
            stream,
            ...fast,
            onRetry: (info) => retries.push(info),
          });
          const error = await thrown(
            provider.complete({ system: `s ${key}`, messages: [{ role: 'user', content: header }] }),
          );
          expect(secretLeaks([...shownForms(error), JSON.stringify(retries)], [key, header])).toEqual([]);
          // Credentials in the URL: fetch refuses them, quoting the URL.
          const inUrl = createOpenAiCompatibleProvider({
            baseUrl: `http://user:${password}@127.0.0.1:9/v1`,
            model: 'm',
            ...fast,
            maxRetries: 0,
          });
          expect(
            secretLeaks(shownForms(await thrown(inUrl.complete({ system: 's', messages: [] }))), [password]),
          ).toEqual([]);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('DeepL: the auth key, at every status, and in the text being translated', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, statusArb, async (key, status) => {
        echo.status = status;
        const translator = createDeeplTranslator({ apiKey: key, baseUrl: echo.url, ...fast });
        const error = await thrown(
          translator.translate({
            sourceLocale: 'en',
            targetLocale: 'de-DE',
            units: [{ id: 'u1', source: `Hello ${key}` }],
          }),
        );
        expect(secretLeaks(shownForms(error), [key])).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
