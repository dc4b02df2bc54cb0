// The public face of template-engine's entry points: arguments checked in O(1), only HubspokeErrors
// escape (core's `guarded`); the modules keep the plain functions for internal use.
import { guarded } from '@hubspoke/core';
import * as size from './checks/size.js';
import * as resolve from './draft/resolve.js';
import * as validate from './draft/validate-draft.js';
import * as xliff from './l10n/xliff.js';
import * as personalize from './personalization/personalize.js';
import * as rendering from './render/render.js';
import * as includes from './template/folder-includes.js';
import * as templates from './template/parse-template.js';

export const checkSize = guarded('checkSize', ['bytes:number', 'limits:object?'], size.checkSize);
export const compilePersonalization = guarded(
  'compilePersonalization',
  ['text:any', 'options:object'],
  personalize.compilePersonalization,
);
export const folderIncludes = guarded('folderIncludes', ['root:string'], includes.folderIncludes);
export const localeChain = guarded(
  'localeChain',
  ['template:object', 'draft:object', 'locale:string'],
  resolve.localeChain,
);
export const render = guarded('render', ['template:any', 'draft:any', 'options:object?'], rendering.render);
export const preparePreview = guarded(
  'preparePreview',
  ['template:any', 'draft:any', 'options:object?'],
  rendering.preparePreview,
);
export const validateDraft = guarded(
  'validateDraft',
  ['template:any', 'draft:any', 'options:object?'],
  validate.validateDraft,
);
export const importXliff = guarded('importXliff', ['template:any', 'draft:any', 'xml:any'], xliff.importXliff);
export const parseTemplate = guarded('parseTemplate', ['source:any', 'options:object?'], templates.parseTemplate);
