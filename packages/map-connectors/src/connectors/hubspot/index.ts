import { guarded } from '@hubspoke/core';
import * as impl from './hubspot.js';

export { hubspot, HubSpotConfigSchema } from './hubspot.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifyHubSpot = guarded('classifyHubSpot', ['input:object'], impl.classifyHubSpot);
export const codedTemplate = guarded('codedTemplate', ['html:string', 'label:string'], impl.codedTemplate);
export type { HubSpotConfig } from './hubspot.js';
