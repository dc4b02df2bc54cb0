import type { z } from 'zod';
import { OperatingModelSchema, PrincipalSchema, RoleSchema } from './schemas/access.js';
import { ApprovalEventSchema, WorkflowEffectSchema } from './schemas/approval-event.js';
import { AssetSchema } from './schemas/asset.js';
import { BrandKitSchema } from './schemas/brand-kit.js';
import { CampaignMetricsSchema, CampaignSchema } from './schemas/campaign.js';
import { ChangeSummarySchema } from './schemas/change-summary.js';
import { HubspokeConfigSchema } from './schemas/config.js';
import { IdentityConfigSchema } from './schemas/identity.js';
import { ConnectorManifestSchema } from './schemas/connector.js';
import { DiagnosticSchema } from './schemas/diagnostic.js';
import { DraftSchema } from './schemas/draft.js';
import { KeyResultSchema, ObjectiveSchema, OkrSetSchema } from './schemas/okr.js';
import { SampleContactSchema } from './schemas/personalization.js';
import { RenderedEmailSchema } from './schemas/rendered-email.js';
import { ModuleDefSchema, SlotDefSchema, TemplateSchema } from './schemas/template.js';
import { SubmissionFactsSchema, WorkflowDefSchema } from './schemas/workflow.js';
import { HubspokeError } from './errors/hubspoke-error.js';
import { closest } from './validation/describe-schema.js';
import { describeValue } from './validation/format-issues.js';
import { parse, safeParse, type ParseResult } from './validation/parse.js';

/** Every domain schema by name; the name is also the label in error paths. */
export const schemas = {
  brandKit: BrandKitSchema,
  asset: AssetSchema,
  moduleDef: ModuleDefSchema,
  slotDef: SlotDefSchema,
  template: TemplateSchema,
  draft: DraftSchema,
  renderedEmail: RenderedEmailSchema,
  diagnostic: DiagnosticSchema,
  changeSummary: ChangeSummarySchema,
  principal: PrincipalSchema,
  role: RoleSchema,
  operatingModel: OperatingModelSchema,
  workflowDef: WorkflowDefSchema,
  submissionFacts: SubmissionFactsSchema,
  approvalEvent: ApprovalEventSchema,
  workflowEffect: WorkflowEffectSchema,
  campaign: CampaignSchema,
  campaignMetrics: CampaignMetricsSchema,
  objective: ObjectiveSchema,
  keyResult: KeyResultSchema,
  okrSet: OkrSetSchema,
  connectorManifest: ConnectorManifestSchema,
  sampleContact: SampleContactSchema,
  hubspokeConfig: HubspokeConfigSchema,
  identityConfig: IdentityConfigSchema,
} as const;
export type SchemaName = keyof typeof schemas;
export type SchemaOutput<N extends SchemaName> = z.output<(typeof schemas)[N]>;

/**
 * Config-like documents shipped as JSON Schema files (`@hubspoke/core/schemas/<file>.json`)
 * so editors autocomplete them.
 */
export const jsonSchemaFiles = {
  'brand-kit': 'brandKit',
  template: 'template',
  draft: 'draft',
  'workflow-def': 'workflowDef',
  'okr-set': 'okrSet',
  'operating-model': 'operatingModel',
  'hubspoke-config': 'hubspokeConfig',
  'connector-manifest': 'connectorManifest',
} as const satisfies Record<string, SchemaName>;

/** Validates `input` as the named schema; throws `E_VALIDATION` naming every bad path. */
export function parseAs<N extends SchemaName>(name: N, input: unknown): SchemaOutput<N> {
  return parse(schemaNamed(name), input, name) as SchemaOutput<N>;
}

/** Like {@link parseAs} but returns `{ ok, value | error }` and never throws. */
export function safeParseAs<N extends SchemaName>(name: N, input: unknown): ParseResult<SchemaOutput<N>> {
  if (!isSchemaName(name)) return { ok: false, error: unknownSchema(name) };
  return safeParse(schemas[name], input, name) as ParseResult<SchemaOutput<N>>;
}

function isSchemaName(name: unknown): name is SchemaName {
  return typeof name === 'string' && name.length <= 64 && Object.hasOwn(schemas, name);
}

/** An unknown schema name, with the closest known one (checked before the input is read). */
function unknownSchema(name: unknown): HubspokeError {
  const near = typeof name === 'string' ? closest(name, Object.keys(schemas)) : undefined;
  return new HubspokeError(
    'E_NOT_FOUND',
    `Unknown schema ${describeValue(name)}${near === undefined ? '' : `; did you mean "${near}"?`}`,
    { path: 'name', ...(near === undefined ? {} : { details: { didYouMean: near } }) },
  );
}

function schemaNamed(name: unknown): (typeof schemas)[SchemaName] {
  if (!isSchemaName(name)) throw unknownSchema(name);
  return schemas[name];
}

/** `parseBrandKit(x)` etc.: named shortcuts for the most used documents (each pulls in only its own schema). */
export const parseBrandKit = (input: unknown): SchemaOutput<'brandKit'> => parse(BrandKitSchema, input, 'brandKit');
export const parseTemplateDocument = (input: unknown): SchemaOutput<'template'> =>
  parse(TemplateSchema, input, 'template');
export const parseDraft = (input: unknown): SchemaOutput<'draft'> => parse(DraftSchema, input, 'draft');
export const parseWorkflowDef = (input: unknown): SchemaOutput<'workflowDef'> =>
  parse(WorkflowDefSchema, input, 'workflowDef');
export const parseOkrSet = (input: unknown): SchemaOutput<'okrSet'> => parse(OkrSetSchema, input, 'okrSet');
export const parseCampaignMetrics = (input: unknown): SchemaOutput<'campaignMetrics'> =>
  parse(CampaignMetricsSchema, input, 'campaignMetrics');
export const parsePrincipal = (input: unknown): SchemaOutput<'principal'> => parse(PrincipalSchema, input, 'principal');
export const parseConnectorManifest = (input: unknown): SchemaOutput<'connectorManifest'> =>
  parse(ConnectorManifestSchema, input, 'connectorManifest');
export const parseHubspokeConfig = (input: unknown): SchemaOutput<'hubspokeConfig'> =>
  parse(HubspokeConfigSchema, input, 'hubspokeConfig');
