// The lint worker, started as early as the page can: the build (vite.config.ts, `lintWorkerChunk`)
// puts this module in a chunk of its own and loads it with a script tag ahead of the app's, so the
// worker starts loading and evaluating the brand rules (~0.5 s on a loaded 2-core machine) before
// the app's own scripts are even evaluated, instead of when they are. The app's entry imports it
// (the same chunk, evaluated once) and hands `startLintWorker` to `workerLinter`.
import lintWorkerUrl from 'virtual:hubspoke-lint-worker';

const start = (): Worker => new Worker(lintWorkerUrl, { type: 'module' });

let booted: Worker | undefined;
try {
  booted = start();
} catch {
  booted = undefined; // no workers here: `startLintWorker` throws when the app asks, as before
}

/** The worker started at boot the first time, a new one after. */
export function startLintWorker(): Worker {
  const worker = booted ?? start();
  booted = undefined;
  return worker;
}
