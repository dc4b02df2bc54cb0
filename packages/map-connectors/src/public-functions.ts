// The public face of the SDK's helpers: arguments checked in O(1), only HubspokeErrors escape
// (core's `guarded`); the modules keep the plain functions for internal use.
import { guarded } from '@hubspoke/core';
import * as registry from './registry.js';
import * as assets from './sdk/publish/assets.js';
import * as auth from './sdk/http/auth.js';
import * as bulk from './sdk/publish/bulk.js';
import * as define from './sdk/define-connector.js';
import * as effects from './sdk/effects.js';
import * as http from './sdk/http/http-client.js';
import * as metrics from './sdk/metrics.js';
import * as publishStore from './sdk/publish/publish-store.js';
import * as publish from './sdk/publish/publish.js';
import * as response from './sdk/http/response.js';

export const aliasNamespace = guarded('aliasNamespace', ['instance:string', 'alias:string'], metrics.aliasNamespace);
export const campaignFor = guarded(
  'campaignFor',
  ['store:object', 'instance:string', 'platform:string', 'remoteId:string'],
  metrics.campaignFor,
);
export const splitRange = guarded('splitRange', ['since:string', 'until:string', 'maxDays:number'], metrics.splitRange);
export const isoSeconds = guarded('isoSeconds', ['date:object'], metrics.isoSeconds);
export const applyWorkflowEffects = guarded(
  'applyWorkflowEffects',
  ['connectors:array', 'effects:array', 'options:object?'],
  effects.applyWorkflowEffects,
);
export const applyWorkflowEffect = guarded(
  'applyWorkflowEffect',
  ['connector:object', 'effect:object', 'options:object?'],
  effects.applyWorkflowEffect,
);
export const assetName = guarded('assetName', ['name:string', 'key:object', 'maxLength:number?'], publish.assetName);
export const publishOnce = guarded('publishOnce', ['ctx:object', 'spec:object'], publish.publishOnce);
export const basicAuth = guarded('basicAuth', ['user:string', 'password:string'], auth.basicAuth);
export const bearerAuth = guarded('bearerAuth', ['token:string'], auth.bearerAuth);
export const classifyStatus = guarded('classifyStatus', ['input:object', 'vendorMessage:string?'], http.classifyStatus);
export const formBody = guarded('formBody', ['form:object'], http.formBody);
export const createConnector = guarded(
  'createConnector',
  ['id:string', 'config:any', 'options:object?'],
  registry.createConnector,
);
export const createMemoryPublishStore = guarded(
  'createMemoryPublishStore',
  ['options:object?'],
  publishStore.createMemoryPublishStore,
);
export const defineConnector = guarded('defineConnector', ['spec:object'], define.defineConnector);
export const expectBody = guarded('expectBody', ['schema:object', 'body:any', 'what:string'], response.expectBody);
export const hostEmailImages = guarded(
  'hostEmailImages',
  ['connector:object', 'email:object', 'load:function', 'options:object?'],
  assets.hostEmailImages,
);
export const pushEmails = guarded(
  'pushEmails',
  ['connector:object', 'inputs:array', 'options:object?'],
  bulk.pushEmails,
);
