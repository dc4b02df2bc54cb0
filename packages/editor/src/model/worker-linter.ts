import {
  HubspokeError,
  type DarkPalette,
  type Diagnostic,
  type Draft,
  type RenderedEmail,
  type Template,
} from '@hubspoke/core';
import type { HubInfo } from '../source/types.js';

/**
 * What the page takes from the brand rules, through the linter, so it never loads them itself:
 * the brand's dark scheme for the preview, and each brand rule's explanation for its findings.
 */
export interface LinterInfo {
  darkPalette: DarkPalette;
  explanations: Record<string, string>;
}

/** Lints a draft and its renders; in the page or in a worker. */
export interface AsyncLinter {
  lint(draft: Draft, emails: readonly RenderedEmail[], quick: boolean): Promise<Diagnostic[]>;
  /** The dark scheme and the rules' explanations (without it: no dark scheme, engine explanations only). */
  info?(): Promise<LinterInfo>;
  /**
   * Lints on another thread (a worker): handing it an edit costs the page almost nothing, so a
   * keystroke's lint is requested at once, beside the keystroke's frame, not after it.
   */
  offThread?: boolean;
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

export type LintResponse =
  { id: number; diagnostics: Diagnostic[] } | { id: number; error: string } | { id: 0; info: LinterInfo };

/**
 * The linter on the main thread (the default; embedders without a worker). The brand rules load
 * on first use, in their own chunk, so a page that lints in a worker never downloads them twice.
 */
export const pageLinter: LinterFactory = (template, hub, now) => {
  const linter = import('./lint.js').then(({ DraftLinter }) => new DraftLinter(template, hub, now));
  linter.catch(() => undefined); // a linter never used is no unhandled rejection: lint() and info() report it
  return {
    lint: async (draft, emails, quick) => (await linter).lint(draft, emails, quick),
    info: async () => (await linter).info(),
  };
};

/**
 * A render as the lint worker gets it: its fields but the content hash, which a render computes
 * when it is first read (hashing a 50 KB email took ~4 ms of every keystroke, through a spread or
 * postMessage's copy; the worker computes it again if a rule asks). A quick lint sends no HTML.
 */
function plainEmail(email: RenderedEmail, quick: boolean): RenderedEmail {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(email))
    if (key !== 'contentHash') out[key] = (email as unknown as Record<string, unknown>)[key];
  if (quick) {
    out.html = '';
    out.text = '';
  }
  return out as unknown as RenderedEmail;
}

/**
 * The linter in a module worker (`lint-worker.ts`): the brand rules never hold up a keystroke's
 * frame. A quick lint sends no HTML (it reads the draft's text); requests are answered in order.
 *
 * The first worker starts at once, when `workerLinter` is called (the app calls it on start): it
 * loads and evaluates the brand rules while the page loads and fetches the draft, so the first
 * draft opened does not wait for it. Later drafts start their own worker.
 */
export function workerLinter(start: () => Worker): LinterFactory {
  let spare: Worker | undefined;
  try {
    spare = start();
  } catch {
    spare = undefined; // no workers here: the factory's own call reports it, as before
  }
  return (template, hub, now) => {
    const worker = spare ?? start();
    spare = undefined;
    let next = 0;
    let closed = false;
    const pending = new Map<number, { resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void }>();
    let answerInfo: { resolve: (info: LinterInfo) => void; reject: (e: Error) => void } | undefined;
    const info = new Promise<LinterInfo>((resolve, reject) => (answerInfo = { resolve, reject }));
    info.catch(() => undefined); // a closed or failed worker: whoever asks for the info gets the error
    worker.onmessage = (event: MessageEvent<LintResponse>) => {
      const answer = event.data;
      if ('info' in answer) {
        answerInfo?.resolve(answer.info);
        return;
      }
      const waiting = pending.get(answer.id);
      pending.delete(answer.id);
      if ('error' in answer) waiting?.reject(new HubspokeError('E_INTERNAL', `lint: ${answer.error}`));
      else waiting?.resolve(answer.diagnostics);
    };
    worker.onerror = (event) => {
      answerInfo?.reject(new HubspokeError('E_INTERNAL', `lint: ${event.message}`));
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
          emails: emails.map((e) => plainEmail(e, quick)),
          quick,
          now: now().toISOString(),
        };
        return new Promise<Diagnostic[]>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          worker.postMessage(request);
        });
      },
      info: () => info,
      offThread: true,
      close: () => {
        closed = true;
        worker.terminate();
        answerInfo?.reject(new HubspokeError('E_ABORTED', 'lint: the draft was closed'));
        for (const waiting of pending.values())
          waiting.reject(new HubspokeError('E_ABORTED', 'lint: the draft was closed'));
        pending.clear();
      },
    };
  };
}
