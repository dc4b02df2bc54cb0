import { guarded } from '@hubspoke/core';
import * as impl from './asana.js';

export { asana, AsanaConfigSchema } from './asana.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifyAsana = guarded('classifyAsana', ['input:object'], impl.classifyAsana);
export const createAsanaWebhookReceiver = guarded(
  'createAsanaWebhookReceiver',
  ['options:object?'],
  impl.createAsanaWebhookReceiver,
);
export const taskMarker = guarded('taskMarker', ['taskKey:string'], impl.taskMarker);
export type { AsanaConfig, WebhookRequest, WebhookReply } from './asana.js';
