export { braze, BrazeConfigSchema, classifyBraze } from './braze.js';
export type { BrazeConfig } from './braze.js';
