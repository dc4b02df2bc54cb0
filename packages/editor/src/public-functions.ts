// The public face of the editor's functions: arguments checked in O(1) before any work, and only
// HubspokeErrors escape (core's `guarded`). The modules keep the plain functions for internal use.
import { guarded, HubspokeError } from '@hubspoke/core';
import * as compose from './model/compose.js';
import * as diff from './model/diff.js';
import * as explanations from './model/explain.js';
import * as values from './model/values.js';
import * as workers from './model/worker-linter.js';
import * as http from './source/http-source.js';
import * as define from './ui/define.js';
import * as app from './ui/hubspoke-app.js';

/** Longest draft name `draftIdFor` makes an id from, and longest route `parseRoute` reads. */
const MAX_NAME = 10_000;

function bounded(fn: string, label: string, value: string): void {
  if (value.length > MAX_NAME)
    throw new HubspokeError(
      'E_VALIDATION',
      `Invalid ${label}: ${fn} takes at most ${String(MAX_NAME)} characters, got ${String(value.length)}`,
      { path: label },
    );
}

export const httpSource = /* @__PURE__ */ guarded('httpSource', ['options:object?'], http.httpSource);
export const draftIdFor = /* @__PURE__ */ guarded(
  'draftIdFor',
  ['name:string', 'random:function?'],
  (name: string, random?: () => number) => {
    bounded('draftIdFor', 'name', name);
    return http.draftIdFor(name, random);
  },
);
export const moved = /* @__PURE__ */ guarded('moved', ['list:array', 'from:number', 'to:number'], compose.moved);
export const newInstanceId = /* @__PURE__ */ guarded(
  'newInstanceId',
  ['list:array', 'moduleId:string'],
  compose.newInstanceId,
);
export const explain = /* @__PURE__ */ guarded('explain', ['ruleId:string'], explanations.explain);
export const pageLinter: workers.LinterFactory = /* @__PURE__ */ guarded(
  'pageLinter',
  ['template:object', 'hub:object', 'now:function'],
  workers.pageLinter,
);
export const workerLinter = /* @__PURE__ */ guarded('workerLinter', ['start:function'], workers.workerLinter);
export const slotValueIn = /* @__PURE__ */ guarded(
  'slotValueIn',
  ['template:object', 'draft:object', 'locale:string', 'instanceId:string', 'slot:object'],
  values.slotValueIn,
);
export const fieldValueIn = /* @__PURE__ */ guarded(
  'fieldValueIn',
  ['template:object', 'draft:object', 'locale:string', 'field:string'],
  values.fieldValueIn,
);
export const applyFix = /* @__PURE__ */ guarded(
  'applyFix',
  ['template:object', 'draft:object', 'fallback:object', 'fix:object'],
  values.applyFix,
);
export const defineHubspokeElements = /* @__PURE__ */ guarded(
  'defineHubspokeElements',
  ['registry:object?'],
  (registry?: CustomElementRegistry) => {
    if (registry !== undefined && (typeof registry.get !== 'function' || typeof registry.define !== 'function'))
      throw new HubspokeError('E_VALIDATION', 'Invalid registry: expected a CustomElementRegistry', {
        path: 'registry',
      });
    define.defineHubspokeElements(registry);
  },
);
export const parseRoute = /* @__PURE__ */ guarded('parseRoute', ['hash:string'], (hash: string) => {
  bounded('parseRoute', 'hash', hash);
  return app.parseRoute(hash);
});
export const diffDrafts = /* @__PURE__ */ guarded(
  'diffDrafts',
  ['template:object', 'before:object', 'after:object', 'label:function?'],
  diff.diffDrafts,
);
export const wordDiff = /* @__PURE__ */ guarded('wordDiff', ['before:string', 'after:string'], diff.wordDiff);
export const describeValue = /* @__PURE__ */ guarded('describeValue', ['value:object?'], diff.describeValue);
