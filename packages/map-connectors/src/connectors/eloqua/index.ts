import { guarded } from '@hubspoke/core';
import * as impl from './eloqua.js';

export { eloqua, EloquaConfigSchema } from './eloqua.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifyEloqua = guarded('classifyEloqua', ['input:object'], impl.classifyEloqua);
export type { EloquaConfig } from './eloqua.js';
