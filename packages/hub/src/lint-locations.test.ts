import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DraftSchema, LineIndex, parse, type Draft } from '@hubspoke/core';
import { findingLocator, jsonValueSpans, spanKey } from './lint-locations.js';

function valueAt(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
}

function pathsOf(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [path];
  const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  return [path, ...keys.flatMap((k) => pathsOf((value as Record<string, unknown>)[k], [...path, k]))];
}

describe('jsonValueSpans', () => {
  it('finds every value of any JSON text, and each character of its strings through escapes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const spans = jsonValueSpans(text);
        for (const path of pathsOf(JSON.parse(text))) {
          const span = spans.get(spanKey(path));
          expect(span, path.join('/')).toBeDefined();
          const expected = valueAt(JSON.parse(text), path);
          expect(JSON.parse(text.slice(span!.start, span!.end))).toEqual(expected);
          if (typeof expected === 'string') {
            expect(span!.units).toHaveLength(expected.length + 1);
            for (let i = 0; i < expected.length; i++)
              expect(JSON.parse(`"${text.slice(span!.units![i], span!.units![i + 1])}"`)).toBe(expected.charAt(i));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps what it read from a malformed text', () => {
    const spans = jsonValueSpans('{"a": "x", "b": [1, }');
    expect(spans.get(spanKey(['a']))).toEqual({ start: 6, end: 9, units: [7, 8] });
  });
});

const draft: Draft = parse(
  DraftSchema,
  {
    id: 'austin',
    name: 'Austin',
    template: { id: 'announcement', version: 1 },
    author: 'jo',
    region: 'NA',
    defaultLocale: 'en-US',
    modules: [
      { instanceId: 'header-1', moduleId: 'header' },
      { instanceId: 'message-1', moduleId: 'message' },
    ],
    content: {
      'en-US': {
        subject: 'Cheap "packs" at our store',
        slots: {
          'message-1': {
            body: '<p>Come by.</p>\n<p>Try on cheap packs.</p>',
            cta: { href: 'https://northwind.example/x', text: 'Visit' },
          },
        },
      },
    },
  },
  'draft',
);
const text = `${JSON.stringify(draft, null, 2)}\n`;
const lines = new LineIndex(text);
const locate = findingLocator(draft, {
  draft: { uri: 'hub/drafts/austin.json', text },
  rendered: (locale, source) => `hub/out/lint/austin/${locale}/preview.${source === 'html' ? 'html' : 'txt'}`,
});
const where = (needle: string) => lines.position(text.indexOf(needle));

describe('findingLocator', () => {
  it('places a word in a slot at its line and column in the draft file, through JSON escapes', () => {
    const body = draft.content['en-US']!.slots['message-1']!.body as string;
    const start = body.indexOf('cheap');
    const found = locate({ locale: 'en-US', instanceId: 'message-1', slotId: 'body', start, end: start + 5 });
    const at = where('cheap packs');
    expect(found).toMatchObject({
      uri: 'hub/drafts/austin.json',
      startLine: at.line,
      startColumn: at.column,
      json: true,
    });
    expect(found?.endColumn).toBe(at.column + 5);
    // A slot-relative line and column (line 2 of the value) map the same way.
    const byLine = locate({ locale: 'en-US', instanceId: 'message-1', slotId: 'body', line: 2, column: 11 });
    expect(byLine).toMatchObject({ startLine: at.line, startColumn: at.column });
    const subject = locate({ locale: 'en-US', field: 'subject', start: 6, end: 13 });
    expect(subject).toMatchObject({ startLine: where('Cheap').line, startColumn: where('\\"packs').column });
  });

  it('places a property, a module, a locale and the output where they are', () => {
    expect(locate({ instanceId: 'message-1', slotId: 'cta', property: 'href' })).toMatchObject({
      startLine: where('"https://northwind').line,
      startColumn: where('"https://northwind').column,
    });
    expect(locate({ instanceId: 'header-1' })?.startLine).toBe(where('{\n      "instanceId": "header-1"').line);
    expect(locate({ locale: 'de-DE' })).toMatchObject({ startLine: where('"content"').line });
    expect(locate({ source: 'html', locale: 'en-US', line: 197, column: 15 })).toEqual({
      uri: 'hub/out/lint/austin/en-US/preview.html',
      startLine: 197,
      startColumn: 15,
    });
    expect(findingLocator(draft, {})({ slotId: 'body' })).toBeUndefined();
  });
});
