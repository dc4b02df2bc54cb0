import { guarded } from '@hubspoke/core';
import * as impl from './fs.js';

export { fs, FsConfigSchema } from './fs.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const listImages = guarded('listImages', ['html:string'], impl.listImages);
export type { FsConfig, BundleImage } from './fs.js';
