// The hub web app that `hubspoke serve` serves: the elements over the server's HTTP API.
import { defineHubspokeElements, httpSource, type HubspokeApp } from '../src/index.js';

defineHubspokeElements();
const app = document.querySelector<HubspokeApp>('hubspoke-app');
if (app) app.source = httpSource();
