// The hub web app that `hubspoke serve` serves: the elements over the server's HTTP API.
import lintWorkerUrl from 'virtual:hubspoke-lint-worker';
import { defineHubspokeElements, httpSource, workerLinter, type HubspokeApp } from '../src/index.js';

defineHubspokeElements();
const app = document.querySelector<HubspokeApp>('hubspoke-app');
if (app) {
  // The linter runs in a worker: a keystroke's frame never waits for the brand rules.
  app.sessionOptions = {
    linter: workerLinter(() => new Worker(lintWorkerUrl, { type: 'module' })),
  };
  app.source = httpSource();
}
