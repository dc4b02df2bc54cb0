import { z } from 'zod';
import { AssetSchema } from './asset.js';
import {
  HexColorSchema,
  HttpUrlSchema,
  IdSchema,
  LocaleSchema,
  NonNegativeIntSchema,
  PositiveIntSchema,
  RegionSchema,
  SchemaVersionSchema,
  JsonSchemaRefSchema,
} from './common.js';

export const PaletteColorSchema = z
  .object({
    name: z.string().min(1).max(64),
    hex: HexColorSchema,
    role: z.enum(['primary', 'secondary', 'accent', 'text', 'background', 'neutral', 'link', 'button']).optional(),
  })
  .strict();
export type PaletteColor = z.infer<typeof PaletteColorSchema>;

export const BrandFontSchema = z
  .object({
    family: z.string().min(1).max(128),
    /** Generic or system fallbacks that may follow the family in a font stack. */
    fallbacks: z.array(z.string().min(1)).default([]),
    role: z.enum(['heading', 'body', 'any']).default('any'),
    webFontUrl: HttpUrlSchema.optional(),
  })
  .strict();
export type BrandFont = z.infer<typeof BrandFontSchema>;

export const LogoSchema = z
  .object({
    id: IdSchema,
    url: HttpUrlSchema,
    alt: z.string().min(1).max(200),
    variant: z.enum(['default', 'light', 'dark', 'mark']).default('default'),
    minWidth: PositiveIntSchema.optional(),
    maxWidth: PositiveIntSchema.optional(),
  })
  .strict();
export type Logo = z.infer<typeof LogoSchema>;

/** A term the brand never uses. `caseSensitive` is explicit on every term. */
export const BannedTermSchema = z
  .object({
    term: z.string().min(1).max(200),
    caseSensitive: z.boolean().default(false),
    reason: z.string().max(500).optional(),
    locales: z.array(LocaleSchema).optional(),
  })
  .strict();
export type BannedTerm = z.infer<typeof BannedTermSchema>;

/** Say `use`, not any of `insteadOf`. Replacements keep the case of the replaced word unless `caseSensitive`. */
export const PreferredTermSchema = z
  .object({
    use: z.string().min(1).max(200),
    insteadOf: z.array(z.string().min(1).max(200)).min(1),
    caseSensitive: z.boolean().default(false),
    locales: z.array(LocaleSchema).optional(),
  })
  .strict();
export type PreferredTerm = z.infer<typeof PreferredTermSchema>;

export const LegalTextSchema = z
  .object({
    id: IdSchema,
    text: z.string().min(1).max(5000),
    /** Where it is required; omit both to require it everywhere. */
    locales: z.array(LocaleSchema).optional(),
    regions: z.array(RegionSchema).optional(),
    placement: z.enum(['footer', 'anywhere']).default('footer'),
  })
  .strict();
export type LegalText = z.infer<typeof LegalTextSchema>;

export const BrandKitSchema = z
  .object({
    $schema: JsonSchemaRefSchema,
    schemaVersion: SchemaVersionSchema,
    id: IdSchema,
    name: z.string().min(1).max(200),
    palette: z.array(PaletteColorSchema).min(1, { error: 'expected at least one palette colour' }),
    fonts: z.array(BrandFontSchema).default([]),
    typography: z
      .object({ minFontSizePx: PositiveIntSchema.default(14), minLineHeight: z.number().positive().optional() })
      .strict()
      .default({ minFontSizePx: 14 }),
    logos: z.array(LogoSchema).default([]),
    voice: z
      .object({
        bannedTerms: z.array(BannedTermSchema).default([]),
        preferredTerms: z.array(PreferredTermSchema).default([]),
        /** Highest reading grade allowed per locale (`*` = every locale that has a formula). */
        maxReadingGrade: z.record(z.union([LocaleSchema, z.literal('*')]), z.number().positive().max(30)).default({}),
        tone: z.string().max(500).optional(),
      })
      .strict()
      .default({ bannedTerms: [], preferredTerms: [], maxReadingGrade: {} }),
    legal: z.array(LegalTextSchema).default([]),
    links: z
      .object({
        requireHttps: z.boolean().default(true),
        /** Allowed link domains; a leading `*.` allows subdomains. Empty = any domain. */
        allowedDomains: z
          .array(
            z.string().regex(/^(\*\.)?[a-z0-9.-]+\.[a-z]{2,}$/i, {
              error: 'expected a domain like "example.com" or "*.example.com"',
            }),
          )
          .default([]),
        /** Query parameters every tracked link must carry, with a default value used by the fix. */
        requiredUtm: z
          .record(z.string().regex(/^utm_[a-z_]+$/, { error: 'expected a utm_* parameter name' }), z.string())
          .default({}),
      })
      .strict()
      .default({ requireHttps: true, allowedDomains: [], requiredUtm: {} }),
    images: z
      .object({
        requireAlt: z.boolean().default(true),
        /** Images must come from `assets` (or be a logo). */
        libraryOnly: z.boolean().default(false),
        genericAltTerms: z.array(z.string()).default(['image', 'picture', 'photo', 'graphic', 'banner', 'logo', 'img']),
      })
      .strict()
      .default({
        requireAlt: true,
        libraryOnly: false,
        genericAltTerms: ['image', 'picture', 'photo', 'graphic', 'banner', 'logo', 'img'],
      }),
    subjectLine: z
      .object({
        maxLength: PositiveIntSchema.default(60),
        maxEmoji: NonNegativeIntSchema.default(1),
        maxExclamations: NonNegativeIntSchema.default(1),
        allowAllCaps: z.boolean().default(false),
        spamTerms: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ maxLength: 60, maxEmoji: 1, maxExclamations: 1, allowAllCaps: false, spamTerms: [] }),
    assets: z.array(AssetSchema).default([]),
  })
  .strict()
  .describe('A hub brand kit: palette, fonts, logos, voice, legal text, link, image and subject-line policy');
export type BrandKit = z.infer<typeof BrandKitSchema>;
export type BrandKitInput = z.input<typeof BrandKitSchema>;
