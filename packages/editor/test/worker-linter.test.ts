import type { Draft, RenderedEmail } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { Composition } from '../src/model/compose.js';
import { workerLinter, type LintRequest } from '../src/model/worker-linter.js';
import { hubInfo, newsletter, NOW } from './fixtures/demo.js';

const template = newsletter();

/** A worker stand-in that records what the page posts and answers each lint with no findings. */
function fakeWorker(posted: unknown[]): Worker {
  const worker = {
    onmessage: null as ((event: MessageEvent) => void) | null,
    onerror: null,
    postMessage(message: unknown) {
      posted.push(structuredClone(message));
      const id = (message as Partial<LintRequest>).id;
      if (id !== undefined) queueMicrotask(() => worker.onmessage?.({ data: { id, diagnostics: [] } } as MessageEvent));
    },
    terminated: false,
    terminate() {
      worker.terminated = true;
    },
  };
  return worker as unknown as Worker;
}

describe('workerLinter', () => {
  it('posts renders without reading their lazy content hash (it hashed the whole email on every keystroke); a quick lint sends no HTML', async () => {
    const posted: unknown[] = [];
    const linter = workerLinter(() => fakeWorker(posted))(template, hubInfo, () => NOW);
    let reads = 0;
    const email = Object.defineProperty(
      { locale: 'en', subject: 'S', preheader: '', html: '<p>Hello</p>', text: 'Hello', diagnostics: [] },
      'contentHash',
      {
        enumerable: true,
        get: () => {
          reads += 1;
          return 'a'.repeat(64);
        },
      },
    ) as unknown as RenderedEmail;
    const draft = { id: 'd', modules: [], content: {} } as unknown as Draft;
    await linter.lint(draft, [email], true);
    await linter.lint(draft, [email], false);
    expect(reads).toBe(0);
    // It lints off the main thread: the session asks it for a keystroke's findings at once.
    expect(linter.offThread).toBe(true);
    const [quick, full] = posted.slice(1) as LintRequest[];
    expect(quick?.emails[0]).toMatchObject({ locale: 'en', subject: 'S', html: '', text: '' });
    expect(full?.emails[0]).toMatchObject({ html: '<p>Hello</p>', text: 'Hello' });
    expect(full?.emails[0]).not.toHaveProperty('contentHash');
    linter.close?.();
  });
});

describe('workerLinter start', () => {
  it('starts the first worker at once (it loads while the page does), then one per draft; no workers: the factory says so', () => {
    const started: Worker[] = [];
    const factory = workerLinter(() => {
      const worker = fakeWorker([]);
      started.push(worker);
      return worker;
    });
    expect(started).toHaveLength(1);
    const first = factory(template, hubInfo, () => NOW);
    expect(started).toHaveLength(1);
    const second = factory(template, hubInfo, () => NOW);
    expect(started).toHaveLength(2);
    first.close?.();
    second.close?.();
    const none = workerLinter(() => {
      throw new ReferenceError('Worker is not defined');
    });
    expect(() => none(template, hubInfo, () => NOW)).toThrow(ReferenceError);
  });
});

describe('Composition.moveTargets', () => {
  it('answers the same targets from its per-list memory, and a new list is worked out again', () => {
    const composition = new Composition(template);
    const fresh = new Composition(template);
    const list = template.modules.map((m, i) => ({
      instanceId: `${m.id}-${String(i)}`,
      moduleId: m.id,
      hidden: false,
    }));
    for (const m of list) {
      expect(composition.moveTargets(list, m.instanceId)).toEqual(fresh.moveTargets(list, m.instanceId));
      expect(composition.moveTargets(list, m.instanceId)).toEqual(fresh.moveTargets(list, m.instanceId));
    }
    const reversed = [...list].reverse();
    for (const m of reversed)
      expect(composition.moveTargets(reversed, m.instanceId)).toEqual(
        new Composition(template).moveTargets(reversed, m.instanceId),
      );
  });
});
