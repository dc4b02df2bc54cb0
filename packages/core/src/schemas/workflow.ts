import { z } from 'zod';
import {
  IdSchema,
  IsoDateTimeSchema,
  IsoDurationSchema,
  LocaleSchema,
  PositiveIntSchema,
  RefSchema,
  RegionSchema,
  SchemaVersionSchema,
  TagSchema,
  JsonSchemaRefSchema,
} from './common.js';
import { closest } from '../validation/describe-schema.js';

/** Who reviews a stage. `region: "submission"` means the submission's own region. */
/** The most reminders one stage's due date may have. */
export const MAX_REMINDERS = 50;

export const ReviewerSelectorSchema = z.union([
  z.object({ user: RefSchema }).strict(),
  z.object({ role: IdSchema, region: z.union([RegionSchema, z.literal('submission')]).optional() }).strict(),
  z.object({ group: IdSchema }).strict(),
]);
export type ReviewerSelector = z.infer<typeof ReviewerSelectorSchema>;

/** Facts about a submission that routing conditions can test. */
export const ROUTING_FACTS = [
  'region',
  'locales',
  'newLocales',
  'tags',
  'lint.errors',
  'lint.warnings',
  'change.touchedLockLevels',
  'change.structural',
  'change.textOnly',
  'author',
] as const;
export const RoutingFactSchema = z.enum(ROUTING_FACTS);
export type RoutingFact = z.infer<typeof RoutingFactSchema>;

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const ConditionOpSchema = z.enum([
  'eq',
  'ne',
  'in',
  'contains',
  'containsAny',
  'onlyContains',
  'isEmpty',
  'notEmpty',
  'gt',
  'gte',
  'lt',
  'lte',
]);
export type ConditionOp = z.infer<typeof ConditionOpSchema>;

export interface FactCondition {
  fact: RoutingFact;
  op: ConditionOp;
  value?: string | number | boolean | (string | number | boolean)[] | undefined;
}
/** A routing condition: a fact test, or `all` / `any` / `not` of conditions. */
export type Condition = FactCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z
      .object({
        fact: RoutingFactSchema,
        op: ConditionOpSchema,
        value: z.union([ScalarSchema, z.array(ScalarSchema)]).optional(),
      })
      .strict(),
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
  ]),
);

/** When a stage becomes active. `of` defaults to the stage declared just before it. */
export const ActivationSchema = z.union([
  z.object({ on: z.literal('submit') }).strict(),
  z.object({ on: z.literal('approved'), of: z.array(IdSchema).min(1).optional() }).strict(),
  z.object({ on: z.literal('decided'), of: z.array(IdSchema).min(1).optional() }).strict(),
  z.object({ on: z.literal('at'), at: IsoDateTimeSchema }).strict(),
]);
export type Activation = z.infer<typeof ActivationSchema>;

export const CompletionSchema = z.union([
  z.object({ rule: z.enum(['all', 'any']) }).strict(),
  z.object({ rule: z.literal('primary'), primary: RefSchema }).strict(),
  z.object({ rule: z.literal('quorum'), n: PositiveIntSchema }).strict(),
]);
export type Completion = z.infer<typeof CompletionSchema>;

export const DueSchema = z
  .object({
    /** Time allowed after the stage activates. */
    after: IsoDurationSchema,
    /** Offsets from the due time: negative = before, `PT0S` = at, positive = after. */
    reminders: z.array(IsoDurationSchema).max(MAX_REMINDERS).default([]),
    escalation: z.object({ after: IsoDurationSchema, toRole: IdSchema }).strict().optional(),
  })
  .strict();
export type Due = z.infer<typeof DueSchema>;

export const StageDefSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    reviewers: z.array(ReviewerSelectorSchema).min(1),
    completion: CompletionSchema.default({ rule: 'all' }),
    activation: ActivationSchema.optional(),
    /** The stage runs only when this holds for the submission; otherwise it is skipped. */
    when: ConditionSchema.optional(),
    due: DueSchema.optional(),
    /** Once complete, decisions in this stage can no longer change. */
    lockOnComplete: z.boolean().default(false),
    allowReject: z.boolean().default(false),
  })
  .strict();
export type StageDef = z.infer<typeof StageDefSchema>;

/** A versioned, immutable review workflow. A running submission pins the version it started with. */
export const WorkflowDefSchema = z
  .object({
    $schema: JsonSchemaRefSchema,
    schemaVersion: SchemaVersionSchema,
    id: IdSchema,
    version: PositiveIntSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    stages: z.array(StageDefSchema).min(1, { error: 'expected at least one stage' }),
    /** After changes are required, the next version restarts at the first stage or at the stage that asked. */
    restartFrom: z.enum(['first', 'requesting']).default('first'),
    /** Error-level diagnostics block approval unless a role here overrides with a reason. */
    overrideRoles: z.array(IdSchema).default([]),
    forceApproveRoles: z.array(IdSchema).default([]),
    blockOnErrors: z.boolean().default(true),
  })
  .strict()
  .superRefine((wf, ctx) => {
    const ids = new Set<string>();
    wf.stages.forEach((s, i) => {
      if (ids.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'id'], message: 'expected a unique stage id', input: s.id });
      ids.add(s.id);
    });
    wf.stages.forEach((s, i) => {
      const refs = s.activation && 'of' in s.activation ? (s.activation.of ?? []) : [];
      for (const ref of refs) {
        if (!ids.has(ref) || ref === s.id) {
          const near =
            ref === s.id
              ? undefined
              : closest(
                  ref,
                  [...ids].filter((id) => id !== s.id),
                );
          ctx.addIssue({
            code: 'custom',
            path: ['stages', i, 'activation', 'of'],
            message:
              ref === s.id
                ? `expected the id of another stage in this workflow, not the stage's own id "${ref}"`
                : `expected the id of another stage in this workflow (${[...ids].join(', ')}), got "${ref}"${near === undefined ? '' : `; did you mean "${near}"?`}`,
            input: ref,
          });
        }
      }
    });
  })
  .describe('A versioned review workflow: stages, reviewers, routing, due dates and escalation');
export type WorkflowDef = z.infer<typeof WorkflowDefSchema>;
export type WorkflowDefInput = z.input<typeof WorkflowDefSchema>;

/** Facts about a submission that routing conditions are evaluated against. */
export const SubmissionFactsSchema = z
  .object({
    region: RegionSchema.optional(),
    locales: z.array(LocaleSchema).default([]),
    newLocales: z.array(LocaleSchema).default([]),
    tags: z.array(TagSchema).default([]),
    lint: z
      .object({ errors: z.number().int().min(0), warnings: z.number().int().min(0) })
      .strict()
      .default({ errors: 0, warnings: 0 }),
    change: z
      .object({
        touchedLockLevels: z.array(z.enum(['locked', 'editable', 'textOnly', 'custom'])).default([]),
        structural: z.boolean().default(false),
        textOnly: z.boolean().default(false),
      })
      .strict()
      .default({ touchedLockLevels: [], structural: false, textOnly: false }),
  })
  .strict();
export type SubmissionFacts = z.infer<typeof SubmissionFactsSchema>;
