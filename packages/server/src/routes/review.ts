import { IdSchema } from '@hubspoke/core';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, type AppEnv, type ServerContext } from '../context.js';
import { problems } from '../problem.js';
import {
  AuditExport,
  CommandOutcome,
  CommentInput,
  DecisionInput,
  Page,
  Paging,
  RefParam,
  SubmissionState,
  SubmissionSummary,
} from '../schemas.js';
import { nextOffset } from './http.js';

type Hub = ServerContext['hub'];
type DecideInput = Parameters<Hub['decide']>[2];
type CommentBody = Parameters<Hub['comment']>[2];

export function registerReviewRoutes(app: OpenAPIHono<AppEnv>, ctx: ServerContext): void {
  const { hub } = ctx;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/submissions',
      summary: 'Submissions you may view',
      tags: ['review'],
      request: {
        query: z
          .object({
            status: z.string().max(50).optional(),
            assignee: z.string().min(1).max(256).optional().openapi({ description: '"me" for yourself' }),
            draftId: IdSchema.optional(),
            workflowId: IdSchema.optional(),
            ...Paging,
          })
          .strict(),
      },
      responses: {
        200: {
          description: 'A page',
          content: { 'application/json': { schema: Page(SubmissionSummary, 'SubmissionPage') } },
        },
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:read');
      const { limit, offset, assignee, ...query } = c.req.valid('query');
      const filters = {
        ...query,
        ...(assignee === undefined ? {} : { assignee: assignee === 'me' ? auth.principal.id : assignee }),
      };
      const page = await hub.listSubmissions(auth.principal, filters as Parameters<Hub['listSubmissions']>[1], {
        ...(limit === undefined ? {} : { limit }),
        ...(offset === undefined ? {} : { offset }),
      });
      return c.json({ items: page.items, more: page.more, ...nextOffset(offset, page.items.length, page.more) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/submissions/{id}',
      summary: 'A submission: stages, decisions, comments',
      tags: ['review'],
      request: { params: RefParam },
      responses: {
        200: { description: 'Its state', content: { 'application/json': { schema: SubmissionState } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:read');
      return c.json(await hub.status(auth.principal, c.req.valid('param').id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/submissions/{id}/decisions',
      summary: 'Decide (approve, request changes, reject…), revoke, override, force-approve or withdraw',
      tags: ['review'],
      request: {
        params: RefParam,
        body: { required: true, content: { 'application/json': { schema: DecisionInput } } },
      },
      responses: {
        200: { description: 'Recorded', content: { 'application/json': { schema: CommandOutcome } } },
        ...problems(400, 401, 403, 404, 409, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:write');
      const result = await hub.decide(auth.principal, c.req.valid('param').id, c.req.valid('json') as DecideInput);
      return c.json({ submissionId: result.submissionId, state: result.state, events: result.events }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/submissions/{id}/comments',
      summary: 'Comment (anchored to a module or slot), reply, resolve or reopen',
      tags: ['review'],
      request: {
        params: RefParam,
        body: { required: true, content: { 'application/json': { schema: CommentInput } } },
      },
      responses: {
        201: {
          description: 'Recorded',
          content: {
            'application/json': { schema: CommandOutcome.extend({ commentId: z.string() }).openapi('CommentOutcome') },
          },
        },
        ...problems(400, 401, 403, 404, 409, 415),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'submissions:write');
      const { result, commentId } = await hub.comment(
        auth.principal,
        c.req.valid('param').id,
        c.req.valid('json') as CommentBody,
      );
      return c.json({ submissionId: result.submissionId, state: result.state, events: result.events, commentId }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/submissions/{id}/audit',
      summary: "Audit export: the submission's hash-chained events, their verification, and who acted",
      tags: ['audit'],
      request: { params: RefParam },
      responses: {
        200: { description: 'The export', content: { 'application/json': { schema: AuditExport } } },
        ...problems(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const auth = requireAuth(c, 'audit:read');
      const { id } = c.req.valid('param');
      const approvals = await hub.approvals();
      const state = await hub.status(auth.principal, id);
      const [events, verification] = await Promise.all([
        approvals.history(auth.principal, state.streamId),
        approvals.verify(auth.principal, state.streamId),
      ]);
      const people = new Map<string, { id: string; issuer?: string; subject?: string; name?: string }>();
      for (const { actor } of events) {
        const key = `${actor.issuer ?? ''}|${actor.subject ?? ''}|${actor.id}`;
        if (!people.has(key)) people.set(key, { id: actor.id, ...pick(actor) });
      }
      const report = verification.ok
        ? verification
        : {
            ok: false as const,
            index: verification.index,
            problem: verification.problem,
            message: verification.message,
            ...(verification.eventId === undefined ? {} : { eventId: verification.eventId }),
            ...(verification.seq === undefined ? {} : { seq: verification.seq }),
          };
      return c.json({ submissionId: state.streamId, verification: report, events, people: [...people.values()] }, 200);
    },
  );
}

function pick(actor: { issuer?: string | undefined; subject?: string | undefined; name?: string | undefined }) {
  return {
    ...(actor.issuer === undefined ? {} : { issuer: actor.issuer }),
    ...(actor.subject === undefined ? {} : { subject: actor.subject }),
    ...(actor.name === undefined ? {} : { name: actor.name }),
  };
}
