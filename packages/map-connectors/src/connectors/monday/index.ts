export { monday, MondayConfigSchema, classifyMonday, mondayDate } from './monday.js';
export type { MondayConfig } from './monday.js';
