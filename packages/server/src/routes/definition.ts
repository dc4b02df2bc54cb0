import { IdSchema } from '@hubspoke/core';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, type AppEnv, type ServerContext } from '../context.js';
import { HttpError, problems } from '../problem.js';
import { BrandKit, LintInput, LintOutput, Template, TemplateSummary } from '../schemas.js';
import { ETAG_HEADER, etagOf, expectedVersion, preconditionFailed } from './http.js';

/** Templates and their versions, the brand kit, and linting rendered email against the brand. */
export function registerDefinitionRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { hub } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/templates',
      summary: 'Every template version of the hub',
      tags: ['templates'],
      responses: {
        200: {
          description: 'Templates',
          content: { 'application/json': { schema: z.object({ items: z.array(TemplateSummary) }) } },
        },
        ...problems(401, 403),
      },
    }),
    async (c) => {
      requireAuth(c, 'templates:read');
      const items = (await hub.templates())
        .map(({ template: t }) => ({
          id: t.id,
          version: t.version,
          name: t.name,
          ...(t.description === undefined ? {} : { description: t.description }),
        }))
        .sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/templates/{id}/versions/{version}',
      summary: 'One template version (the newest with version "latest")',
      tags: ['templates'],
      request: {
        params: z.object({
          id: IdSchema,
          version: z
            .union([z.literal('latest'), z.coerce.number().int().min(1).max(1_000_000)])
            .openapi({ param: { name: 'version', in: 'path' }, type: 'string' }),
        }),
      },
      responses: {
        200: { description: 'The template', content: { 'application/json': { schema: Template } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      requireAuth(c, 'templates:read');
      const { id, version } = c.req.valid('param');
      return c.json(version === 'latest' ? await hub.latestTemplate(id) : await hub.template(id, version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/templates',
      summary: 'Publish a template version from its MJML (a version is published once)',
      tags: ['templates'],
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ mjml: z.string().min(1).max(900_000) }).strict() } },
        },
      },
      responses: {
        201: { description: 'Published', content: { 'application/json': { schema: Template } } },
        200: {
          description: 'Already published with the same source',
          content: { 'application/json': { schema: Template } },
        },
        ...problems(400, 401, 403, 409, 415, 422),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'templates:write');
      const { template, created } = await hub.publishTemplate(auth.principal, c.req.valid('json').mjml);
      return c.json(template, created ? 201 : 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/brand-kit',
      summary: 'The brand kit, with its version as the ETag',
      tags: ['templates'],
      responses: {
        200: {
          description: 'The brand kit',
          headers: ETAG_HEADER,
          content: { 'application/json': { schema: BrandKit } },
        },
        ...problems(401, 403),
      },
    }),
    async (c) => {
      requireAuth(c, 'templates:read');
      const { brandKit, version } = await hub.brandKitVersion();
      c.header('etag', etagOf(version));
      return c.json(brandKit, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/brand-kit',
      summary: 'Save a new brand-kit version; If-Match must name the version you edited',
      tags: ['templates'],
      request: {
        headers: z.object({ 'if-match': z.string().max(100).optional() }),
        body: { required: true, content: { 'application/json': { schema: BrandKit } } },
      },
      responses: {
        200: { description: 'Saved', headers: ETAG_HEADER, content: { 'application/json': { schema: BrandKit } } },
        ...problems(400, 401, 403, 412, 415, 422, 428),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'templates:write');
      const expected = expectedVersion(c.req.header('if-match'));
      const body = c.req.valid('json');
      const version = await hub.saveBrandKit(auth.principal, body, expected).catch(preconditionFailed);
      c.header('etag', etagOf(version));
      return c.json(body, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/lint',
      summary: "Lint rendered email against the hub's brand rules (the editor's live lint)",
      tags: ['drafts'],
      request: { body: { required: true, content: { 'application/json': { schema: LintInput } } } },
      responses: {
        200: { description: 'Findings', content: { 'application/json': { schema: LintOutput } } },
        ...problems(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'drafts:read');
      if (auth.principal.roles.length === 0)
        throw new HttpError(403, 'E_FORBIDDEN', `${auth.principal.id} has no role in this hub`);
      const { rendered, draft } = c.req.valid('json');
      // The body's validator has just checked `rendered` and `draft` with core's schemas: no second time.
      const result = (await hub.linter()).lintValidated({ rendered, ...(draft === undefined ? {} : { draft }) });
      return c.json({ counts: result.counts, failed: result.failed, diagnostics: result.diagnostics }, 200);
    },
  );
}
