import {
  ApprovalEventSchema,
  DecisionSchema,
  DiagnosticSchema,
  IdSchema,
  IsoDateTimeSchema,
  LocaleSchema,
  NonNegativeIntSchema,
  PositiveIntSchema,
  RefSchema,
  RegionSchema,
  SubmissionFactsSchema,
  type ApprovalEvent,
  type ApprovalEventType,
} from '@hubspoke/core';
import { z } from 'zod';

/** Where a comment points in a draft: a module instance, a slot in one locale, a text range. */
export const AnchorSchema = z
  .object({
    instanceId: IdSchema,
    slotId: IdSchema.optional(),
    locale: LocaleSchema.optional(),
    range: z.object({ start: NonNegativeIntSchema, end: NonNegativeIntSchema }).strict().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.slotId !== undefined && a.locale === undefined)
      ctx.addIssue({ code: 'custom', path: ['locale'], message: 'expected a locale with slotId', input: a.locale });
    if (a.range !== undefined && a.slotId === undefined)
      ctx.addIssue({ code: 'custom', path: ['slotId'], message: 'expected a slotId with range', input: a.slotId });
    if (a.range !== undefined && a.range.end < a.range.start)
      ctx.addIssue({ code: 'custom', path: ['range', 'end'], message: 'expected end ≥ start', input: a.range.end });
  });
export type Anchor = z.infer<typeof AnchorSchema>;

/**
 * What exists in one version of a draft, for anchoring comments: `instanceId` keys for module
 * instances and `instanceId/slotId/locale` keys for slot values, each mapped to a short hash
 * of the value (empty for instances). Build it with `anchorsOf(draft)`.
 */
export const AnchorIndexSchema = z.record(z.string().max(400), z.string().max(64));
export type AnchorIndex = z.infer<typeof AnchorIndexSchema>;

const LintCountsSchema = z.object({ errors: NonNegativeIntSchema, warnings: NonNegativeIntSchema }).strict();
const StageResultSchema = DecisionSchema;
const Reason = z.string().max(2000);

/** A stage as a submission sees it: pinned name, optional activation time. */
const PlannedStageSchema = z
  .object({ id: IdSchema, name: z.string(), activateAt: IsoDateTimeSchema.optional() })
  .strict();

const VersionData = {
  round: PositiveIntSchema,
  draftVersion: PositiveIntSchema.optional(),
  contentHash: z.string().min(1).max(200),
  facts: SubmissionFactsSchema,
  lint: LintCountsSchema,
  anchors: AnchorIndexSchema.optional(),
  stages: z.array(PlannedStageSchema),
};

/** The `data` of each event type. */
export const EventDataSchemas = {
  'submission.created': z
    .object({
      ...VersionData,
      draftId: IdSchema,
      title: z.string().max(300),
      author: RefSchema,
      submitter: RefSchema,
      region: RegionSchema.optional(),
      team: IdSchema.optional(),
      /** SHA-256 of the pinned workflow definition: a changed definition under the same version is refused. */
      workflowHash: z.string(),
    })
    .strict(),
  'submission.resubmitted': z
    .object({
      ...VersionData,
      /** Stages whose earlier result stands (restart from the stage that asked). */
      kept: z.array(IdSchema),
      /** Root comments whose anchor no longer exists in this version. */
      outdatedComments: z.array(RefSchema),
    })
    .strict(),
  'submission.returned': z.object({ stages: z.array(IdSchema) }).strict(),
  'submission.approved': z.object({ contentHash: z.string() }).strict(),
  'submission.rejected': z.object({ stageId: IdSchema }).strict(),
  'submission.withdrawn': z.object({ reason: Reason.optional() }).strict(),
  'submission.forceApproved': z.object({ reason: Reason, contentHash: z.string() }).strict(),
  'stage.activated': z
    .object({
      stageId: IdSchema,
      assignees: z.array(RefSchema),
      trigger: z.enum(['submit', 'approved', 'decided', 'at']),
      dueAt: IsoDateTimeSchema.optional(),
      /** Absolute reminder times, ascending. */
      reminders: z.array(IsoDateTimeSchema).optional(),
      escalation: z.object({ at: IsoDateTimeSchema, toRole: IdSchema }).strict().optional(),
    })
    .strict(),
  'stage.skipped': z.object({ stageId: IdSchema, reason: z.string().max(500) }).strict(),
  'stage.completed': z.object({ stageId: IdSchema, result: StageResultSchema }).strict(),
  'stage.reopened': z.object({ stageId: IdSchema }).strict(),
  'stage.escalated': z.object({ stageId: IdSchema, toRole: IdSchema, assignees: z.array(RefSchema) }).strict(),
  'decision.made': z.object({ stageId: IdSchema, decision: DecisionSchema, reason: Reason.optional() }).strict(),
  'decision.revoked': z.object({ stageId: IdSchema }).strict(),
  'diagnostics.attached': z
    .object({ diagnostics: z.array(DiagnosticSchema).max(1000), lint: LintCountsSchema })
    .strict(),
  'override.applied': z.object({ reason: Reason, errors: NonNegativeIntSchema }).strict(),
  'comment.added': z
    .object({
      commentId: RefSchema,
      text: z.string().min(1).max(10_000),
      anchor: AnchorSchema.optional(),
      /** Hash of the anchored slot value when the comment was made (ranged comments go stale when it changes). */
      anchorValue: z.string().max(64).optional(),
      parentId: RefSchema.optional(),
      mentions: z.array(RefSchema).max(50),
    })
    .strict(),
  'comment.resolved': z.object({ commentId: RefSchema }).strict(),
  'comment.reopened': z.object({ commentId: RefSchema }).strict(),
  'reminder.sent': z.object({ stageId: IdSchema, at: IsoDateTimeSchema, to: z.array(RefSchema) }).strict(),
} satisfies Record<ApprovalEventType, z.ZodType>;

export type EventData<T extends ApprovalEventType> = z.infer<(typeof EventDataSchemas)[T]>;

/** An approval event whose `data` is typed by its `type`. */
export type TypedApprovalEvent = {
  [T in ApprovalEventType]: Omit<ApprovalEvent, 'type' | 'data'> & { type: T; data: EventData<T> };
}[ApprovalEventType];

/** Validates an event's envelope and its type-specific data. Throws `E_VALIDATION` naming the path. */
export const TypedApprovalEventSchema = ApprovalEventSchema.superRefine((event, ctx) => {
  const result = EventDataSchemas[event.type].safeParse(event.data);
  if (!result.success) {
    for (const issue of result.error.issues)
      ctx.addIssue({ ...issue, code: 'custom', path: ['data', ...issue.path], message: issue.message });
  }
});
