import { z } from 'zod';
import {
  HttpUrlSchema,
  IdSchema,
  IsoDateSchema,
  LocaleSchema,
  PositiveIntSchema,
  RegionSchema,
  TagSchema,
} from './common.js';

/**
 * An approved image or file in the hub's asset library. Brand rules check that a draft's
 * images come from here, are not past `expiresOn`, and are licensed for the draft's region.
 */
export const AssetSchema = z
  .object({
    id: IdSchema,
    url: HttpUrlSchema,
    kind: z.enum(['image', 'logo', 'icon', 'file']).default('image'),
    tags: z.array(TagSchema).default([]),
    /** Default alt text, per locale; `*` applies to every locale. */
    altText: z.record(z.union([LocaleSchema, z.literal('*')]), z.string().max(500)).default({}),
    /** Regions the licence covers; `["*"]` means everywhere. */
    licensedRegions: z
      .array(z.union([RegionSchema, z.literal('*')]))
      .min(1)
      .default(['*']),
    /** Last day the asset may be used (inclusive). */
    expiresOn: IsoDateSchema.optional(),
    width: PositiveIntSchema.optional(),
    height: PositiveIntSchema.optional(),
    /** The image has transparent areas (brand-rules warns that it may vanish on a dark background). */
    transparent: z.boolean().optional(),
    /** Hash of the file, so a re-uploaded copy at another URL can still be recognised. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'expected a lower-case hex SHA-256' })
      .optional(),
  })
  .strict()
  .describe('An approved asset in the hub library');
export type Asset = z.infer<typeof AssetSchema>;
