import { guarded } from '@hubspoke/core';
import * as impl from './monday.js';

export { monday, MondayConfigSchema } from './monday.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifyMonday = guarded('classifyMonday', ['input:object'], impl.classifyMonday);
export const mondayDate = guarded('mondayDate', ['iso:string'], impl.mondayDate);
export type { MondayConfig } from './monday.js';
