export { marketo, MarketoConfigSchema, classifyMarketo, withEditableSection, BODY_SECTION_ID } from './marketo.js';
export type { MarketoConfig } from './marketo.js';
