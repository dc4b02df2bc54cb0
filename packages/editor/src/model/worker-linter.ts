import { HubspokeError, type Diagnostic, type Draft, type RenderedEmail, type Template } from '@hubspoke/core';
import type { HubInfo } from '../source/types.js';
import { DraftLinter } from './lint.js';

/** Lints a draft and its renders; in the page or in a worker. */
export interface AsyncLinter {
  lint(draft: Draft, emails: readonly RenderedEmail[], quick: boolean): Promise<Diagnostic[]>;
  close?(): void;
}

/** Makes the linter of one open draft. */
export type LinterFactory = (template: Template, hub: HubInfo, now: () => Date) => AsyncLinter;

export interface LintRequest {
  id: number;
  draft: Draft;
  emails: RenderedEmail[];
  quick: boolean;
  now: string;
}

export type LintResponse = { id: number; diagnostics: Diagnostic[] } | { id: number; error: string };

/** The linter on the main thread (the default; embedders without a worker). */
export const pageLinter: LinterFactory = (template, hub, now) => {
  const linter = new DraftLinter(template, hub, now);
  return { lint: (draft, emails, quick) => Promise.resolve(linter.lint(draft, emails, quick)) };
};

/**
 * The linter in a module worker (`lint-worker.ts`): the brand rules never hold up a keystroke's
 * frame. A quick lint sends no HTML (it reads the draft's text); requests are answered in order.
 */
export function workerLinter(start: () => Worker): LinterFactory {
  return (template, hub, now) => {
    const worker = start();
    let next = 0;
    let closed = false;
    const pending = new Map<number, { resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void }>();
    worker.onmessage = (event: MessageEvent<LintResponse>) => {
      const answer = event.data;
      const waiting = pending.get(answer.id);
      pending.delete(answer.id);
      if ('error' in answer) waiting?.reject(new HubspokeError('E_INTERNAL', `lint: ${answer.error}`));
      else waiting?.resolve(answer.diagnostics);
    };
    worker.onerror = (event) => {
      for (const waiting of pending.values()) waiting.reject(new HubspokeError('E_INTERNAL', `lint: ${event.message}`));
      pending.clear();
    };
    // The hub info crosses as plain data (structured clone).
    worker.postMessage({ init: { template, hub: JSON.parse(JSON.stringify(hub)) as HubInfo } });
    return {
      lint: (draft, emails, quick) => {
        if (closed) return Promise.reject(new HubspokeError('E_ABORTED', 'lint: the draft was closed'));
        const id = (next += 1);
        const request: LintRequest = {
          id,
          draft,
          emails: quick ? emails.map((e) => ({ ...e, html: '', text: '' })) : [...emails],
          quick,
          now: now().toISOString(),
        };
        return new Promise<Diagnostic[]>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          worker.postMessage(request);
        });
      },
      close: () => {
        closed = true;
        worker.terminate();
        for (const waiting of pending.values())
          waiting.reject(new HubspokeError('E_ABORTED', 'lint: the draft was closed'));
        pending.clear();
      },
    };
  };
}
