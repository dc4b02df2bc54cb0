// The API's bodies, from core's schemas (named components in /openapi.json) plus the envelopes around them.
// Core's schemas are named with zod's own `.meta({ id })`: `.openapi()` exists only on schemas built after
// @hono/zod-openapi was loaded, which depends on import order.
import {
  ApprovalEventSchema,
  BrandKitSchema,
  DiagnosticCountsSchema,
  DiagnosticSchema,
  DraftSchema,
  IdSchema,
  LocaleSchema,
  NewDraftSchema,
  NonNegativeIntSchema,
  PrincipalSchema,
  RenderedEmailSchema,
  TemplateSchema,
} from '@hubspoke/core';
import { DRAFT_STATUSES, VERDICTS } from '@hubspoke/hub';
import { z } from '@hono/zod-openapi';

export const Draft = DraftSchema.meta({ id: 'Draft' });
export const Template = TemplateSchema.meta({ id: 'Template' });
export const BrandKit = BrandKitSchema.meta({ id: 'BrandKit' });
export const Diagnostic = DiagnosticSchema.meta({ id: 'Diagnostic' });
export const DiagnosticCounts = DiagnosticCountsSchema.meta({ id: 'DiagnosticCounts' });
export const RenderedEmail = RenderedEmailSchema.meta({ id: 'RenderedEmail' });
export const ApprovalEvent = ApprovalEventSchema.meta({ id: 'ApprovalEvent' });
export const Principal = PrincipalSchema.meta({ id: 'Principal' });

export const DraftStatus = z.enum(DRAFT_STATUSES as [string, ...string[]]).openapi('DraftStatus');

export const DraftEnvelope = z
  .object({
    draft: Draft,
    version: z.number().int().openapi({ description: 'Send it back as If-Match ("<version>") to save' }),
    status: DraftStatus,
    submissionId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('DraftEnvelope');

export const NewDraft = NewDraftSchema.meta({ id: 'NewDraft' });

export const DraftCheck = z
  .object({
    draftId: z.string(),
    version: z.number().int(),
    counts: DiagnosticCounts,
    failed: z.boolean(),
    diagnostics: z.array(Diagnostic),
  })
  .openapi('DraftCheck', { description: 'Template validation and brand rules of one draft version' });

export const Page = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      more: z.boolean(),
      nextOffset: z.number().int().optional().openapi({ description: 'Ask again with offset=nextOffset' }),
    })
    .openapi(name);

export const Paging = {
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ description: 'Default 50' }),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
};

export const TemplateSummary = z
  .object({ id: z.string(), version: z.number().int(), name: z.string(), description: z.string().optional() })
  .openapi('TemplateSummary');

const Stage = z.looseObject({ id: z.string(), status: z.string() });
const Comment = z.looseObject({ id: z.string(), author: z.string(), text: z.string().optional() });

export const SubmissionState = z
  .looseObject({
    streamId: z.string(),
    seq: z.number().int(),
    status: z.string(),
    draftId: z.string(),
    title: z.string(),
    author: z.string(),
    submitter: z.string(),
    region: z.string().optional(),
    team: z.string().optional(),
    round: z.number().int(),
    draftVersion: z.number().int().optional(),
    contentHash: z.string(),
    approvedContentHash: z.string().optional(),
    lint: z.object({ errors: z.number().int(), warnings: z.number().int() }),
    stages: z.array(Stage),
    comments: z.array(Comment),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SubmissionState', { description: 'A submission folded from its events: stages, decisions, comments' });

export const SubmissionSummary = z
  .looseObject({ submissionId: z.string(), draftId: z.string(), status: z.string() })
  .openapi('SubmissionSummary');

export const Verdict = z.enum(VERDICTS as [string, ...string[]]).openapi('Verdict');

export const DecisionInput = z
  .object({
    verdict: Verdict,
    reason: z.string().min(1).max(2000).optional().openapi({ description: 'Required for override and forceApprove' }),
    stageId: IdSchema.optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict()
  .openapi('DecisionInput');

export const Anchor = z
  .object({
    instanceId: IdSchema,
    slotId: IdSchema.optional(),
    locale: LocaleSchema.optional(),
    range: z.object({ start: NonNegativeIntSchema, end: NonNegativeIntSchema }).strict().optional(),
  })
  .strict()
  .openapi('Anchor', { description: 'Where a comment points: a module instance, or a slot value of a locale' });

export const CommentInput = z
  .union([
    z
      .object({
        text: z.string().min(1).max(10_000),
        anchor: Anchor.optional(),
        parentId: z.string().max(100).optional(),
        mentions: z.array(z.string().min(1).max(256)).max(50).optional(),
        idempotencyKey: z.string().min(1).max(200).optional(),
      })
      .strict(),
    z.object({ resolve: z.string().min(1).max(100), idempotencyKey: z.string().min(1).max(200).optional() }).strict(),
    z.object({ reopen: z.string().min(1).max(100), idempotencyKey: z.string().min(1).max(200).optional() }).strict(),
  ])
  .openapi('CommentInput', { description: 'A new comment or reply, or resolve / reopen one by id' });

export const CommandOutcome = z
  .object({ submissionId: z.string(), state: SubmissionState, events: z.array(ApprovalEvent) })
  .openapi('CommandOutcome');

export const LintInput = z
  .object({
    rendered: z.union([RenderedEmail, z.array(RenderedEmail).min(1).max(50)]),
    draft: Draft.optional(),
  })
  .strict()
  .openapi('LintInput', { description: 'Rendered email(s) to lint against the hub brand, with the draft when known' });

export const LintOutput = z
  .object({ counts: DiagnosticCounts, failed: z.boolean(), diagnostics: z.array(Diagnostic) })
  .openapi('LintOutput');

export const AuditReport = z
  .union([
    z.object({ ok: z.literal(true), count: z.number().int(), head: z.string() }),
    z.object({
      ok: z.literal(false),
      index: z.number().int(),
      eventId: z.string().optional(),
      seq: z.number().int().optional(),
      problem: z.string(),
      message: z.string(),
    }),
  ])
  .openapi('AuditReport', { description: 'Whether the hash chain of the events verifies, and where it breaks' });

export const AuditExport = z
  .object({
    submissionId: z.string(),
    verification: AuditReport,
    events: z.array(ApprovalEvent),
    people: z
      .array(
        z.object({
          id: z.string(),
          issuer: z.string().optional(),
          subject: z.string().optional(),
          name: z.string().optional(),
        }),
      )
      .openapi({ description: 'Everyone who acted, with who vouched for them' }),
  })
  .openapi('AuditExport');

export const IdParam = z.object({ id: IdSchema });
export const RefParam = z.object({
  id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
