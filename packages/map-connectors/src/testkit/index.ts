export { conformanceChecks } from './conformance.js';
export type { ConformanceOptions, ConformanceCheck, ConformanceFault } from './conformance.js';
export { FakeServer, LimitMeter, seededRandom } from './fake-server.js';
export type { FakeRequest, FakeResponse, Fault, FaultKind, ChaosOptions, RouteHandler } from './fake-server.js';
export { sampleRenderedEmail, samplePushEmailInput, fastTestRuntime } from './fixtures.js';
export { FakeMarketo, marketoError } from './fakes/marketo.js';
export type {
  FakeMarketoOptions,
  FakeMarketoEmail,
  FakeMarketoTemplate,
  FakeMarketoActivity,
} from './fakes/marketo.js';
export { FakeEloqua } from './fakes/eloqua.js';
export type { FakeEloquaEmail, FakeEloquaActivity } from './fakes/eloqua.js';
export { FakeSfmc } from './fakes/sfmc.js';
export type { FakeSfmcAsset, FakeSfmcSend } from './fakes/sfmc.js';
export { FakeHubSpot } from './fakes/hubspot.js';
export type { FakeHubSpotEmail, FakeHubSpotCounters } from './fakes/hubspot.js';
export { FakeBraze } from './fakes/braze.js';
export type { FakeBrazeTemplate, FakeBrazeSeries } from './fakes/braze.js';
export { FakeAsana } from './fakes/asana.js';
export type { FakeAsanaTask } from './fakes/asana.js';
export { FakeMonday } from './fakes/monday.js';
export type { FakeMondayItem } from './fakes/monday.js';
export { FakeSlack, FakeTeams } from './fakes/chat.js';
