export { parseTemplate } from './template/parse-template.js';
export type { ParseTemplateOptions, ParseTemplateResult } from './template/parse-template.js';
