// Data sources
export type * from './source/types.js';
export { MemoryHub } from './source/memory-source.js';
export { httpSource, draftIdFor } from './source/http-source.js';
export type { HttpSourceOptions } from './source/http-source.js';
export type { MemoryHubOptions, MemoryStage } from './source/memory-source.js';

// The editing model (no DOM needed)
export { DraftSession } from './model/session.js';
export type { DraftSessionOptions, ChangeDetail, SaveState } from './model/session.js';
export { Composition, moved, newInstanceId } from './model/compose.js';
export type { Allowed, MoveTargets } from './model/compose.js';
export { explain } from './model/lint.js';
export { pageLinter, workerLinter } from './model/worker-linter.js';
export type { AsyncLinter, LinterFactory } from './model/worker-linter.js';
export { slotValueIn, fieldValueIn, applyFix } from './model/values.js';

// Web components
export { defineHubspokeElements } from './ui/define.js';
export { HubspokeEditor } from './ui/hubspoke-editor.js';
export { HubspokeApp, parseRoute } from './ui/hubspoke-app.js';
export { HubspokeReview, HubspokeInbox } from './ui/hubspoke-review.js';
export { diffDrafts, wordDiff, describeValue } from './model/diff.js';
export type { DiffRow } from './model/diff.js';
