import fc from 'fast-check';
import { isHubspokeError, type Draft } from '@hubspoke/core';
import { deepArray, hostileExportFailures, hugeString, methodsOf, slowHostileRefusals } from '@hubspoke/core/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryHub, type MemoryHubOptions } from '../src/source/memory-source.js';
import { hubInfo, newsletter, nodeSkeletons, NOW, viewers } from './fixtures/demo.js';

const SPOKE = 'lena@northwind.example';
const REVIEWER = 'omar@northwind.example';

/** A hub as an embedding page builds one: two review stages, an override role, an assistant. */
const template = newsletter();

function options(): MemoryHubOptions {
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

describe('the methods of a MemoryHub and of the sources it gives, with hostile input', () => {
  it('return a value or throw (reject with) a HubspokeError', async () => {
    const memory = new MemoryHub(options());
    const spoke = memory.as(SPOKE);
    // State for the methods to reach past their lookups: a draft in review, with a comment.
    const record = await spoke.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
    const submitted = await spoke.submit(record.draft.id);
    await memory.as(REVIEWER).comment(submitted.id, { text: 'Check the hero', anchor: { instanceId: 'hero' } });
    const methods = {
      ...methodsOf('MemoryHub', memory),
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

/**
 * A hub built with `patch` applied to realistic options, then used as a page uses it: everything a
 * spoke reads, a draft created, saved and submitted, a reviewer's inbox, comment and decision, a push.
 */
async function buildAndUse(patch: (o: MemoryHubOptions) => void): Promise<void> {
  try {
    await use(patch);
  } catch (error) {
    // E_INTERNAL is a raw error the guards caught: an option taken that a later call tripped over.
    if (isHubspokeError(error) && error.code === 'E_INTERNAL') throw new TypeError(error.message);
    throw error;
  }
}

async function use(patch: (o: MemoryHubOptions) => void): Promise<void> {
  const o = options();
  patch(o);
  const memory = new MemoryHub(o);
  const spoke = memory.as(SPOKE);
  const reviewer = memory.as(REVIEWER);
  await Promise.all([spoke.viewer(), spoke.hub(), spoke.templates(), spoke.drafts(), reviewer.inbox()]);
  const { draft, etag } = await spoke.createDraft({ templateId: 'newsletter', name: 'May newsletter' });
  await spoke.template(draft.template.id, draft.template.version);
  await spoke.skeleton({ draft, locale: 'en', annotate: true, key: 'k' });
  await spoke.subjectVariants?.(draft, 'en');
  await spoke.altText?.({ src: 'https://cdn.northwind.example/a/x.jpg' }, 'en');
  await spoke.translate?.(draft, 'en', 'de');
  const saved = await spoke.saveDraft({ ...draft, name: 'June newsletter' }, etag);
  const submission = await spoke.submit(saved.draft.id);
  await Promise.all([spoke.drafts(), reviewer.inbox()]);
  await reviewer.comment(submission.id, { text: 'Check the hero', anchor: { instanceId: 'hero' } });
  for (let stage = 0; stage < 2; stage++)
    await reviewer.decide(submission.id, { decision: 'approved', override: true, reason: 'checked by hand' });
  await spoke.push?.(saved.draft.id);
  await spoke.newVersion?.(saved.draft.id);
}

describe('new MemoryHub(options), with hostile options', () => {
  it('refuses them with a HubspokeError, or gives a hub whose every use returns or throws a HubspokeError', async () => {
    // Unpatched, the whole use runs through (so a patched one that throws stopped at the patch).
    await expect(buildAndUse(() => undefined)).resolves.toBeUndefined();
    const set =
      (key: keyof MemoryHubOptions) =>
      (value: unknown): Promise<void> =>
        buildAndUse((o) => {
          (o as unknown as Record<string, unknown>)[key] = value;
        });
    const first =
      (key: 'templates' | 'viewers' | 'stages' | 'overrideRoles' | 'drafts') =>
      (value: unknown): Promise<void> =>
        buildAndUse((o) => {
          (o as unknown as Record<string, unknown[]>)[key] = [value];
        });
    const probes: Record<string, (value: unknown) => Promise<void>> = {
      hub: set('hub'),
      templates: set('templates'),
      viewers: set('viewers'),
      skeleton: set('skeleton'),
      stages: set('stages'),
      overrideRoles: set('overrideRoles'),
      drafts: set('drafts'),
      now: set('now'),
      assist: set('assist'),
      'templates[0]': first('templates'),
      'viewers[0]': first('viewers'),
      'stages[0]': first('stages'),
      'overrideRoles[0]': first('overrideRoles'),
      'drafts[0]': first('drafts'),
      'hub.name': (value) => buildAndUse((o) => void Object.assign(o, { hub: { ...o.hub, name: value } })),
      'viewers[0].roles': (value) =>
        buildAndUse((o) => void Object.assign(o, { viewers: [{ ...viewers[0], roles: value }, viewers[1]] })),
      'stages[0].reviewers': (value) =>
        buildAndUse((o) => void Object.assign(o, { stages: [{ id: 's', name: 'S', reviewers: value }] })),
      'stages[0].dueInHours': (value) =>
        buildAndUse(
          (o) => void Object.assign(o, { stages: [{ id: 's', name: 'S', reviewers: [REVIEWER], dueInHours: value }] }),
        ),
      'assist.translate': (value) =>
        buildAndUse((o) => void Object.assign(o, { assist: { ...o.assist, translate: value } })),
    };
    // One position each: the value under test (the probe's second position is an extra argument).
    const single = Object.fromEntries(
      Object.entries(probes).map(([name, fn]) => [name, (value: unknown) => fn(value)]),
    );
    const { covered, failures } = await hostileExportFailures(fc, single, { numRuns: 2 });
    expect(covered.length).toBe(Object.keys(probes).length);
    expect(failures).toEqual([]);
  });

  it('names the option refused', async () => {
    const refusals: [string, (o: MemoryHubOptions) => void, string][] = [
      ['no templates', (o) => void Object.assign(o, { templates: undefined }), 'templates'],
      [
        'a role not a string',
        (o) => void Object.assign(o, { viewers: [{ ...viewers[0], roles: [1] }] }),
        'viewers[0].roles[0]',
      ],
      ['a function in the hub', (o) => void Object.assign(o, { hub: { ...o.hub, fields: [() => 1] } }), 'hub'],
      [
        'a due date past any Date',
        (o) => void Object.assign(o, { stages: [{ id: 's', name: 'S', reviewers: [], dueInHours: 1e300 }] }),
        'stages[0].dueInHours',
      ],
      [
        'a draft without a template',
        (o) => void Object.assign(o, { drafts: [{ id: 'd1', name: 'D' }] }),
        'drafts[0].template',
      ],
      ['a clock without a Date', (o) => void Object.assign(o, { now: () => 'today' }), 'now'],
      [
        'an assistant not a function',
        (o) => void Object.assign(o, { assist: { translate: 'deepl' } }),
        'assist.translate',
      ],
    ];
    for (const [what, patch, path] of refusals) {
      let thrown: unknown;
      try {
        await use(patch);
      } catch (error) {
        thrown = error;
      }
      expect({ what, thrown }).toMatchObject({ what, thrown: { code: 'E_VALIDATION', path } });
    }
  });
});
