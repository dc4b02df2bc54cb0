import {
  ChangeSummarySchema,
  DecisionSchema,
  DiagnosticSchema,
  IdSchema,
  PositiveIntSchema,
  RefSchema,
  SubmissionFactsSchema,
} from '@hubspoke/core';
import { z } from 'zod';
import { AnchorIndexSchema, AnchorSchema } from './events.js';

const IdempotencyKey = z.string().min(1).max(200).optional();
const ReasonSchema = z.string().trim().min(1, { error: 'expected a reason' }).max(2000);

const VersionFields = {
  /** The draft's own revision number, for people. */
  draftVersion: PositiveIntSchema.optional(),
  /** Hash of the submitted content; the approved one is pinned for publishing. */
  contentHash: z.string().min(1).max(200),
  facts: SubmissionFactsSchema.default({
    locales: [],
    newLocales: [],
    tags: [],
    lint: { errors: 0, warnings: 0 },
    change: { touchedLockLevels: [], structural: false, textOnly: false },
  }),
  /** What the change touched; fills `facts.change` and adds to `facts.newLocales`. */
  change: ChangeSummarySchema.optional(),
  /** Findings of the checks; their counts become `facts.lint`. */
  diagnostics: z.array(DiagnosticSchema).max(1000).optional(),
  /** Anchors that exist in this version (see `anchorsOf`); without them comments are never marked outdated. */
  anchors: AnchorIndexSchema.optional(),
  idempotencyKey: IdempotencyKey,
};

export const SubmitCommandSchema = z
  .object({
    type: z.literal('submit'),
    draftId: IdSchema,
    title: z.string().trim().min(1).max(300),
    /** The draft's author when someone else submits it (defaults to the submitter). */
    author: RefSchema.optional(),
    team: IdSchema.optional(),
    ...VersionFields,
  })
  .strict();

export const ResubmitCommandSchema = z.object({ type: z.literal('resubmit'), ...VersionFields }).strict();

export const DecideCommandSchema = z
  .object({
    type: z.literal('decide'),
    stageId: IdSchema.optional(),
    decision: DecisionSchema,
    reason: z.string().max(2000).optional(),
    idempotencyKey: IdempotencyKey,
  })
  .strict();

export const RevokeCommandSchema = z
  .object({ type: z.literal('revoke'), stageId: IdSchema.optional(), idempotencyKey: IdempotencyKey })
  .strict();

export const CommentCommandSchema = z
  .object({
    type: z.literal('comment'),
    commentId: RefSchema.optional(),
    text: z.string().trim().min(1, { error: 'expected some text' }).max(10_000),
    anchor: AnchorSchema.optional(),
    parentId: RefSchema.optional(),
    mentions: z.array(RefSchema).max(50).default([]),
    idempotencyKey: IdempotencyKey,
  })
  .strict();

export const ResolveCommentCommandSchema = z
  .object({ type: z.literal('resolveComment'), commentId: RefSchema, idempotencyKey: IdempotencyKey })
  .strict();
export const ReopenCommentCommandSchema = z
  .object({ type: z.literal('reopenComment'), commentId: RefSchema, idempotencyKey: IdempotencyKey })
  .strict();
export const AttachDiagnosticsCommandSchema = z
  .object({
    type: z.literal('attachDiagnostics'),
    diagnostics: z.array(DiagnosticSchema).min(1).max(1000),
    idempotencyKey: IdempotencyKey,
  })
  .strict();
export const OverrideCommandSchema = z
  .object({ type: z.literal('override'), reason: ReasonSchema, idempotencyKey: IdempotencyKey })
  .strict();
export const ForceApproveCommandSchema = z
  .object({ type: z.literal('forceApprove'), reason: ReasonSchema, idempotencyKey: IdempotencyKey })
  .strict();
export const WithdrawCommandSchema = z
  .object({ type: z.literal('withdraw'), reason: z.string().max(2000).optional(), idempotencyKey: IdempotencyKey })
  .strict();
/** Records what is due at the context's `now`: reminders, escalations, stages that start at a time. */
export const TickCommandSchema = z.object({ type: z.literal('tick'), idempotencyKey: IdempotencyKey }).strict();

export const CommandSchema = z.discriminatedUnion('type', [
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
]);

export type Command = z.output<typeof CommandSchema>;
export type CommandInput = z.input<typeof CommandSchema>;
export type SubmitCommand = z.output<typeof SubmitCommandSchema>;
export type ResubmitCommand = z.output<typeof ResubmitCommandSchema>;
export type CommandType = Command['type'];
