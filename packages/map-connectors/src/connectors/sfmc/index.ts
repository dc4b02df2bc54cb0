export { sfmc, SfmcConfigSchema, classifySfmc } from './sfmc.js';
export type { SfmcConfig } from './sfmc.js';
