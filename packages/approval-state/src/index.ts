// Engine
export { decide, worstDecision } from './decide.js';
export type { DecideContext, DecideResult } from './decide.js';
export { reduce, fold, initialState } from './state.js';
export type {
  SubmissionState,
  SubmissionStatus,
  StageState,
  StageStatus,
  DecisionRecord,
  CommentState,
} from './state.js';
export { due } from './due.js';
export type { DueItem } from './due.js';
export { effectsOf, eventEffectsOf, taskKey } from './effects.js';
export type { EventEffect } from './effects.js';
export { evaluateCondition, checkConditions } from './routing.js';
export type { RoutingInput } from './routing.js';
export { prepareWorkflow, activationOf } from './workflow.js';
export type { PreparedWorkflow } from './workflow.js';
export { matchesSelector, resolveReviewers, isStageReviewer, isOwnSubmission } from './reviewers.js';
export type { SubmissionParties } from './reviewers.js';
export { durationMs, addDuration } from './duration.js';
export { anchorsOf, anchorKey } from './anchors.js';

// Service
export { createApprovals } from './approvals.js';
export type { Approvals, ApprovalsOptions, AuditOptions, CommandResult, DueRun, SubmitInput } from './approvals.js';

// Storage
export { summarize, checkAppend, ListQuerySchema } from './store/event-store.js';
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
export { toStoreError } from './store/sql-errors.js';

// Outbox
export { dispatchEffects, DispatchOptionsSchema } from './dispatch.js';
export type { DispatchOptions, DispatchReport, EffectHandler } from './dispatch.js';
export {
  outboxId,
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
export { verifyAudit, hashEvent, sha256 } from './audit/hash-chain.js';
export type { AuditReport, AuditProblem, VerifyAuditOptions } from './audit/hash-chain.js';
export { verifyTrail } from './audit/trail.js';
export type { AuditTrail, VerifyTrailOptions } from './audit/trail.js';
export { AuditKeyring, generateAuditKeys } from './audit/keys.js';
export type { AuditKeyInput, AuditKeysInput, Ed25519KeyInput } from './audit/keys.js';
export { CheckpointSchema, MemoryCheckpointStore, FileCheckpointStore } from './audit/checkpoints.js';
export type { Checkpoint, CheckpointStore } from './audit/checkpoints.js';
