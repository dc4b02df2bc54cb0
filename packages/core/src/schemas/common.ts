import { z } from 'zod';

/** The shape version of every top-level document (brand kit, template, draft, workflow, …). */
export const SCHEMA_VERSION = 1 as const;
export const SchemaVersionSchema = z
  .literal(SCHEMA_VERSION)
  .default(SCHEMA_VERSION)
  .describe('Shape version of this document');

/** `$schema`: where editors find the JSON Schema of a document (ignored by Hubspoke). */
export const JsonSchemaRefSchema = z
  .string()
  .max(2000)
  .optional()
  .describe("Path or URL of this document's JSON Schema, for editors");

/** An identifier for modules, slots, stages, rules…: a letter, then letters, digits, `_`, `-`, `.`. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, {
    error: 'expected an id: a letter, then letters, digits, "_", "-" or "." (at most 128 characters)',
  })
  .describe('Identifier: a letter, then letters, digits, "_", "-" or "."');
export type Id = z.infer<typeof IdSchema>;

/** An opaque reference such as a user id, an email address or a remote id. */
export const RefSchema = z
  .string()
  .min(1, { error: 'expected a non-empty string' })
  .max(256, { error: 'expected at most 256 characters' });

/** A BCP 47 language tag such as `en`, `de-AT` or `zh-Hant-TW`. */
export const LocaleSchema = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$/, {
    error: 'expected a locale like "en", "de-DE" or "zh-Hant-TW"',
  })
  .describe('BCP 47 language tag');
export type Locale = z.infer<typeof LocaleSchema>;

/** `#1A2B3C` or `#abc`. */
export const HexColorSchema = z
  .string()
  .regex(/^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$/, { error: 'expected a hex colour like #1A2B3C' })
  .describe('Hex colour, #RGB or #RRGGBB');
export type HexColor = z.infer<typeof HexColorSchema>;

/** An absolute http(s) URL. */
export const HttpUrlSchema = z
  .string()
  .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/i, { error: 'expected an absolute http(s) URL like https://example.com/a.png' })
  .describe('Absolute http or https URL');

/** A calendar date, `2026-01-31`. */
export const IsoDateSchema = z.iso.date({ error: 'expected a date like 2026-01-31' });

/** A timestamp with a UTC offset, `2026-01-31T09:30:00Z`. */
export const IsoDateTimeSchema = z.iso.datetime({
  offset: true,
  error: 'expected a timestamp like 2026-01-31T09:30:00Z',
});

/** An ISO 8601 duration such as `P2D`, `PT4H` or `-PT30M` (negative = before). */
export const IsoDurationSchema = z
  .string()
  .regex(/^-?P(?!$)(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/, {
    error: 'expected an ISO 8601 duration like "P2D", "PT4H" or "-PT30M"',
  });

/** A region code chosen by the hub, e.g. `EMEA`, `DACH`, `US-TX`. */
export const RegionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'expected a region code like "EMEA" or "US-TX"' });

/** A free-form tag such as `pricing` or `legal-claim`. */
export const TagSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9:_-]{0,63}$/, { error: 'expected a lower-case tag like "pricing" or "legal-claim"' });

export const NonNegativeIntSchema = z
  .number()
  .int({ error: 'expected a whole number' })
  .min(0, { error: 'expected a number of at least 0' });
export const PositiveIntSchema = z
  .number()
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'expected a number of at least 1' });
