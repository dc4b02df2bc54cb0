import { z } from 'zod';
import { IdSchema, LocaleSchema } from './common.js';
import { LockLevelNameSchema } from './template.js';

/**
 * What a draft changed relative to its template (or to its previous version), as facts for
 * routing: e.g. skip brand review when only `editable` text changed.
 */
export const ChangeSummarySchema = z
  .object({
    /** Modules were added, removed, reordered or hidden. */
    structural: z.boolean(),
    /** Lock levels of every slot whose value changed. */
    touchedLockLevels: z.array(LockLevelNameSchema),
    /** Every changed slot value. */
    changedSlots: z.array(
      z
        .object({
          instanceId: IdSchema,
          slotId: IdSchema,
          locale: LocaleSchema,
          lock: LockLevelNameSchema,
          kind: z.string(),
        })
        .strict(),
    ),
    /** Locales the draft has that the comparison base did not. */
    newLocales: z.array(LocaleSchema),
    /** Only text-like values (text, rich text, link text, alt) changed. */
    textOnly: z.boolean(),
    /** Subject or preheader values that changed, with the locale and the field's lock level. */
    changedFields: z
      .array(
        z.object({ field: z.enum(['subject', 'preheader']), locale: LocaleSchema, lock: LockLevelNameSchema }).strict(),
      )
      .optional(),
  })
  .strict();
export type ChangeSummary = z.infer<typeof ChangeSummarySchema>;
