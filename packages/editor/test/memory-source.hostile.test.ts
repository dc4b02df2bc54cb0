import fc from 'fast-check';
import type { Draft } from '@hubspoke/core';
import { deepArray, hostileExportFailures, hugeString, methodsOf, slowHostileRefusals } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryHub, type MemoryHubOptions } from '../src/source/memory-source.js';
import { hubInfo, newsletter, nodeSkeletons, NOW, viewers } from './fixtures/demo.js';

const SPOKE = 'lena@northwind.example';
const REVIEWER = 'omar@northwind.example';

/** A hub as an embedding page builds one: two review stages, an override role, an assistant. */
function options(): MemoryHubOptions {
  const template = newsletter();
  return {
    hub: hubInfo,
    templates: [template],
    viewers,
    skeleton: nodeSkeletons(template),
    stages: [
      { id: 'brand', name: 'Brand review', reviewers: [REVIEWER], dueInHours: 24, escalateTo: 'brand-lead' },
      { id: 'legal', name: 'Legal review', reviewers: [REVIEWER] },
    ],
    overrideRoles: ['brand-reviewer'],
    now: () => NOW,
    assist: {
      subjectVariants: (draft: Draft, locale: string) =>
        Promise.resolve([{ text: `${draft.name} (${locale})`, diagnostics: [] }]),
      altText: (image: { src: string }, locale: string) =>
        Promise.resolve([{ text: `${image.src.split('/').pop() ?? ''} (${locale})`, diagnostics: [] }]),
      translate: (draft: Draft, from: string) =>
        Promise.resolve({ content: draft.content[from] ?? { slots: {} }, diagnostics: [] }),
    },
  };
}

/** TypeScript-private methods of MemoryHub (reachable from JavaScript, but not API). */
const PRIVATE = new Set(['template', 'stored', 'record', 'viewer', 'notify', 'stages', 'submissionFor']);

describe('the methods of a MemoryHub and of the sources it gives, with hostile input', () => {
  it('return a value or throw (reject with) a HubspokeError', async () => {
    const memory = new MemoryHub(options());
    const spoke = memory.as(SPOKE);
    // State for the methods to reach past their lookups: a draft in review, with a comment.
    const record = await spoke.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    const submitted = await spoke.submit(record.draft.id);
    await memory.as(REVIEWER).comment(submitted.id, { text: 'Check the hero', anchor: { instanceId: 'hero' } });
    const methods = {
      ...Object.fromEntries(
        Object.entries(methodsOf('MemoryHub', memory)).filter(
          ([name]) => !PRIVATE.has(name.slice('MemoryHub.'.length)),
        ),
      ),
      ...methodsOf('source', spoke),
    };
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 3 });
    expect(covered).toContain('MemoryHub.as');
    expect(covered).toContain('source.saveDraft');
    expect(covered.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    // Each refusal at once, before any work proportional to the value.
    expect(await slowHostileRefusals(methods)).toEqual([]);
  });

  it('refuse a wrong argument with E_VALIDATION naming it, and take valid ones as before', async () => {
    const memory = new MemoryHub(options());
    const spoke = memory.as(SPOKE);
    const record = await spoke.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    const deep = deepArray();
    const refusals: [string, () => unknown, string][] = [
      ['as(symbol)', () => memory.as(Symbol('x') as never), 'viewerId'],
      ['as(10 MB)', () => memory.as(hugeString()), 'viewerId'],
      ['draft(deep)', () => spoke.draft(deep as never), 'id'],
      ['createDraft(null)', () => spoke.createDraft(null as never), 'input'],
      ['createDraft name', () => spoke.createDraft({ templateId: 'newsletter', name: 7 as never }), 'input.name'],
      ['saveDraft etag', () => spoke.saveDraft(record.draft, deep as never), 'etag'],
      ['template version', () => spoke.template('newsletter', Number.NaN), 'version'],
      ['comment text', () => spoke.comment('sub-1', { text: Symbol('t') as never }), 'input.text'],
      [
        'comment anchor',
        () => spoke.comment('sub-1', { text: 'x', anchor: { instanceId: deep as never } }),
        'input.anchor.instanceId',
      ],
      ['decide reason', () => spoke.decide('sub-1', { decision: 'approved', reason: 1 as never }), 'input.reason'],
      ['resolveComment', () => spoke.resolveComment('sub-1', 'c-1', null as never), 'resolved'],
      [
        'skeleton draft',
        () => spoke.skeleton({ draft: {} as never, locale: 'en', annotate: true, key: 'k' }),
        'request.draft.id',
      ],
      [
        'subjectVariants',
        () => spoke.subjectVariants?.({ ...record.draft, content: deep } as never, 'en'),
        'draft.content',
      ],
      ['altText', () => spoke.altText?.({ src: null as never }, 'en'), 'image.src'],
    ];
    for (const [what, call, path] of refusals) {
      let thrown: unknown;
      try {
        await call();
      } catch (error) {
        thrown = error;
      }
      expect({ what, thrown }).toMatchObject({ what, thrown: { code: 'E_VALIDATION', path } });
    }
    expect(() => spoke.subscribe?.(null as never)).toThrow(
      expect.objectContaining({ code: 'E_VALIDATION', path: 'listener' }),
    );
    // A listener refused is not kept: the next change still reaches a real one.
    const events: unknown[] = [];
    spoke.subscribe?.((event) => events.push(event));
    const saved = await spoke.saveDraft({ ...record.draft, name: 'June newsletter' }, record.etag);
    expect(saved.draft.name).toBe('June newsletter');
    expect(events).toEqual([{ type: 'draft', draftId: record.draft.id }]);
    const [subject] = (await spoke.subjectVariants?.(saved.draft, 'en')) ?? [];
    expect(subject?.text).toBe('June newsletter (en)');
  });
});
