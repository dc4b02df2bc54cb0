export {
  activationOf,
  addDuration,
  anchorKey,
  anchorsOf,
  checkAppend,
  checkConditions,
  due,
  durationMs,
  effectsOf,
  evaluateCondition,
  eventEffectsOf,
  fold,
  generateAuditKeys,
  isOwnSubmission,
  isStageReviewer,
  matchesSelector,
  outboxId,
  reduce,
  resolveReviewers,
  sha256,
  summarize,
  taskKey,
  toStoreError,
  verifyTrail,
  worstDecision,
} from './public-functions.js';
// Engine
export { decide } from './decide.js';
export type { DecideContext, DecideResult } from './decide.js';
export { initialState } from './state.js';
export type {
  SubmissionState,
  SubmissionStatus,
  StageState,
  StageStatus,
  DecisionRecord,
  CommentState,
} from './state.js';

export type { DueItem } from './due.js';

export type { EventEffect } from './effects.js';

export type { RoutingInput } from './routing.js';
export { prepareWorkflow } from './workflow.js';
export type { PreparedWorkflow } from './workflow.js';

export type { SubmissionParties } from './reviewers.js';

// Service
export { createApprovals } from './approvals.js';
export type { Approvals, ApprovalsOptions, AuditOptions, CommandResult, DueRun, SubmitInput } from './approvals.js';

// Storage
export { ListQuerySchema } from './store/event-store.js';
export type {
  EventStore,
  AppendRequest,
  IdempotencyRecord,
  Snapshot,
  StoredEvent,
  SubmissionSummary,
  ListQuery,
} from './store/event-store.js';
export { MemoryEventStore } from './store/memory-store.js';
export { SqlEventStore } from './store/sql-store.js';
export type { SqlEventStoreOptions, OpenSqlEventStoreOptions } from './store/sql-store.js';
export { MIGRATIONS } from './store/migrations.js';
export type { Migration } from './store/migrations.js';

// Outbox
export { dispatchEffects, DispatchOptionsSchema } from './dispatch.js';
export type { DispatchOptions, DispatchReport, EffectHandler } from './dispatch.js';
export {
  LEASE_EXPIRED,
  ClaimEffectsOptionsSchema,
  EffectFailureSchema,
  EffectQuerySchema,
  PruneEffectsOptionsSchema,
} from './store/outbox.js';
export type {
  EffectOutbox,
  OutboxEntry,
  OutboxStatus,
  ClaimedEffect,
  EffectClaim,
  ClaimEffectsOptions,
  EffectFailure,
  EffectQuery,
  AckEffectOptions,
  PruneEffectsOptions,
} from './store/outbox.js';
export { STATE_FORMAT } from './state.js';

// Commands and events
export {
  CommandSchema,
  SubmitCommandSchema,
  ResubmitCommandSchema,
  DecideCommandSchema,
  RevokeCommandSchema,
  CommentCommandSchema,
  ResolveCommentCommandSchema,
  ReopenCommentCommandSchema,
  AttachDiagnosticsCommandSchema,
  OverrideCommandSchema,
  ForceApproveCommandSchema,
  WithdrawCommandSchema,
  TickCommandSchema,
} from './commands.js';
export type { Command, CommandInput, CommandType, SubmitCommand, ResubmitCommand } from './commands.js';
export { EventDataSchemas, TypedApprovalEventSchema, AnchorSchema, AnchorIndexSchema } from './events.js';
export type { EventData, TypedApprovalEvent, Anchor, AnchorIndex } from './events.js';

// Audit
export { verifyAudit, hashEvent } from './audit/hash-chain.js';
export type { AuditReport, AuditProblem, VerifyAuditOptions } from './audit/hash-chain.js';

export type { AuditTrail, VerifyTrailOptions } from './audit/trail.js';
export { AuditKeyring } from './audit/keys.js';
export type { AuditKeyInput, AuditKeysInput, Ed25519KeyInput } from './audit/keys.js';
export { CheckpointSchema, MemoryCheckpointStore, FileCheckpointStore } from './audit/checkpoints.js';
export type { Checkpoint, CheckpointStore } from './audit/checkpoints.js';
