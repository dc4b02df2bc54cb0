import { z } from 'zod';
import { IdSchema, RefSchema, RegionSchema, SchemaVersionSchema } from './common.js';
import { isAllowedRecipient } from '../test-sends.js';
import { FieldMapSchema, SampleContactSchema } from './personalization.js';
import { PrincipalSchema } from './access.js';
import { IdentityConfigSchema } from './identity.js';

const DomainSchema = z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: 'expected a lower-case domain like "acme.example"',
});

/** Seed lists per region and the domains test sends may go to. */
export const TestSendsConfigSchema = z
  .object({
    /** Every test recipient's domain must be one of these (exactly; subdomains are listed on their own). */
    allowedDomains: z.array(DomainSchema).min(1),
    /** Seed lists by name, each for a region (or every region when none is given). */
    seedLists: z
      .record(
        IdSchema,
        z
          .object({
            region: RegionSchema.optional(),
            recipients: z
              .array(z.email({ error: 'expected an email address' }))
              .min(1)
              .max(50),
          })
          .strict(),
      )
      .default({}),
    /** Test sends per connector instance per hour. */
    maxPerHour: z.number().int().min(1).max(1000).default(20),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const [name, list] of Object.entries(config.seedLists))
      list.recipients.forEach((address, index) => {
        if (!isAllowedRecipient(address, config.allowedDomains))
          ctx.addIssue({
            code: 'custom',
            path: ['seedLists', name, 'recipients', index],
            message: `${address} is outside the allowed test-send domains (${config.allowedDomains.join(', ')})`,
          });
      });
  });
export type TestSendsConfig = z.infer<typeof TestSendsConfigSchema>;

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
    /** Test sends (`hubspoke push --test-send <seed list>`): who may receive them and how often. */
    testSends: TestSendsConfigSchema.optional(),
    /** The server's identity provider and claim mapping (`hubspoke serve`). */
    identity: IdentityConfigSchema.optional(),
    outDir: z.string().min(1).default('out'),
  })
  .strict()
  .describe('hubspoke.config: where the hub keeps its brand kit, templates, workflow and connectors');
export type HubspokeConfig = z.infer<typeof HubspokeConfigSchema>;
export type HubspokeConfigInput = z.input<typeof HubspokeConfigSchema>;
