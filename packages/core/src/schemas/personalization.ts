import { z } from 'zod';
import { IdSchema } from './common.js';

/** The platforms personalization tokens compile to; `preview` substitutes sample data. */
export const DialectSchema = z.enum(['marketo', 'eloqua', 'sfmc', 'hubspot', 'braze', 'preview']);
export type Dialect = z.infer<typeof DialectSchema>;

/** A neutral field path such as `contact.firstName`. */
export const FieldPathSchema = z.string().regex(/^[a-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/, {
  error: 'expected a field path like "contact.firstName"',
});

/**
 * How neutral field paths are named on each platform, e.g.
 * `{ marketo: { "contact.firstName": "lead.First Name" }, sfmc: { "contact.firstName": "FirstName" } }`.
 */
export const FieldMapSchema = z
  .partialRecord(DialectSchema, z.record(FieldPathSchema, z.string().min(1).max(200)))
  .default({});
export type FieldMap = z.infer<typeof FieldMapSchema>;

/** A sample recipient for previews. */
export const SampleContactSchema = z
  .object({
    id: IdSchema,
    label: z.string().max(200).optional(),
    /** Values by neutral field path, e.g. `{ "contact.firstName": "Anna" }`. */
    fields: z.record(FieldPathSchema, z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .strict();
export type SampleContact = z.infer<typeof SampleContactSchema>;
