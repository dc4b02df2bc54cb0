export { describeConformance, conformanceChecks } from './conformance.js';
export type { ConformanceOptions, ConformanceCheck, ConformanceFault } from './conformance.js';
export { FakeServer, LimitMeter, seededRandom } from './fake-server.js';
export type { FakeRequest, FakeResponse, Fault, FaultKind, ChaosOptions, RouteHandler } from './fake-server.js';
export { sampleRenderedEmail, samplePushEmailInput } from './fixtures.js';
export { FakeMarketo, marketoError } from './fakes/marketo.js';
export type { FakeMarketoOptions, FakeMarketoEmail, FakeMarketoTemplate, FakeMarketoActivity } from './fakes/marketo.js';
