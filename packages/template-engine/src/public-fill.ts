// Browser-safe public entry points with core's argument guards (O(1) checks; only HubspokeErrors
// escape), shared by `.` and `./fill`.
import { guarded } from '@hubspoke/core';
import * as dark from './render/dark-mode.js';
import * as remote from './render/remote-skeletons.js';
import * as rendering from './render/render.js';

export const darkPreview = guarded('darkPreview', ['html:string'], dark.darkPreview);
export const hasDarkScheme = guarded('hasDarkScheme', ['html:string'], dark.hasDarkScheme);
export const createRenderSession = guarded(
  'createRenderSession',
  ['template:any', 'draft:any', 'options:object?'],
  rendering.createRenderSession,
);
export const remoteSkeletons = guarded(
  'remoteSkeletons',
  ['fetchSkeleton:function', 'options:object?'],
  remote.remoteSkeletons,
);
export const verifySkeleton = guarded(
  'verifySkeleton',
  ['template:any', 'draft:any', 'options:object?'],
  rendering.verifySkeleton,
);
export const skeletonFor = guarded(
  'skeletonFor',
  ['template:any', 'draft:any', 'options:object?'],
  rendering.skeletonFor,
);
