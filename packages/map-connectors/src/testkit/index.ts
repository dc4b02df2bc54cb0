export { conformanceChecks } from './conformance.js';
export type { ConformanceOptions, ConformanceCheck, ConformanceFault } from './conformance.js';
export { FakeServer, LimitMeter, seededRandom, assertContractClean } from './fake-server.js';
export type {
  FakeRequest,
  FakeResponse,
  Fault,
  FaultKind,
  ChaosOptions,
  RouteHandler,
  FakeContractViolation,
} from './fake-server.js';
// Vendor contracts: check any connector's requests (yours too) against what the vendor publishes.
export { openApiContract } from './contracts/openapi.js';
export type {
  ContractRequest,
  ContractResult,
  ContractViolation,
  VendorContract,
  OperationOverlay,
  OpenApiContractOptions,
} from './contracts/openapi.js';
export { graphqlContract } from './contracts/graphql.js';
export type { GraphQLContractOptions } from './contracts/graphql.js';
export {
  vendorContracts,
  contractFor,
  marketoContract,
  eloquaContract,
  sfmcContract,
  hubspotContract,
  brazeContract,
  asanaContract,
  mondayContract,
  slackContract,
  teamsContract,
} from './contracts/vendors.js';
export type { ContractVendor } from './contracts/vendors.js';
export { sampleRenderedEmail, samplePushEmailInput, samplePng, fastTestRuntime } from './fixtures.js';
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
export type { FakeSfmcAsset, FakeSfmcSend, FakeSfmcEvent, FakeSfmcDefinition, FakeSfmcMessage } from './fakes/sfmc.js';
export { FakeHubSpot } from './fakes/hubspot.js';
export type { FakeHubSpotEmail, FakeHubSpotCounters } from './fakes/hubspot.js';
export { FakeBraze } from './fakes/braze.js';
export type { FakeBrazeTemplate, FakeBrazeSeries, FakeBrazeCampaign } from './fakes/braze.js';
export { FakeAsana } from './fakes/asana.js';
export type { FakeAsanaTask } from './fakes/asana.js';
export { FakeMonday } from './fakes/monday.js';
export type { FakeMondayItem } from './fakes/monday.js';
export { FakeSlack, FakeTeams } from './fakes/chat.js';
