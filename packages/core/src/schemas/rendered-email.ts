import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, LocaleSchema, NonNegativeIntSchema, PositiveIntSchema } from './common.js';
import { DiagnosticSchema } from './diagnostic.js';
import { DialectSchema } from './personalization.js';

/** Where a slot's value landed in the rendered HTML (0-based offsets), so findings map back to the slot. */
export const SlotSpanSchema = z
  .object({
    instanceId: IdSchema,
    slotId: IdSchema,
    property: z.string().max(64).optional(),
    start: NonNegativeIntSchema,
    end: NonNegativeIntSchema,
  })
  .strict();
export type SlotSpan = z.infer<typeof SlotSpanSchema>;

/** One draft rendered for one locale and one dialect. */
export const RenderedEmailSchema = z
  .object({
    draftId: IdSchema,
    draftVersion: PositiveIntSchema,
    template: z.object({ id: IdSchema, version: PositiveIntSchema }).strict(),
    locale: LocaleSchema,
    dialect: DialectSchema,
    subject: z.string(),
    preheader: z.string(),
    html: z.string(),
    text: z.string(),
    /** UTF-8 byte length of `html`. */
    bytes: NonNegativeIntSchema,
    /** SHA-256 (hex) over the canonical JSON of {subject, preheader, html, text}. */
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a lower-case hex SHA-256' }),
    diagnostics: z.array(DiagnosticSchema).default([]),
    /** Slot spans in `html`, when the renderer tracked them. */
    slotSpans: z.array(SlotSpanSchema).optional(),
    renderedAt: IsoDateTimeSchema.optional(),
  })
  .strict()
  .describe('A draft rendered for one locale and dialect');
export type RenderedEmail = z.infer<typeof RenderedEmailSchema>;
