import { z } from 'zod';
import { IdSchema, RefSchema, SchemaVersionSchema } from './common.js';
import { FieldMapSchema, SampleContactSchema } from './personalization.js';
import { PrincipalSchema } from './access.js';
import { IdentityConfigSchema } from './identity.js';

/** `${ENV_NAME}` placeholders in connector config are read from the environment at run time. */
const ConfigValueSchema = z.union([z.string(), z.number(), z.boolean()]);

/** The `hubspoke.config.{ts,js,json}` file of an ops team. Paths are relative to the config file. */
export const HubspokeConfigSchema = z
  .object({
    $schema: z.string().optional(),
    schemaVersion: SchemaVersionSchema,
    /** Path to the brand kit JSON. */
    brandKit: z.string().min(1),
    /** Folder of `*.mjml` templates. */
    templates: z.string().min(1).default('templates'),
    /** Folder of draft JSON files. */
    drafts: z.string().min(1).default('drafts'),
    workflow: z.string().min(1),
    /** A preset name or a path to an operating-model JSON. */
    operatingModel: z.union([z.enum(['centralized', 'decentralized', 'hybrid']), z.string().min(1)]).default('hybrid'),
    okrs: z.string().min(1).optional(),
    /** Lint config (brand-rules) path. */
    lint: z.string().min(1).optional(),
    fieldMap: FieldMapSchema,
    sampleContacts: z.array(SampleContactSchema).default([]),
    /** People for local runs; `--as <id>` picks one. */
    principals: z.array(PrincipalSchema).default([]),
    /** Connector instances by name; values may use `${ENV_NAME}`. */
    connectors: z
      .record(
        IdSchema,
        z.object({ use: IdSchema, config: z.record(z.string(), ConfigValueSchema).default({}) }).strict(),
      )
      .default({}),
    defaultConnector: IdSchema.default('fs'),
    database: z.object({ url: RefSchema.optional() }).strict().default({}),
    /** The server's identity provider and claim mapping (`hubspoke serve`). */
    identity: IdentityConfigSchema.optional(),
    outDir: z.string().min(1).default('out'),
  })
  .strict()
  .describe('hubspoke.config: where the hub keeps its brand kit, templates, workflow and connectors');
export type HubspokeConfig = z.infer<typeof HubspokeConfigSchema>;
export type HubspokeConfigInput = z.input<typeof HubspokeConfigSchema>;
