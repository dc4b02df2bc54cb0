/**
 * `@hubspoke/template-engine/fill`: the browser-safe part of the engine (no mjml, no Node
 * built-ins). It validates drafts and fills skeletons, so an editor re-renders on every keystroke
 * in the page; skeletons of new structures come from a server through `remoteSkeletons`.
 */
import { guarded } from '@hubspoke/core';
import * as validation from './draft/validate-draft.js';
import * as resolve from './draft/resolve.js';
import * as rendering from './render/render.js';
import * as values from './render/values.js';

export { createRenderSession, darkPreview, hasDarkScheme, remoteSkeletons } from './public-fill.js';
export type { RenderOptions, RenderSession } from './render/render.js';
export type { FetchSkeleton, RemoteSkeletonsOptions } from './render/remote-skeletons.js';
export type { Skeleton, SkeletonRequest, SkeletonSource, Split } from './render/skeleton.js';
export type { HoleRef } from './render/emit.js';

export type { ValidateOptions } from './draft/validate-draft.js';
export { createDraft } from './draft/create-draft.js';
export type { CreateDraftOptions } from './draft/create-draft.js';
export { summarizeChanges } from './draft/summarize-changes.js';

export { SLOT_PROPERTIES, accessOf, canEdit } from '@hubspoke/core';
export type { SlotProperty } from '@hubspoke/core';
export { RICH_TEXT_TAGS } from './render/values.js';
// The token grammar, for editors that show tokens as chips.
export { parseTokens } from '@hubspoke/core';
export type { TokenNode, FieldNode, IfNode, TokenCondition } from '@hubspoke/core';

// Checked in O(1) and letting only HubspokeErrors escape (core's `guarded`), as from the main entry.
export const render = guarded('render', ['template:any', 'draft:any', 'options:object?'], rendering.render);
export const validateDraft = guarded(
  'validateDraft',
  ['template:any', 'draft:any', 'options:object?'],
  validation.validateDraft,
);
export const localeChain = guarded(
  'localeChain',
  ['template:object', 'draft:object', 'locale:string'],
  resolve.localeChain,
);
export const allowedRichTags = guarded('allowedRichTags', ['allowed:array?'], values.allowedRichTags);
