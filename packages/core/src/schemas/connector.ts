import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, LocaleSchema, PositiveIntSchema, RefSchema } from './common.js';
import type { CampaignMetrics } from './campaign.js';
import { DialectSchema } from './personalization.js';
import type { RenderedEmail } from './rendered-email.js';

/** The connector contract version this core describes. */
export const CONNECTOR_SPECIFICATION_VERSION = 'v1' as const;

export const CONNECTOR_CAPABILITIES = [
  'check',
  'pushTemplate',
  'pushEmail',
  'pullMetrics',
  'createTask',
  'closeTask',
  'notify',
] as const;
export const ConnectorCapabilitySchema = z.enum(CONNECTOR_CAPABILITIES);
export type ConnectorCapability = z.infer<typeof ConnectorCapabilitySchema>;

/** What a connector is and can do, as plain data (no code). */
export const ConnectorManifestSchema = z
  .object({
    specificationVersion: z.literal(CONNECTOR_SPECIFICATION_VERSION),
    id: IdSchema,
    name: z.string().min(1).max(200),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, { error: 'expected a semver version like "1.2.0"' }),
    /** `map`: marketing automation platform; `pm`: work management; `chat`: messaging; `export`: files. */
    kind: z.enum(['map', 'pm', 'chat', 'export']),
    description: z.string().max(2000).optional(),
    /** JSON Schema of the connector's configuration. */
    configSchema: z.record(z.string(), z.unknown()),
    /** Config keys whose values are secrets: never logged, never in errors or dry-run records. */
    secrets: z.array(z.string().min(1)).default([]),
    capabilities: z.array(ConnectorCapabilitySchema).min(1),
    /** The personalization dialect emails must be rendered in for this platform. */
    tokenDialect: DialectSchema.optional(),
    limits: z
      .object({
        callsPerWindow: PositiveIntSchema.optional(),
        windowMs: PositiveIntSchema.optional(),
        concurrency: PositiveIntSchema.optional(),
        dailyQuota: PositiveIntSchema.optional(),
        maxPayloadBytes: PositiveIntSchema.optional(),
      })
      .strict()
      .default({}),
    docsUrl: z.string().max(1000).optional(),
  })
  .strict()
  .describe('A connector manifest: identity, configuration schema, capabilities and limits');
export type ConnectorManifest = z.infer<typeof ConnectorManifestSchema>;
export type ConnectorManifestInput = z.input<typeof ConnectorManifestSchema>;

/** An email to publish: one draft version in one locale, already rendered for the connector's dialect. */
export const PushEmailInputSchema = z
  .object({
    draftId: IdSchema,
    draftVersion: PositiveIntSchema,
    locale: LocaleSchema,
    name: z.string().min(1).max(300),
    email: z.custom<RenderedEmail>((v) => typeof v === 'object' && v !== null && 'html' in v, {
      error: 'expected a RenderedEmail',
    }),
    /** Platform-specific placement, e.g. a folder or program id. */
    folder: z.string().max(300).optional(),
  })
  .strict();
export type PushEmailInput = z.infer<typeof PushEmailInputSchema>;

export interface PushTemplateInput {
  templateId: string;
  templateVersion: number;
  name: string;
  html: string;
  folder?: string;
}

export interface PushResult {
  remoteId: string;
  /** `false` when an existing remote asset was updated (idempotent re-push). */
  created: boolean;
  url?: string;
}

export interface MetricsQuery {
  campaignIds?: string[];
  since: string;
  until: string;
}

export interface TaskInput {
  /** Stable key: creating the same key twice yields one task. */
  taskKey: string;
  title: string;
  notes?: string;
  assignee?: string;
  dueAt?: string;
  submissionId: string;
}

export interface TaskRef {
  taskKey: string;
  remoteId: string;
  url?: string;
}

export interface NotifyInput {
  title: string;
  text: string;
  url?: string;
  /** Buttons or links, e.g. approve / request changes. */
  actions?: { label: string; url: string }[];
}

export interface CheckResult {
  ok: boolean;
  message: string;
  /** Account details that are safe to show (never secrets). */
  details?: Record<string, unknown>;
}

/** Options every connector call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Progress for bulk work: `done` of `total` units. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The connector contract. Each capability in the manifest has its method; methods throw
 * HubspokeError (`E_AUTH`, `E_RATE_LIMITED`, `E_UPSTREAM`, `E_VALIDATION`, `E_ABORTED`, …).
 */
export interface Connector {
  readonly specificationVersion: typeof CONNECTOR_SPECIFICATION_VERSION;
  readonly manifest: ConnectorManifest;
  check(options?: CallOptions): Promise<CheckResult>;
  pushTemplate?(input: PushTemplateInput, options?: CallOptions): Promise<PushResult>;
  pushEmail?(input: PushEmailInput, options?: CallOptions): Promise<PushResult>;
  pullMetrics?(query: MetricsQuery, options?: CallOptions): AsyncIterable<CampaignMetrics>;
  createTask?(input: TaskInput, options?: CallOptions): Promise<TaskRef>;
  closeTask?(ref: TaskRef, outcome: string, options?: CallOptions): Promise<void>;
  notify?(input: NotifyInput, options?: CallOptions): Promise<void>;
}

/** A metrics query as data (for configs and CLIs). */
export const MetricsQuerySchema = z
  .object({ campaignIds: z.array(RefSchema).optional(), since: IsoDateTimeSchema, until: IsoDateTimeSchema })
  .strict();
