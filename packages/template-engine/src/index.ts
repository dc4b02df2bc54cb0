export { parseTemplate } from './template/parse-template.js';
export type { ParseTemplateOptions, ParseTemplateResult } from './template/parse-template.js';
export { render, preparePreview, createRenderSession } from './render/render.js';
