import { z } from 'zod';
import type { Principal } from './access.js';
import { IdSchema, IsoDateTimeSchema, PositiveIntSchema, RefSchema } from './common.js';

export const DECISIONS = ['approved', 'approvedWithChanges', 'changesRequired', 'notRelevant', 'rejected'] as const;
export const DecisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof DecisionSchema>;

export const APPROVAL_EVENT_TYPES = [
  'submission.created',
  'submission.resubmitted',
  'submission.returned',
  'submission.approved',
  'submission.rejected',
  'submission.withdrawn',
  'submission.forceApproved',
  'stage.activated',
  'stage.skipped',
  'stage.completed',
  'stage.reopened',
  'stage.escalated',
  'decision.made',
  'decision.revoked',
  'diagnostics.attached',
  'override.applied',
  'comment.added',
  'comment.resolved',
  'comment.reopened',
  'reminder.sent',
] as const;
export const ApprovalEventTypeSchema = z.enum(APPROVAL_EVENT_TYPES);
export type ApprovalEventType = z.infer<typeof ApprovalEventTypeSchema>;

/**
 * Who did it. `issuer` + `subject` name the authenticated identity (the OpenID Provider and its
 * `sub`, or `hubspoke-dev` in dev mode); both are absent in trusted local mode (`--as`).
 */
export const ActorSchema = z
  .object({
    id: RefSchema,
    roles: z.array(IdSchema).default([]),
    issuer: z.string().min(1).max(2000).optional(),
    subject: RefSchema.optional(),
    name: z.string().max(200).optional(),
  })
  .strict();
export type Actor = z.infer<typeof ActorSchema>;

/** The actor an event records for a principal: with issuer, subject and name when the server authenticated them. */
export function actorOf(principal: Principal): Actor {
  const actor: Actor = { id: principal.id, roles: [...principal.roles] };
  if (principal.issuer === undefined || principal.subject === undefined) return actor;
  actor.issuer = principal.issuer;
  actor.subject = principal.subject;
  if (principal.name !== undefined) actor.name = principal.name;
  return actor;
}

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a lower-case hex SHA-256' });

/**
 * One event in a submission's append-only history. `hash` is SHA-256 over the canonical JSON
 * of the event without `hash`, chained through `prevHash`, so any edit to history is detected.
 */
export const ApprovalEventSchema = z
  .object({
    schemaVersion: z.literal(1).default(1),
    id: RefSchema,
    /** The submission this event belongs to. */
    streamId: RefSchema,
    /** 1-based position in the stream; unique per stream (optimistic concurrency). */
    seq: PositiveIntSchema,
    type: ApprovalEventTypeSchema,
    at: IsoDateTimeSchema,
    actor: ActorSchema,
    workflow: z.object({ id: IdSchema, version: PositiveIntSchema }).strict(),
    data: z.record(z.string(), z.unknown()).default({}),
    idempotencyKey: z.string().max(200).optional(),
    prevHash: z.union([HashSchema, z.literal('')]),
    hash: HashSchema,
  })
  .strict()
  .describe('An event in the tamper-evident approval history');
export type ApprovalEvent = z.infer<typeof ApprovalEventSchema>;

/** Side effects a workflow asks the outside world to perform (notify, tasks). */
export const WorkflowEffectSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('notify'),
      submissionId: RefSchema,
      stageId: IdSchema.optional(),
      to: z.array(RefSchema),
      reason: z.enum([
        'review-requested',
        'reminder',
        'escalation',
        'decision',
        'returned',
        'approved',
        'rejected',
        'mention',
        'comment',
      ]),
      message: z.string().max(2000),
    })
    .strict(),
  z
    .object({
      type: z.literal('createTask'),
      /** Stable key so a retried effect creates one task. */
      taskKey: z.string().max(300),
      submissionId: RefSchema,
      stageId: IdSchema,
      assignee: RefSchema,
      title: z.string().max(500),
      dueAt: IsoDateTimeSchema.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('closeTask'),
      taskKey: z.string().max(300),
      submissionId: RefSchema,
      stageId: IdSchema,
      outcome: z.string().max(100),
    })
    .strict(),
]);
export type WorkflowEffect = z.infer<typeof WorkflowEffectSchema>;
