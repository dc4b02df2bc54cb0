import { isHubspokeError } from '@hubspoke/core';
import { deepObject, elapsedMs, fastestMs, hugeString } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { newsletter, newsletterDraft } from './__fixtures__/fixtures.js';
import { exportXliff, importXliff, localeChain, preparePreview, render, validateDraft } from './index.js';

const t = newsletter();
const d = newsletterDraft(t);

async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('template-engine entry points refuse hostile input at once, as HubspokeErrors', () => {
  it('importXliff refuses 10 MB of non-XML in a few milliseconds (it spent ~8 s per MB) and still imports real XLIFF', async () => {
    const { xliff } = await exportXliff(t, d, { targetLocale: 'de' });
    const baseline = await elapsedMs(() => importXliff(t, d, 'not xml'));
    for (const text of [hugeString(), `{"json": "${'x'.repeat(1_000_000)}"}`]) {
      expect(await fastestMs(() => importXliff(t, d, text))).toBeLessThan(100 + 50 * baseline);
      const error = await refusal(() => importXliff(t, d, text));
      expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
      expect((error as Error).message.length).toBeLessThan(300);
    }
    const over = await refusal(() => importXliff(t, d, `<xliff>${'x'.repeat(17 * 1024 * 1024)}`));
    expect((over as Error).message).toMatch(/MAX_XLIFF_LENGTH/);
    expect((await importXliff(t, d, xliff)).draft.id).toBe(d.id);
  });

  it('render, preparePreview and validateDraft with null, a 10 MB string or 10,000 levels as options: E_VALIDATION, never a TypeError', async () => {
    for (const options of [null, hugeString(), deepObject(), 7]) {
      for (const run of [
        () => render(t, d, options as never),
        () => preparePreview(t, d, options as never),
        () => validateDraft(t, d, options as never),
      ]) {
        const error = await refusal(run);
        if (options === null || typeof options !== 'object') expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
        else expect(error === undefined || isHubspokeError(error)).toBe(true);
      }
    }
  });

  it('localeChain reads a draft as hubspoke init writes it (no fallbacks) instead of throwing a TypeError', () => {
    const { fallbacks: _none, ...draft } = d;
    expect(localeChain(t, draft as never, 'de-AT')).toEqual(['de-AT', 'de', d.defaultLocale]);
    expect(
      isHubspokeError(
        (() => {
          try {
            localeChain(t, null as never, 'de');
          } catch (e) {
            return e;
          }
          return undefined;
        })(),
        'E_VALIDATION',
      ),
    ).toBe(true);
  });
});
