import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, LocaleSchema, NonNegativeIntSchema, PositiveIntSchema } from './common.js';
import { DiagnosticSchema } from './diagnostic.js';
import { DialectSchema } from './personalization.js';
import { HubspokeError } from '../errors/hubspoke-error.js';

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

/** An Eloqua field reference as the hub's field map gives it (a field merge's syntax name or a contact field's name). */
const EloquaFieldSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, { error: 'expected an Eloqua field reference like "FirstName1"' });

/**
 * One comparison of an Eloqua dynamic content rule: the contact field equals or differs from a
 * value, or is blank or not. A segment condition's terms become these.
 */
export const EloquaCriterionSchema = z
  .object({
    field: EloquaFieldSchema,
    operator: z.enum(['equal', 'notEqual', 'blank', 'notBlank']),
    /** For `equal` and `notEqual`: the value, as text (Eloqua compares text). */
    value: z.string().max(1000).optional(),
  })
  .strict();
export type EloquaCriterion = z.infer<typeof EloquaCriterionSchema>;

/**
 * One rule of an Eloqua dynamic content: when the statement over its criteria holds, the contact
 * sees `html`. The statement names criteria by 1-based position, joined with `AND`, `OR` and
 * parentheses (`1 AND (2 OR 3)`); the connector gives each criterion the id Eloqua expects.
 */
export const EloquaDynamicContentRuleSchema = z
  .object({
    criteria: z.array(EloquaCriterionSchema).min(1).max(50),
    statement: z
      .string()
      .min(1)
      .max(1000)
      .regex(/^(?:\(|\)|[1-9]\d?| AND | OR )+$/, {
        error: 'expected criterion positions joined by AND, OR and parentheses',
      }),
    html: z.string().max(100_000),
  })
  .strict();
export type EloquaDynamicContentRule = z.infer<typeof EloquaDynamicContentRuleSchema>;

/** What an Eloqua dynamic content's name may be; its placeholder in the HTML carries it as `elqid`. */
export const ELOQUA_DYNAMIC_CONTENT_NAME = /^hubspoke_dc_[0-9a-f]{12}$/;

/**
 * An Eloqua Dynamic Content asset a rendered email uses: a segment condition compiled by the
 * template engine. Its rules are the condition's branches in order (the first that holds wins),
 * its default the else content. The email's HTML holds
 * {@link eloquaDynamicContentPlaceholder}`(name)` where the condition stood, and the connector
 * creates the asset (`POST /api/REST/2.0/assets/dynamicContent`) and puts its id there before it
 * pushes the email. The name hashes the content, so a changed condition is a new asset.
 */
export const EloquaDynamicContentSchema = z
  .object({
    name: z.string().regex(ELOQUA_DYNAMIC_CONTENT_NAME, { error: 'expected hubspoke_dc_ and 12 hex digits' }),
    rules: z.array(EloquaDynamicContentRuleSchema).min(1).max(50),
    /** The else content (empty when the condition has none). */
    defaultHtml: z.string().max(100_000),
  })
  .strict();
export type EloquaDynamicContent = z.infer<typeof EloquaDynamicContentSchema>;

/**
 * The element that stands for a dynamic content in an Eloqua email's HTML until the connector
 * replaces `name` with the asset's id: Eloqua references a dynamic content in email HTML as an
 * element with `elqtype="DynamicContent"` and `elqid="<asset id>"` (the form seen in public Eloqua
 * email HTML; Oracle's docs do not describe it: unverified, see map-connectors' contract fixture README).
 */
export function eloquaDynamicContentPlaceholder(name: string): string {
  if (!ELOQUA_DYNAMIC_CONTENT_NAME.test(name))
    throw new HubspokeError(
      'E_VALIDATION',
      `name: expected hubspoke_dc_ and 12 hex digits, got ${JSON.stringify(name.slice(0, 40))}`,
      {
        path: 'name',
      },
    );
  return `<span elqid="${name}" elqtype="DynamicContent"></span>`;
}

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
    /**
     * Eloqua only: the Dynamic Content assets the HTML stands for with
     * `eloquaDynamicContentPlaceholder(name)`. Their names hash their content, so `contentHash`
     * (over the HTML that holds the names) covers them.
     */
    dynamicContents: z.array(EloquaDynamicContentSchema).max(100).optional(),
    renderedAt: IsoDateTimeSchema.optional(),
  })
  .strict()
  .describe('A draft rendered for one locale and dialect');
export type RenderedEmail = z.infer<typeof RenderedEmailSchema>;
