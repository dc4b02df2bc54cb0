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

/**
 * A Marketo Email Script (Velocity) token that a rendered email uses as `{{my.<name>}}`: a segment
 * condition compiled by the template engine. The name is derived from the script's hash, so a
 * changed script is a new token and a token already in a program never changes under an email
 * that uses it. Marketo's API cannot create Email Script tokens (its token API takes only date,
 * number, rich text, score, sfdc campaign and text), so the connector checks that the program
 * has them before it pushes and otherwise names what to create in the program's My Tokens.
 */
export const MarketoScriptTokenSchema = z
  .object({
    /** Token name without `my.` (Marketo allows at most 50 characters). */
    name: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9_]+$/, { error: 'expected letters, digits and underscores' }),
    /** The Velocity script. All script tokens of one email must stay within 100,000 bytes. */
    script: z.string().min(1).max(100_000),
    /** Velocity references the script reads (e.g. `lead.Country`): tick them in the script editor's tree. */
    fields: z.array(z.string().min(1).max(100)).max(100),
    /** `html` output (entities, for HTML content) or `text` output (subject, preheader, text part). */
    context: z.enum(['html', 'text']),
  })
  .strict();
export type MarketoScriptToken = z.infer<typeof MarketoScriptTokenSchema>;

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
    /**
     * Marketo only: the Email Script tokens the email references as `{{my.<name>}}`. Their names
     * hash their scripts, so `contentHash` (over the fields that reference them) covers them.
     */
    scriptTokens: z.array(MarketoScriptTokenSchema).max(100).optional(),
    renderedAt: IsoDateTimeSchema.optional(),
  })
  .strict()
  .describe('A draft rendered for one locale and dialect');
export type RenderedEmail = z.infer<typeof RenderedEmailSchema>;
