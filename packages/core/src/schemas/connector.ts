import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, LocaleSchema, PositiveIntSchema, RefSchema } from './common.js';
import type { CampaignMetrics } from './campaign.js';
import { DialectSchema } from './personalization.js';
import type { RenderedEmail } from './rendered-email.js';

/**
 * Connector contract versions, oldest first. `v1.1` adds `sendTest` and `uploadAsset`;
 * a `v1` manifest stays valid and cannot declare them.
 */
export const CONNECTOR_SPECIFICATION_VERSIONS = ['v1', 'v1.1'] as const;
export const ConnectorSpecificationVersionSchema = z.enum(CONNECTOR_SPECIFICATION_VERSIONS);
export type ConnectorSpecificationVersion = z.infer<typeof ConnectorSpecificationVersionSchema>;
/** The newest connector contract version this core describes. */
export const CONNECTOR_SPECIFICATION_VERSION = 'v1.1' as const;

export const CONNECTOR_CAPABILITIES = [
  'check',
  'pushTemplate',
  'pushEmail',
  'pullMetrics',
  'createTask',
  'closeTask',
  'notify',
  'sendTest',
  'uploadAsset',
] as const;
export const ConnectorCapabilitySchema = z.enum(CONNECTOR_CAPABILITIES);
export type ConnectorCapability = z.infer<typeof ConnectorCapabilitySchema>;

/** The contract version that introduced each capability. */
export const CAPABILITY_SINCE: Readonly<Record<ConnectorCapability, ConnectorSpecificationVersion>> = {
  check: 'v1',
  pushTemplate: 'v1',
  pushEmail: 'v1',
  pullMetrics: 'v1',
  createTask: 'v1',
  closeTask: 'v1',
  notify: 'v1',
  sendTest: 'v1.1',
  uploadAsset: 'v1.1',
};

/** What a connector is and can do, as plain data (no code). */
export const ConnectorManifestSchema = z
  .object({
    specificationVersion: ConnectorSpecificationVersionSchema,
    id: IdSchema,
    name: z.string().min(1).max(200),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, { error: 'expected a semver version like "1.2.0"' }),
    /** `map`: marketing automation platform; `pm`: work management; `chat`: messaging; `export`: files; `mail`: an email server (test sends). */
    kind: z.enum(['map', 'pm', 'chat', 'export', 'mail']),
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
  .superRefine((manifest, ctx) => {
    const order = CONNECTOR_SPECIFICATION_VERSIONS.indexOf(manifest.specificationVersion);
    manifest.capabilities.forEach((capability, index) => {
      const since = CAPABILITY_SINCE[capability];
      if (CONNECTOR_SPECIFICATION_VERSIONS.indexOf(since) > order)
        ctx.addIssue({
          code: 'custom',
          path: ['capabilities', index],
          message: `capability "${capability}" needs specificationVersion "${since}" or later, got "${manifest.specificationVersion}"`,
        });
    });
  })
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

/** Sends an email that was pushed (draft, version, locale) to seed addresses, for QA before the real send. */
export const SendTestInputSchema = z
  .object({
    draftId: IdSchema,
    draftVersion: PositiveIntSchema,
    locale: LocaleSchema,
    /** Seed addresses; every one must be in the hub's allowed test-send domains. */
    recipients: z
      .array(z.email({ error: 'expected an email address' }))
      .min(1)
      .max(50),
    /** The seed list the recipients came from, for the audit record. */
    seedList: IdSchema.optional(),
    /** The rendered email, for connectors that send content themselves (SMTP) rather than a pushed asset. */
    email: z
      .custom<RenderedEmail>((v) => typeof v === 'object' && v !== null && 'html' in v, {
        error: 'expected a RenderedEmail',
      })
      .optional(),
  })
  .strict();
export type SendTestInput = z.infer<typeof SendTestInputSchema>;

export interface SendTestResult {
  /** The addresses the platform accepted. */
  sent: string[];
  /** The remote asset that was sent, when the platform sends a pushed one. */
  remoteId?: string;
  /** Platform message or deployment ids, when it reports them. */
  messageIds?: string[];
}

/** Image types a connector may upload; SVG is not among them (it can carry script). */
export const UPLOAD_ASSET_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** An approved image to put into the platform's file store. */
export const UploadAssetInputSchema = z
  .object({
    /** A file name, e.g. `hero.png`. */
    name: z
      .string()
      .min(1)
      .max(200)
      .refine((name) => !/[/\\]/.test(name) && !Array.from(name, (c) => c.charCodeAt(0)).some((code) => code < 0x20), {
        error: 'expected a file name without folders or control characters',
      }),
    contentType: z.enum(UPLOAD_ASSET_TYPES),
    /** The image, base64-encoded (at most 10 MB decoded). */
    data: z
      .string()
      .min(4)
      .max(14_000_000)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'expected base64 data' }),
    /** The SHA-256 of the decoded bytes (hex); checked when given. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'expected a lower-case hex SHA-256' })
      .optional(),
  })
  .strict();
export type UploadAssetInput = z.infer<typeof UploadAssetInputSchema>;

export interface UploadAssetResult {
  remoteId: string;
  /** The hosted copy's URL, to use in the email. */
  url: string;
  sha256: string;
  /** `false` when the same bytes were uploaded before (deduplicated by SHA-256). */
  created: boolean;
}

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
  readonly specificationVersion: ConnectorSpecificationVersion;
  readonly manifest: ConnectorManifest;
  check(options?: CallOptions): Promise<CheckResult>;
  pushTemplate?(input: PushTemplateInput, options?: CallOptions): Promise<PushResult>;
  pushEmail?(input: PushEmailInput, options?: CallOptions): Promise<PushResult>;
  pullMetrics?(query: MetricsQuery, options?: CallOptions): AsyncIterable<CampaignMetrics>;
  createTask?(input: TaskInput, options?: CallOptions): Promise<TaskRef>;
  closeTask?(ref: TaskRef, outcome: string, options?: CallOptions): Promise<void>;
  notify?(input: NotifyInput, options?: CallOptions): Promise<void>;
  /** Since v1.1. */
  sendTest?(input: SendTestInput, options?: CallOptions): Promise<SendTestResult>;
  /** Since v1.1. */
  uploadAsset?(input: UploadAssetInput, options?: CallOptions): Promise<UploadAssetResult>;
}

/** A metrics query as data (for configs and CLIs). */
export const MetricsQuerySchema = z
  .object({ campaignIds: z.array(RefSchema).optional(), since: IsoDateTimeSchema, until: IsoDateTimeSchema })
  .strict();
