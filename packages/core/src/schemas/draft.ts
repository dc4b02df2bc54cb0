import { z } from 'zod';
import {
  IdSchema,
  IsoDateTimeSchema,
  LocaleSchema,
  NonNegativeIntSchema,
  PositiveIntSchema,
  RefSchema,
  RegionSchema,
  SchemaVersionSchema,
  TagSchema,
  JsonSchemaRefSchema,
} from './common.js';
import { SlotValueSchema } from './template.js';

/** One placed module in a draft. */
export const ModuleInstanceSchema = z
  .object({
    instanceId: IdSchema,
    moduleId: IdSchema,
    /** Hidden instances stay in the draft but are not rendered (where the lock allows). */
    hidden: z.boolean().default(false),
  })
  .strict();
export type ModuleInstance = z.infer<typeof ModuleInstanceSchema>;

/** Everything a spoke wrote for one locale. Slot values are data, never code. */
export const LocaleContentSchema = z
  .object({
    subject: z.string().max(1000).optional(),
    preheader: z.string().max(1000).optional(),
    /** Values by instance id, then slot id. */
    slots: z.record(IdSchema, z.record(IdSchema, SlotValueSchema)).default({}),
  })
  .strict();
export type LocaleContent = z.infer<typeof LocaleContentSchema>;

/** A spoke's email: a pinned template version, an arrangement of modules, and content per locale. */
export const DraftSchema = z
  .object({
    $schema: JsonSchemaRefSchema,
    schemaVersion: SchemaVersionSchema,
    id: IdSchema,
    /** Increases with every saved revision of the draft. */
    version: PositiveIntSchema.default(1),
    name: z.string().min(1).max(200),
    template: z.object({ id: IdSchema, version: PositiveIntSchema }).strict(),
    author: RefSchema,
    region: RegionSchema.optional(),
    team: IdSchema.optional(),
    /** The locale whose values fill gaps at the end of every fallback chain. */
    defaultLocale: LocaleSchema,
    /** Fallback chains that override the template's, e.g. `{ "de-AT": ["de-DE"] }`. */
    fallbacks: z.record(LocaleSchema, z.array(LocaleSchema)).default({}),
    modules: z.array(ModuleInstanceSchema),
    content: z.record(LocaleSchema, LocaleContentSchema),
    /** Content facts used for routing, e.g. `pricing`, `legal-claim`. */
    tags: z.array(TagSchema).default([]),
    campaignId: IdSchema.optional(),
    updatedAt: IsoDateTimeSchema.optional(),
    /** Revision counter of the content a reviewer saw, for optimistic edits. */
    revision: NonNegativeIntSchema.optional(),
  })
  .strict()
  .superRefine((draft, ctx) => {
    if (!Object.hasOwn(draft.content, draft.defaultLocale)) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: `expected content for the default locale "${draft.defaultLocale}"`,
        input: Object.keys(draft.content),
      });
    }
    const seen = new Set<string>();
    draft.modules.forEach((m, i) => {
      if (seen.has(m.instanceId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'instanceId'],
          message: 'expected a unique instance id',
          input: m.instanceId,
        });
      }
      seen.add(m.instanceId);
    });
  })
  .describe('A spoke draft: template version, module arrangement and per-locale slot values');
export type Draft = z.infer<typeof DraftSchema>;
export type DraftInput = z.input<typeof DraftSchema>;

/** What a new draft needs (the hub's `createDraft`, the server's `POST /api/drafts`); the author is the acting principal. */
export const NewDraftSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    /** The template and, optionally, its version (default: the newest). */
    template: z.object({ id: IdSchema, version: PositiveIntSchema.optional() }).strict(),
    /** Default: the principal's region when they have exactly one. */
    region: RegionSchema.optional(),
    /** Default: the principal's team when they have exactly one. */
    team: IdSchema.optional(),
    defaultLocale: LocaleSchema.optional(),
    tags: z.array(TagSchema).max(50).optional(),
    campaignId: IdSchema.optional(),
  })
  .strict();
export type NewDraft = z.infer<typeof NewDraftSchema>;
