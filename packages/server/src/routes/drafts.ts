import { LocaleSchema, RegionSchema, IdSchema } from '@hubspoke/core';
import type { SourcedDraft } from '@hubspoke/hub';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, type AppEnv, type ServerContext } from '../context.js';
import { HttpError, problems } from '../problem.js';
import {
  Draft,
  DraftCheck,
  DraftEnvelope,
  DraftStatus,
  IdParam,
  NewDraft,
  Page,
  Paging,
  RenderedEmail,
  CommandOutcome,
} from '../schemas.js';
import { ETAG_HEADER, etagOf, expectedVersion, nextOffset, preconditionFailed } from './http.js';

/** What a client sees of a stored draft (the file path of a folder hub stays on the server). */
export function envelope(found: SourcedDraft) {
  const { file: _file, ...rest } = found;
  return rest;
}

export function registerDraftRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { hub } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/drafts',
      summary: 'Drafts you may see, most recently updated first',
      tags: ['drafts'],
      request: {
        query: z
          .object({
            region: RegionSchema.optional(),
            team: IdSchema.optional(),
            status: DraftStatus.optional(),
            author: z.string().min(1).max(256).optional(),
            templateId: IdSchema.optional(),
            ...Paging,
          })
          .strict(),
      },
      responses: {
        200: {
          description: 'A page of drafts',
          content: { 'application/json': { schema: Page(DraftEnvelope, 'DraftPage') } },
        },
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const query = c.req.valid('query');
      const page = await hub.listDrafts(auth.principal, query as Parameters<typeof hub.listDrafts>[1]);
      return c.json(
        { items: page.items.map(envelope), more: page.more, ...nextOffset(query.offset, page.items.length, page.more) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/drafts',
      summary: 'Create a draft from a template (its newest version unless one is named) in your region',
      tags: ['drafts'],
      request: { body: { required: true, content: { 'application/json': { schema: NewDraft } } } },
      responses: {
        201: {
          description: 'Created',
          headers: ETAG_HEADER,
          content: { 'application/json': { schema: DraftEnvelope } },
        },
        ...problems(400, 401, 403, 404, 409, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:write');
      const input = c.req.valid('json');
      const created = await hub.createDraft(auth.principal, input);
      c.header('etag', etagOf(created.version));
      c.header('location', `/api/drafts/${created.draft.id}`);
      return c.json(envelope(created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/drafts/{id}',
      summary: 'One draft, with its version as the ETag',
      tags: ['drafts'],
      request: { params: IdParam },
      responses: {
        200: {
          description: 'The draft',
          headers: ETAG_HEADER,
          content: { 'application/json': { schema: DraftEnvelope } },
        },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const found = await hub.getDraft(auth.principal, c.req.valid('param').id);
      c.header('etag', etagOf(found.version));
      return c.json(envelope(found), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/drafts/{id}',
      summary:
        'Save an edit. If-Match must name the version you edited: a stale one is 412; a locked slot is 403 E_LOCKED',
      tags: ['drafts'],
      request: {
        params: IdParam,
        headers: z.object({ 'if-match': z.string().max(100).optional().openapi({ description: 'The ETag you read' }) }),
        body: { required: true, content: { 'application/json': { schema: Draft } } },
      },
      responses: {
        200: { description: 'Saved', headers: ETAG_HEADER, content: { 'application/json': { schema: DraftEnvelope } } },
        ...problems(400, 401, 403, 404, 412, 415, 428),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:write');
      const { id } = c.req.valid('param');
      const draft = c.req.valid('json');
      if (draft.id !== id) {
        throw new HttpError(
          400,
          'E_VALIDATION',
          `body.id: expected "${id}" (the draft in the URL), got "${draft.id}"`,
          {
            path: 'body.id',
          },
        );
      }
      const expected = expectedVersion(c.req.header('if-match'));
      const saved = await hub.saveDraft(auth.principal, draft, { expectedVersion: expected }).catch(preconditionFailed);
      c.header('etag', etagOf(saved.version));
      return c.json(envelope(saved), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/drafts/{id}/versions',
      summary:
        'Start a new version of an approved draft (approved drafts are read-only): the same content, editable again, to submit anew',
      tags: ['drafts'],
      request: {
        params: IdParam,
        headers: z.object({
          'if-match': z.string().max(100).optional().openapi({ description: 'The ETag of the approved version' }),
        }),
      },
      responses: {
        201: {
          description: 'The new version',
          headers: ETAG_HEADER,
          content: { 'application/json': { schema: DraftEnvelope } },
        },
        ...problems(400, 401, 403, 404, 409, 412),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:write');
      const { id } = c.req.valid('param');
      const ifMatch = c.req.header('if-match');
      const started = await hub
        .startNewVersion(auth.principal, id, ifMatch === undefined ? {} : { expectedVersion: expectedVersion(ifMatch) })
        .catch(preconditionFailed);
      c.header('etag', etagOf(started.version));
      c.header('location', `/api/drafts/${started.draft.id}`);
      return c.json(envelope(started), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/drafts/{id}/check',
      summary: 'Validate and lint the saved draft (template rules and brand rules)',
      tags: ['drafts'],
      request: { params: IdParam },
      responses: {
        200: { description: 'Findings', content: { 'application/json': { schema: DraftCheck } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const found = await hub.getDraft(auth.principal, c.req.valid('param').id);
      const check = await hub.checkDraft(found.draft, { principal: auth.principal });
      return c.json(
        {
          draftId: found.draft.id,
          version: found.version,
          counts: check.counts,
          failed: check.failed,
          diagnostics: check.diagnostics,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/drafts/{id}/preview',
      summary: 'The saved draft rendered for preview in one locale (default: its default locale)',
      tags: ['drafts'],
      request: { params: IdParam, query: z.object({ locale: LocaleSchema.optional() }).strict() },
      responses: {
        200: { description: 'The rendered email', content: { 'application/json': { schema: RenderedEmail } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      const found = await hub.getDraft(auth.principal, c.req.valid('param').id);
      const locale = c.req.valid('query').locale ?? found.draft.defaultLocale;
      if (!(locale in found.draft.content)) {
        throw new HttpError(404, 'E_NOT_FOUND', `Draft ${found.draft.id} has no content in ${locale}`, {
          path: 'query.locale',
          details: { locale, expected: Object.keys(found.draft.content) },
        });
      }
      // Only the render this locale needs (the template skeleton is cached): not a whole check, whose
      // validation and brand lint cost ten times the render and which GET …/check answers.
      const [variant] = await hub.renderAll(found.draft, { locales: [locale], dialects: ['preview'] });
      if (variant === undefined) throw new HttpError(404, 'E_NOT_FOUND', `No render for ${locale}`);
      return c.json(variant.email, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/drafts/{id}/submissions',
      summary: 'Submit the saved draft for review (or resubmit a returned one)',
      tags: ['review'],
      request: {
        params: IdParam,
        body: {
          required: false,
          content: {
            'application/json': {
              schema: z.object({ idempotencyKey: z.string().min(1).max(200).optional() }).strict(),
            },
          },
        },
      },
      responses: {
        201: {
          description: 'Submitted',
          content: {
            'application/json': {
              schema: CommandOutcome.extend({ resubmitted: z.boolean(), skipped: z.array(z.string()) }).openapi(
                'SubmitOutcome',
              ),
            },
          },
        },
        ...problems(400, 401, 403, 404, 409, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:write');
      const { id } = c.req.valid('param');
      await hub.getDraft(auth.principal, id);
      const body = c.req.valid('json');
      const { result, resubmitted, skipped } = await hub.submit(
        auth.principal,
        id,
        body.idempotencyKey === undefined ? {} : { idempotencyKey: body.idempotencyKey },
      );
      c.header('location', `/api/submissions/${result.submissionId}`);
      return c.json(
        { submissionId: result.submissionId, state: result.state, events: result.events, resubmitted, skipped },
        201,
      );
    },
  );
}
