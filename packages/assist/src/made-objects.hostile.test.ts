import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import type { SqlClient } from '@hubspoke/core';
import { hostileExportFailures, methodsOf } from '@hubspoke/core/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chatTranslator,
  createDeeplTranslator,
  createOfflineProvider,
  createOpenAiCompatibleProvider,
  createSqlTranslationMemory,
  createTranslationMemory,
} from './index.js';

// Nothing listens on port 9 (discard) here: a call that gets past validation fails fast as E_UPSTREAM.
const NOWHERE = 'http://127.0.0.1:9';

describe('the methods of the objects assist makes, with hostile input', () => {
  const db = new PGlite();
  afterAll(async () => {
    await db.close();
  });
  const sql: SqlClient = {
    query: async (text, params) => ({
      rows: (await db.query<Record<string, unknown>>(text, params ? [...params] : [])).rows,
    }),
  };

  it('translation memories and providers return a value or throw a HubspokeError', async () => {
    const remote = createOpenAiCompatibleProvider({ baseUrl: NOWHERE, model: 'm', apiKey: 'sk-probe', maxRetries: 0 });
    const methods = {
      ...methodsOf('InMemoryTranslationMemory', createTranslationMemory()),
      ...methodsOf('SqlTranslationMemory', await createSqlTranslationMemory({ client: sql })),
      ...methodsOf('OfflineProvider', createOfflineProvider()),
      ...methodsOf('OpenAiCompatibleProvider', remote),
      ...methodsOf('DeeplTranslator', createDeeplTranslator({ apiKey: 'probe:fx', baseUrl: NOWHERE, maxRetries: 0 })),
      ...methodsOf('ChatTranslator', chatTranslator(createOfflineProvider())),
    };
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 5 });
    expect(covered.length).toBeGreaterThanOrEqual(10);
    expect(failures).toEqual([]);
  });

  it('a translator or provider given no request refuses it as E_VALIDATION naming the request (not E_UPSTREAM)', async () => {
    const offline = createOfflineProvider();
    const translators = [
      offline,
      chatTranslator(offline),
      createDeeplTranslator({ apiKey: 'probe:fx', baseUrl: NOWHERE, maxRetries: 0 }),
    ];
    for (const translator of translators)
      for (const request of [null, { sourceLocale: 'en', targetLocale: 'de', units: 'all' }])
        await expect(translator.translate(request as never)).rejects.toMatchObject({
          code: 'E_VALIDATION',
          path: expect.stringMatching(/^request/),
        });
    await expect(
      offline.complete({ system: '', messages: [], task: { kind: 'alt-text' } } as never),
    ).rejects.toMatchObject({
      code: 'E_VALIDATION',
      path: expect.stringMatching(/^request\.task/),
    });
  });
});
