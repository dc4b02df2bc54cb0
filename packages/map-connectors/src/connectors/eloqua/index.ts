export { eloqua, EloquaConfigSchema, classifyEloqua } from './eloqua.js';
export type { EloquaConfig } from './eloqua.js';
