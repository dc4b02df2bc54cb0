import { guarded } from '@hubspoke/core';
import * as impl from './marketo.js';

export { marketo, MarketoConfigSchema, BODY_SECTION_ID } from './marketo.js';
// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`); the module keeps the plain functions.
export const classifyMarketo = guarded(
  'classifyMarketo',
  ['input:object', 'vendorMessage:string?'],
  impl.classifyMarketo,
);
export const withEditableSection = guarded('withEditableSection', ['html:string'], impl.withEditableSection);
export type { MarketoConfig } from './marketo.js';
