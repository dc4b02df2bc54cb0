import type { ArgSpec } from '@hubspoke/core';
import type { EditorDataSource } from './types.js';

/** The arguments of each method of an editor data source, in memory or over HTTP (see core's `guardMethods`). */
export const SOURCE_ARGS: Readonly<Record<keyof EditorDataSource, readonly ArgSpec[]>> = {
  viewer: [],
  hub: [],
  templates: [],
  template: ['id:string', 'version:number'],
  skeleton: ['request:object'],
  drafts: [],
  createDraft: ['input:object'],
  draft: ['id:string'],
  saveDraft: ['draft:object', 'etag:string'],
  newVersion: ['draftId:string', 'etag:string?'],
  actions: ['draftId:string'],
  submit: ['draftId:string'],
  submission: ['id:string'],
  inbox: [],
  decide: ['submissionId:string', 'input:object'],
  comment: ['submissionId:string', 'input:object'],
  resolveComment: ['submissionId:string', 'commentId:string', 'resolved:boolean'],
  push: ['draftId:string'],
  subjectVariants: ['draft:object', 'locale:string'],
  altText: ['image:object', 'locale:string', 'slot:object?'],
  translate: ['draft:object', 'from:string', 'to:string'],
  subscribe: ['listener:function', 'scope:object?'],
};
