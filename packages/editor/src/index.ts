// Data sources
export type * from './source/types.js';
export { MemoryHub } from './source/memory-source.js';
export type { HttpSourceOptions } from './source/http-source.js';
export type { MemoryHubOptions, MemoryStage } from './source/memory-source.js';

// The editing model (no DOM needed)
export { DraftSession } from './model/session.js';
export type { DraftSessionOptions, ChangeDetail, SaveState } from './model/session.js';
export { Composition } from './model/compose.js';
export type { Allowed, MoveTargets } from './model/compose.js';
export type { AsyncLinter, LinterFactory } from './model/worker-linter.js';

// Web components
export { HubspokeEditor } from './ui/hubspoke-editor.js';
export { HubspokeApp } from './ui/hubspoke-app.js';
export { HubspokeReview, HubspokeInbox } from './ui/hubspoke-review.js';
export type { DiffRow } from './model/diff.js';

// The functions above, as callers see them: arguments checked first, only HubspokeErrors escape
export {
  httpSource,
  draftIdFor,
  moved,
  newInstanceId,
  explain,
  pageLinter,
  workerLinter,
  slotValueIn,
  fieldValueIn,
  applyFix,
  defineHubspokeElements,
  parseRoute,
  diffDrafts,
  wordDiff,
  describeValue,
} from './public-functions.js';
