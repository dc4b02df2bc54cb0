// The lint worker: `DraftLinter` off the main thread, so a keystroke's frame never waits for the
// brand rules. Start it with `new Worker(new URL('./lint-worker.js', import.meta.url), { type: 'module' })`
// (a bundler resolves it; under CSP it needs `worker-src 'self'`, which `script-src 'self'` covers).
import { emailContentHash, type RenderedEmail, type Template } from '@hubspoke/core';
import type { HubInfo } from '../source/types.js';
import { DraftLinter } from './lint.js';
import type { LintRequest, LintResponse } from './worker-linter.js';

/** The page sends renders without their content hash (see `plainEmail`): computed here if read. */
function withHash(email: RenderedEmail): RenderedEmail {
  if (typeof (email as Partial<RenderedEmail>).contentHash === 'string') return email;
  let hash: string | undefined;
  return Object.defineProperty(email, 'contentHash', {
    enumerable: true,
    configurable: true,
    get: () => (hash ??= emailContentHash(email)),
  });
}

let linter: DraftLinter | undefined;
let now = new Date();

interface WorkerScope {
  onmessage: ((event: MessageEvent<LintRequest | { init: { template: Template; hub: HubInfo } }>) => void) | null;
  postMessage(message: LintResponse): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = (event) => {
  const message = event.data;
  if ('init' in message) {
    linter = new DraftLinter(message.init.template, message.init.hub, () => now);
    scope.postMessage({ id: 0, info: linter.info() });
    return;
  }
  try {
    if (!linter) throw new Error('the lint worker was not initialised');
    now = new Date(message.now);
    scope.postMessage({
      id: message.id,
      diagnostics: linter.lint(message.draft, message.emails.map(withHash), message.quick),
    });
  } catch (error) {
    scope.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
};
