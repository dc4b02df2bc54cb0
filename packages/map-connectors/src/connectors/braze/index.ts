import { guarded } from '@hubspoke/core';
import * as impl from './braze.js';

export { braze, BrazeConfigSchema } from './braze.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifyBraze = guarded('classifyBraze', ['input:object'], impl.classifyBraze);
export type { BrazeConfig } from './braze.js';
