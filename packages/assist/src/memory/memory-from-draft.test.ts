import { DraftSchema, isHubspokeError, parse } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { draft, draftInput, template } from '../__fixtures__/email.js';
import { memoryEntriesFromDraft } from './memory-from-draft.js';
import { createOfflineProvider } from '../providers/offline/offline-provider.js';
import { translateDraft } from '../tasks/translate-draft.js';
import { createTranslationMemory } from './translation-memory.js';

describe('memoryEntriesFromDraft', () => {
  it('pairs each source text with its translation, placeholders renumbered to the source', () => {
    const approved = parse(DraftSchema, {
      ...draftInput,
      content: {
        en: { subject: 'Hello {{ a }} and {{ b }}', slots: {} },
        de: { subject: '{{ b }} und {{ a }}, hallo', slots: {} },
        fr: { subject: 'Bonjour {{ a }}', slots: {} },
      },
    });
    expect(memoryEntriesFromDraft(approved, template, { origin: 'draft:spring-sale@3' })).toEqual([
      {
        sourceLocale: 'en',
        targetLocale: 'de',
        source: 'Hello <x id="1"/> and <x id="2"/>',
        target: '<x id="2"/> und <x id="1"/>, hallo',
        origin: 'draft:spring-sale@3',
      },
    ]);
  });

  it('turns a reviewed translation into exact reuse next time, with no translator call', async () => {
    const offline = createOfflineProvider();
    const first = await translateDraft({ draft, template, targetLocales: ['de'], translator: offline });
    const memory = createTranslationMemory(memoryEntriesFromDraft(first.draft, template));
    expect(await memory.count()).toBe(5);
    const second = await translateDraft({ draft, template, targetLocales: ['de'], translator: offline, memory });
    expect(second.units.de?.map((u) => u.status)).toEqual(['memory', 'memory', 'memory', 'memory', 'memory']);
    expect(second.calls).toEqual([]);
    expect(second.draft.content.de).toEqual(first.draft.content.de);
  });

  it('validates its input', () => {
    let error: unknown;
    try {
      memoryEntriesFromDraft(draft, template, { sourceLocale: 'nope!' });
    } catch (e) {
      error = e;
    }
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
  });
});
