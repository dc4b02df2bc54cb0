import { DialectSchema, IdSchema, IsoDateSchema, LocaleSchema, RegionSchema } from '@hubspoke/core';
import {
  dispatchEffects,
  importMetrics,
  listEffects,
  okrReport,
  OKR_REPORT_FORMATS,
  OUTBOX_STATUSES,
  push,
  renderAll,
  requeueEffect,
  upgradeDraft,
} from '@hubspoke/hub';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { authorize, requireAuth, type AppEnv, type ServerContext } from '../context.js';
import { HttpError, problems } from '../problem.js';
import { Diagnostic, DiagnosticCounts, Draft, IdParam, Paging, RenderedEmail } from '../schemas.js';
import { envelope } from './drafts.js';
import { DraftEnvelope } from '../schemas.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const RenderedVariant = z
  .object({
    locale: z.string(),
    dialect: z.string(),
    email: RenderedEmail,
    counts: DiagnosticCounts,
    size: z.array(Diagnostic),
    accessibility: z.array(Diagnostic),
    compatibility: z.array(Diagnostic),
    personalization: z.array(Diagnostic),
    other: z.array(Diagnostic),
  })
  .openapi('RenderedVariant');

const PushOutcome = z
  .object({
    connector: z.string(),
    dialect: z.string(),
    dryRun: z.boolean(),
    report: z.looseObject({ succeeded: z.number().int(), failed: z.number().int(), items: z.array(z.looseObject({})) }),
    requests: z.array(z.looseObject({})).optional(),
  })
  .openapi('PushOutcome');

const MetricsImport = z
  .object({
    inputs: z
      .array(
        z
          .object({
            name: z
              .string()
              .min(1)
              .max(200)
              .openapi({ description: 'Names the batch: importing the same name again replaces it' }),
            format: z.enum(['csv', 'ndjson']),
            data: z.string().max(8 * 1024 * 1024),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    groupBy: z.array(z.string().min(1).max(40)).max(6).optional(),
    skipInvalid: z.boolean().optional(),
  })
  .strict()
  .openapi('MetricsImport', { description: 'Raw counts as CSV or NDJSON text (never a server file path)' });

const MetricsResult = z
  .looseObject({
    imported: z.number().int(),
    rejected: z.record(z.string(), z.number().int()),
    rows: z.number().int(),
    table: z.looseObject({}),
    checkIns: z.array(z.looseObject({})),
    diagnostics: z.array(Diagnostic),
  })
  .openapi('MetricsResult');

const OutboxEntry = z
  .looseObject({
    id: z.string(),
    streamId: z.string(),
    effect: z.looseObject({ type: z.string() }),
    status: z.enum(OUTBOX_STATUSES as [string, ...string[]]),
    attempts: z.number().int(),
    createdAt: z.string(),
    lastError: z.string().optional(),
  })
  .openapi('OutboxEntry');

const MEDIA: Record<string, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Render, push, template upgrade, metrics import, the OKR report and the workflow's effect outbox. */
export function registerOperationRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { hub } = ctx;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/drafts/{id}/renders',
      summary: 'Render the saved draft for each locale × dialect, with size, accessibility and compatibility findings',
      tags: ['drafts'],
      request: {
        params: IdParam,
        body: {
          required: true,
          content: json(
            z
              .object({
                dialects: z.array(DialectSchema).min(1).max(10),
                locales: z.array(LocaleSchema).min(1).max(50).optional(),
                contact: IdSchema.optional().openapi({ description: 'A sample contact of the hub, for preview' }),
              })
              .strict(),
          ),
        },
      },
      responses: {
        200: {
          description: 'One variant per locale × dialect',
          content: json(z.object({ items: z.array(RenderedVariant) })),
        },
        ...problems(400, 401, 403, 404, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const { draft } = await hub.getDraft(auth.principal, c.req.valid('param').id);
      await authorize(ctx, auth, 'email.render', { region: draft.region, team: draft.team, ownerId: draft.author });
      const { dialects, locales, contact } = c.req.valid('json');
      const items = await renderAll(hub, draft, {
        dialects,
        ...(locales === undefined ? {} : { locales }),
        ...(contact === undefined ? {} : { contact }),
        signal: c.req.raw.signal,
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/drafts/{id}/push',
      summary: 'Publish the approved draft through a connector (idempotent; refused unless approved as it is now)',
      tags: ['publish'],
      request: {
        params: IdParam,
        body: {
          required: false,
          content: json(z.object({ connector: IdSchema.optional(), dryRun: z.boolean().optional() }).strict()),
        },
      },
      responses: {
        200: { description: 'What was pushed', content: json(PushOutcome) },
        ...problems(400, 401, 403, 404, 415, 502),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'push:write');
      const { id } = c.req.valid('param');
      await hub.getDraft(auth.principal, id);
      const body = c.req.valid('json');
      const outcome = await push(hub, auth.principal, id, {
        ...(body.connector === undefined ? {} : { connector: body.connector }),
        ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
        signal: c.req.raw.signal,
      });
      return c.json(outcome, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/drafts/{id}/upgrade',
      summary: 'Move the draft to another version of its template, keeping every compatible value',
      tags: ['drafts'],
      request: {
        params: IdParam,
        headers: z.object({ 'if-match': z.string().max(100).optional() }),
        body: {
          required: false,
          content: json(z.object({ to: z.number().int().min(1).optional(), dryRun: z.boolean().optional() }).strict()),
        },
      },
      responses: {
        200: {
          description: 'The upgraded draft and what moved or was dropped',
          content: json(
            z.object({
              draft: Draft,
              from: z.number().int(),
              to: z.number().int(),
              changed: z.boolean(),
              diagnostics: z.array(Diagnostic),
              saved: DraftEnvelope.optional(),
            }),
          ),
        },
        ...problems(400, 401, 403, 404, 412, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:write');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const ifMatch = /^"(\d{1,9})"$/.exec(c.req.header('if-match') ?? '')?.[1];
      const outcome = await upgradeDraft(hub, auth.principal, id, {
        ...(body.to === undefined ? {} : { to: body.to }),
        ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
        ...(ifMatch === undefined ? {} : { expectedVersion: Number(ifMatch) }),
      });
      const { saved, ...rest } = outcome;
      return c.json({ ...rest, ...(saved === undefined ? {} : { saved: envelope(saved) }) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/metrics/imports',
      summary: 'Import campaign metrics (raw counts); bound key results get check-ins',
      tags: ['metrics'],
      request: { body: { required: true, content: json(MetricsImport) } },
      responses: {
        200: { description: 'What was imported and the KPIs after it', content: json(MetricsResult) },
        ...problems(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'metrics:write');
      const { inputs, groupBy, skipInvalid } = c.req.valid('json');
      const result = await importMetrics(
        hub,
        auth.principal,
        inputs.map(({ name, format, data }) => ({ name, format, data })),
        {
          ...(groupBy === undefined ? {} : { groupBy }),
          ...(skipInvalid === undefined ? {} : { skipInvalid }),
          signal: c.req.raw.signal,
        },
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/okr/report',
      summary: "The hub's OKRs: scores, pace, forecasts, per team and region. Spokes see their own region",
      tags: ['metrics'],
      request: {
        query: z
          .object({
            format: z.enum(OKR_REPORT_FORMATS as ['md', 'json', 'csv', 'svg']).optional(),
            team: IdSchema.optional(),
            region: RegionSchema.optional(),
            asOf: IsoDateSchema.optional(),
          })
          .strict(),
      },
      responses: {
        200: {
          description: 'The report in the format asked for (default Markdown)',
          content: {
            'text/markdown': { schema: z.string() },
            'application/json': { schema: z.looseObject({}) },
            'text/csv': { schema: z.string() },
            'image/svg+xml': { schema: z.string() },
          },
        },
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'okr:read');
      const query = c.req.valid('query');
      const model = await hub.operatingModel();
      const hubSide = auth.principal.roles.some((r) => model.roles.find((m) => m.id === r)?.side === 'hub');
      let region = query.region;
      if (!hubSide) {
        const own = auth.principal.regions;
        region ??= own.length === 1 ? own[0] : undefined;
        if (region === undefined || !own.includes(region)) {
          throw new HttpError(
            403,
            'E_FORBIDDEN',
            `${auth.principal.id} may see the OKRs of their own region only (${own.join(', ') || 'none'})`,
            {
              details: { expected: own },
            },
          );
        }
      }
      const format = query.format ?? 'md';
      const report = await okrReport(hub, {
        format,
        ...(query.team === undefined ? {} : { team: query.team }),
        ...(region === undefined ? {} : { region }),
        ...(query.asOf === undefined ? {} : { asOf: query.asOf }),
      });
      // An SVG from the API is a download, never a document that runs in our origin.
      if (format === 'svg')
        c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      return c.body(report, 200, { 'content-type': MEDIA[format] ?? 'text/plain' });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/effects',
      summary: "The workflow's effect outbox (review requests, reminders, tasks) by status",
      tags: ['effects'],
      request: {
        query: z.object({ status: z.enum(OUTBOX_STATUSES as [string, ...string[]]).optional(), ...Paging }).strict(),
      },
      responses: {
        200: { description: 'Entries', content: json(z.object({ items: z.array(OutboxEntry) })) },
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'effects:read');
      await authorize(ctx, auth, 'connector.configure');
      const query = c.req.valid('query');
      const items = await listEffects(hub, query as Parameters<typeof listEffects>[1]);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/effects/{id}/requeue',
      summary: 'Put a dead outbox entry back in the queue',
      tags: ['effects'],
      request: { params: z.object({ id: z.string().min(1).max(400) }) },
      responses: { 204: { description: 'Queued again' }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const auth = requireAuth(c, 'effects:write');
      await authorize(ctx, auth, 'connector.configure');
      await requeueEffect(hub, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/effects/dispatch',
      summary: 'Deliver the due outbox entries with the named connectors (slack, teams, asana, monday…)',
      tags: ['effects'],
      request: {
        body: {
          required: true,
          content: json(
            z
              .object({
                connectors: z.array(IdSchema).min(1).max(10),
                maxAttempts: z.number().int().min(1).max(50).optional(),
                dropUnsupported: z.boolean().optional(),
              })
              .strict(),
          ),
        },
      },
      responses: {
        200: {
          description: 'What was delivered',
          content: json(
            z.looseObject({ gaveUp: z.number().int(), dropped: z.number().int(), failures: z.array(z.string()) }),
          ),
        },
        ...problems(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'effects:write');
      await authorize(ctx, auth, 'connector.configure');
      const body = c.req.valid('json');
      const result = await dispatchEffects(hub, {
        connectors: body.connectors,
        ...(body.maxAttempts === undefined ? {} : { maxAttempts: body.maxAttempts }),
        ...(body.dropUnsupported === undefined ? {} : { dropUnsupported: body.dropUnsupported }),
        signal: c.req.raw.signal,
      });
      return c.json(result, 200);
    },
  );
}
