import { z } from 'zod';
import {
  IdSchema,
  IsoDateSchema,
  IsoDateTimeSchema,
  RefSchema,
  RegionSchema,
  SchemaVersionSchema,
  JsonSchemaRefSchema,
} from './common.js';
import { KpiNameSchema, MetricDimensionSchema } from './campaign.js';

const finite = z.number().refine((n) => Number.isFinite(n), { error: 'expected a finite number' });

export const PeriodSchema = z
  .object({ start: IsoDateSchema, end: IsoDateSchema })
  .strict()
  .refine((p) => p.end >= p.start, { error: 'expected a period that ends on or after its start', path: ['end'] });
export type Period = z.infer<typeof PeriodSchema>;

/** A progress report on a key result. */
export const CheckInSchema = z
  .object({
    at: IsoDateTimeSchema,
    /** The measured value (numeric kinds). */
    value: finite.optional(),
    /** Milestone ids done so far (milestone kind). */
    done: z.array(IdSchema).optional(),
    /** Achieved or not (binary kind). */
    achieved: z.boolean().optional(),
    /** Forward-looking likelihood of reaching the target, 0–1; never mixed into progress. */
    confidence: z.number().min(0).max(1).optional(),
    note: z.string().max(2000).optional(),
    by: RefSchema.optional(),
    source: z.enum(['manual', 'metrics']).default('manual'),
  })
  .strict();
export type CheckIn = z.infer<typeof CheckInSchema>;

/** Binds a key result to a KPI: new metrics matching `filters` add check-ins automatically. */
export const KpiBindingSchema = z
  .object({
    kpi: KpiNameSchema,
    filters: z.partialRecord(MetricDimensionSchema, z.union([z.string(), z.array(z.string()).min(1)])).default({}),
    /**
     * For a binary key result: it is achieved while the KPI (in the key result's unit) is at
     * least `atLeast` and at most `atMost`, e.g. `{ atLeast: 3.5 }` for "CTR reaches 3.5%".
     */
    achievedWhen: z
      .object({ atLeast: finite.optional(), atMost: finite.optional() })
      .strict()
      .refine((b) => b.atLeast !== undefined || b.atMost !== undefined, { error: 'expected atLeast, atMost or both' })
      .refine((b) => b.atLeast === undefined || b.atMost === undefined || b.atLeast <= b.atMost, {
        error: 'expected atLeast ≤ atMost',
        path: ['atMost'],
      })
      .optional(),
  })
  .strict();
export type KpiBinding = z.infer<typeof KpiBindingSchema>;

const krBase = {
  id: IdSchema,
  title: z.string().min(1).max(500),
  /** Leading indicators move early and predict; lagging ones record results. */
  indicator: z.enum(['leading', 'lagging']).default('lagging'),
  /** Relative weight in the objective's score; 0 = tracked, not counted. */
  weight: z.number().min(0).max(1000).default(1),
  unit: z.string().max(32).optional(),
  owner: RefSchema.optional(),
  /** Expected check-in cadence, e.g. `P7D`. */
  cadence: z
    .string()
    .regex(/^P\d+[DW]$/, { error: 'expected a cadence like "P7D" or "P2W"' })
    .default('P7D'),
  /** Lagging key results this leading indicator drives. */
  drives: z.array(IdSchema).default([]),
  binding: KpiBindingSchema.optional(),
  checkIns: z.array(CheckInSchema).default([]),
};

export const KeyResultSchema = z.discriminatedUnion('kind', [
  z.object({ ...krBase, kind: z.literal('increase'), baseline: finite, target: finite }).strict(),
  z.object({ ...krBase, kind: z.literal('decrease'), baseline: finite, target: finite }).strict(),
  z.object({ ...krBase, kind: z.literal('maintain'), band: z.object({ min: finite, max: finite }).strict() }).strict(),
  z
    .object({
      ...krBase,
      kind: z.literal('milestone'),
      milestones: z.array(z.object({ id: IdSchema, title: z.string().min(1).max(500) }).strict()).min(1),
    })
    .strict(),
  z.object({ ...krBase, kind: z.literal('binary') }).strict(),
  z
    .object({
      ...krBase,
      kind: z.literal('rollup'),
      children: z
        .array(
          z
            .object({
              ref: IdSchema,
              type: z.enum(['keyResult', 'objective']),
              weight: z.number().min(0).max(1000).default(1),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
]);
export type KeyResult = z.infer<typeof KeyResultSchema>;
export type KeyResultKind = KeyResult['kind'];

export const ObjectiveOwnerSchema = z
  .object({ team: IdSchema.optional(), region: RegionSchema.optional() })
  .strict()
  .refine((o) => o.team !== undefined || o.region !== undefined, { error: 'expected a team, a region, or both' });

export const ObjectiveSchema = z
  .object({
    id: IdSchema,
    title: z.string().min(1).max(500),
    description: z.string().max(5000).optional(),
    /** One owner, or several for a cross-team objective. */
    owners: z.array(ObjectiveOwnerSchema).min(1),
    period: PeriodSchema,
    /** Committed OKRs are expected to score 1.0; aspirational ones about 0.7. */
    type: z.enum(['committed', 'aspirational']).default('aspirational'),
    /** Parent objectives this one aligns to. */
    alignsTo: z.array(IdSchema).default([]),
    keyResults: z.array(KeyResultSchema).default([]),
  })
  .strict();
export type Objective = z.infer<typeof ObjectiveSchema>;

/** A set of objectives (a planning document). */
export const OkrSetSchema = z
  .object({
    $schema: JsonSchemaRefSchema,
    schemaVersion: SchemaVersionSchema,
    id: IdSchema,
    name: z.string().min(1).max(200),
    objectives: z.array(ObjectiveSchema),
  })
  .strict()
  .describe('Objectives and key results across teams and regions');
export type OkrSet = z.infer<typeof OkrSetSchema>;
export type OkrSetInput = z.input<typeof OkrSetSchema>;
