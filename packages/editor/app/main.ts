// The hub web app that `hubspoke serve` serves: the elements over the server's HTTP API.
import { defineHubspokeElements, httpSource, workerLinter, type HubspokeApp } from '../src/index.js';
import { startLintWorker } from './lint-boot.js';

defineHubspokeElements();
const app = document.querySelector<HubspokeApp>('hubspoke-app');
if (app) {
  // The linter runs in a worker (started by lint-boot.ts before this script ran): a keystroke's
  // frame never waits for the brand rules.
  app.sessionOptions = { linter: workerLinter(startLintWorker) };
  app.source = httpSource();
}
