import { guarded } from '@hubspoke/core';
import * as impl from './sfmc.js';

export { sfmc, SfmcConfigSchema } from './sfmc.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifySfmc = guarded('classifySfmc', ['input:object'], impl.classifySfmc);
export type { SfmcConfig } from './sfmc.js';
