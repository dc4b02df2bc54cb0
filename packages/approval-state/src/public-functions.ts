// The public face of approval-state's helpers: arguments checked in O(1), only HubspokeErrors escape
// (core's `guarded`); the modules keep the plain functions for internal use.
import { guarded } from '@hubspoke/core';
import * as anchors from './anchors.js';
import * as hashChain from './audit/hash-chain.js';
import * as keys from './audit/keys.js';
import * as trail from './audit/trail.js';
import * as decideModule from './decide.js';
import * as dueModule from './due.js';
import * as duration from './duration.js';
import * as effects from './effects.js';
import * as reviewers from './reviewers.js';
import * as routing from './routing.js';
import * as stateModule from './state.js';
import * as eventStore from './store/event-store.js';
import * as outbox from './store/outbox.js';
import * as sqlErrors from './store/sql-errors.js';
import * as workflow from './workflow.js';

export const activationOf = guarded('activationOf', ['workflow:object', 'index:number'], workflow.activationOf);
export const addDuration = guarded('addDuration', ['at:string', 'duration:string'], duration.addDuration);
export const durationMs = guarded('durationMs', ['duration:string'], duration.durationMs);
export const anchorKey = guarded('anchorKey', ['anchor:object'], anchors.anchorKey);
export const anchorsOf = guarded('anchorsOf', ['draft:object'], anchors.anchorsOf);
export const checkAppend = guarded('checkAppend', ['request:object'], eventStore.checkAppend);
export const summarize = guarded('summarize', ['state:object'], eventStore.summarize);
export const checkConditions = guarded('checkConditions', ['workflow:object'], routing.checkConditions);
export const evaluateCondition = guarded(
  'evaluateCondition',
  ['condition:object', 'input:object'],
  routing.evaluateCondition,
);
export const due = guarded('due', ['state:object', 'now:value'], dueModule.due);
export const effectsOf = guarded('effectsOf', ['before:object', 'event:object'], effects.effectsOf);
export const eventEffectsOf = guarded('eventEffectsOf', ['before:object', 'events:array'], effects.eventEffectsOf);
export const taskKey = guarded(
  'taskKey',
  ['submissionId:string', 'stageId:string', 'round:number', 'assignee:string'],
  effects.taskKey,
);
export const fold = guarded('fold', ['events:array', 'from:object?'], stateModule.fold);
export const reduce = guarded('reduce', ['state:object', 'event:object'], stateModule.reduce);
export const generateAuditKeys = guarded('generateAuditKeys', ['id:string?'], keys.generateAuditKeys);
export const isOwnSubmission = guarded(
  'isOwnSubmission',
  ['state:object', 'principalId:string'],
  reviewers.isOwnSubmission,
);
export const isStageReviewer = guarded(
  'isStageReviewer',
  ['principal:object', 'def:object', 'stage:object'],
  reviewers.isStageReviewer,
);
export const matchesSelector = guarded(
  'matchesSelector',
  ['principal:object', 'selector:object'],
  reviewers.matchesSelector,
);
export const resolveReviewers = guarded(
  'resolveReviewers',
  ['stage:object', 'directory:array', 'submission:object'],
  reviewers.resolveReviewers,
);
export const sha256 = guarded('sha256', ['text:string'], hashChain.sha256);
export const toStoreError = guarded('toStoreError', ['error:any', 'operation:string'], sqlErrors.toStoreError);
export const verifyTrail = guarded('verifyTrail', ['trail:object', 'options:object'], trail.verifyTrail);
export const worstDecision = guarded('worstDecision', ['decisions:array'], decideModule.worstDecision);
export const outboxId = guarded('outboxId', ['streamId:string', 'seq:number', 'index:number'], outbox.outboxId);
