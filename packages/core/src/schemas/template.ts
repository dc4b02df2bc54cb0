import { z } from 'zod';
import {
  HexColorSchema,
  IdSchema,
  LocaleSchema,
  NonNegativeIntSchema,
  PositiveIntSchema,
  SchemaVersionSchema,
  TagSchema,
  JsonSchemaRefSchema,
} from './common.js';

/** What a spoke may change. `custom` sets each property to enabled, locked or hidden. */
export const LockLevelNameSchema = z.enum(['locked', 'editable', 'textOnly', 'custom']);
export type LockLevelName = z.infer<typeof LockLevelNameSchema>;

export const PropertyAccessSchema = z.enum(['enabled', 'locked', 'hidden']);
export type PropertyAccess = z.infer<typeof PropertyAccessSchema>;

export const LockLevelSchema = z.union([
  z.enum(['locked', 'editable', 'textOnly']),
  z
    .object({
      /** Per property (`text`, `href`, `src`, `alt`, `color`, `visible`, …): enabled, locked or hidden. */
      custom: z.record(
        z.string().regex(/^[a-z][a-zA-Z]*$/, { error: 'expected a property name like "href"' }),
        PropertyAccessSchema,
      ),
    })
    .strict(),
]);
export type LockLevel = z.infer<typeof LockLevelSchema>;

export function lockLevelName(lock: LockLevel): LockLevelName {
  return typeof lock === 'string' ? lock : 'custom';
}

export const SlotKindSchema = z.enum(['text', 'richText', 'image', 'link', 'color', 'boolean', 'list']);
export type SlotKind = z.infer<typeof SlotKindSchema>;

/** An image value: the source, its alt text, and an optional library reference. */
export const ImageValueSchema = z
  .object({
    src: z.string().min(1).max(2048),
    alt: z.string().max(1000).optional(),
    width: PositiveIntSchema.optional(),
    height: PositiveIntSchema.optional(),
    assetId: IdSchema.optional(),
  })
  .strict();
export type ImageValue = z.infer<typeof ImageValueSchema>;

export const LinkValueSchema = z
  .object({
    href: z.string().max(2048),
    text: z.string().max(1000),
  })
  .strict();
export type LinkValue = z.infer<typeof LinkValueSchema>;

/**
 * A slot's value. Which alternative is valid depends on the slot's kind: text, richText,
 * list and color hold strings, boolean a boolean, image and link an object.
 */
export const SlotValueSchema = z.union([z.string().max(100_000), z.boolean(), ImageValueSchema, LinkValueSchema]);
export type SlotValue = z.infer<typeof SlotValueSchema>;

const slotBase = {
  id: IdSchema,
  label: z.string().max(200).optional(),
  help: z.string().max(1000).optional(),
  required: z.boolean().default(false),
  /** Inherits the module's lock level when omitted. */
  lock: LockLevelSchema.optional(),
  /** Line/column of the slot's declaration in the template source. */
  sourceLine: PositiveIntSchema.optional(),
  sourceColumn: PositiveIntSchema.optional(),
};

const SchemeSchema = z.enum(['https', 'http', 'mailto', 'tel']);
const DomainSchema = z
  .string()
  .regex(/^(\*\.)?[a-z0-9.-]+\.[a-z]{2,}$/i, { error: 'expected a domain like "example.com" or "*.example.com"' });

export const TextSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('text'),
    default: z.string().max(100_000).optional(),
    maxLength: PositiveIntSchema.optional(),
    minLength: NonNegativeIntSchema.optional(),
    /** A regular expression (JavaScript syntax, whole value) the text must match. */
    pattern: z.string().max(500).optional(),
    multiline: z.boolean().default(false),
    translatable: z.boolean().default(true),
  })
  .strict();

export const RichTextSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('richText'),
    default: z.string().max(100_000).optional(),
    /** Limit on the visible text length (tags excluded). */
    maxLength: PositiveIntSchema.optional(),
    /** Tags allowed after sanitizing; a fixed safe default when omitted. */
    allowedTags: z.array(z.string().regex(/^[a-z][a-z0-9]*$/)).optional(),
    translatable: z.boolean().default(true),
  })
  .strict();

export const ImageSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('image'),
    default: ImageValueSchema.optional(),
    requireAlt: z.boolean().default(true),
    minWidth: PositiveIntSchema.optional(),
    maxWidth: PositiveIntSchema.optional(),
    minHeight: PositiveIntSchema.optional(),
    maxHeight: PositiveIntSchema.optional(),
    allowedDomains: z.array(DomainSchema).optional(),
    /** The image must come from the brand kit's asset library. */
    fromLibrary: z.boolean().default(false),
    translatable: z.boolean().default(true),
  })
  .strict();

export const LinkSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('link'),
    default: LinkValueSchema.optional(),
    allowedSchemes: z.array(SchemeSchema).min(1).default(['https', 'mailto', 'tel']),
    allowedDomains: z.array(DomainSchema).optional(),
    /**
     * Links without a scheme the template allows: `fragment` (`#top`, `#`), or `path` (also `/x`,
     * `page.html`, `?q=1`: resolved by the platform or the hosted page). Absent: absolute links only.
     */
    allowRelative: z.enum(['fragment', 'path']).optional(),
    maxTextLength: PositiveIntSchema.optional(),
    translatable: z.boolean().default(true),
  })
  .strict();

export const ColorSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('color'),
    default: HexColorSchema.optional(),
    paletteOnly: z.boolean().default(true),
  })
  .strict();

export const BooleanSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('boolean'),
    default: z.boolean().optional(),
  })
  .strict();

export const ListSlotSchema = z
  .object({
    ...slotBase,
    kind: z.literal('list'),
    options: z.array(z.string().min(1).max(200)).min(1),
    default: z.string().max(200).optional(),
  })
  .strict();

/** A slot the hub declared inside a module, with its kind, constraints and lock. */
export const SlotDefSchema = z.discriminatedUnion('kind', [
  TextSlotSchema,
  RichTextSlotSchema,
  ImageSlotSchema,
  LinkSlotSchema,
  ColorSlotSchema,
  BooleanSlotSchema,
  ListSlotSchema,
]);
export type SlotDef = z.infer<typeof SlotDefSchema>;
export type TextSlotDef = z.infer<typeof TextSlotSchema>;
export type RichTextSlotDef = z.infer<typeof RichTextSlotSchema>;
export type ImageSlotDef = z.infer<typeof ImageSlotSchema>;
export type LinkSlotDef = z.infer<typeof LinkSlotSchema>;
export type ColorSlotDef = z.infer<typeof ColorSlotSchema>;
export type BooleanSlotDef = z.infer<typeof BooleanSlotSchema>;
export type ListSlotDef = z.infer<typeof ListSlotSchema>;

/** A reusable block of MJML with declared slots, authored by the hub. */
export const ModuleDefSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** The module's MJML (one or more mj-section/mj-wrapper/mj-hero), slots declared inline with hs-* attributes. */
    mjml: z.string().min(1).max(500_000),
    slots: z.array(SlotDefSchema).default([]),
    lock: LockLevelSchema.default('editable'),
    /** A pinned module (header, footer) cannot be removed by a spoke. */
    pinned: z.boolean().default(false),
    /** How many instances a draft may hold. */
    occurs: z
      .object({ min: NonNegativeIntSchema.default(0), max: PositiveIntSchema.default(1) })
      .strict()
      .default({ min: 0, max: 1 }),
    /** Where its instances must stand. */
    position: z.enum(['start', 'end', 'any']).default('any'),
    tags: z.array(TagSchema).default([]),
    sourceLine: PositiveIntSchema.optional(),
  })
  .strict();
export type ModuleDef = z.infer<typeof ModuleDefSchema>;

/** Subject or preheader: a text field with a length limit and a lock. */
export const TextFieldDefSchema = z
  .object({
    maxLength: PositiveIntSchema.optional(),
    required: z.boolean().default(true),
    lock: LockLevelSchema.default('editable'),
    default: z.string().max(1000).optional(),
  })
  .strict();
export type TextFieldDef = z.infer<typeof TextFieldDefSchema>;

/** A versioned email template: modules, their order rules, head and locales. */
export const TemplateSchema = z
  .object({
    $schema: JsonSchemaRefSchema,
    schemaVersion: SchemaVersionSchema,
    id: IdSchema,
    /** Published versions are immutable; drafts pin one. */
    version: PositiveIntSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** `<mj-head>` content shared by every module (mj-attributes, mj-style, mj-font). */
    head: z.string().max(200_000).default(''),
    /** Attributes for `<mj-body>`, e.g. `{ "width": "600px", "background-color": "#ffffff" }`. */
    bodyAttributes: z.record(z.string(), z.string()).default({}),
    modules: z.array(ModuleDefSchema).min(1, { error: 'expected at least one module' }),
    /** `declared`: instances follow the order modules are declared in; `free`: any order (pinned positions still apply). */
    ordering: z.enum(['declared', 'free']).default('declared'),
    /** The arrangement a new draft starts with (module ids). Defaults to every module with occurs.min ≥ 1. */
    initialModules: z.array(IdSchema).optional(),
    subject: TextFieldDefSchema.default({ maxLength: 100, required: true, lock: 'editable' }),
    preheader: TextFieldDefSchema.default({ maxLength: 150, required: false, lock: 'editable' }),
    defaultLocale: LocaleSchema.default('en'),
    /** Fallback chain per locale, e.g. `{ "de-AT": ["de", "en"] }`. */
    fallbacks: z.record(LocaleSchema, z.array(LocaleSchema)).default({}),
    /** The MJML source this template was parsed from, if any. */
    source: z.string().max(2_000_000).optional(),
    tags: z.array(TagSchema).default([]),
  })
  .strict()
  .describe('A versioned email template of MJML modules with locked and editable slots');
export type Template = z.infer<typeof TemplateSchema>;
export type TemplateInput = z.input<typeof TemplateSchema>;
