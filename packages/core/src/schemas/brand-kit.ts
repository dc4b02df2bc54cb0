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
    /**
     * The file has transparent areas (a PNG or SVG drawn for a light background). brand-rules
     * uses this flag when it cannot read the image itself, to warn that the logo may vanish on
     * a dark background.
     */
    transparent: z.boolean().optional(),
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

/** One explicit dark-scheme colour: where the light scheme uses `light`, the dark scheme uses `dark`. */
export const DarkColorPairSchema = z
  .object({
    light: HexColorSchema,
    dark: HexColorSchema,
  })
  .strict()
  .describe('A light-scheme colour and the colour that replaces it in dark mode');
export type DarkColorPair = z.infer<typeof DarkColorPairSchema>;

/** A resolved dark scheme: the pairs rendering uses (brand-rules `darkPalette` makes one from a kit). */
export const DarkPaletteSchema = z.array(DarkColorPairSchema).describe('Light → dark colour pairs');
export type DarkPalette = z.infer<typeof DarkPaletteSchema>;

/**
 * The brand's dark scheme. Explicit `pairs` win; with `generate`, every palette colour without a
 * pair gets a generated dark counterpart that keeps its WCAG contrast (up to `minContrast`)
 * against the dark background. Rendering emits the scheme as `prefers-color-scheme: dark` and
 * Outlook.com `[data-ogsc]`/`[data-ogsb]` rules.
 */
export const DarkModeSchema = z
  .object({
    pairs: z.array(DarkColorPairSchema).default([]),
    generate: z.boolean().default(true),
    /** The contrast generated colours keep against the dark background, where the light colour had it (WCAG AA: 4.5). */
    minContrast: z.number().min(1).max(21).default(4.5),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Map<string, number>();
    value.pairs.forEach((pair, i) => {
      const key = normalizeHex(pair.light);
      const first = seen.get(key);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['pairs', i, 'light'],
          message: `${pair.light} already has a dark colour (pairs[${first}])`,
        });
      else seen.set(key, i);
    });
  })
  .describe('The brand dark scheme: explicit light → dark colour pairs, or generated ones');
export type DarkMode = z.infer<typeof DarkModeSchema>;

function normalizeHex(hex: string): string {
  const h = hex.toLowerCase();
  return h.length === 4 ? `#${h[1]}${h[1]}${h[2]}${h[2]}${h[3]}${h[3]}` : h;
}

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
    /** Optional dark scheme; without it emails carry no dark-mode CSS. */
    darkMode: DarkModeSchema.optional(),
  })
  .strict()
  .describe('A hub brand kit: palette, fonts, logos, voice, legal text, link, image and subject-line policy');
export type BrandKit = z.infer<typeof BrandKitSchema>;
export type BrandKitInput = z.input<typeof BrandKitSchema>;
